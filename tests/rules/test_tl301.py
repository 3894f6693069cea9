"""TL301 unnamed-shared: shared variables made without ``name=``."""

from theanolint.testing import line_of

RULES = ["TL301"]

DOC_EXAMPLE = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="layer")
    def layer():
        x = T.matrix("x")
        W = theano.shared(np.zeros((784, 100), dtype="float32"){name})  # planted: TL301
        return theano.function([x], T.tanh(x.dot(W)))
    """

# The deep learning tutorial's shared_dataset names neither variable; they reach the
# function through givens only.
TUTORIAL_DATASET = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    floatX = theano.config.floatX


    def shared_dataset(data_x, data_y, borrow=True):
        shared_x = theano.shared(np.asarray(data_x, dtype=floatX), borrow=borrow)  # planted: TL301
        shared_y = theano.shared(np.asarray(data_y, dtype=floatX), borrow=borrow)  # planted: TL301
        return shared_x, T.cast(shared_y, "int32")


    @theanolint.register(name="logreg")
    def logreg(batch_size=20):
        rng = np.random.RandomState(1234)
        train_x, train_y = shared_dataset(rng.rand(100, 784), rng.randint(0, 10, 100))
        index = T.lscalar("index")
        x = T.matrix("x")
        y = T.ivector("y")
        W = theano.shared(np.zeros((784, 10), dtype=floatX), name="W")
        p_y_given_x = T.nnet.softmax(T.dot(x, W))
        cost = -T.mean(T.log(p_y_given_x)[T.arange(y.shape[0]), y])
        givens = {x: train_x[index * batch_size:(index + 1) * batch_size],
                  y: train_y[index * batch_size:(index + 1) * batch_size]}
        return theano.function([index], cost, updates=[(W, W - 0.13 * T.grad(cost, W))],
                               givens=givens, name="train")
    """

RANDOM_STREAMS = """
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    import theanolint


    @theanolint.register(name="dropout")
    def dropout():
        x = T.matrix("x")
        mask = RandomStreams(1234).binomial(x.shape, p=0.5, dtype=theano.config.floatX)
        return theano.function([x], (x * mask).sum())
    """


def test_doc_example(harness):
    [finding] = harness.assert_planted(DOC_EXAMPLE.format(name=""), rules=RULES)
    assert finding.severity == "warning"
    assert finding.message == ("shared variable (float32, shape (784, 100)) has no name; pass name= to theano.shared")


def test_named_shared_variable_is_quiet(harness):
    harness.assert_quiet(DOC_EXAMPLE.format(name=', name="W"'), rules=RULES)


def test_tutorial_shared_dataset_through_givens(harness):
    findings = harness.assert_planted(TUTORIAL_DATASET, rules=RULES)
    assert [f.message.split(")")[0] for f in findings] == [
        "shared variable (float32, shape (100, 784",
        "shared variable (float32, shape (100,",
    ]


def test_tutorial_shared_dataset_with_names_is_quiet(harness):
    fixed = (
        TUTORIAL_DATASET.replace("floatX), borrow=borrow)  # planted: TL301", "floatX), borrow=borrow,")
        .replace("data_x, dtype=floatX), borrow=borrow,", 'data_x, dtype=floatX), borrow=borrow, name="x")')
        .replace("data_y, dtype=floatX), borrow=borrow,", 'data_y, dtype=floatX), borrow=borrow, name="y")')
    )
    assert fixed.count("borrow=borrow, name=") == 2
    harness.assert_quiet(fixed, rules=RULES)


def test_random_streams_state_is_not_reported(harness):
    harness.assert_quiet(RANDOM_STREAMS, rules=RULES)


def test_random_streams_state_is_reported_with_the_frameworks_option(harness):
    """Opted back in, the finding says who made it instead of advice nobody can follow."""
    source = RANDOM_STREAMS.replace("mask = RandomStreams", "mask = RandomStreams")
    [finding] = harness.lint_source(source, rules=RULES, options={"TL301": {"frameworks": True}})
    assert finding.line == line_of(source, "mask = RandomStreams")
    assert finding.data["framework"] is True
    assert "pass name=" not in finding.message, finding.message
    assert "made by theano's RandomStreamsBase.binomial, which takes no name" in finding.message, finding.message


MRG_DROPOUT = """
    import theano
    import theano.tensor as T
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    import theanolint


    @theanolint.register(name="dropout")
    def dropout():
        x = T.matrix("x")
        srng = MRG_RandomStreams(1234)
        mask = srng.binomial(x.shape, p=0.5, dtype=theano.config.floatX)
        return theano.function([x], (x * mask).sum())
    """


def test_mrg_random_state_is_not_reported(harness):
    """MRG_RandomStreams makes its int32 state with theano.shared, called from the user's line."""
    harness.assert_quiet(MRG_DROPOUT, rules=RULES)
