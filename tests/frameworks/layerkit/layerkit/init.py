"""Initializers (lasagne/init.py): callables of a shape that return floatX numpy arrays."""

import numpy as np

from .random import get_rng
from .utils import floatX


class Initializer:
    def __call__(self, shape):
        return self.sample(shape)

    def sample(self, shape):
        raise NotImplementedError()


class Normal(Initializer):
    def __init__(self, std=0.01, mean=0.0):
        self.std = std
        self.mean = mean

    def sample(self, shape):
        return floatX(get_rng().normal(self.mean, self.std, size=shape))


class Uniform(Initializer):
    def __init__(self, range=0.01, std=None, mean=0.0):
        if std is not None:
            a, b = mean - np.sqrt(3) * std, mean + np.sqrt(3) * std
        else:
            try:
                a, b = range
            except TypeError:
                a, b = -range, range
        self.range = (a, b)

    def sample(self, shape):
        return floatX(get_rng().uniform(low=self.range[0], high=self.range[1], size=shape))


class Glorot(Initializer):
    def __init__(self, initializer, gain=1.0):
        self.initializer = initializer
        self.gain = np.sqrt(2) if gain == "relu" else gain

    def sample(self, shape):
        if len(shape) < 2:
            raise RuntimeError("This initializer only works with shapes of length >= 2")
        n1, n2 = shape[:2]
        receptive_field_size = np.prod(shape[2:])
        std = self.gain * np.sqrt(2.0 / ((n1 + n2) * receptive_field_size))
        return self.initializer(std=std).sample(shape)


class GlorotUniform(Glorot):
    def __init__(self, gain=1.0):
        super().__init__(Uniform, gain)


class GlorotNormal(Glorot):
    def __init__(self, gain=1.0):
        super().__init__(Normal, gain)


class HeUniform(Initializer):
    def __init__(self, gain=1.0):
        self.gain = np.sqrt(2) if gain == "relu" else gain

    def sample(self, shape):
        fan_in = shape[0] if len(shape) == 2 else np.prod(shape[1:])
        return Uniform(std=self.gain * np.sqrt(1.0 / fan_in)).sample(shape)


class Constant(Initializer):
    def __init__(self, val=0.0):
        self.val = val

    def sample(self, shape):
        return floatX(np.ones(shape) * self.val)
