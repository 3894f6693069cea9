"""TL101 float64: float64 ops reported at their root cause, on the user's line."""

from theanolint.testing import line_of

RULES = ["TL101"]

DOC_EXAMPLE = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="layer")
    def layer():
        x = T.matrix("x")
        W = theano.shared(np.random.randn(784, 100), name="W")  # planted: TL101
        h = T.nnet.sigmoid(x.dot(W) * np.float32(0.5))
        return theano.function([x], h)
    """

DOC_FIXED = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="layer")
    def layer():
        x = T.matrix("x")
        W = theano.shared(np.random.randn(784, 100).astype(theano.config.floatX), name="W")
        h = T.nnet.sigmoid(x.dot(W) * np.float32(0.5))
        return theano.function([x], h)
    """

CONSTANT = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="mlp.train")
    def train():
        x = T.matrix("x")
        W = theano.shared(np.ones((784, 100), dtype=floatX), name="W")
        cost = T.nnet.relu(x.dot(W)).mean()
        cost = cost + np.float64(1e-4) * (W ** 2).sum()  # planted: TL101
        updates = [(W, W - 0.05 * T.grad(cost, W))]     # a Python float is cast to floatX
        return theano.function([x], cost, updates=updates, name="train")
    """

INPUT = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="exp")
    def exp():
        x = T.dmatrix("x")  # planted: TL101
        return theano.function([x], T.exp(x).sum(axis=0))
    """

# The deep learning tutorial's logistic regression: a shared dataset sliced through
# ``givens``, and the error rate as the mean of T.neq, a mean of integers (float64).
TUTORIAL_LOGREG = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX
    rng = np.random.RandomState(1234)


    def shared_dataset(data_x, data_y, borrow=True):
        shared_x = theano.shared(np.asarray(data_x, dtype=floatX), name="x_data", borrow=borrow)
        shared_y = theano.shared(np.asarray(data_y, dtype=floatX), name="y_data", borrow=borrow)
        return shared_x, T.cast(shared_y, "int32")


    @theanolint.register(name="logreg")
    def logreg(batch_size=20):
        train_x, train_y = shared_dataset(rng.rand(100, 784), rng.randint(0, 10, 100))
        index = T.lscalar("index")
        x = T.matrix("x")
        y = T.ivector("y")
        W = theano.shared(np.zeros((784, 10), dtype=floatX), name="W")
        b = theano.shared(np.zeros(10, dtype=floatX), name="b")
        p_y_given_x = T.nnet.softmax(T.dot(x, W) + b)
        y_pred = T.argmax(p_y_given_x, axis=1)
        cost = -T.mean(T.log(p_y_given_x)[T.arange(y.shape[0]), y])
        errors = T.mean(T.neq(y_pred, y)){fix}
        g_W, g_b = T.grad(cost, [W, b])
        givens = {{x: train_x[index * batch_size:(index + 1) * batch_size],
                  y: train_y[index * batch_size:(index + 1) * batch_size]}}
        train = theano.function([index], cost, updates=[(W, W - 0.13 * g_W), (b, b - 0.13 * g_b)],
                                givens=givens, name="train")
        validate = theano.function([index], errors, givens=givens, name="validate")
        return train, validate
    """

UPCAST = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="scale")
    def scale():
        x = T.matrix("x")
        n = T.iscalar("n")
        scaled = x * n{fix}
        return theano.function([x, n], {output})
    """

# The RBM of the deep learning tutorial, with MRG_RandomStreams (its samples are made
# on the GPU); a binomial sample without dtype= is int64, and int64 times float32 is
# float64.
RBM = """
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="rbm.cd1")
    def cd1(n_visible=784, n_hidden=500):
        rng = np.random.RandomState(123)
        theano_rng = MRG_RandomStreams(rng.randint(2 ** 30))
        W = theano.shared(np.asarray(rng.uniform(-0.1, 0.1, (n_visible, n_hidden)), dtype=floatX),
                          name="W")
        hbias = theano.shared(np.zeros(n_hidden, dtype=floatX), name="hbias")
        vbias = theano.shared(np.zeros(n_visible, dtype=floatX), name="vbias")
        x = T.matrix("x")

        def free_energy(v):
            wx_b = T.dot(v, W) + hbias
            return -T.dot(v, vbias) - T.sum(T.log(1 + T.exp(wx_b)), axis=1)

        h1_mean = T.nnet.sigmoid(T.dot(x, W) + hbias)
        h1_sample = theano_rng.binomial(size=h1_mean.shape, n=1, p=h1_mean{dtype})
        v1_mean = T.nnet.sigmoid(T.dot(h1_sample, W.T) + vbias){planted}
        v1_sample = theano_rng.binomial(size=v1_mean.shape, n=1, p=v1_mean, dtype=floatX)
        cost = T.mean(free_energy(x)) - T.mean(free_energy(v1_sample))
        params = [W, hbias, vbias]
        grads = T.grad(cost, params, consider_constant=[v1_sample])
        updates = [(p, p - np.float32(0.1) * g) for p, g in zip(params, grads)]
        return theano.function([x], cost, updates=updates, name="train")
    """

SCAN = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="scan")
    def scan():
        x = T.matrix("x")

        def step(row, total):
            return (total * np.float64(0.5) + row).astype(floatX)  # planted: TL101

        totals, _ = theano.scan(step, sequences=x, outputs_info=T.zeros_like(x[0]),
                                name="accumulate")
        return theano.function([x], totals[-1])
    """


def test_doc_example_reports_the_float64_shared_variable(harness):
    [finding] = harness.assert_planted(DOC_EXAMPLE, rules=RULES)
    assert finding.code == "TL101" and finding.severity == "error"
    assert finding.message.startswith("float64 shared variable 'W' makes ")
    assert "create it from an array of dtype theano.config.floatX" in finding.message
    assert finding.function == "layer:0"


def test_doc_fix_is_quiet(harness):
    harness.assert_quiet(DOC_FIXED, rules=RULES)


def test_float64_constant_on_its_line(harness):
    [finding] = harness.assert_planted(CONSTANT, rules=RULES)
    assert "float64 constant 0.0001 makes" in finding.message
    assert "use np.float32 / theano.config.floatX for the constant" in finding.message


def test_float32_constant_and_python_float_are_quiet(harness):
    harness.assert_quiet(CONSTANT.replace("np.float64(1e-4)", "np.float32(1e-4)"), rules=RULES)


def test_float64_input(harness):
    [finding] = harness.assert_planted(INPUT, rules=RULES)
    assert finding.message.startswith("float64 input 'x' makes ")
    assert "declare the input with dtype theano.config.floatX" in finding.message


def test_floatx_input_is_quiet(harness):
    harness.assert_quiet(INPUT.replace("T.dmatrix", "T.matrix"), rules=RULES)


def test_tutorial_error_rate_mean_of_neq_is_float64(harness):
    source = TUTORIAL_LOGREG.format(fix="  # planted: TL101")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.function == "logreg:validate"  # train has no integer mean
    assert finding.message == (
        "a mean or sum of integers is float64 (2 float64 op(s)); pass dtype=theano.config.floatX to T.mean / T.sum"
    )
    # The fused op's full text (the slice's shape arithmetic, over a thousand
    # characters) is in the data and the details (-v), never in the message.
    assert finding.data["op"].startswith("GpuElemwise{Composite{(i0 / Cast{float64}(")
    assert len(finding.data["op"]) > 1000
    assert finding.data["details"] == [f"op: {finding.data['op']}"]


def test_tutorial_error_rate_with_dtype_is_quiet(harness):
    """The shared dataset, its givens slices, the int64 index arithmetic and the
    Python-float learning rate make no float64."""
    fixed = TUTORIAL_LOGREG.format(fix="").replace("T.neq(y_pred, y))", "T.neq(y_pred, y), dtype=floatX)")
    result = harness.assert_quiet(fixed, rules=RULES)
    assert {f.name for f in result.functions} == {"logreg:train", "logreg:validate"}


def test_integer_operand_upcasts_float32(lint_source):
    source = UPCAST.format(fix="", output="scaled")
    [finding] = lint_source(source, rules=RULES)
    assert (finding.code, finding.line) == ("TL101", line_of(source, "scaled = x * n"))
    assert finding.message == (
        "GpuElemwise{mul} upcasts float32, int32 to float64 (2 float64 op(s)); "
        "cast the integer operand to theano.config.floatX"
    )
    assert finding.data["op"] == "GpuElemwise{mul,no_inplace}"


def test_fused_upcast_is_reported_on_the_line_of_the_arithmetic(lint_source):
    """The fused GpuElemwise has no trace; its operands are the copy of ``x`` to the
    GPU (the line of ``x = T.matrix``) and the broadcast of ``n`` that ``x * n`` made:
    at the same distance, the expression's line wins over the declaration's."""
    source = UPCAST.format(fix="", output="T.exp(scaled)")
    [finding] = lint_source(source, rules=RULES)
    assert finding.message.startswith("GpuElemwise{Composite: exp, mul} upcasts float32, int32 to float64")
    assert finding.data["op"] == "GpuElemwise{Composite{exp((i0 * i1))}}[]<gpuarray>"
    assert finding.line == line_of(source, "scaled = x * n")


def test_integer_operand_cast_to_floatx_is_quiet(harness):
    harness.assert_quiet(UPCAST.format(fix=".astype(theano.config.floatX)", output="T.exp(scaled)"), rules=RULES)


def test_rbm_binomial_sample_without_dtype_is_int64(harness):
    source = RBM.format(dtype="", planted="  # planted: TL101")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message.startswith("dot upcasts float32, int64 to float64 (")


def test_rbm_binomial_sample_with_floatx_dtype_is_quiet(harness):
    harness.assert_quiet(RBM.format(dtype=", dtype=floatX", planted=""), rules=RULES)


def test_float64_inside_scan_names_the_scan(harness):
    [finding] = harness.assert_planted(SCAN, rules=RULES)
    assert finding.scope == "scan 'accumulate'"
    assert finding.message.endswith("(inside scan 'accumulate')")


def test_float32_scan_is_quiet(harness):
    harness.assert_quiet(SCAN.replace("np.float64(0.5)", "np.float32(0.5)"), rules=RULES)


def test_configured_severity_applies(harness):
    [finding] = harness.lint_source(INPUT, rules=RULES, config={"rules": {"TL101": "warning"}})
    assert finding.severity == "warning"
