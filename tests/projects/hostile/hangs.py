"""Starts a child process, then sleeps far past the config's timeout."""
import time

import theanolint
from pids import record, sleeper


@theanolint.register(name="hangs")  # planted: TL005
def hangs():
    record(sleeper().pid)
    time.sleep(600)
