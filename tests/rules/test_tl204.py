"""TL204 copied-for-shape: a GPU tensor copied to the host only to read its shape."""

RULES = ["TL204"]

# A scan whose step length depends on the data: Theano cannot infer out.shape[1]
# symbolically and copies the whole scan output to the host to read it.
TRUNCATED = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="truncated")
    def truncated():
        x = T.matrix("x")
        W = theano.shared(np.ones((8, 8), dtype=floatX), name="W")

        def step(row):
            h = T.tanh(row.dot(W))
            return {step}

        out, _ = theano.scan(step, sequences=[x]){planted}
        return theano.function([x], [out.sum(), {width}])
    """

# The same copy inside an outer scan runs on every one of its 5 steps.
NESTED = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="nested")
    def nested():
        x3 = T.tensor3("x3")
        W = theano.shared(np.ones((8, 8), dtype=floatX), name="W")

        def outer_step(m):
            inner, _ = theano.scan(lambda row: T.tanh(row.dot(W))[: T.argmax(row)], sequences=[m])  # planted: TL204
            return inner.sum() / T.cast(inner.shape[1], floatX)

        outs, _ = theano.scan(outer_step, sequences=[x3], n_steps=5)
        return theano.function([x3], outs.sum())
    """

# A repeat-until scan: its length is data-dependent, and T.mean divides by it.
UNTIL = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="until")
    def until():
        x = T.vector("x")
        W = theano.shared(np.ones((8, 8), dtype=floatX), name="W")

        def step(v):
            nv = T.tanh(v.dot(W))
            return {returns}

        out, _ = theano.scan(step, outputs_info=[x], n_steps=50){planted}
        return theano.function([x], {result})
    """

# The deep learning tutorial's RBM Gibbs chain (CD-15), RandomStreams sampling
# on the host inside the scan: Theano infers every shape of the chain from
# v_in's and W's, so no tensor crosses for its shape.
RBM_CHAIN = """
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="rbm.cd15", shapes={"v_in": (20, 784)})
    def cd15():
        rng = np.random.RandomState(123)
        theano_rng = RandomStreams(rng.randint(2**30))
        v_in = T.matrix("v_in")
        W = theano.shared(np.asarray(rng.uniform(-0.1, 0.1, (784, 500)), dtype=floatX), name="W")
        hbias = theano.shared(np.zeros(500, dtype=floatX), name="hbias")
        vbias = theano.shared(np.zeros(784, dtype=floatX), name="vbias")

        def gibbs(v):
            h_mean = T.nnet.sigmoid(T.dot(v, W) + hbias)
            h = theano_rng.binomial(size=h_mean.shape, n=1, p=h_mean, dtype=floatX)
            v_mean = T.nnet.sigmoid(T.dot(h, W.T) + vbias)
            return v_mean, theano_rng.binomial(size=v_mean.shape, n=1, p=v_mean, dtype=floatX)

        (v_means, v_samples), updates = theano.scan(gibbs, outputs_info=[None, v_in], n_steps=15)
        chain_end = v_samples[-1]

        def free_energy(v):
            return -T.dot(v, vbias) - T.sum(T.log(1 + T.exp(T.dot(v, W) + hbias)), axis=1)

        cost = T.mean(free_energy(v_in)) - T.mean(free_energy(chain_end))
        params = [W, hbias, vbias]
        for param, grad in zip(params, T.grad(cost, params, consider_constant=[chain_end])):
            updates[param] = param - 0.1 * grad
        return theano.function([v_in], [cost, v_samples.shape[1], v_means.shape[2]], updates=updates)
    """

DATA_DEPENDENT = "h[: T.argmax(row)]"
MASKED = "h * T.lt(T.arange(8), T.argmax(row))"  # fixed width: Theano knows out.shape[1] is 8


def test_scan_output_copied_for_one_dimension(harness):
    source = TRUNCATED.format(step=DATA_DEPENDENT, width="out.shape[1]", planted="  # planted: TL204")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "warning"
    assert finding.message == (
        "output (float32, 2-D) of scan 'scan_fn' is copied to the host only for its shape (size unknown); "
        "take the dimension from the scan's inputs or use a Python int"
    )
    assert finding.data["bytes"] is None and finding.data["copies"] == 1


def test_dimension_given_as_a_python_int_is_quiet(harness):
    harness.assert_quiet(TRUNCATED.format(step=DATA_DEPENDENT, width="T.constant(8)", planted=""), rules=RULES)


def test_fixed_width_step_is_quiet(harness):
    harness.assert_quiet(TRUNCATED.format(step=MASKED, width="out.shape[1]", planted=""), rules=RULES)


def test_copy_inside_a_scan_runs_every_step(harness):
    [finding] = harness.assert_planted(NESTED, rules=RULES)
    assert "(size unknown, every step); read the dimension before the scan or use a Python int" in finding.message
    assert finding.message.endswith("(inside scan 'scan_fn')")
    assert finding.data["copies"] == 5


STOP = "nv, theano.scan_module.until(T.sum(abs(nv - v)) < 1e-3)"


def test_repeat_until_scan_length(harness):
    """The length of a repeat-until scan is data-dependent: out[-1] and T.mean(out) read it."""
    for result in ("T.mean(out)", "out[-1].sum()"):
        source = UNTIL.format(returns=STOP, result=result, planted="  # planted: TL204")
        [finding] = harness.assert_planted(source, rules=RULES)
        assert "output (float32, 2-D) of scan 'scan_fn'" in finding.message


def test_fixed_length_chain_is_quiet(harness):
    harness.assert_quiet(UNTIL.format(returns="nv", result="T.mean(out)", planted=""), rules=RULES)


def test_rbm_gibbs_chain_is_quiet_and_lints(harness):
    """The chain's shapes are inferred on the GPU side; its RandomStreams state breaks nothing (TL202, TL501)."""
    result = harness.assert_quiet(RBM_CHAIN, rules=RULES + ["TL202", "TL501"])
    assert result.functions


def test_messages_are_short(harness):
    sources = [
        TRUNCATED.format(step=DATA_DEPENDENT, width="out.shape[1]", planted=""),
        NESTED,
        UNTIL.format(returns=STOP, result="T.mean(out)", planted=""),
    ]
    for source in sources:
        assert all(len(f.message) < 200 for f in harness.lint_source(source, rules=RULES))
