import numpy as np
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="embedding")
def embedding():
    ids = T.ivector("ids")
    table = theano.shared(np.zeros((100, 8), dtype="float32"), name="table")
    rows = table[ids]  # planted: TL402
    cost = (rows ** 2).sum()
    return theano.function([ids], cost, updates=[(table, table - np.float32(0.1) * T.grad(cost, table))])
