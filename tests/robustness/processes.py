"""Is anything a run started still running?  For the robustness tests."""

import glob
import os


def alive(pid: int) -> bool:
    """Running (a zombie that nobody reaped yet does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_in(folder: str):
    """Processes whose working directory is ``folder`` or inside it (workers
    run in the project root)."""
    found = []
    for entry in glob.glob("/proc/[0-9]*/cwd"):
        try:
            if os.path.join(os.readlink(entry), "").startswith(os.path.join(folder, "")):
                found.append(entry.split("/")[2])
        except OSError:
            pass
    return found
