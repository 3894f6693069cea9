"""TL101 float64: each root cause once, on the line the user wrote.

A float64 parameter is one finding, not one per value it makes float64 (the
optimizer state updated from its gradient, the cast in T.mean); the ``1/n``
Theano folds into a float64 constant for a mean over a static batch size is
reported at the ``T.mean``; float64 made inside T.grad at the forward expression.
"""

from theanolint.testing import line_of

RULES = ["TL101"]

# An MLP trained with momentum; the velocities are made like the parameters.
MOMENTUM = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX
    rng = np.random.RandomState(1234)


    @theanolint.register(name="mlp.momentum")
    def train(learning_rate=0.01, momentum=0.9):
        x = T.matrix("x")
        y = T.ivector("y")
        W = theano.shared(rng.randn(784, 100){fix}, name="W"){planted}
        b = theano.shared(np.zeros(100, dtype=floatX), name="b")
        V = theano.shared(np.zeros((100, 10), dtype=floatX), name="V")
        params = [W, b, V]
        velocities = [theano.shared(np.zeros_like(p.get_value()), name="v_" + p.name) for p in params]
        hidden = T.tanh(T.dot(x, W) + b)
        p_y = T.nnet.softmax(T.dot(hidden, V))
        cost = -T.mean(T.log(p_y)[T.arange(y.shape[0]), y]){extra}
        updates = []
        for p, v, g in zip(params, velocities, T.grad(cost, params)):
            step = momentum * v - learning_rate * g
            updates += [(v, step), (p, p + step)]
        return theano.function([x, y], cost, updates=updates, name="train")
    """

# The deep learning tutorial's LogisticRegression (logistic_sgd.py) on a static
# batch, as its convolutional_mlp.py feeds it (x.reshape((batch_size, ...))): the
# mean of T.neq over a known size is the integer sum times the constant 1/10.
TUTORIAL = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    class LogisticRegression(object):
        def __init__(self, input, n_in, n_out):
            self.W = theano.shared(np.zeros((n_in, n_out), dtype=theano.config.floatX), name="W", borrow=True)
            self.b = theano.shared(np.zeros((n_out,), dtype=theano.config.floatX), name="b", borrow=True)
            self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
            self.y_pred = T.argmax(self.p_y_given_x, axis=1)

        def errors(self, y):
            return T.mean(T.neq(self.y_pred, y){fix}){planted}


    def shared_dataset(data_xy, borrow=True):
        data_x, data_y = data_xy
        shared_x = theano.shared(np.asarray(data_x, dtype=theano.config.floatX), borrow=borrow)
        shared_y = theano.shared(np.asarray(data_y, dtype=theano.config.floatX), borrow=borrow)
        return shared_x, T.cast(shared_y, "int32")


    @theanolint.register(name="logistic_sgd")
    def test_model(batch_size=10):
        rng = np.random.RandomState(1)
        test_set_x, test_set_y = shared_dataset((rng.rand(100, 784), rng.randint(0, 10, 100)))
        index = T.lscalar()
        x = T.matrix("x")
        y = T.ivector("y")
        classifier = LogisticRegression(input=x.reshape((batch_size, 28 * 28)), n_in=28 * 28, n_out=10)
        return theano.function(
            inputs=[index],
            outputs=classifier.errors(y),
            givens={{
                x: test_set_x[index * batch_size: (index + 1) * batch_size],
                y: test_set_y[index * batch_size: (index + 1) * batch_size],
            }},
        )
    """

# An int32 scale inside tanh: the optimizer fuses the forward product into the
# gradient's elementwise op, whose line is the T.grad call.
GRADIENT = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="scaled")
    def train():
        x = T.matrix("x")
        n = T.iscalar("n")
        W = theano.shared(np.zeros((784, 10), dtype=floatX), name="W")
        h = T.tanh(x.dot(W) * n{fix}){planted}
        grad = T.grad(h.sum(), W)
        return theano.function([x, n], [], updates=[(W, W - np.float32(0.1) * grad.astype(floatX))], name="train")
    """


def test_float64_parameter_is_one_finding_with_its_optimizer_state(harness):
    source = MOMENTUM.format(fix="", planted="  # planted: TL101", extra="")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message.startswith("float64 shared variable 'W' makes ")
    assert finding.message.endswith("; create it from an array of dtype theano.config.floatX")
    # The velocity made from W, the cast in T.mean and the zeros the optimizer
    # fills in are float64 only because W is: counted with it, listed in details.
    [details] = finding.data["details"]
    assert "'v_W' (optimizer state updated from it)" in details
    assert "(the n of a T.mean)" in details
    assert "A mean or sum of integers" not in finding.message


def test_float32_parameter_and_velocities_are_quiet(harness):
    harness.assert_quiet(MOMENTUM.format(fix=".astype(floatX)", planted="", extra=""), rules=RULES)


def test_a_float64_constant_the_user_wrote_is_reported_apart(harness):
    """Making W float32 would not make np.float64(1e-4) float32: its own finding."""
    source = MOMENTUM.format(
        fix="",
        planted="  # planted: TL101",
        extra="\n        cost = cost + np.float64(1e-4) * (V ** 2).sum()  # planted: TL101",
    )
    findings = harness.assert_planted(source, rules=RULES)
    assert [f.message.split(" makes ")[0] for f in findings] == [
        "float64 shared variable 'W'",
        "float64 constant 0.0001",
    ]


def test_folded_mean_of_integers_is_reported_at_the_mean(harness):
    """Before: "float64 constant 0.1 ...; use np.float32 / theano.config.floatX for the
    constant" at the theano.function call; the user wrote neither."""
    source = TUTORIAL.format(fix="", planted="  # planted: TL101")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.line == line_of(source, "return T.mean(T.neq(self.y_pred, y))")
    assert finding.message == (
        "a mean or sum of integers is float64 (2 float64 op(s)); pass dtype=theano.config.floatX to T.mean / T.sum"
    )
    assert "constant" not in finding.message
    assert finding.data["traced"] is True
    assert finding.data["op"] == "GpuElemwise{mul,no_inplace}"


def test_folded_mean_with_floatx_dtype_is_quiet(harness):
    harness.assert_quiet(TUTORIAL.format(fix=", dtype=theano.config.floatX", planted=""), rules=RULES)


def test_float64_of_a_gradient_is_reported_at_the_forward_expression(harness):
    source = GRADIENT.format(fix="", planted="  # planted: TL101")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.line != line_of(source, "grad = T.grad(")
    assert finding.message.startswith("in the gradient, fused GpuElemwise")
    assert "from float32, int32 (1 float64 op(s)); cast the integer operand to floatX" in finding.message
    assert "constant" not in finding.message  # the gradient's own 1.0 (of 1 - tanh**2) is Theano's
    assert "Composite{" not in finding.message and "Composite{" in finding.data["op"]


def test_gradient_of_a_floatx_product_is_quiet(harness):
    harness.assert_quiet(GRADIENT.format(fix=".astype(floatX)", planted=""), rules=RULES)
