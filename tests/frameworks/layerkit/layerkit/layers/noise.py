"""DropoutLayer (lasagne/layers/noise.py): an MRG_RandomStreams made in the layer.

The stream's state is a shared variable Theano creates (without a name) when the
layer's mask is drawn in ``get_output_for``; ``deterministic=True`` skips it.
"""

import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams as RandomStreams

from ..random import get_rng
from .base import Layer


class DropoutLayer(Layer):
    def __init__(self, incoming, p=0.5, rescale=True, shared_axes=(), **kwargs):
        super().__init__(incoming, **kwargs)
        self._srng = RandomStreams(get_rng().randint(1, 2147462579))
        self.p = p
        self.rescale = rescale
        self.shared_axes = tuple(shared_axes)

    def get_output_for(self, input, deterministic=False, **kwargs):
        if deterministic or self.p == 0:
            return input
        one = T.constant(1)
        retain_prob = one - self.p
        if self.rescale:
            input /= retain_prob
        mask_shape = self.input_shape
        if any(s is None for s in mask_shape):
            mask_shape = input.shape
        if self.shared_axes:
            shared_axes = tuple(a if a >= 0 else a + input.ndim for a in self.shared_axes)
            mask_shape = tuple(1 if a in shared_axes else s for a, s in enumerate(mask_shape))
        mask = self._srng.binomial(mask_shape, p=retain_prob, dtype=input.dtype)
        if self.shared_axes:
            bcast = tuple(bool(s == 1) for s in mask_shape)
            mask = T.patternbroadcast(mask, bcast)
        return input * mask


def dropout(incoming, *args, **kwargs):
    return DropoutLayer(incoming, *args, **kwargs)
