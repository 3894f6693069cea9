"""Crashes the interpreter: reads address 0 (SIGSEGV)."""
import ctypes

import theanolint
from pids import record


@theanolint.register(name="crashes")  # planted: TL004
def crashes():
    record()
    ctypes.string_at(0)
