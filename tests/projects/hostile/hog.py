"""Allocates (and touches) memory in 64 MiB steps towards four times the
machine's memory.  theanolint's worker_memory limit must stop it with a
MemoryError long before; SAFETY_CAP only keeps a shared test machine alive
if that guard is ever broken (the test then fails on this builder's message)."""
import os

import numpy as np

import theanolint

STEP = 64 * 2**20
SAFETY_CAP = 8 * 2**30


@theanolint.register(name="hog")
def hog():
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    chunks = []
    for _ in range(4 * machine // STEP):
        chunks.append(np.ones(STEP, dtype=np.uint8))  # planted: TL001
        if len(chunks) * STEP > SAFETY_CAP:
            raise RuntimeError("no memory guard stopped the hog at 8 GiB")
