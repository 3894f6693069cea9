"""TL402 deterministic-more: deterministic=more forces the per-index GpuAdvancedIncSubtensor1.

A worker gets the config's ``theano_flags`` at start-up; the harness applies them
per case with ``theano.change_flags`` (``deterministic`` may change at run time),
so the same process lints both settings.
"""

RULES = ["TL402"]

# tests/projects/deterministic/embedding.py
EMBEDDING = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="embedding")
    def embedding():
        ids = T.ivector("ids")
        table = theano.shared(np.zeros((100, 8), dtype="float32"), name="table")
        rows = table[ids]  # planted: TL402
        cost = (rows ** 2).sum()
        return theano.function([ids], cost, updates=[(table, table - np.float32(0.1) * T.grad(cost, table))])
    """


def test_deterministic_more_from_the_config(harness):
    [finding] = harness.assert_planted(EMBEDDING, rules=RULES, config={"theano_flags": {"deterministic": "more"}})
    assert finding.severity == "warning"
    assert finding.message == (
        "deterministic='more' forces the per-index GpuAdvancedIncSubtensor1 "
        "(the atomic _dev20 variant is off); set deterministic=default "
        "unless bit-exact sums are needed"
    )


def test_deterministic_more_as_a_flag(harness):
    harness.assert_planted(EMBEDDING, rules=RULES, flags={"deterministic": "more"})


def test_default_is_quiet(harness):
    result = harness.assert_quiet(EMBEDDING, rules=["TL4"], graphs=True)
    assert "GpuAdvancedIncSubtensor1_dev20" in result.graph()


def test_the_flag_is_set_only_for_its_case(harness):
    import theano  # here, not at import: collecting must not import Theano

    harness.lint_source(EMBEDDING, rules=RULES, flags={"deterministic": "more"})
    assert theano.config.deterministic == "default"
