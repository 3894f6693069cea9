"""Every check flag, run through the real CLI on a small project (OpenCL target)."""

import json
import os

import jsonschema
import pytest
from conftest import REPO, theanolint

MODEL = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="m.train")
def train():
    x = T.matrix("x")
    W = theano.shared(np.ones((4, 3), dtype=floatX), name="W")
    b = theano.shared(np.zeros(3, dtype=floatX))
    h = theano.printing.Print("h")(T.tanh(x.dot(W) + b))
    cost = h.sum() + np.float64(1e-4) * (W ** 2).sum()
    return theano.function([x], cost, name="train")
"""
LINES = {"TL301": 14, "TL601": 15, "TL101": 16}
# 1-based, where the call that made the variable starts (for the constant: its product).
COLUMNS = {"TL301": MODEL.splitlines()[13].index("theano.shared") + 1, "TL101": MODEL.splitlines()[15].index("np.") + 1}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("flags")
    (root / "model.py").write_text(MODEL)
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\nrules:\n  TL601: off\n")
    return root


def test_text_is_plain_and_stable_off_a_terminal(project):
    run = theanolint(cwd=project)
    assert run.code == 1, run.stderr
    assert run.stdout.splitlines() == [
        f"model.py:{LINES['TL301']}:{COLUMNS['TL301']}: TL301 shared variable (float32, shape (3,)) has no name; "
        "pass name= to theano.shared [m.train:train]",
        f"model.py:{LINES['TL101']}:{COLUMNS['TL101']}: TL101 float64 constant 0.0001 makes 2 op(s) compute float64 "
        "(1 on the GPU, 0 on the host); use np.float32 / theano.config.floatX for the constant "
        "[m.train:train]",
        "Found 2 problem(s) (1 error(s), 1 warning(s)) in 1 function(s) on opencl (opencl0:0).",
    ]
    assert "\033[" not in run.stdout + run.stderr


def test_sarif_to_file_validates_against_the_official_schema(project, tmp_path):
    out = tmp_path / "report" / "lint.sarif"
    run = theanolint("--format", "sarif", "--output-file", str(out), cwd=project)
    assert run.code == 1 and run.stdout == ""
    log = json.loads(out.read_text())
    with open(os.path.join(REPO, "tests", "data", "sarif-schema-2.1.0.json")) as handle:
        jsonschema.Draft4Validator(json.load(handle)).validate(log)
    results = log["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["TL101", "TL301"]
    error = next(r for r in results if r["ruleId"] == "TL101")
    assert error["level"] == "error"
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "model.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": LINES["TL101"], "startColumn": COLUMNS["TL101"]}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[error["ruleIndex"]]["id"] == "TL101"


def test_github_annotations(project):
    run = theanolint("--format", "github", cwd=project)
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith(
        f"::warning file=model.py,line={LINES['TL301']},col={COLUMNS['TL301']},title=TL301::shared variable"
    )
    assert lines[1].startswith(
        f"::error file=model.py,line={LINES['TL101']},col={COLUMNS['TL101']},title=TL101::float64 constant"
    )
    assert len(lines) == 2


def test_json_statistics_quiet_and_exit_zero(project):
    data = theanolint("--format", "json", cwd=project).report
    assert sorted((f["code"], f["line"], f["column"]) for f in data["findings"]) == [
        ("TL101", LINES["TL101"], COLUMNS["TL101"]),
        ("TL301", LINES["TL301"], COLUMNS["TL301"]),
    ]
    stats = theanolint("--statistics", "--exit-zero", cwd=project)
    assert stats.code == 0
    assert stats.stdout.splitlines()[:2] == [
        "1  TL101  float64                  error",
        "1  TL301  unnamed-shared           warning",
    ]
    quiet = theanolint("--quiet", cwd=project)
    assert quiet.code == 1 and "Found" not in quiet.stdout and len(quiet.stdout.splitlines()) == 2


def test_select_overrides_a_config_disable_and_ignore_wins(project):
    run = theanolint("--select", "TL6", "--format", "json", cwd=project)
    assert run.code == 0  # TL601 is a warning
    assert [(f["code"], f["line"]) for f in run.findings] == [("TL601", LINES["TL601"])]
    ignored = theanolint("--ignore", "TL1,TL3", "--verbose", cwd=project)
    assert ignored.code == 0 and "All checks passed: 1 function(s)" in ignored.stdout
    assert ignored.stdout.startswith("target: opencl")


def test_target_override(project):
    run = theanolint("--target", "cuda", "--select", "TL101", cwd=project)
    assert run.code == 1 and "on cuda (virtual CUDA device" in run.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--statistics", "--format", "sarif"), "--statistics works with --format text or json"),
        (("--quiet", "--verbose"), "exclude each other"),
        (("--format", "xml"), "invalid choice"),
    ],
)
def test_usage_errors_exit_2(project, args, message):
    run = theanolint(*args, cwd=project)
    assert run.code == 2 and message in run.stderr
