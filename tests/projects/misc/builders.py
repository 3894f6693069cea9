"""Builders for the rules and failures the example project does not plant."""
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="raises")
def raises():
    sizes = {"hidden": 10}
    return sizes["output"]  # planted: TL001


@theanolint.register(name="no_function")  # planted: TL001
def no_function():
    return T.matrix("x") * 2


@theanolint.register(name="unused_input")
def unused_input():
    x, unused = T.matrix("x"), T.matrix("unused")
    return theano.function([x, unused], T.exp(x))  # planted: TL002


@theanolint.register(name="duplicate_names")
def duplicate_names():
    x = T.matrix("x")
    first = theano.shared(np.ones((3, 3), dtype=floatX), name="W")
    second = theano.shared(np.ones((3, 3), dtype=floatX), name="W")  # planted: TL302
    return theano.function([x], x.dot(first).dot(second))


@theanolint.register(name="distinct_names")
def distinct_names():
    x = T.matrix("x")
    first = theano.shared(np.ones((3, 3), dtype=floatX), name="W1")
    second = theano.shared(np.ones((3, 3), dtype=floatX), name="W2")
    return theano.function([x], x.dot(first).dot(second))


@theanolint.register(name="float64_input")
def float64_input():
    x = T.dmatrix("x")  # planted: TL101
    return theano.function([x], T.exp(x).sum(axis=0))


@theanolint.register(name="host_only")
def host_only():
    x = T.matrix("x")
    return theano.function([x], T.argsort(x, axis=1))  # planted: TL203


@theanolint.register(name="mixed_index")
def mixed_index():
    """TheanoLM's ``bias[:, None][ids, 0]``: its gradient runs on the host."""
    ids = T.ivector("ids")
    bias = theano.shared(np.zeros(50, dtype=floatX), name="bias")
    picked = bias[:, None][ids, 0]  # planted: TL201
    cost = picked.sum()
    gradient = T.grad(cost, bias)
    return theano.function([ids], cost, updates=[(bias, bias - np.float32(0.1) * gradient)])


@theanolint.register(name="host_index")
def host_index():
    x = T.matrix("x")
    rows = theano.shared(np.arange(4, dtype="int64") % 3, name="rows")  # planted: TL202
    return theano.function([x], x[rows].sum())


@theanolint.register(name="scan_float64")
def scan_float64():
    x = T.matrix("x")

    def step(row, total):
        return (total * np.float64(0.5) + row).astype(floatX)  # planted: TL101

    totals, _ = theano.scan(step, sequences=x, outputs_info=T.zeros_like(x[0]), name="accumulate")
    return theano.function([x], totals[-1])


@theanolint.register(name="two_functions")
def two_functions():
    x = T.matrix("x")
    W = theano.shared(np.ones((3, 3), dtype=floatX), name="W")
    train = theano.function([x], x.dot(W), name="train")
    valid = theano.function([x], x.dot(W).sum(), name="valid")
    return train, valid
