"""TL502 buffer-over-budget: one GPU buffer alone is larger than the whole budget."""

RULES = ["TL502"]

# The docstring's output layer: the product of the projection and the output
# weights, scored for the whole vocabulary at once.
SCORES = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="lm.scores", shapes={{"proj": ("batch", 200)}})
    def scores(vocabulary_size={vocabulary}):
        proj = T.matrix("proj")
        W_out = theano.shared(np.zeros((200, vocabulary_size), dtype=floatX), name="W_out")
        scores = proj.dot(W_out){planted}
        return theano.function([proj], scores.max(axis=1))
    """
CONFIG = {"dims": {"batch": 1000}, "budget": {"cuda": "8MiB"}}


def test_buffer_larger_than_the_budget(harness):
    source = SCORES.format(vocabulary=4000, planted="  # planted: TL502")
    [finding] = harness.assert_planted(source, rules=RULES, config=CONFIG)
    assert finding.severity == "error"
    assert finding.message == (
        "float32 buffer of shape (1000, 4000) needs 16,000,000 bytes (15.26 MiB), more than the budget of 8.00 MiB"
    )
    assert finding.data["bytes"] == 16_000_000


def test_buffers_that_fit_are_quiet(harness):
    harness.assert_quiet(SCORES.format(vocabulary=1000, planted=""), rules=RULES, config=CONFIG)


def test_the_whole_function_over_budget_is_tl501_only(harness):
    """Each 4 MB buffer fits 8 MiB, their sum with the weights does not."""
    source = SCORES.format(vocabulary=1000, planted="")
    config = dict(CONFIG, budget={"cuda": "5MiB"})
    assert [f.code for f in harness.lint_source(source, rules=["TL5"], config=config)] == ["TL501"]
