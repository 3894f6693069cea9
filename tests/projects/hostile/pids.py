"""Hostile builders record the processes they leave behind, so the test can
check that none survives: the worker's pid and those of the children it
started, one line per builder, in the file $HOSTILE_PIDS (if set)."""
import os
import subprocess
import sys


def sleeper() -> subprocess.Popen:
    """A child process that would outlive the builder if nobody stopped it."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])


def record(*pids: int) -> None:
    path = os.environ.get("HOSTILE_PIDS")
    if path:
        with open(path, "a") as handle:
            handle.write(" ".join(str(pid) for pid in (os.getpid(),) + pids) + "\n")
