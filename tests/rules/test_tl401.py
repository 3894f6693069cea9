"""TL401 slow-inc-subtensor: the per-index GpuAdvancedIncSubtensor1 where _dev20 could run."""

RULES = ["TL401"]

# examples/models/lm.py's output layer: the target words' bias, gathered from a
# 1-D vector by id.
TARGET_BIAS = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="lm.output")
    def output(vocabulary_size=50):
        ids = T.ivector("ids")
        h = T.matrix("h")
        b = theano.shared(np.zeros(vocabulary_size, dtype=floatX), name="output.b")
        target_bias = {gather}{planted}
        cost = (h.sum(axis=1) + target_bias).sum()
        gradient = T.grad(cost, b)
        return theano.function([h, ids], cost, updates=[(b, b - np.float32(0.1) * gradient)],
                               name="train")
    """

EMBEDDING = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="embedding")
    def embedding():
        ids = T.ivector("ids")
        table = theano.shared(np.zeros({shape}, dtype=theano.config.floatX), name="table")
        rows = table[ids]{planted}
        cost = (rows ** 2).sum()
        gradient = T.grad(cost, table)
        return theano.function([ids], cost, updates=[(table, table - np.float32(0.1) * gradient)])
    """


def test_gathered_bias_gradient_is_the_slow_loop(harness):
    source = TARGET_BIAS.format(gather="b[ids]", planted="  # planted: TL401")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "warning" and finding.function == "lm.output:train"
    assert finding.message == (
        "GpuAdvancedIncSubtensor1 on 'output.b' runs a per-index loop, not the atomic _dev20 variant; "
        "index a 2-D view: v[:, None][ids][..., 0] (v[:, None][ids, 0] runs on the CPU)"
    )
    assert finding.data["op"] == "GpuAdvancedIncSubtensor1{inplace=True, set_instead_of_inc=False}"
    assert finding.data["details"] == [f"op: {finding.data['op']}", "op: GpuAdvancedSubtensor1"]


def test_suggested_two_dimensional_view_is_quiet(harness):
    harness.assert_quiet(TARGET_BIAS.format(gather="b[:, None][ids][..., 0]", planted=""), rules=RULES)


def test_two_dimensional_embedding_uses_the_atomic_variant(harness):
    result = harness.assert_quiet(EMBEDDING.format(shape="(100, 8)", planted=""), rules=RULES, graphs=True)
    assert "GpuAdvancedIncSubtensor1_dev20" in result.graph()


def test_three_dimensional_table(harness):
    source = EMBEDDING.format(shape="(100, 8, 4)", planted="  # planted: TL401")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message.endswith("make the indexed tensor and the increment 2-D (now 3-D and 3-D)")


def test_deterministic_more_leaves_it_to_tl402(harness):
    source = TARGET_BIAS.format(gather="b[ids]", planted="")
    harness.assert_quiet(source, rules=RULES, flags={"deterministic": "more"})
    assert [f.code for f in harness.lint_source(source, rules=["TL4"], flags={"deterministic": "more"})] == ["TL402"]
