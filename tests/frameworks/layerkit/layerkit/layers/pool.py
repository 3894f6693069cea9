"""MaxPool2DLayer (lasagne/layers/pool.py): ``pool_2d``, no parameters."""

from theano.tensor.signal.pool import pool_2d

from .base import Layer


class MaxPool2DLayer(Layer):
    def __init__(self, incoming, pool_size, stride=None, ignore_border=True, **kwargs):
        super().__init__(incoming, **kwargs)
        self.pool_size = tuple(pool_size) if isinstance(pool_size, (tuple, list)) else (pool_size,) * 2
        self.stride = self.pool_size if stride is None else tuple(stride)
        self.ignore_border = ignore_border

    def get_output_shape_for(self, input_shape):
        spatial = tuple(
            None if length is None else (length - size) // stride + 1
            for length, size, stride in zip(input_shape[2:], self.pool_size, self.stride)
        )
        return tuple(input_shape[:2]) + spatial

    def get_output_for(self, input, **kwargs):
        return pool_2d(input, ws=self.pool_size, stride=self.stride, ignore_border=self.ignore_border, mode="max")
