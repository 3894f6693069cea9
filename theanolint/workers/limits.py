"""Limits a worker process puts on itself before it runs any user code.

- Memory (``worker_memory:``).  A builder that allocates without end must get
  a ``MemoryError`` (a TL001 finding on its line), not push the machine into
  swapping or the kernel's out-of-memory killer, which may pick any process.
  The limit is on the data segment (``RLIMIT_DATA``: the heap and private
  writable mappings, what allocations use) rather than on the address space
  (``RLIMIT_AS``), which also counts shared libraries and the address ranges
  that malloc, PoCL and the OpenBLAS threads only reserve.  The limit is per
  worker and does not depend on ``-j``, so a result never depends on ``-j``.
- Lifetime.  A worker dies with the process that started it (even one killed
  with SIGKILL), so an interrupted or killed run leaves no worker behind.
"""

import ctypes
import os
import resource
import signal
from typing import Optional

from theanolint.config.sizes import parse_size

MINIMUM = 2 * 10**9  # a worker's own need (Theano, the device, a 1 GiB thread stack) is ~1.6e9
AUTO_FLOOR = 4 * 2**30
PR_SET_PDEATHSIG = 1


def physical_memory() -> int:
    """The machine's memory, or the container's limit (cgroup v2) when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        with open("/sys/fs/cgroup/memory.max") as handle:
            text = handle.read().strip()
        if text.isdigit():
            total = min(total, int(text))
    except OSError:
        pass
    return total


def check_worker_memory(value) -> Optional[str]:
    """Why ``worker_memory: value`` cannot be used, or None."""
    if value in ("auto", "off") or value is False:
        return None
    if parse_size(value) < MINIMUM:
        return f"{value!r} is below {MINIMUM / 10**9:g} GB, what a worker needs before it runs any builder"
    return None


def worker_memory(value) -> Optional[int]:
    """The per-worker limit in bytes for the config's value; None: no limit.

    auto: half the machine's memory, at least 4 GiB (the test projects' lints,
    Keras and TheanoLM models included, need under 3 GiB of data segment).
    """
    if value == "off" or value is False:  # YAML reads a bare off as false
        return None
    if value == "auto":
        return max(AUTO_FLOOR, physical_memory() // 2)
    return parse_size(value)


def limit_worker(config: dict) -> None:
    """Apply the memory limit and tie this process's life to its parent's."""
    limit = worker_memory(config.get("worker_memory", "auto"))
    if limit is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    _die_with_parent()


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's finally still stops us
        pass


def describe_memory_limit() -> str:
    """'; a worker may use 4.0 GiB ...' when a limit is set, for messages."""
    limit, _ = resource.getrlimit(resource.RLIMIT_DATA)
    if limit == resource.RLIM_INFINITY:
        return ""
    return f"; a worker may use {limit / 2**30:.1f} GiB (worker_memory:); build from small sizes"
