"""DenseLayer (lasagne/layers/dense.py): parameters ``W`` and ``b``."""

import numpy as np
import theano.tensor as T

from .. import init, nonlinearities
from .base import Layer


class DenseLayer(Layer):
    def __init__(
        self,
        incoming,
        num_units,
        W=init.GlorotUniform(),
        b=init.Constant(0.0),
        nonlinearity=nonlinearities.rectify,
        num_leading_axes=1,
        **kwargs,
    ):
        super().__init__(incoming, **kwargs)
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity
        self.num_units = num_units
        self.num_leading_axes = num_leading_axes
        num_inputs = int(np.prod(self.input_shape[num_leading_axes:]))
        self.W = self.add_param(W, (num_inputs, num_units), name="W")
        if b is None:
            self.b = None
        else:
            self.b = self.add_param(b, (num_units,), name="b", regularizable=False)

    def get_output_shape_for(self, input_shape):
        return input_shape[: self.num_leading_axes] + (self.num_units,)

    def get_output_for(self, input, **kwargs):
        num_leading_axes = self.num_leading_axes
        if input.ndim > num_leading_axes + 1:
            input = input.flatten(num_leading_axes + 1)
        activation = T.dot(input, self.W)
        if self.b is not None:
            activation = activation + self.b
        return self.nonlinearity(activation)
