"""TL001 build-error: a builder, or a module that registers builders, failed to run."""

RULES = ["TL001"]

DOC_EXAMPLE = """
    import theano
    import theano.tensor as T
    import theanolint


    def make_trainer(vocabulary_size):
        x = T.matrix("x")
        W = theano.shared(theano.tensor.constant(0.0).eval() + 0 * vocabulary_size, name="W")
        return theano.function([x], T.exp(x) * W)


    @theanolint.register(name="lm.train")
    def train():
        {body}
    """

RETURNS_EXPRESSION = """
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="no_function")  # planted: TL001
    def no_function():
        return T.matrix("x") * 2
    """

EXITS = """
    import sys
    import theanolint


    @theanolint.register(name="exits")
    def exits():
        sys.exit(3)  # planted: TL001
    """

IMPORT_FAILS = """
    import theanolint

    SIZES = {"hidden": 10}
    OUTPUT = SIZES["output"]  # planted: TL001


    @theanolint.register(name="never")
    def never():
        pass
    """

SYNTAX_ERROR = """
    import theanolint


    @theanolint.register(name="broken")
    def broken():
        return theano.function([x] x)  # planted: TL001
    """

# An error raised inside Theano is reported on the user's line that called Theano.
INSIDE_THEANO = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="transpose")
    def transpose():
        x = T.matrix("x")
        y = x.dimshuffle(2, 0)  # planted: TL001
        return theano.function([x], y)
    """

ONE_OF_TWO = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="a.raises")
    def raises():
        sizes = {"hidden": 10}
        return sizes["output"]  # planted: TL001


    @theanolint.register(name="b.float64")
    def float64():
        x = T.dmatrix("x")  # planted: TL101
        return theano.function([x], T.exp(x))
    """


def test_doc_example_name_error(harness):
    source = DOC_EXAMPLE.format(body="return make_trainer(vocab_size)  # planted: TL001")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "error" and finding.function == "lm.train"
    assert finding.message == "builder 'lm.train' raised NameError: name 'vocab_size' is not defined"


def test_builder_that_runs_is_quiet(harness):
    harness.assert_quiet(DOC_EXAMPLE.format(body="return make_trainer(1000)"), rules=RULES)


def test_builder_that_returns_an_expression(harness):
    [finding] = harness.assert_planted(RETURNS_EXPRESSION, rules=RULES)
    assert finding.message == (
        "builder 'no_function' made no Theano function (it returned a symbolic TensorVariable: "
        "pass it to theano.function inside the builder)"
    )


def test_sys_exit_ends_only_the_builder(harness):
    [finding] = harness.assert_planted(EXITS, rules=RULES)
    assert finding.message == "builder 'exits' called sys.exit(3)"


def test_module_that_fails_to_import(harness):
    [finding] = harness.assert_planted(IMPORT_FAILS, rules=RULES)
    module = finding.path[:-3]
    assert finding.function == f"import {module}"
    assert finding.message == f"importing {module} failed: KeyError: 'output'"


def test_syntax_error_on_its_line(harness):
    [finding] = harness.assert_planted(SYNTAX_ERROR, rules=RULES)
    assert "failed: SyntaxError: " in finding.message


def test_error_inside_theano_on_the_calling_line(harness):
    [finding] = harness.assert_planted(INSIDE_THEANO, rules=RULES)
    assert finding.message.startswith("builder 'transpose' raised ValueError: ")


def test_the_other_builders_are_still_linted(harness):
    findings = harness.assert_planted(ONE_OF_TWO, rules=["TL001", "TL101"])
    assert [(f.code, f.function) for f in findings] == [("TL001", "a.raises"), ("TL101", "b.float64:0")]
