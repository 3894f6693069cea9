"""Functions whose linted graph is compared with theano.function's own."""
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="givens_updates")
def givens_updates():
    x, scale = T.matrix("x"), T.scalar("scale")
    W = theano.shared(np.ones((4, 3), dtype=floatX), name="W")
    step = theano.shared(np.asarray(0.5, dtype=floatX), name="step")
    y = T.tanh(x.dot(W)) * scale
    cost = y.sum()
    return theano.function([x], cost, givens={scale: step * 2},
                           updates=[(W, W - 0.1 * T.grad(cost, W))], name="train")


@theanolint.register(name="gather_and_reduce")
def gather_and_reduce():
    ids, x = T.ivector("ids"), T.matrix("x")
    table = theano.shared(np.zeros((20, 5), dtype=floatX), name="table")
    rows = table[ids]
    out = T.max(rows, axis=1) + x.sum(axis=1)
    cost = out.sum()
    first = theano.function([ids, x], out, name="forward")
    second = theano.function([ids, x], cost, updates=[(table, table - T.grad(cost, table))],
                             name="train")
    return first, second


@theanolint.register(name="mixed_dtypes")
def mixed_dtypes():
    x, n = T.matrix("x"), T.lscalar("n")
    return theano.function([x, n], (x * n).mean(axis=0) + np.float64(1.5), name="f")
