"""Result cache and isolated workers: hits, misses, corrupt entries, shards,
concurrent runs, a builder that hangs and a worker that dies."""

import glob
import json
import os
import subprocess
import sys
import textwrap

from conftest import SMALL_MODEL as MODEL
from conftest import theanolint

from theanolint.cache import results as resultcache


def _project(folder, names=("a", "b", "c"), config="target: opencl\n"):
    (folder / ".theanolint.yaml").write_text(config + f"modules: [{', '.join(names)}]\n")
    for name in names:
        (folder / f"{name}.py").write_text(MODEL.format(name=name, scale=2.0))
    return folder


def _cached(run):
    return {u["name"]: bool(u.get("cached")) for u in run.report["functions"]}


def _processes_in(folder):
    """Processes whose working directory is ``folder`` (workers chdir to the project)."""
    found = []
    for entry in glob.glob("/proc/[0-9]*/cwd"):
        try:
            if os.readlink(entry) == str(folder):
                found.append(entry.split("/")[2])
        except OSError:
            pass
    return found


def _lint(folder, *args, code=1):
    run = theanolint("--format", "json", *args, cwd=folder)
    assert run.code == code, run.stderr
    return run


def test_hit_then_miss_after_graph_config_and_version_changes(tmp_path):
    project = _project(tmp_path)
    first = _lint(project, "-j", "1")
    assert _cached(first) == {"a:0": False, "b:0": False, "c:0": False}
    (project / "unrelated.py").write_text("# changes the project, not the graphs\n")
    second = _lint(project, "-j", "1")
    assert _cached(second) == {"a:0": True, "b:0": True, "c:0": True}
    assert second.findings == first.findings  # same findings from the cache
    (project / "b.py").write_text(MODEL.format(name="b", scale=3.0))  # b's graph changes
    third = _lint(project, "-j", "1")
    assert _cached(third) == {"a:0": True, "b:0": False, "c:0": True}
    (project / ".theanolint.yaml").write_text(
        "target: opencl\nmodules: [a, b, c]\nrules: {TL101: warning}\n"
    )  # rule settings change
    fourth = _lint(project, "-j", "1", code=0)  # TL101 is a warning now
    assert not any(_cached(fourth).values())
    assert {f["severity"] for f in fourth.findings if f["code"] == "TL101"} == {"warning"}


def test_version_is_part_of_the_key(tmp_path):
    project = _project(tmp_path, names=("a",))
    _lint(project)
    assert _cached(_lint(project)) == {"a:0": True}
    # Another theanolint version (set in every process through a sitecustomize).
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import theanolint\ntheanolint.__version__ = '0.0.0-test'\n")
    env = {"PYTHONPATH": str(site) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = theanolint("--format", "json", cwd=project, env=env)
    assert run.code == 1, run.stderr
    assert _cached(run) == {"a:0": False}


def test_output_options_are_not_part_of_the_key(tmp_path):
    project = _project(tmp_path, names=("a",))
    _lint(project)
    (project / "touch.py").write_text("\n")  # force the workers to run
    text = theanolint("--format", "sarif", cwd=project)
    assert text.code == 1
    again = _lint(project)
    assert _cached(again) == {"a:0": True}


def test_corrupt_and_foreign_entries_are_rewritten(tmp_path):
    project = _project(tmp_path, names=("a", "b"))
    _lint(project)
    entries = resultcache.function_entry_paths(str(project / ".theanolint_cache"))
    assert len(entries) == 2
    with open(entries[0], "w") as handle:
        handle.write("{not json")
    with open(entries[1], "w") as handle:
        json.dump({"format": 999, "key": "x", "result": {}}, handle)

    def forget_runs():  # the whole-run and the builder records, so the builders run again
        for pattern in ("run-*.json", "builders-*.json"):
            for path in glob.glob(str(project / ".theanolint_cache" / "*" / pattern)):
                os.remove(path)

    forget_runs()
    run = _lint(project)
    assert not any(_cached(run).values())
    run = _lint(project, "--no-cache")
    assert not any(_cached(run).values())
    for path in entries:
        with open(path) as handle:
            assert json.load(handle)["format"] == resultcache.FORMAT  # rewritten, valid again


def test_no_cache_and_clean(tmp_path):
    project = _project(tmp_path, names=("a",))
    _lint(project, "--no-cache")
    assert not (project / ".theanolint_cache").exists()
    _lint(project)
    assert (project / ".theanolint_cache" / "CACHEDIR.TAG").exists()
    run = theanolint("clean", cwd=project)
    assert run.code == 0 and not (project / ".theanolint_cache").exists()
    (project / "notacache").mkdir()
    (project / ".theanolint.yaml").write_text("target: opencl\nmodules: [a]\ncache_dir: notacache\n")
    (project / "notacache" / "keep.txt").write_text("mine")
    assert theanolint("clean", cwd=project).code == 2
    assert (project / "notacache" / "keep.txt").exists()


def test_jobs_and_shards_split_deterministically(tmp_path):
    project = _project(tmp_path, names=("a", "b", "c", "d"))
    whole = _lint(project, "-j", "2", "--no-cache")
    assert sorted(u["name"] for u in whole.report["functions"]) == ["a:0", "b:0", "c:0", "d:0"]
    single = _lint(project, "-j", "1", "--no-cache")
    assert whole.findings == single.findings
    first = _lint(project, "--shard", "1/2", "--no-cache")
    second = _lint(project, "--shard", "2/2", "--no-cache")
    assert [u["name"] for u in first.report["functions"]] == ["a:0", "c:0"]
    assert [u["name"] for u in second.report["functions"]] == ["b:0", "d:0"]
    assert sorted(first.findings + second.findings, key=json.dumps) == sorted(whole.findings, key=json.dumps)
    assert theanolint("--shard", "3/2", cwd=project).code == 2


def test_concurrent_runs_share_the_cache(tmp_path):
    project = _project(tmp_path)
    command = [sys.executable, "-m", "theanolint", "--format", "json", "-j", "1"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    reports = [json.loads(out) for out, _ in outputs]
    assert reports[0]["findings"] == reports[1]["findings"]
    assert len(reports[0]["findings"]) == 3
    again = _lint(project)
    assert again.report["findings"] == reports[0]["findings"]


HOSTILE = textwrap.dedent("""\
    import os
    import time
    import theanolint


    @theanolint.register(name="hangs")
    def hangs():
        time.sleep(600)


    @theanolint.register(name="dies")
    def dies():
        os._exit(3)
    """)


def test_hanging_and_dying_builders_become_findings(tmp_path):
    project = _project(tmp_path, names=("a", "b"), config="target: opencl\ntimeout: 20\n")
    (project / ".theanolint.yaml").write_text("target: opencl\ntimeout: 20\nmodules: [a, b, hostile]\n")
    (project / "hostile.py").write_text(HOSTILE)
    run = theanolint("--format", "json", "-j", "2", "--no-cache", cwd=project)
    assert run.code == 1, run.stderr
    by_function = {}
    for finding in run.findings:
        by_function.setdefault(finding["function"], []).append(finding)
    (hang,) = by_function["hangs"]
    assert hang["code"] == "TL005" and hang["line"] == 6 and "within 20 s" in hang["message"]
    (death,) = by_function["dies"]
    assert death["code"] == "TL004" and death["line"] == 11 and "exit code 3" in death["message"]
    (tmp_path / "alone").mkdir()
    alone = _lint(_project(tmp_path / "alone", names=("a", "b")), "--no-cache")
    assert sorted(f["message"] for f in by_function["a:0"] + by_function["b:0"]) == sorted(
        f["message"] for f in alone.findings
    )
    assert _processes_in(project) == []


def test_a_worker_that_dies_before_any_builder_is_an_error(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [dies]\n")
    (tmp_path / "dies.py").write_text("import os\nos._exit(4)\n")
    run = theanolint(cwd=tmp_path)
    assert run.code == 2
    assert "exited with code 4 before linting anything" in run.stderr


def test_ctrl_c_stops_the_workers_and_keeps_the_cache_valid(tmp_path):
    import signal
    import time

    project = _project(tmp_path, names=("a", "b", "slow"))
    (project / "slow.py").write_text(
        "import time\nimport theanolint\n\n@theanolint.register(name='slow')\ndef slow():\n    time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "theanolint", "-j", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    cache = project / ".theanolint_cache"
    deadline = time.monotonic() + 300
    while len(resultcache.function_entry_paths(str(cache))) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)  # a and b are done, slow is sleeping
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in err
    assert time.monotonic() - started < 10
    assert _processes_in(project) == []
    (project / "slow.py").write_text("")  # next run: a and b come from the cache
    again = theanolint("--format", "json", "-j", "1", cwd=project)
    assert again.code == 1, again.stderr
    assert _cached(again) == {"a:0": True, "b:0": True}


def test_a_run_with_a_crashed_worker_is_not_replayed(tmp_path):
    # A crash or a timeout can come from a busy machine: the next run must try again.
    project = _project(tmp_path, names=("a",))
    (project / ".theanolint.yaml").write_text("target: opencl\nmodules: [a, dies]\n")
    (project / "dies.py").write_text(
        "import os\nimport theanolint\n\n@theanolint.register(name='dies')\ndef dies():\n    os._exit(3)\n"
    )
    first = theanolint("--format", "json", "-j", "1", cwd=project)
    again = theanolint("--format", "json", "-j", "1", cwd=project)
    assert first.code == again.code == 1, again.stderr
    assert [f["code"] for f in again.findings if f["function"] == "dies"] == ["TL004"]
    assert _cached(again) == {"a:0": True, "dies": False}
