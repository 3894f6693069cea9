"""Incremental lint (theanolint.cache.builders): a builder whose files did not change
is not run, a module whose builders all hit is not imported, moved lines do not
re-optimize (theanolint.cache.moved), and each invalidation
the docs claim (an edit in the builder's file, in a helper module it imports, in a
file its graph is traced to, in the config, a changed package version) runs it again.

Whether a builder ran is seen from its side effect: each import and each build
appends a line to the file named by $RUN_LOG (an environment variable, which the
cache does not see: that is what the docs say)."""

import os
import textwrap

import pytest
from conftest import theanolint

HELPERS = "SCALE = 2.0\n"
LAYERS = textwrap.dedent("""\
    import theano.tensor as T


    def dense(x, W):
        return T.tanh(x.dot(W))
    """)
BUILDER = textwrap.dedent("""\
    import os

    import numpy as np
    import theano
    import theano.tensor as T

    import theanolint
    {imports}

    with open(os.environ["RUN_LOG"], "a") as log:
        log.write("import {name}\\n")


    @theanolint.register(name="{name}")
    def build():
        with open(os.environ["RUN_LOG"], "a") as log:
            log.write("build {name}\\n")
        x = T.matrix("x")
        W = theano.shared(np.ones((3, 3), dtype="float32"), name="W")
        {body}
        return theano.function([x], y * np.float64({scale}))
    """)

REGISTER_LINE = BUILDER.splitlines().index('@theanolint.register(name="{name}")') + 1


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [a, b]\n")
    (root / "helpers.py").write_text(HELPERS)
    (root / "layers.py").write_text(LAYERS)
    # a: a helper imported at module level, not traced (it makes no graph)
    (root / "a.py").write_text(
        BUILDER.format(name="a", imports="from helpers import SCALE", body="y = T.exp(x.dot(W))", scale="SCALE")
    )
    # b: imports its layer inside the builder; the graph is traced to layers.py
    (root / "b.py").write_text(
        BUILDER.format(name="b", imports="", body="from layers import dense\n    y = dense(x, W)", scale="3.0")
    )
    return root, tmp_path / "run.log"


def _lint(project, *args, env=None):
    root, log = project
    log.write_text("")
    run = theanolint("--format", "json", "-j", "1", *args, cwd=root, env={"RUN_LOG": str(log), **(env or {})})
    assert run.code == 1, run.stderr
    return run, log.read_text().split("\n")[:-1]


def _findings(run):
    return sorted((f["path"], f["line"], f["code"]) for f in run.findings)


def test_only_the_edited_builder_runs_and_the_other_module_is_not_imported(project):
    root, _ = project
    first, ran = _lint(project)
    assert sorted(ran) == ["build a", "build b", "import a", "import b"]
    (root / "b.py").write_text("# a comment moves every line\n" + (root / "b.py").read_text())
    second, ran = _lint(project)
    assert ran == ["import b", "build b"]
    # b's builder ran, but its graph is the same: the optimizer did not run (a cache hit),
    # and the stored findings moved with the lines
    assert {u["name"]: bool(u.get("cached")) for u in second.report["functions"]} == {"a:0": True, "b:0": True}
    shifted = [(p, line + 1 if p == "b.py" else line, code) for p, line, code in _findings(first)]
    assert _findings(second) == sorted(shifted)
    registered = {u["name"]: u["register"] for u in second.report["functions"]}
    assert registered["b:0"] == f"b.py:{REGISTER_LINE + 1}"


def test_nothing_changed_runs_nothing_also_with_paths(project):
    root, _ = project
    _lint(project)
    assert _lint(project)[1] == []
    assert _lint(project, "b.py")[1] == []  # the run cache is the project's, PATHS filter it
    (root / "notes.py").write_text("# a new file nobody imports\n")
    again, ran = _lint(project)
    assert ran == []
    assert all(u.get("cached") for u in again.report["functions"])


def test_an_imported_helper_runs_its_importer_again(project):
    root, _ = project
    _lint(project)
    (root / "helpers.py").write_text("SCALE = 2.5\n")
    assert _lint(project)[1] == ["import a", "build a"]


def test_a_file_the_graph_is_traced_to_runs_its_builder_again(project):
    root, _ = project
    _lint(project)
    (root / "layers.py").write_text(LAYERS.replace("T.tanh", "T.nnet.sigmoid"))
    assert _lint(project)[1] == ["import b", "build b"]


def test_the_config_runs_everything_again(project):
    root, _ = project
    _lint(project)
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [a, b]\nrules: {TL301: error}\n")
    assert sorted(_lint(project)[1]) == ["build a", "build b", "import a", "import b"]


def test_a_changed_package_version_runs_everything_again(project, tmp_path):
    site = tmp_path / "site"
    info = site / "somelib-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: somelib\nVersion: 1.0\n")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    _lint(project, env=env)
    assert _lint(project, env=env)[1] == []
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: somelib\nVersion: 1.1\n")
    assert sorted(_lint(project, env=env)[1]) == ["build a", "build b", "import a", "import b"]


def test_no_cache_runs_everything(project):
    _lint(project)
    assert sorted(_lint(project, "--no-cache")[1]) == ["build a", "build b", "import a", "import b"]


SCAN = textwrap.dedent("""\
    import numpy as np
    import theano
    import theano.tensor as T

    import theanolint


    @theanolint.register(name="rnn")
    def build():
        x = T.matrix("x")
        U = theano.shared(np.ones((3, 3), dtype="float32"), name="U")

        def step(x_t, h):
            return T.cast(T.tanh(h.dot(U) * np.float64(0.5) + x_t), "float32")

        h, _ = theano.scan(step, sequences=x, outputs_info=T.zeros((3,), "float32"), name="step")
        return theano.function([x], h[-1].sum())
    """)


def test_a_scans_step_is_part_of_the_graph_and_its_lines_move(tmp_path):
    root = tmp_path / "rnn"
    root.mkdir()
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [rnn]\n")
    (root / "rnn.py").write_text(SCAN)
    run = theanolint("--format", "json", "-j", "1", cwd=root)
    inside = [(f["line"], f["code"]) for f in run.findings if f["scope"]]
    step_line = (
        SCAN.splitlines().index('        return T.cast(T.tanh(h.dot(U) * np.float64(0.5) + x_t), "float32")') + 1
    )
    assert (step_line, "TL101") in inside, run.stdout
    (root / "rnn.py").write_text("# moved\n" + SCAN)
    moved = theanolint("--format", "json", "-j", "1", cwd=root)
    assert all(u.get("cached") for u in moved.report["functions"])  # the same graph: not optimized again
    assert [(line + 1, code) for line, code in inside] == [(f["line"], f["code"]) for f in moved.findings if f["scope"]]
    (root / "rnn.py").write_text(SCAN.replace("np.float64(0.5)", "np.float32(0.5)"))  # only the step changes
    fixed = theanolint("--format", "json", "-j", "1", cwd=root)
    assert not any(u.get("cached") for u in fixed.report["functions"])
    assert not [f for f in fixed.findings if f["scope"] and f["code"] == "TL101"]


def test_what_a_reused_modules_import_did_is_still_reported(project):
    """The import's own findings (TL007: it printed) come from the manifest with the module."""
    root, _ = project
    (root / "a.py").write_text((root / "a.py").read_text() + '\nprint("a imported")\n')
    first, _ = _lint(project)
    printed = [f for f in first.findings if f["code"] == "TL007"]
    assert [f["path"] for f in printed] == ["a.py"], first.findings
    (root / "b.py").write_text("# edited\n" + (root / "b.py").read_text())
    second, ran = _lint(project)
    assert ran == ["import b", "build b"]  # a is not imported, and its import's finding stays
    assert [(f["path"], f["line"], f["message"]) for f in second.findings if f["code"] == "TL007"] == [
        (f["path"], f["line"], f["message"]) for f in printed
    ]
