"""Starts a child process, then ends the worker with os._exit(3)."""
import os

import theanolint
from pids import record, sleeper


@theanolint.register(name="os_exit")  # planted: TL004
def os_exit():
    record(sleeper().pid)
    os._exit(3)
