"""Hostile builders (tests/projects/hostile) in one run with normal builders.

Each hostile builder (prints, sys.exit, os._exit, a segfault, a hang, a
memory hog, one that changes Theano's flags and the working directory, one
that returns no function) gets exactly one TL0 finding, planted in its
module as ``# planted: CODE``; the normal builders get exactly the findings
they get alone; the report on stdout parses (JSON, and SARIF against the
official schema); the exit code is 1 and no process the run started
survives it.  With -j 1 a single worker runs (and restarts after) every
hostile builder; with -j 2 a dying worker must not cost the other's results.
"""

import json
import os
import shutil

import jsonschema
import pytest
from conftest import PROJECTS, REPO, planted, theanolint
from processes import alive, processes_in

HOSTILE = os.path.join(PROJECTS, "hostile")
BUILDERS = ("chatty", "exits", "os_exit", "crashes", "hangs", "hog", "meddles", "returns_expression")
MESSAGES = {  # what each message must say, besides the builder's name
    "chatty": ['wrote 3 line(s) to stdout while building, the first: \'{"chatty": "building the model"\''],
    "exits": ["builder 'exits' called sys.exit(3)"],
    "os_exit": ["died while running builder 'os_exit' (exit code 3)"],
    "crashes": ["died while running builder 'crashes' (killed by SIGSEGV)"],
    "hangs": ["builder 'hangs' did not finish within 20 s"],
    "hog": ["builder 'hog' ran out of memory (MemoryError", "a worker may use 3.0 GiB", "(in numpy/core/numeric.py:"],
    "meddles": [  # the other two changes (optimizer, os.chdir) are in data["changes"]: messages stay short
        "theano.config.floatX 'float32' -> 'float64'",
        "and 2 more change(s)",
    ],
    "returns_expression": ["made no Theano function (it returned a symbolic TensorVariable"],
}
RUNS = [("1", "json"), ("2", "json"), ("1", "sarif"), ("2", "sarif")]


def copy_project(folder) -> str:
    shutil.copytree(HOSTILE, folder, ignore=shutil.ignore_patterns(".theanolint_cache", "__pycache__"))
    return str(folder)


def normalized(run, form: str):
    """The findings as (function, code, path, line, severity, message), from either format."""
    if form == "json":
        return sorted(
            (f["function"], f["code"], f["path"], f["line"], f["severity"], f["message"])
            for f in json.loads(run.stdout)["findings"]
        )
    log = json.loads(run.stdout)
    with open(os.path.join(REPO, "tests", "data", "sarif-schema-2.1.0.json")) as handle:
        jsonschema.Draft4Validator(json.load(handle)).validate(log)
    return sorted(
        (
            r["properties"]["function"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["level"],
            r["message"]["text"],
        )
        for r in log["runs"][0]["results"]
    )


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The normal builders linted without the hostile ones."""
    project = copy_project(tmp_path_factory.mktemp("alone") / "project")
    run = theanolint("--config", "normal.theanolint.yaml", "--format", "json", "--no-cache", cwd=project)
    assert run.code == 1, run.stderr
    return normalized(run, "json")


@pytest.fixture(scope="module", params=RUNS, ids=[f"j{j}-{form}" for j, form in RUNS])
def mixed(request, tmp_path_factory):
    jobs, form = request.param
    folder = tmp_path_factory.mktemp(f"mixed-j{jobs}-{form}")
    project = copy_project(folder / "project")
    pids = folder / "pids.txt"
    verbose = ["-v"] if (jobs, form) == ("2", "json") else []
    run = theanolint("--format", form, "-j", jobs, "--no-cache", *verbose, cwd=project, env={"HOSTILE_PIDS": str(pids)})
    run.form, run.project, run.verbose = form, project, bool(verbose)
    run.pids = [int(p) for p in pids.read_text().split()] if pids.exists() else []
    return run


def test_every_hostile_builder_gets_its_own_finding(mixed):
    assert mixed.code == 1, mixed.stderr
    findings = normalized(mixed, mixed.form)  # stdout is the whole report, and parses
    for builder in BUILDERS:
        mine = [f for f in findings if f[0] == builder or f[0].startswith(builder + ":")]
        marks = planted(os.path.join(HOSTILE, builder + ".py"))
        assert len(mine) == 1, (builder, mine)
        function, code, path, line, _, message = mine[0]
        assert (path, line, [code]) == (builder + ".py",) + next(iter(marks.items())), mine
        assert f"'{builder}'" in message
        for part in MESSAGES[builder]:
            assert part in message, (builder, message)


def test_normal_builders_get_what_they_get_alone(mixed, alone):
    normal = [f for f in normalized(mixed, mixed.form) if f[0].startswith("normal.")]
    assert normal == alone
    marks = planted(os.path.join(HOSTILE, "normal.py"))
    assert sorted((line, [code]) for _, code, _, line, _, _ in alone) == sorted(marks.items())
    others = [
        f
        for f in normalized(mixed, mixed.form)
        if not f[0].startswith("normal.") and f[0].split(":")[0] not in BUILDERS
    ]
    assert others == []


def test_no_traceback_and_the_output_stays_off_stdout(mixed):
    assert "Traceback" not in mixed.stderr and "internal error" not in mixed.stderr
    printed = ("straight to file descriptor", "from C's buffered stdout", "a warning on stderr")
    assert not any(text in mixed.stdout for text in printed)
    if mixed.verbose:  # -v shows what the builders printed, on stderr
        assert all(text in mixed.stderr for text in printed)


def test_nothing_is_left_running(mixed):
    # crashes records its worker; os_exit and hangs their worker and a child each
    assert len(mixed.pids) == 5, mixed.pids
    assert [pid for pid in mixed.pids if alive(pid)] == []
    assert processes_in(mixed.project) == []
