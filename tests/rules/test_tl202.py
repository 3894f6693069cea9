"""TL202 shared-on-host: shared variables copied between host and GPU on every call."""

import re

from theanolint.ruleset.catalog import catalog

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
        "shared variable 'temperature' (float32, 4 B) is on the host and copied to the GPU every call; "
        "use theano.shared(np.asarray(value, floatX), target=None)"
    )
    assert finding.data["bytes"] == 4


def test_python_float_is_a_float64_on_the_host(harness):
    """examples/models/mlp.py's ``theano.shared(1.0)``."""
    source = TEMPERATURE.format(value="1.0", target="", planted="  # planted: TL202")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert "(float64, 8 B) is on the host" in finding.message
    assert "np.asarray(value, floatX)" in finding.message


def test_zero_d_array_created_on_the_gpu_is_quiet(harness):
    source = TEMPERATURE.format(value="np.asarray(1.0, dtype=theano.config.floatX)", target=", target=None", planted="")
    harness.assert_quiet(source, rules=RULES)


def test_doc_fix_as_written_builds_and_is_quiet(harness):
    """The docstring's "Use instead" line, as written, builds and is quiet."""
    use_instead = next(r.doc for r in catalog() if r.code == "TL202").split("Use instead:")[1]
    [fix] = re.findall(r"^    (temperature = theano.shared\(.*\))$", use_instead, re.M)
    source = TEMPERATURE.format(value="np.float32(1.0)", target=", target=None", planted="")
    source = source.replace('temperature = theano.shared(np.float32(1.0), name="temperature", target=None)', fix)
    assert fix in source
    harness.assert_quiet(source, rules=RULES)


def test_gpu_index_vector_is_copied_to_the_host(harness):
    [finding] = harness.assert_planted(INDEX.format(target=""), rules=RULES)
    assert finding.message == (
        "shared variable 'rows' (int64, 32 B) is copied from the GPU to the host every call; "
        "keep the index on the host: theano.shared(..., target='cpu') (one upload per call)"
    )


def test_gpu_parameter_read_by_a_host_op(harness):
    [finding] = harness.assert_planted(SORTED_PARAMETER, rules=RULES)
    assert "'scores' (float32, 256 B) is copied from the GPU to the host" in finding.message
    assert finding.message.endswith("keep it on the host: theano.shared(..., target='cpu')")


def test_index_vector_given_as_input_is_quiet(harness):
    harness.assert_quiet(INDEX_AS_INPUT, rules=RULES)


def test_index_vector_kept_on_the_host_as_advised_is_quiet(harness):
    harness.assert_quiet(INDEX.format(target=', target="cpu"'), rules=RULES)


def test_random_streams_state_does_not_break_the_rule(harness):
    harness.assert_quiet(RANDOM_STREAMS, rules=RULES)


# Adam's bias correction: ``t`` is a 0-d array, kept on the host; the host ops
# computed from it feed the GPU's update on every call.
ADAM_STEP = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="adam")
    def adam():
        x = T.matrix("x")
        W = theano.shared(np.ones((8, 8), dtype=floatX), name="W")
        t = theano.shared({value}, name="t"{target}){planted}
        m = theano.shared(np.zeros((8, 8), dtype=floatX), name="m")
        v = theano.shared(np.zeros((8, 8), dtype=floatX), name="v")
        lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-8
        cost = T.tanh(x.dot(W)).sum()
        g = T.grad(cost, W)
        lr_t = lr * T.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))
        m_t = b1 * m + (1 - b1) * g
        v_t = b2 * v + (1 - b2) * g**2
        step = lr_t * m_t / (T.sqrt(v_t) + eps)
        updates = [(m, m_t), (v, v_t), (W, W - step), (t, t + 1)]
        return theano.function([x], cost, updates=updates)
    """


def test_host_scalar_reaches_the_gpu_through_host_ops(harness):
    source = ADAM_STEP.format(value="np.float32(0)", target="", planted="  # planted: TL202")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.data["ops"] >= 1  # Theano fuses the bias correction into one Composite
    assert f"'t' (float32, 4 B) is on the host; {finding.data['ops']} host op(s) use it for the GPU" in finding.message
    assert finding.message.endswith("use theano.shared(np.asarray(value, floatX), target=None)")


def test_host_scalar_created_on_the_gpu_as_advised_is_quiet(harness):
    source = ADAM_STEP.format(value="np.asarray(0, dtype=floatX)", target=", target=None", planted="")
    harness.assert_quiet(source, rules=RULES)


# Theano's GpuCumOp exists for float32 only: a float64 GPU parameter is copied to the host for cumsum.
CUMSUM = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="cumulative")
    def cumulative():
        x = T.matrix("x")
        W = theano.shared(np.ones((8, 8), dtype={dtype}), name="W"){planted}
        return theano.function([x], (x * T.extra_ops.cumsum(W, axis=1)).sum())
    """


def test_float64_parameter_advice_is_float32(harness):
    [finding] = harness.assert_planted(CUMSUM.format(dtype='"float64"', planted="  # planted: TL202"), rules=RULES)
    assert "CumOp runs on the GPU in float32 only: make it floatX" in finding.message
    assert "target='cpu'" not in finding.message


def test_float64_parameter_made_float32_as_advised_is_quiet(harness):
    harness.assert_quiet(CUMSUM.format(dtype="theano.config.floatX", planted=""), rules=RULES)


def test_float64_parameter_of_a_host_only_op_keeps_the_target_advice(harness):
    """Sort has no GPU version in any dtype: float32 would not help, the host would."""
    source = SORTED_PARAMETER.replace("dtype=theano.config.floatX", 'dtype="float64"')
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message.endswith("keep it on the host: theano.shared(..., target='cpu')")


def test_messages_are_short(harness):
    sources = [
        TEMPERATURE.format(value="np.float32(1.0)", target="", planted="  # planted: TL202"),
        INDEX.format(target=""),
        SORTED_PARAMETER,
        ADAM_STEP.format(value="np.float32(0)", target="", planted="  # planted: TL202"),
        CUMSUM.format(dtype='"float64"', planted="  # planted: TL202"),
    ]
    for source in sources:
        assert all(len(f.message) < 200 for f in harness.lint_source(source, rules=RULES))
