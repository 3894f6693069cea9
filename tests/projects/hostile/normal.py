"""Normal builders: linted with the hostile ones, they must get exactly the
findings they get alone.  Both read global state at build time (floatX, the
working directory), so a hostile builder's changes would show."""
import os

import numpy as np
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="normal.mlp")
def mlp():
    floatX = theano.config.floatX
    x = T.matrix("x")
    W = theano.shared(np.ones((4, 3), dtype=floatX), name="W")
    b = theano.shared(np.zeros(3, dtype=floatX))  # planted: TL301
    cost = T.tanh(x.dot(W) + b).sum() + np.float64(1e-4) * (W ** 2).sum()  # planted: TL101
    return theano.function([x], cost, name="train")


@theanolint.register(name="normal.reader")
def reader():
    with open(os.path.join("data", "sizes.txt")) as handle:     # relative to the project root
        rows, cols = (int(n) for n in handle.read().split())
    x = T.matrix("x")
    W = theano.shared(np.ones((rows, cols), dtype=theano.config.floatX), name="W_reader")
    return theano.function([x], T.nnet.softmax(x.dot(W)), name="predict")
