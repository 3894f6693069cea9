"""An MLP classifier with its training function.

``build(fixed=False)`` plants the problems theanolint reports (each line is
marked ``# planted: CODE``); ``build(fixed=True)`` is the same model written
the way the rule docs recommend.
"""
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX
rng = np.random.RandomState(1234)


def init_weight(n_in, n_out):
    bound = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-bound, bound, size=(n_in, n_out)).astype(floatX)


def build(fixed, n_in=784, n_hidden=256, n_out=10):
    x = T.matrix("x")
    y = T.ivector("y")
    W1 = theano.shared(init_weight(n_in, n_hidden), name="hidden.W")
    if fixed:
        b1 = theano.shared(np.zeros(n_hidden, dtype=floatX), name="hidden.b")
    else:
        b1 = theano.shared(np.zeros(n_hidden, dtype=floatX))  # planted: TL301
    W2 = theano.shared(init_weight(n_hidden, n_out), name="output.W")
    b2 = theano.shared(np.zeros(n_out, dtype=floatX), name="output.b")
    if fixed:
        temperature = theano.shared(np.asarray(1.0, dtype=floatX), name="temperature",
                                    target=None)
    else:
        temperature = theano.shared(1.0, name="temperature")  # planted: TL101 TL202
    params = [W1, b1, W2, b2]

    hidden = T.nnet.relu(x.dot(W1) + b1)
    if not fixed:
        hidden = theano.printing.Print("hidden")(hidden)  # planted: TL601
    scores = hidden.dot(W2) + b2
    probs = T.nnet.softmax(scores / temperature)
    cost = T.nnet.categorical_crossentropy(probs, y).mean()
    if fixed:
        cost = cost + np.float32(1e-4) * (W1 ** 2).sum()
    else:
        cost = cost + np.float64(1e-4) * (W1 ** 2).sum()  # planted: TL101

    outputs = [cost]
    if not fixed:
        # Top-5 accuracy inside the training step: argsort has no GPU version.
        ranking = T.argsort(-probs, axis=1)  # planted: TL201
        hits = T.eq(ranking[:, :5], y[:, None]).max(axis=1)
        outputs.append(hits.mean())  # planted: TL101
    # Fixed: the model's probabilities are returned by a predict function and
    # ranked with numpy, outside the per-batch graph.

    learning_rate = np.float32(0.05)
    updates = [(p, p - learning_rate * g) for p, g in zip(params, T.grad(cost, params))]
    return theano.function([x, y], outputs, updates=updates, name="train")


SHAPES = {"x": ("batch", 784), "y": ("batch",)}


@theanolint.register(name="mlp.train", shapes=SHAPES)
def train():
    return build(fixed=False)


@theanolint.register(name="mlp.train_fixed", shapes=SHAPES)
def train_fixed():
    return build(fixed=True)
