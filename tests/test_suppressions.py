"""Suppression comments, TL003, per-file ignores, baselines and PATHS narrowing (real CLI)."""

import json
import time

from conftest import theanolint

from theanolint.findings import Finding
from theanolint.triage import baseline
from theanolint.triage import suppressions as suppress

LAYERS = """\
import numpy as np
import theano
import theano.tensor as T

floatX = theano.config.floatX


def dense(x, n_in, n_out, name):
    W = theano.shared(np.ones((n_in, n_out), dtype=floatX), name=name + ".W")
    b = theano.shared(np.zeros(n_out, dtype=floatX))
    return T.tanh(x.dot(W) + b), [W, b]
"""

MODEL = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint
from layers import dense


@theanolint.register(name="uses_layers")
def uses_layers():
    x = T.matrix("x")
    h, params = dense(x, 4, 3, "hidden")
    cost = h.sum() + np.float64(1e-4) * (params[0] ** 2).sum()
    return theano.function([x], cost, name="train")


@theanolint.register(name="plain")
def plain():
    x = T.matrix("x")
    return theano.function([x], T.exp(x).sum() * np.float64(2.0), name="f")
"""


def _project(root, config="", model=MODEL):
    (root / "layers.py").write_text(LAYERS)
    (root / "model.py").write_text(model)
    (root / "other.py").write_text("VALUE = 1\n")
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n" + config)
    return root


def _codes(run):
    return sorted((f["code"], f["path"], f["line"]) for f in run.findings)


def test_comments_suppress_and_unused_ones_are_reported(tmp_path):
    model = (
        MODEL.replace("(params[0] ** 2).sum()\n", "(params[0] ** 2).sum()  # theanolint: disable=TL101\n")
        .replace(
            "    return theano.function([x], T.exp",
            "    # theanolint: disable-next=TL1\n    return theano.function([x], T.exp",
        )
        .replace('    x = T.matrix("x")\n    h,', '    x = T.matrix("x")  # theanolint: disable=TL202,TL9\n    h,')
    )
    layers = "# theanolint: disable-file=TL301\n" + LAYERS
    root = _project(tmp_path, model=model)
    (root / "layers.py").write_text(layers)
    (root / "notes.py").write_text('TEXT = "# theanolint: disable=TL101"\n')
    run = theanolint("--format", "json", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in run.findings] == [
        ("TL003", "model.py", 11, "'disable=TL202,TL9' names no rule: unknown code 'TL9'"),
        ("TL003", "model.py", 11, "unused suppression 'disable=TL202,TL9': no TL202 finding to suppress"),
    ]
    assert theanolint("--ignore", "TL003", "--format", "json", cwd=root).findings == []


def test_comment_parsing_ignores_strings():
    text = 'x = "# theanolint: disable=TL101"  # theanolint: disable=tl202, TL3\n'
    (comment,) = suppress.comments_in(text, "m.py")
    assert (comment.line, comment.kind, comment.codes) == (1, "disable", ["TL202", "TL3"])


def test_per_file_ignores(tmp_path):
    root = _project(tmp_path, config='per_file_ignores:\n  "lay*.py": [TL3]\n  model.py: [TL101]\n')
    run = theanolint("--format", "json", cwd=root)
    assert run.code == 0 and run.findings == []


def test_baseline_survives_moved_lines_and_fails_on_new_findings(tmp_path):
    root = _project(tmp_path, config="baseline: lint/baseline.json\n")
    assert theanolint(cwd=root).code == 2  # configured, not written yet
    written = theanolint("--write-baseline", cwd=root)
    assert written.code == 0 and "recorded 3 finding(s)" in written.stderr
    assert theanolint(cwd=root).code == 0
    moved = "# a comment\n\n" + MODEL.replace("import theanolint\n", "import theanolint\n\nSIZE = 4\n")
    (root / "model.py").write_text(moved)
    (root / "layers.py").write_text("\n\n" + LAYERS)
    again = theanolint(cwd=root)
    assert again.code == 0 and "All checks passed: 2 function(s)" in again.stdout
    assert "(3 finding(s) in the baseline not shown)" in again.stdout
    scale = 'theano.shared(np.float64(3.0), name="scale") * h.sum() + '
    (root / "model.py").write_text(moved.replace("cost = h.sum() + ", "cost = " + scale))
    new = theanolint("--format", "json", cwd=root)
    assert new.code == 1, new.stdout
    assert "TL101" in {f["code"] for f in new.findings}
    assert all("'scale'" in f["message"] for f in new.findings)


def test_rewriting_the_baseline_drops_fixed_findings(tmp_path):
    root = _project(tmp_path)
    target = tmp_path / "base.json"
    assert theanolint("--write-baseline", str(target), cwd=root).code == 0
    assert len(json.loads(target.read_text())["findings"]) == 3
    (root / "model.py").write_text(MODEL.replace("np.float64(2.0)", "np.float32(2.0)"))
    assert theanolint("--baseline", str(target), cwd=root).code == 0
    assert theanolint("--baseline", str(target), "--write-baseline", cwd=root).code == 0
    entries = json.loads(target.read_text())["findings"]
    assert sum(e["count"] for e in entries) == 2
    assert all(e["function"] != "plain:f" for e in entries)


def test_fingerprints_ignore_numbers_but_keep_names():
    def finding(message, line=3):
        return Finding("TL101", message, "m.py", line, "f:0")

    same = [
        finding("float64 shared variable 'W1' makes 13 op(s)"),
        finding("float64 shared variable 'W1' makes 2 op(s)", line=40),
    ]
    assert baseline.fingerprint(same[0]) == baseline.fingerprint(same[1])
    assert baseline.fingerprint(finding("float64 shared variable 'W2' makes 2 op(s)")) != baseline.fingerprint(same[0])


def test_paths_narrow_the_lint_to_affected_functions(tmp_path):
    root = _project(tmp_path)
    layers = theanolint("layers.py", "--format", "json", cwd=root)
    assert [u["name"] for u in layers.report["functions"]] == ["uses_layers:train"]
    assert {f["function"] for f in layers.findings} == {"uses_layers:train"}
    unrelated = theanolint("other.py", cwd=root)
    assert unrelated.code == 0 and "All checks passed: 0 function(s)" in unrelated.stdout
    started = time.monotonic()
    nothing = theanolint("README.md", "setup.cfg", cwd=root)
    assert nothing.code == 0 and nothing.stdout == "" and time.monotonic() - started < 5
    everything = theanolint(".theanolint.yaml", "--format", "json", cwd=root)
    assert len(everything.report["functions"]) == 2


def test_noqa_and_rule_names_suppress_like_disable(tmp_path):
    """ruff's convention, and the names `theanolint rules` prints."""
    model = (
        "import theano\nimport theano.tensor as T\n\nimport theanolint\n\n\n"
        '@theanolint.register(name="m.train")\ndef train():\n'
        '    x = T.dmatrix("x")  # noqa: E501, TL101\n'
        '    y = T.dmatrix("y")  # theanolint: disable=float64\n'
        "    return theano.function([x, y], T.exp(x).sum() + T.exp(y).sum())\n"
    )
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    (tmp_path / "model.py").write_text(model)
    run = theanolint("--format", "json", "--no-cache", cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert run.findings == []
