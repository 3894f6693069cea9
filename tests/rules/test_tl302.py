"""TL302 duplicate-shared-name: two shared variables of one function share a name."""

from theanolint.testing import line_of

RULES = ["TL302"]

DOC_EXAMPLE = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    def w_init(n_in, n_out):
        return np.zeros((n_in, n_out), dtype=theano.config.floatX)


    @theanolint.register(name="mlp")
    def mlp():
        x = T.matrix("x")
        W1 = theano.shared(w_init(784, 100), name="{first}")
        W2 = theano.shared(w_init(100, 10), name="{second}"){planted}
        return theano.function([x], T.nnet.softmax(T.tanh(x.dot(W1)).dot(W2)))
    """

# The deep learning tutorial's MLP: HiddenLayer and LogisticRegression both name
# their parameters W and b.
TUTORIAL_MLP = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX
    rng = np.random.RandomState(1234)


    class HiddenLayer(object):
        def __init__(self, input, n_in, n_out, prefix=""):
            W_values = np.asarray(rng.uniform(-0.1, 0.1, (n_in, n_out)), dtype=floatX)
            self.W = theano.shared(value=W_values, name=prefix + "W", borrow=True)
            self.b = theano.shared(value=np.zeros((n_out,), dtype=floatX), name=prefix + "b",
                                   borrow=True)
            self.output = T.tanh(T.dot(input, self.W) + self.b)
            self.params = [self.W, self.b]


    class LogisticRegression(object):
        def __init__(self, input, n_in, n_out, prefix=""):
            self.W = theano.shared(value=np.zeros((n_in, n_out), dtype=floatX),  # planted: TL302
                                   name=prefix + "W", borrow=True)
            self.b = theano.shared(value=np.zeros((n_out,), dtype=floatX),  # planted: TL302
                                   name=prefix + "b", borrow=True)
            self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
            self.params = [self.W, self.b]


    @theanolint.register(name="mlp")
    def mlp():
        x = T.matrix("x")
        y = T.ivector("y")
        hidden = HiddenLayer(x, 784, 500{hidden})
        output = LogisticRegression(hidden.output, 500, 10{output})
        cost = -T.mean(T.log(output.p_y_given_x)[T.arange(y.shape[0]), y])
        params = hidden.params + output.params
        updates = [(p, p - 0.01 * T.grad(cost, p)) for p in params]
        return theano.function([x, y], cost, updates=updates, name="train")
    """

SAME_VARIABLE_TWICE = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="tied")
    def tied():
        x = T.matrix("x")
        W = theano.shared(np.zeros((784, 100), dtype=theano.config.floatX), name="W")
        return theano.function([x], T.tanh(x.dot(W)).dot(W.T))
    """


def test_doc_example(harness):
    source = DOC_EXAMPLE.format(first="W", second="W", planted="  # planted: TL302")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "warning"
    first = line_of(source, "W1 = ")
    assert finding.message == (
        f"shared variable name 'W' is also used by the shared variable at {finding.path}:{first}"
    )


def test_doc_fix_is_quiet(harness):
    harness.assert_quiet(DOC_EXAMPLE.format(first="hidden.W", second="output.W", planted=""), rules=RULES)


def test_tutorial_mlp_layers_share_w_and_b(harness):
    """A call over several lines is reported on its first line."""
    source = TUTORIAL_MLP.format(hidden="", output="")
    findings = harness.assert_planted(source, rules=RULES)
    assert [f.message.split(" is also")[0] for f in findings] == [
        "shared variable name 'W'",
        "shared variable name 'b'",
    ]
    hidden_w = line_of(source, "self.W = theano.shared(value=W_values")
    assert findings[0].message.endswith(f"{findings[0].path}:{hidden_w}")


def test_tutorial_mlp_with_layer_prefixes_is_quiet(harness):
    harness.assert_quiet(TUTORIAL_MLP.format(hidden=', prefix="hidden."', output=', prefix="output."'), rules=RULES)


def test_one_variable_used_twice_is_quiet(harness):
    harness.assert_quiet(SAME_VARIABLE_TWICE, rules=RULES)


LAYERS_IN_A_LOOP = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="deep")
    def deep():
        x = T.matrix("x")
        h = x
        for index, (n_in, n_out) in enumerate([(784, 100), (100, 100), (100, 10)]):
            W = theano.shared(np.zeros((n_in, n_out), dtype=theano.config.floatX), name={name})  # planted: TL302
            h = T.tanh(h.dot(W))
        return theano.function([x], h.sum())
    """


def test_layers_made_in_a_loop_are_one_finding_on_the_loop_line(harness):
    """Not "mlp.py:96 is also used by ... mlp.py:96": one finding that says a loop made them."""
    [finding] = harness.assert_planted(LAYERS_IN_A_LOOP.format(name='"W"'), rules=RULES)
    assert finding.message.startswith("shared variable name 'W' is given 3 times by this line"), finding.message


def test_layers_made_in_a_loop_with_unique_names_are_quiet(harness):
    source = LAYERS_IN_A_LOOP.format(name='f"layer{index}.W"').replace("  # planted: TL302", "")
    harness.assert_quiet(source, rules=RULES)
