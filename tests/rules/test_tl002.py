"""TL002 optimize-error: Theano's optimizer failed on a function."""

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


def test_unused_input(harness):
    [finding] = harness.assert_planted(UNUSED_INPUT.format(option=""), rules=RULES)
    assert finding.severity == "error" and finding.function == "unused_input:0"
    assert finding.message.startswith(
        "Theano's optimizer failed: UnusedInputError: theano.function "
        "was asked to create a function computing outputs given "
        "certain inputs, but the provided input variable at index 1"
    )


def test_unused_input_allowed_is_quiet(harness):
    harness.assert_quiet(UNUSED_INPUT.format(option=', on_unused_input="ignore"'), rules=RULES)


def test_givens_of_another_type_fail_in_the_builder(harness):
    """theano.function checks givens when the builder calls it, before anything is
    optimized: the docstring's example is a TL001, not a TL002."""
    [finding] = harness.assert_planted(GIVENS_TYPE, rules=["TL001", "TL002"])
    assert "raised TypeError: Cannot convert Type TensorType(int8, matrix)" in finding.message
