"""TL203 no-gpu-op: a function whose optimized graph has no op on the GPU."""

import textwrap

from theanolint.ruleset.catalog import rule
from theanolint.testing import line_of

RULES = ["TL203"]

# The docstring's Example and Use instead, linted as they are written there.
DOC_BUILDER = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="doc")
    def doc():
{code}
        return f
    """


def _doc_code(section: str) -> str:
    """The indented code block after ``section:`` in TL203's docstring."""
    lines = rule("TL203").doc.splitlines()
    start = lines.index(f"{section}:") + 1
    block = []
    for line in lines[start:]:
        if line and not line.startswith("    "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip("\n")


def _doc_case(section: str, planted: bool) -> str:
    code = _doc_code(section)
    if planted:  # the finding is on the theano.function call
        code = "\n".join(
            line + "  # planted: TL203" if "theano.function(" in line else line for line in code.split("\n")
        )
    return DOC_BUILDER.format(code=textwrap.indent(code, " " * 8))


SORT_ONLY = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="ranks")
    def ranks():
        x = T.matrix("x")
        return theano.function([x], T.argsort(x, axis=1))  # planted: TL203
    """

INTEGERS_ONLY = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="counter")
    def counter():
        i = T.iscalar("i")
        step = i * 2 + 1
        return theano.function([i], step, name="next")  # planted: TL203
    """

# A float64 parameter makes the whole product run on the host (no float64 GEMV
# with a float64 constant on the GPU).
FLOAT64_LAYER = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="layer")
    def layer():
        x = T.matrix("x")
        W = theano.shared(np.random.randn(784, 100), name="W")
        h = T.nnet.sigmoid(x.dot(W) * np.float64(0.5))
        return theano.function([x], h)  # planted: TL203
    """

FLOATX = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="exp")
    def exp():
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """


def test_doc_example_fires(harness):
    source = _doc_case("Example", planted=True)
    assert "np.random.randn(784, 100))" in source
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message == (
        "no op of this function runs on the GPU (2 host op(s): dot, Elemwise{ScalarSigmoid}); "
        "check for float64 inputs and GPU optimizations excluded by flags"
    )
    assert finding.data["details"] == ["op: dot", "op: Elemwise{ScalarSigmoid}[(0, 0)]"]


def test_doc_use_instead_is_quiet(harness):
    source = _doc_case("Use instead", planted=False)
    assert ".astype(theano.config.floatX)" in source
    harness.assert_quiet(source, rules=RULES)


def test_function_of_host_ops_only(harness):
    [finding] = harness.assert_planted(SORT_ONLY, rules=RULES)
    assert finding.severity == "error"
    assert finding.message == (
        "no op of this function runs on the GPU (1 host op(s): ArgSortOp{quicksort, None}); check for "
        "float64 inputs and GPU optimizations excluded by flags"
    )


def test_integer_only_work_is_reported_at_the_function_call(harness):
    [finding] = harness.assert_planted(INTEGERS_ONLY, rules=RULES)
    assert finding.function == "counter:next"


def test_float64_layer_runs_on_the_host(harness):
    [finding] = harness.assert_planted(FLOAT64_LAYER, rules=RULES)
    assert "host op(s)" in finding.message


def test_floatx_function_is_quiet(harness):
    harness.assert_quiet(FLOATX, rules=RULES)


def test_float64_elementwise_runs_on_the_gpu(harness):
    """A float64 input through T.exp (the docstring's example before): Theano 1.0.5
    runs float64 elementwise ops on the GPU, so TL101 reports it and TL203 does not."""
    source = FLOATX.replace("T.matrix", "T.dmatrix")
    harness.assert_quiet(source, rules=RULES)
    [float64] = harness.lint_source(source, rules=["TL101"])
    assert float64.line == line_of(source, "T.dmatrix")
