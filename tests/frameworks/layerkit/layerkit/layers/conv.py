"""Conv2DLayer (lasagne/layers/conv.py): ``T.nnet.conv2d`` with parameters ``W`` and ``b``."""

import theano.tensor as T

from .. import init, nonlinearities
from .base import Layer


def conv_output_length(input_length, filter_size, stride, pad):
    if input_length is None:
        return None
    if pad == "valid":
        output_length = input_length - filter_size + 1
    elif pad == "same":
        output_length = input_length
    else:
        output_length = input_length + 2 * pad - filter_size + 1
    return (output_length + stride - 1) // stride


class Conv2DLayer(Layer):
    def __init__(
        self,
        incoming,
        num_filters,
        filter_size,
        stride=(1, 1),
        pad=0,
        W=init.GlorotUniform(),
        b=init.Constant(0.0),
        nonlinearity=nonlinearities.rectify,
        flip_filters=True,
        **kwargs,
    ):
        super().__init__(incoming, **kwargs)
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity
        self.num_filters = num_filters
        self.filter_size = tuple(filter_size) if isinstance(filter_size, (tuple, list)) else (filter_size,) * 2
        self.stride = tuple(stride) if isinstance(stride, (tuple, list)) else (stride,) * 2
        self.pad = pad
        self.flip_filters = flip_filters
        self.W = self.add_param(W, self.get_W_shape(), name="W")
        if b is None:
            self.b = None
        else:
            self.b = self.add_param(b, (num_filters,), name="b", regularizable=False)

    def get_W_shape(self):
        return (self.num_filters, self.input_shape[1]) + self.filter_size

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.num_filters) + tuple(
            conv_output_length(length, size, stride, self.pad)
            for length, size, stride in zip(input_shape[2:], self.filter_size, self.stride)
        )

    def get_output_for(self, input, **kwargs):
        border_mode = "half" if self.pad == "same" else self.pad
        conved = T.nnet.conv2d(
            input,
            self.W,
            self.input_shape,
            self.get_W_shape(),
            subsample=self.stride,
            border_mode=border_mode,
            filter_flip=self.flip_filters,
        )
        if self.b is not None:
            conved = conved + self.b.dimshuffle("x", 0, "x", "x")
        return self.nonlinearity(conved)
