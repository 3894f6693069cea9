"""One line per problem (real CLI, OpenCL target): a builder that makes train, valid
and test from one model gets each shared problem once, with the functions it affects.

The project is written here: the test projects' multi-function builders are Keras
models, whose shared problems (the Dropout RNG's unnamed state) are made by Keras
and left out by default.
"""

import json
import os
import re

import jsonschema
import pytest
from conftest import REPO, theanolint

MODEL = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="mnist.mlp")
def mlp():
    x, y = T.matrix("x"), T.ivector("y")
    W = theano.shared(np.ones((4, 3), dtype=floatX), name="W")
    b = theano.shared(np.zeros(3, dtype=floatX))
    p = T.nnet.softmax(x.dot(W) + b)
    cost = T.nnet.categorical_crossentropy(p, y).mean() + np.float64(1e-4) * (W ** 2).sum()
    error = T.neq(p.argmax(axis=1), y).mean()
    updates = [(v, v - np.float32(0.1) * g) for v, g in zip([W, b], T.grad(cost, [W, b]))]
    train = theano.function([x, y], cost, updates=updates, name="train")
    valid = theano.function([x, y], [cost, error], name="valid")
    test = theano.function([x, y], [cost, error], name="test")
    return train, valid, test
"""
UNNAMED, FLOAT64 = 14, 16  # lines of MODEL: b, the float64 weight decay (in all three functions)
ALL = "[mnist.mlp: test, train, valid]"
LINE = re.compile(r"^model\.py:(\d+):\d+: (TL\d{3}) .* \[(.+)\]$")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("grouped")
    (root / "model.py").write_text(MODEL)
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    return root


@pytest.fixture(scope="module")
def report(project):
    run = theanolint("--format", "json", cwd=project)
    assert run.code == 1, run.stderr
    return run.report


def test_text_has_one_line_per_problem(project):
    run = theanolint(cwd=project)
    assert run.code == 1, run.stderr
    *lines, summary = run.stdout.splitlines()
    assert len(lines) == len(set(lines)), "two identical lines"
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    codes = {(int(m.group(1)), m.group(2)): m.group(3) for m in parsed}
    assert len(codes) == len(lines)  # one line per code and line
    assert f"[{codes[UNNAMED, 'TL301']}]" == ALL
    assert f"[{codes[FLOAT64, 'TL101']}]" == ALL
    assert summary.startswith(f"Found {len(lines)} problem(s) (")
    assert summary.endswith("in 3 function(s) on opencl (opencl0:0).")


def test_json_has_one_record_per_problem(report):
    with open(os.path.join(REPO, "theanolint", "report", "schema.json"), encoding="utf-8") as handle:
        jsonschema.Draft202012Validator(json.load(handle)).validate(report)
    assert [f["name"] for f in report["functions"]] == ["mnist.mlp:test", "mnist.mlp:train", "mnist.mlp:valid"]
    by_line = {(f["line"], f["code"]): f for f in report["findings"]}
    assert len(by_line) == len(report["findings"])
    for line, code in ((UNNAMED, "TL301"), (FLOAT64, "TL101")):
        problem = by_line[line, code]
        assert problem["functions"] == ["mnist.mlp:test", "mnist.mlp:train", "mnist.mlp:valid"]
        assert problem["function"] == "mnist.mlp:test"
    assert all(f["function"] == f["functions"][0] for f in report["findings"])


def test_sarif_has_one_result_per_problem(project, report):
    run = theanolint("--format", "sarif", cwd=project)
    results = json.loads(run.stdout)["runs"][0]["results"]
    assert len(results) == len(report["findings"])
    assert [r["properties"]["functions"] for r in results] == [f["functions"] for f in report["findings"]]


def test_the_baseline_still_records_each_function(project, report, tmp_path):
    base = tmp_path / "baseline.json"
    written = theanolint("--write-baseline", str(base), cwd=project)
    recorded = sum(len(f["functions"]) for f in report["findings"])
    assert written.code == 0 and f"recorded {recorded} finding(s)" in written.stderr
    entries = json.loads(base.read_text())["findings"]
    assert {e["function"] for e in entries} == {"mnist.mlp:test", "mnist.mlp:train", "mnist.mlp:valid"}
    again = theanolint("--baseline", str(base), cwd=project)
    assert again.code == 0, again.stdout
    assert "All checks passed: 3 function(s) on opencl (opencl0:0)." in again.stdout
    assert f"({recorded} finding(s) in the baseline not shown)" in again.stdout
