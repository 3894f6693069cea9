"""A small LSTM language model whose output layer gathers a bias by target ids.

``build(fixed=False)`` plants the problems theanolint reports (each line is
marked ``# planted: CODE``); ``build(fixed=True)`` is the same model written
the way the rule docs recommend.
"""
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX
rng = np.random.RandomState(42)


def weight(*shape):
    return (rng.randn(*shape) * 0.1).astype(floatX)


def build(fixed, vocabulary=1000, n_embed=32, n_hidden=64):
    words = T.imatrix("words")             # (time, batch) word ids
    targets = T.imatrix("targets")         # next word ids
    embedding = theano.shared(weight(vocabulary, n_embed), name="embedding")
    W = theano.shared(weight(n_embed, 4 * n_hidden), name="lstm.W")
    U = theano.shared(weight(n_hidden, 4 * n_hidden), name="lstm.U")
    b = theano.shared(np.zeros(4 * n_hidden, dtype=floatX), name="lstm.b")
    out_W = theano.shared(weight(n_hidden, vocabulary), name="output.W")
    out_b = theano.shared(np.zeros(vocabulary, dtype=floatX), name="output.b")
    params = [embedding, W, U, b, out_W, out_b]

    def step(x_t, h_prev, c_prev):
        gates = x_t.dot(W) + h_prev.dot(U) + b
        i = T.nnet.sigmoid(gates[:, :n_hidden])
        f = T.nnet.sigmoid(gates[:, n_hidden:2 * n_hidden])
        o = T.nnet.sigmoid(gates[:, 2 * n_hidden:3 * n_hidden])
        g = T.tanh(gates[:, 3 * n_hidden:])
        c = f * c_prev + i * g
        return o * T.tanh(c), c

    x = embedding[words]
    batch = words.shape[1]
    h0 = T.zeros((batch, n_hidden), dtype=floatX)
    (h, _), _ = theano.scan(step, sequences=x, outputs_info=[h0, h0], name="lstm")

    # Sampled output layer: score only the target words, as TheanoLM's
    # sampling-based costs do.
    h_flat = h.reshape((-1, n_hidden))
    target_ids = targets.flatten()
    target_W = out_W.T[target_ids]
    if fixed:
        target_b = out_b[:, None][target_ids][..., 0]
    else:
        target_b = out_b[target_ids]  # planted: TL401
    scores = (h_flat * target_W).sum(axis=1) + target_b
    cost = -T.log(T.nnet.sigmoid(scores)).mean()

    learning_rate = np.float32(0.1)
    updates = [(p, p - learning_rate * g) for p, g in zip(params, T.grad(cost, params))]
    return theano.function([words, targets], cost, updates=updates, name="train")


SHAPES = {"words": ("seq_len", "batch"), "targets": ("seq_len", "batch")}


@theanolint.register(name="lm.train", shapes=SHAPES)
def train():
    return build(fixed=False)


@theanolint.register(name="lm.train_fixed", shapes=SHAPES)
def train_fixed():
    return build(fixed=True)
