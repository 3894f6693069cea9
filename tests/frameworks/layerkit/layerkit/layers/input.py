"""InputLayer (lasagne/layers/input.py): makes its floatX input variable when none is given."""

import theano
import theano.tensor as T

from .base import Layer


class InputLayer(Layer):
    def __init__(self, shape, input_var=None, name=None, **kwargs):
        self.shape = tuple(shape)
        if input_var is None:
            input_var_type = T.TensorType(theano.config.floatX, [s == 1 for s in self.shape])
            var_name = ("%s.input" % name) if name is not None else "input"
            input_var = input_var_type(var_name)
        elif input_var.ndim != len(self.shape):
            raise ValueError(f"shape has {len(self.shape)} dimensions, but variable has {input_var.ndim}")
        self.input_var = input_var
        self.name = name
        self.params = {}
        self.get_output_kwargs = []

    @Layer.output_shape.getter
    def output_shape(self):
        return self.shape
