"""Small functions whose peak memory is worked out by hand in tests/test_memory.py."""
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="chain", shapes={"x": ("batch", 50)})
def chain():
    x = T.matrix("x")
    return theano.function([x], T.exp(x) + 1)


@theanolint.register(name="views", shapes={"x": ("batch", 50)})
def views():
    x = T.matrix("x")
    return theano.function([x], (T.exp(x).T * 2).sum(axis=1))


@theanolint.register(name="dot", shapes={"x": ("batch", 200)})
def dot():
    x = T.matrix("x")
    W = theano.shared(np.zeros((200, 300), dtype=floatX), name="W")
    return theano.function([x], T.tanh(x.dot(W)))


@theanolint.register(name="scan", shapes={"x": (7, "batch", 10)})
def scan():
    x = T.tensor3("x")
    h, _ = theano.scan(lambda row, prev: T.tanh(row + prev), sequences=x,
                       outputs_info=T.zeros_like(x[0]), name="accumulate")
    return theano.function([x], h)


@theanolint.register(name="test_value")
def test_value():
    x = T.matrix("x")
    x.tag.test_value = np.zeros((30, 40), dtype=floatX)
    return theano.function([x], T.exp(x))


@theanolint.register(name="undeclared")
def undeclared():
    x = T.matrix("x")
    return theano.function([x], T.exp(x))


@theanolint.register(name="seed", shapes={"projection": (482112, 200)})
def seed():
    """The seed's out-of-memory: (482112, 200) float32 times a (200, 4000) weight."""
    projection = T.matrix("projection")
    W = theano.shared(np.zeros((200, 4000), dtype=floatX), name="W_out")
    return theano.function([projection], projection.dot(W).max(axis=1))
