"""TL202 shared-on-host: shared variables copied between host and GPU on every call."""

import pytest

from theanolint.testing import HarnessError

RULES = ["TL202"]

TEMPERATURE = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="softmax")
    def softmax():
        scores = T.matrix("scores")
        temperature = theano.shared({value}, name="temperature"{target}){planted}
        return theano.function([scores], T.nnet.softmax(scores / temperature))
    """

# An index vector as a shared variable: advanced indexing reads it on the host.
INDEX = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="rows")
    def rows():
        x = T.matrix("x")
        rows = theano.shared(np.arange(4, dtype="int64") % 3, name="rows"{target})  # planted: TL202
        return theano.function([x], x[rows].sum())
    """

INDEX_AS_INPUT = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="rows")
    def rows():
        x = T.matrix("x")
        rows = T.lvector("rows")
        return theano.function([x, rows], x[rows].sum())
    """

# Theano's sort has no GPU version: the GPU shared variable is copied to the host.
SORTED_PARAMETER = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="ranks")
    def ranks():
        scores = theano.shared(np.ones((8, 8), dtype=theano.config.floatX), name="scores")  # planted: TL202
        return theano.function([], T.argsort(scores, axis=1))
    """

RANDOM_STREAMS = """
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    import theanolint


    @theanolint.register(name="dropout")
    def dropout():
        x = T.matrix("x")
        mask = RandomStreams(1234).binomial(x.shape, p=0.5, dtype=theano.config.floatX)
        return theano.function([x], (x * mask).sum())
    """


def test_doc_example_scalar_stays_on_the_host(harness):
    source = TEMPERATURE.format(value="np.float32(1.0)", target="", planted="  # planted: TL202")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "warning"
    assert finding.message == (
        "shared variable 'temperature' (float32, 4 B) stays on the host and is copied to the GPU "
        "on every call; create it on the GPU with theano.shared(..., target=None)"
    )
    assert finding.data["bytes"] == 4


def test_python_float_is_a_float64_on_the_host(harness):
    """examples/models/mlp.py's ``theano.shared(1.0)``."""
    source = TEMPERATURE.format(value="1.0", target="", planted="  # planted: TL202")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert "(float64, 8 B) stays on the host" in finding.message


def test_zero_d_array_created_on_the_gpu_is_quiet(harness):
    source = TEMPERATURE.format(value="np.asarray(1.0, dtype=theano.config.floatX)", target=", target=None", planted="")
    harness.assert_quiet(source, rules=RULES)


@pytest.mark.xfail(
    strict=True,
    raises=HarnessError,
    reason=(
        "the docstring's 'Use instead' passes a numpy scalar with target=None, which Theano "
        "1.0.5's GPU constructor refuses (TypeError: No suitable SharedVariable constructor); "
        "it needs an array: np.asarray(1.0, dtype=floatX), as examples/models/mlp.py does"
    ),
)
def test_doc_fix_as_written_builds_and_is_quiet(harness):
    source = TEMPERATURE.format(value="np.float32(1.0)", target=", target=None", planted="")
    harness.assert_quiet(source, rules=RULES)


def test_gpu_index_vector_is_copied_to_the_host(harness):
    [finding] = harness.assert_planted(INDEX.format(target=""), rules=RULES)
    assert finding.message == (
        "shared variable 'rows' (int64, 32 B) lives on the GPU but is copied to the host on "
        "every call; keep it on the host with theano.shared(..., target='cpu')"
    )


def test_gpu_parameter_read_by_a_host_op(harness):
    [finding] = harness.assert_planted(SORTED_PARAMETER, rules=RULES)
    assert "'scores' (float32, 256 B) lives on the GPU but is copied to the host" in finding.message


def test_index_vector_given_as_input_is_quiet(harness):
    harness.assert_quiet(INDEX_AS_INPUT, rules=RULES)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "following the advice (target='cpu') makes Theano pick GpuAdvancedSubtensor1, which "
        "copies the index to the GPU, and TL202 then advises target=None: the two messages "
        "send the user back and forth"
    ),
)
def test_index_vector_kept_on_the_host_as_advised_is_quiet(harness):
    harness.assert_quiet(INDEX.format(target=', target="cpu"'), rules=RULES)


@pytest.mark.xfail(
    strict=True,
    raises=HarnessError,
    reason=(
        "TL202 formats var.type.dtype for every shared variable before checking where it "
        "lives; RandomStreams' RandomStateType state has no dtype: AttributeError "
        "(rules/tl202_shared_on_host.py)"
    ),
)
def test_random_streams_state_does_not_break_the_rule(harness):
    harness.assert_quiet(RANDOM_STREAMS, rules=RULES)
