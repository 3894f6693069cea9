"""TL201 cpu-between-gpu: host ops between GPU ops, with the copies they force."""

RULES = ["TL201"]

# examples/models/mlp.py's top-5 accuracy inside the training step: argsort has no
# GPU version.
TOP5 = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="mlp.train")
    def train():
        x = T.matrix("x")
        y = T.ivector("y")
        W = theano.shared(np.zeros((784, 10), dtype=floatX), name="W")
        probs = T.nnet.softmax(x.dot(W))
        cost = T.nnet.categorical_crossentropy(probs, y).mean()
        ranking = T.argsort(-probs, axis=1)  # planted: TL201
        hits = T.eq(ranking[:, :5], y[:, None]).max(axis=1)
        return theano.function([x, y], [cost, hits.mean(dtype=floatX)], name="train")
    """

# Fixed: the function returns the probabilities; the ranking is done by numpy.
TOP5_FIXED = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="mlp.train")
    def train():
        x = T.matrix("x")
        y = T.ivector("y")
        W = theano.shared(np.zeros((784, 10), dtype=floatX), name="W")
        probs = T.nnet.softmax(x.dot(W))
        cost = T.nnet.categorical_crossentropy(probs, y).mean()
        return theano.function([x, y], [cost, probs], name="train")
    """

# A host op at the end of the graph is copied off the GPU once, but nothing goes back.
RANKING_RETURNED = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="rank")
    def rank():
        x = T.matrix("x")
        W = theano.shared(np.ones((8, 8), dtype=theano.config.floatX), name="W")
        return theano.function([x], T.argsort(T.tanh(x.dot(W)), axis=1))
    """

# The deep learning tutorial's RBM (CD-1).  shared_randomstreams.RandomStreams
# samples on the host (RandomFunction), between the GPU's sigmoid and dot;
# MRG_RandomStreams samples on the GPU.
RBM = """
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    from theano.tensor.shared_randomstreams import RandomStreams
    import theanolint

    floatX = theano.config.floatX


    @theanolint.register(name="rbm.cd1")
    def cd1(n_visible=784, n_hidden=500):
        rng = np.random.RandomState(123)
        theano_rng = {streams}(rng.randint(2 ** 30))
        W = theano.shared(np.asarray(rng.uniform(-0.1, 0.1, (n_visible, n_hidden)), dtype=floatX),
                          name="W")
        hbias = theano.shared(np.zeros(n_hidden, dtype=floatX), name="hbias")
        vbias = theano.shared(np.zeros(n_visible, dtype=floatX), name="vbias")
        x = T.matrix("x")

        def free_energy(v):
            wx_b = T.dot(v, W) + hbias
            return -T.dot(v, vbias) - T.sum(T.log(1 + T.exp(wx_b)), axis=1)

        h1_mean = T.nnet.sigmoid(T.dot(x, W) + hbias)
        h1_sample = theano_rng.binomial(size=h1_mean.shape, n=1, p=h1_mean, dtype=floatX){planted}
        v1_mean = T.nnet.sigmoid(T.dot(h1_sample, W.T) + vbias)
        v1_sample = theano_rng.binomial(size=v1_mean.shape, n=1, p=v1_mean, dtype=floatX){planted}
        cost = T.mean(free_energy(x)) - T.mean(free_energy(v1_sample))
        params = [W, hbias, vbias]
        grads = T.grad(cost, params, consider_constant=[v1_sample])
        updates = [(p, p - np.float32(0.1) * g) for p, g in zip(params, grads)]
        return theano.function([x], cost, updates=updates, name="train")
    """

# TheanoLM's output-layer bias picked with a mixed index: its gradient
# (AdvancedIncSubtensor) has no GPU version in Theano 1.0.5.
MIXED_INDEX = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="lm.bias")
    def bias():
        ids = T.ivector("ids")
        bias = theano.shared(np.zeros(50, dtype=theano.config.floatX), name="bias")
        picked = bias[:, None][ids, 0]  # planted: TL201
        cost = picked.sum()
        gradient = T.grad(cost, bias)
        return theano.function([ids], cost, updates=[(bias, bias - np.float32(0.1) * gradient)])
    """


def test_argsort_between_gpu_ops(harness):
    [finding] = harness.assert_planted(TOP5, rules=RULES)
    assert finding.severity == "error"
    assert finding.message.startswith(
        "1 host op(s) between GPU ops (ArgSortOp{quicksort, None}): 1 copy(ies) from the GPU, 1 back"
    )
    assert finding.function == "mlp.train:train"


def test_ranking_outside_the_graph_is_quiet(harness):
    harness.assert_quiet(TOP5_FIXED, rules=RULES)


def test_host_op_at_the_end_of_the_graph_is_quiet(harness):
    harness.assert_quiet(RANKING_RETURNED, rules=RULES)


def test_rbm_with_shared_randomstreams_samples_on_the_host(harness):
    source = RBM.format(streams="RandomStreams", planted="  # planted: TL201")
    findings = harness.assert_planted(source, rules=RULES)
    assert len(findings) == 2
    assert all("(RandomFunction{binomial})" in f.message for f in findings)


def test_rbm_with_mrg_randomstreams_is_quiet(harness):
    harness.assert_quiet(RBM.format(streams="MRG_RandomStreams", planted=""), rules=RULES)


def test_mixed_index_gradient_names_the_indexing(harness):
    [finding] = harness.assert_planted(MIXED_INDEX, rules=RULES)
    assert finding.message.startswith(
        "1 host op(s) between GPU ops (AdvancedIncSubtensor, gradient of this line's GpuAdvancedSubtensor): "
        "1 copy(ies) from the GPU, 1 back"
    )
    assert finding.data["op"] == "AdvancedIncSubtensor{inplace=False,  set_instead_of_inc=False}"
    assert finding.data["details"] == [f"op: {finding.data['op']}", "op: GpuAdvancedSubtensor"]


def test_two_dimensional_view_keeps_the_gradient_on_the_gpu(harness):
    harness.assert_quiet(MIXED_INDEX.replace("bias[:, None][ids, 0]", "bias[:, None][ids][..., 0]"), rules=RULES)
