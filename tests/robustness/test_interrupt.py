"""Interrupted and concurrent runs.

Ctrl-C in a terminal sends SIGINT to the whole foreground process group;
CI cancels a job with SIGTERM; two pre-commit invocations may lint the same
project at once.  None of them may leave a process running or the cache
inconsistent: the next run reuses exactly the complete entries and reports
what a clean run reports.
"""

import contextlib
import glob
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import SMALL_MODEL as MODEL
from conftest import theanolint
from processes import alive, processes_in

from theanolint.cache import results as resultcache

SLOW = textwrap.dedent("""\
    import os
    import subprocess
    import sys
    import time
    import theanolint


    @theanolint.register(name="slow")
    def slow():
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open(os.environ["SLOW_PIDS"], "w") as handle:
            handle.write(f"{os.getpid()} {child.pid}")
        time.sleep(600)
    """)
NAMES = ("a", "b", "c")


def project(folder, slow=True):
    folder.mkdir()
    modules = NAMES + (("slow",) if slow else ())
    (folder / ".theanolint.yaml").write_text(f"target: opencl\nmodules: [{', '.join(modules)}]\n")
    for index, name in enumerate(NAMES):
        (folder / f"{name}.py").write_text(MODEL.format(name=name, scale=index + 2.0))
    if slow:
        (folder / "slow.py").write_text(SLOW)
    return folder


def entries(folder):
    """The per-function result files in the cache; each must be complete and valid."""
    found = {}
    for path in resultcache.function_entry_paths(str(folder / ".theanolint_cache")):
        with open(path) as handle:
            entry = json.load(handle)
        assert entry["format"] == resultcache.FORMAT and os.path.basename(path) == entry["key"] + ".json"
        found[entry["key"]] = entry["result"]["summary"]["name"]
    return found


def run_cache(folder):
    return glob.glob(str(folder / ".theanolint_cache" / "*" / "run-*.json"))


def cached(run):
    return {u["name"]: bool(u.get("cached")) for u in run.report["functions"]}


def lint(folder, *args):
    run = theanolint("--format", "json", *args, cwd=folder)
    assert run.code == 1, run.stderr
    return run


def start(folder, pids, *args):
    """theanolint in its own process group, as a shell starts a foreground job;
    its temporary folder in ``scratch(folder)``."""
    scratch(folder).mkdir(exist_ok=True)
    env = dict(os.environ, SLOW_PIDS=str(pids), TMPDIR=str(scratch(folder)))
    return subprocess.Popen(
        [sys.executable, "-m", "theanolint", "--format", "json", *args],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def scratch(folder):
    return folder.parent / "tmp"


def wait_until_busy(process, folder, pids):
    """Until a, b and c are in the cache and slow is sleeping in its builder."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if len(entries(folder)) == len(NAMES) and pids.exists() and pids.read_text():
            return [int(pid) for pid in pids.read_text().split()]
        time.sleep(0.2)
    raise AssertionError(f"the run never got busy: {process.communicate()}")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_stops_everything_and_keeps_the_complete_entries(tmp_path, jobs):
    folder = project(tmp_path / "project")
    pids = tmp_path / "pids"
    process = start(folder, pids, "-j", jobs)
    worker, child = wait_until_busy(process, folder, pids)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
    _, err = process.communicate(timeout=60)  # "a few seconds"; the bound only stops a hang
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not alive(worker) and not alive(child)
    assert processes_in(str(folder)) == []
    assert os.listdir(scratch(folder)) == []  # the workers' scratch folder is removed
    complete = entries(folder)  # every entry valid, none for slow
    assert sorted(complete.values()) == ["a:0", "b:0", "c:0"]
    assert run_cache(folder) == []  # an interrupted run is not a result
    (folder / "slow.py").write_text(MODEL.format(name="slow", scale=9.0))
    again = lint(folder, "-j", jobs)
    assert cached(again) == {"a:0": True, "b:0": True, "c:0": True, "slow:0": False}
    assert again.findings == lint(folder, "-j", jobs, "--no-cache").findings


def test_sigterm_ends_the_run_like_ctrl_c(tmp_path):
    folder = project(tmp_path / "project")
    pids = tmp_path / "pids"
    process = start(folder, pids, "-j", "2")
    worker, child = wait_until_busy(process, folder, pids)
    process.terminate()  # CI cancelling the job
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err, err
    assert not alive(worker) and not alive(child)
    assert processes_in(str(folder)) == []
    assert os.listdir(scratch(folder)) == []
    assert sorted(entries(folder).values()) == ["a:0", "b:0", "c:0"]


def test_a_killed_run_takes_its_workers_along(tmp_path):
    folder = project(tmp_path / "project")
    pids = tmp_path / "pids"
    process = start(folder, pids, "-j", "2")
    worker, child = wait_until_busy(process, folder, pids)
    process.kill()  # no clean-up possible in theanolint
    process.communicate(timeout=60)
    try:
        deadline = time.monotonic() + 60  # the kernel's parent-death signal
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(worker)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)  # a builder's own child outlives SIGKILL
    assert sorted(entries(folder).values()) == ["a:0", "b:0", "c:0"]


def test_two_runs_at_once_agree_and_leave_a_consistent_cache(tmp_path):
    folder = project(tmp_path / "project", slow=False)
    (folder / "d.py").write_text(MODEL.format(name="d", scale=5.0))
    (folder / ".theanolint.yaml").write_text("target: opencl\nmodules: [a, b, c, d]\n")
    runs = [start(folder, tmp_path / "unused", "-j", jobs) for jobs in ("1", "2")]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    reports = [json.loads(out) for out, _ in outputs]
    clean = lint(folder, "--no-cache").findings
    assert reports[0]["findings"] == reports[1]["findings"] == clean
    assert len(clean) == 4
    assert sorted(entries(folder).values()) == ["a:0", "b:0", "c:0", "d:0"]
    third = lint(folder)  # the whole run is reused
    assert set(cached(third).values()) == {True} and third.findings == clean
    for path in run_cache(folder):
        os.remove(path)
    fourth = lint(folder)  # every function's own entry is reused
    assert set(cached(fourth).values()) == {True} and fourth.findings == clean
