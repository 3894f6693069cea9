"""TL501 memory-over-budget: a function's predicted peak GPU memory exceeds the budget."""

import pytest

from theanolint.testing import HarnessError, line_of

RULES = ["TL501"]

LAYER = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="mlp.train"{shapes})
    def train():
        x = T.matrix("x")
        W = theano.shared(np.zeros((1024, 1024), dtype=floatX), name="W")
        h = T.tanh(x.dot(W))
        return theano.function([x], h.sum(), name="train")  # planted: TL501
    """
DECLARED = ', shapes={"x": ("batch", 1024)}'
SMALL = {"dims": {"batch": 512}, "budget": {"cuda": "6MiB"}}

RANDOM_STREAMS = """
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    import theanolint


    @theanolint.register(name="dropout", shapes={"x": (64, 32)})
    def dropout():
        x = T.matrix("x")
        mask = RandomStreams(1234).binomial(x.shape, p=0.5, dtype=theano.config.floatX)
        return theano.function([x], (x * mask).sum())
    """


def test_over_the_configured_budget(harness):
    [finding] = harness.assert_planted(LAYER.format(shapes=DECLARED), rules=RULES, config=SMALL)
    assert finding.severity == "error" and finding.function == "mlp.train:train"
    assert finding.message.startswith("predicted GPU memory ")
    assert "exceeds the budget of 6.00 MiB; the largest buffer is 2.00 MiB at " in finding.message
    assert finding.data["budget"] == 6 * 2**20
    assert finding.data["bytes"] > finding.data["budget"]


def test_within_the_budget_is_quiet(harness):
    harness.assert_quiet(
        LAYER.format(shapes=DECLARED), rules=RULES, config={"dims": {"batch": 512}, "budget": {"cuda": "64MiB"}}
    )


def test_default_budget_is_the_virtual_devices_memory(harness):
    source = LAYER.format(shapes=DECLARED)
    harness.assert_quiet(source, rules=RULES, config={"dims": {"batch": 512}})
    [finding] = harness.lint_source(source, rules=RULES, config={"dims": {"batch": 2**22}})
    largest = line_of(source, 'x = T.matrix("x")')  # x copied to the GPU: (2**22, 1024) float32
    assert finding.message.endswith(
        f" exceeds the budget of 16.00 GiB; the largest buffer is 16.00 GiB at {finding.path}:{largest}"
    )


def test_unknown_input_shapes_make_no_prediction(harness):
    harness.assert_quiet(LAYER.format(shapes=""), rules=RULES, config=SMALL)


def test_random_streams_state_does_not_break_the_prediction(harness):
    harness.assert_quiet(RANDOM_STREAMS, rules=RULES)


def test_other_rules_do_not_predict_memory(harness):
    """Without TL5 rules the prediction is not made, so the state above is harmless."""
    assert harness.lint_source(RANDOM_STREAMS, rules=["TL101"]) == []


def test_a_builder_that_fails_is_not_taken_for_quiet(harness):
    with pytest.raises(HarnessError, match="builder 'mlp.train' raised"):
        harness.lint_source(LAYER.format(shapes=DECLARED).replace("x.dot(W)", "x.dot(V)"), rules=RULES, config=SMALL)
