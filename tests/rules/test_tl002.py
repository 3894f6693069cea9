"""TL002 optimize-error: Theano's optimizer failed on a function.

A failure is tried once more before it is reported: one that happens every time is
a TL002 with the exception's type, text and frames, and is stored in the result
cache; one that happens only once is logged, not reported, and never cached.
"""

import glob
import itertools
import json
import os

from theanolint import protocol
from theanolint.testing import cases, line_of, normalize
from theanolint.testing.harness import _restored

RULES = ["TL002"]

UNUSED_INPUT = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="unused_input")
    def unused_input():
        x, unused = T.matrix("x"), T.matrix("unused")
        return theano.function([x, unused], T.exp(x){option})  # planted: TL002
    """

# The docstring's example: a ``givens`` replacement of another type.
GIVENS_TYPE = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="givens")
    def givens():
        x = T.matrix("x")
        z = T.matrix("z")
        y = T.exp(z)
        return theano.function([x], y, givens={z: x.astype("int8")})  # planted: TL001
    """


# Theano's optimizer, given an optimization that refuses the graph: an AssertionError
# without text, as a broken invariant inside one of Theano's own optimizations raises
# (SeqOptimizer lets AssertionError through; other exceptions it only logs).  It
# refuses the first ``refusals`` times it runs (None: every time).
REFUSES = """
    import theano
    import theano.tensor as T
    from theano.gof.opt import Optimizer

    import theanolint


    class Refuses(Optimizer):
        def __init__(self, refusals):
            self.refusals = refusals

        def apply(self, fgraph):
            if self.refusals is None or self.refusals > 0:
                self.refusals = None if self.refusals is None else self.refusals - 1
                raise AssertionError()


    @theanolint.register(name="refused")
    def refused():
        x = T.matrix("x")
        mode = theano.compile.get_default_mode().register((Refuses({refusals}), 0.5))
        return theano.function([x], T.exp(x), mode=mode){planted}
    """


def _refuses(refusals):
    return REFUSES.format(refusals=refusals, planted="  # planted: TL002" if refusals is None else "")


def test_unused_input(harness):
    [finding] = harness.assert_planted(UNUSED_INPUT.format(option=""), rules=RULES)
    assert finding.severity == "error" and finding.function == "unused_input:0"
    assert finding.message.startswith(
        "Theano's optimizer failed: UnusedInputError: theano.function "
        "was asked to create a function computing outputs given certain inputs"
    )
    assert len(finding.message) < 200 and "\n" not in finding.message
    exception = finding.data["exception"]
    assert exception["type"] == "UnusedInputError"
    assert "the provided input variable at index 1 is not part of the computational graph" in exception["text"]
    assert "on_unused_input='ignore'" in exception["text"]  # the text's later lines
    assert 1 <= len(exception["frames"]) <= 5
    assert exception["frames"][-1].startswith("theano/compile/function_module.py:")
    assert exception["frames"][-1].endswith(" in _check_unused_inputs")
    assert finding.data["attempts"] == 2
    details = finding.data["details"]
    assert details[0] == "UnusedInputError raised at (innermost last):"
    assert details[1 : 1 + len(exception["frames"])] == [f"  {frame}" for frame in exception["frames"]]
    assert details[-1] == exception["text"].strip()  # the full text: it has more than one line


def test_unused_input_allowed_is_quiet(harness):
    harness.assert_quiet(UNUSED_INPUT.format(option=', on_unused_input="ignore"'), rules=RULES)


def test_assertion_without_text_says_so_with_theanos_frames(harness):
    [finding] = harness.assert_planted(_refuses(None), rules=RULES)
    assert finding.message == "Theano's optimizer failed: AssertionError (no message)"
    exception = finding.data["exception"]
    assert exception["type"] == "AssertionError" and exception["text"] == ""
    assert len(exception["frames"]) == 5
    raised_at = line_of(REFUSES, "raise AssertionError()")
    assert exception["frames"][-1].endswith(f".py:{raised_at} in apply")  # the line that raised, in the case
    assert any(frame.startswith("theano/gof/opt.py:") for frame in exception["frames"])  # Theano's SeqOptimizer
    assert finding.data["attempts"] == 2
    assert finding.data["details"] == ["AssertionError raised at (innermost last):"] + [
        f"  {frame}" for frame in exception["frames"]
    ]


def test_failure_seen_once_is_logged_not_reported(harness, capsys):
    harness.assert_quiet(_refuses(1), rules=RULES)
    log = capsys.readouterr().err
    assert "refused:0 (" in log and "raise AssertionError()" in log  # the first failure's traceback
    assert "AssertionError" in log and "tried again (a failure that does not happen again is not reported)" in log


def test_givens_of_another_type_fail_in_the_builder(harness):
    """theano.function checks givens when the builder calls it, before anything is
    optimized: the docstring's example is a TL001, not a TL002."""
    [finding] = harness.assert_planted(GIVENS_TYPE, rules=["TL001", "TL002"])
    assert "raised TypeError: Cannot convert Type TensorType(int8, matrix)" in finding.message


# --- the result cache --------------------------------------------------------

_numbers = itertools.count(1)


def _lint_cached(harness, source, root, cache):
    """Lint ``source`` (written once into ``root``) as a worker does with the result
    cache on (the harness lints without one); the entries, in the builder's order."""
    module = os.path.basename(root)
    path = os.path.join(root, module + ".py")
    if not os.path.exists(path):
        os.makedirs(root)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(normalize(source))
    job = protocol.Job(
        target=harness.target,
        root=root,
        modules=(module,),
        files=(),
        config=harness._config(None, None, root),
        select=tuple(RULES),
        cache_dir=cache,
    )
    channel = cases._Collected()
    with _restored(root):
        from theanolint.workers import main as worker

        assert worker.lint(job, channel, harness.context) == []
    return [e for message in channel.messages if isinstance(message, protocol.BuilderDone) for e in message.entries]


def _lint_twice(harness, source, root, cache):
    """Two runs, the second expected to hit the cache (from the same line: the graph's
    traces, part of the cache key, hold the whole stack, this test's lines too)."""
    return [_lint_cached(harness, source, root, cache) for _run in range(2)]


def _stored(cache):
    """The findings of each entry in the cache folder."""
    stored = []
    for path in glob.glob(os.path.join(cache, "*", "*.json")):
        with open(path, encoding="utf-8") as handle:
            stored.append([f["code"] for f in json.load(handle)["result"]["findings"]])
    return stored


def _root(harness):
    return os.path.join(harness.folder, f"cached_tl002_{next(_numbers)}")


def test_reproduced_failure_is_cached(harness, tmp_path):
    root, cache = _root(harness), str(tmp_path / "cache")
    [first], [again] = _lint_twice(harness, _refuses(None), root, cache)
    assert [f.code for f in first.findings] == ["TL002"] and not first.summary.cached
    assert first.findings[0].data["attempts"] == 2
    assert _stored(cache) == [["TL002"]]
    assert again.summary.cached and again.findings == first.findings


def test_failure_seen_once_is_neither_reported_nor_cached(harness, tmp_path, capsys):
    root, cache = _root(harness), str(tmp_path / "cache")
    [first], [again] = _lint_twice(harness, _refuses(1), root, cache)
    assert first.findings == () and first.summary.nodes > 0 and not first.summary.error
    assert capsys.readouterr().err.count("tried again") == 1  # the first run's; the second is a cache hit
    assert _stored(cache) == [[]]  # the second try's result, without the failure
    assert again.summary.cached and again.findings == ()


def test_a_failure_not_tried_again_is_not_stored(harness):
    from theanolint.analysis import failures
    from theanolint.findings import Finding

    def entry(**data):
        finding = Finding(
            "TL002", "Theano's optimizer failed: AssertionError (no message)", "m.py", 3, "f:0", data=data
        )
        return protocol.FunctionEntry(protocol.FunctionSummary("f:0", "m.py:1"), (finding,))

    assert failures.reproduced(entry(attempts=2))
    assert not failures.reproduced(entry(attempts=1)) and not failures.reproduced(entry())
    assert failures.reproduced(protocol.FunctionEntry(protocol.FunctionSummary("f:0", "m.py:1"), ()))
