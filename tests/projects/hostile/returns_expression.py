"""Returns a symbolic expression instead of a Theano function."""
import theano.tensor as T

import theanolint


@theanolint.register(name="returns_expression")  # planted: TL001
def returns_expression():
    x = T.matrix("x")
    return T.tanh(x).sum()
