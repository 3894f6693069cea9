"""Functions the memory accuracy benchmark runs for real on the OpenCL device.

Each case builds its graph for given sizes and returns
``(inputs, outputs, updates, values)``; ``values`` are the input arrays to
call it with.  They use only ops whose kernels build and run on PoCL
(scan's Python loop cannot run on OpenCL arrays in Theano 1.0.5, and some
CUDA-only kernels, such as the fused crossentropy-softmax, do not build).
"""

import numpy as np
import theano
import theano.tensor as T

floatX = theano.config.floatX
rng = np.random.RandomState(0)


def _shared(shape, name):
    return theano.shared(rng.uniform(-0.1, 0.1, size=shape).astype(floatX), name=name)


def mlp_train(batch, n_in=784, n_hidden=512, n_out=10):
    """Two-layer MLP, squared error, SGD updates."""
    x, y = T.matrix("x"), T.matrix("y")
    W1, b1 = _shared((n_in, n_hidden), "W1"), _shared((n_hidden,), "b1")
    W2, b2 = _shared((n_hidden, n_out), "W2"), _shared((n_out,), "b2")
    h = T.tanh(x.dot(W1) + b1)
    out = T.nnet.sigmoid(h.dot(W2) + b2)
    cost = ((out - y) ** 2).sum(axis=1).mean()
    params = [W1, b1, W2, b2]
    updates = [(p, p - np.float32(0.01) * g) for p, g in zip(params, T.grad(cost, params))]
    values = [rng.rand(batch, n_in).astype(floatX), rng.rand(batch, n_out).astype(floatX)]
    return [x, y], cost, updates, values


def mlp_predict(batch, n_in=784, n_hidden=1024, n_out=100):
    x = T.matrix("x")
    W1, W2 = _shared((n_in, n_hidden), "W1"), _shared((n_hidden, n_out), "W2")
    probs = T.nnet.softmax(T.nnet.relu(x.dot(W1)).dot(W2))
    return [x], probs, [], [rng.rand(batch, n_in).astype(floatX)]


def embedding_update(batch, vocabulary=20000, width=128):
    """Gather rows of an embedding table and update them (advanced inc-subtensor)."""
    ids = T.ivector("ids")
    table = _shared((vocabulary, width), "table")
    rows = table[ids]
    cost = (T.tanh(rows) ** 2).sum()
    updates = [(table, table - np.float32(0.1) * T.grad(cost, table))]
    return [ids], cost, updates, [rng.randint(0, vocabulary, size=batch).astype("int32")]


def views_and_inplace(batch, width=1024):
    """Transposes (views) and elementwise chains the optimizer makes inplace."""
    x = T.matrix("x")
    y = T.exp(x.T) * 2 + 1
    z = T.tanh(y).T.sum(axis=1) + T.log1p(x**2).mean(axis=1)
    return [x], z, [], [rng.rand(batch, width).astype(floatX)]


def transpose_then_reduce(batch, width=1024):
    """A reduction over a transposed view.  On CUDA with cuDNN the reduction needs a
    GpuContiguous copy, which Theano's profile counts as a view (0 bytes) and
    theanolint as the copy it is; on OpenCL the reduction reads the view directly."""
    x = T.matrix("x")
    return [x], (T.exp(x).T * 2).sum(axis=1), [], [rng.rand(batch, width).astype(floatX)]


CASES = {
    "mlp_train": mlp_train,
    "mlp_predict": mlp_predict,
    "embedding_update": embedding_update,
    "views_and_inplace": views_and_inplace,
    "transpose_then_reduce": transpose_then_reduce,
}
