"""What the project's modules do when the worker imports them: global state they change
is put back and reported as TL006 at the statement, what they print as TL007 (in a
real worker, whose own recursion limit is theanolint's); and with ``-v`` the text
report prints a TL002's exception under it."""

import textwrap

from conftest import theanolint

TUTORIAL = '''
    """A tutorial's helpers, with module-level settings."""
    import sys

    import numpy as np

    sys.setrecursionlimit(1500)
    np.seterr(all="raise")
    print("tutorial loaded")


    def layer(x):
        return x * 2
    '''

# The builders fail (TL001) if they run with the tutorial's settings.
MODELS = """
    import sys

    import numpy as np
    import theano
    import theano.tensor as T

    import theanolint
    import tutorial


    @theanolint.register(name="models.train")
    def train():
        assert sys.getrecursionlimit() != 1500 and np.geterr()["over"] != "raise"
        x = T.matrix("x")
        return theano.function([x], tutorial.layer(x))


    @theanolint.register(name="models.unused")
    def unused():
        x, y = T.matrix("x"), T.matrix("y")
        return theano.function([x, y], T.exp(x))
    """

QUIET = """
    import sys

    import theano
    import theano.tensor as T

    import theanolint


    @theanolint.register(name="quiet.train")
    def train():
        assert sys.getrecursionlimit() != 1500
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """


def _project(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [models, quiet]\n")
    for name, source in (("tutorial", TUTORIAL), ("models", MODELS), ("quiet", QUIET)):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source).lstrip("\n"))
    return tmp_path


def test_state_changed_at_import_is_reported_and_put_back(tmp_path):
    run = theanolint("--format", "json", "--no-cache", cwd=_project(tmp_path))
    assert run.code == 1, run.stderr
    found = {(f["code"], f["path"], f["line"], f["function"]) for f in run.findings}
    assert found == {
        ("TL002", "models.py", 21, "models.unused:0"),  # and no TL001: the builders ran with the worker's state
        ("TL006", "tutorial.py", 6, "import models"),
        ("TL007", "tutorial.py", 8, "import models"),
    }
    tl006 = next(f for f in run.findings if f["code"] == "TL006")
    assert tl006["message"].startswith("importing tutorial.py changed the recursion limit (")
    assert tl006["message"].endswith(
        " -> 1500); numpy's error handling (np.seterr: all='raise'); "
        "every builder runs with it: set and restore it where needed, or not at all"
    )
    assert tl006["data"]["at_import"] is True and len(tl006["data"]["changes"]) == 2
    tl007 = next(f for f in run.findings if f["code"] == "TL007")
    assert "wrote 1 line(s) to stdout, the first: 'tutorial loaded'" in tl007["message"]
    assert run.report["findings"]  # stdout is the JSON report alone: the print went to the worker's log
    assert all(len(f["message"]) < 200 for f in run.findings)
    tl002 = next(f for f in run.findings if f["code"] == "TL002")
    assert tl002["data"]["exception"]["type"] == "UnusedInputError" and tl002["data"]["attempts"] == 2
    assert tl002["data"]["exception"]["frames"][-1].startswith("theano/compile/function_module.py:")


def test_verbose_text_shows_the_optimizers_exception(tmp_path):
    run = theanolint("-v", "--no-cache", cwd=_project(tmp_path))
    assert run.code == 1, run.stderr
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if " TL002 Theano's optimizer failed: UnusedInputError: " in line)
    assert lines[at + 1] == "    UnusedInputError raised at (innermost last):"
    assert lines[at + 2].startswith("      theano/compile/function_module.py:")
    assert any(line.startswith("    To make this error into a warning") for line in lines[at + 2 : at + 9])
