"""BatchNormLayer and batch_norm (lasagne/layers/normalization.py).

``beta`` and ``gamma`` are trained; ``mean`` and ``inv_std`` are not (trainable=False):
the training expression updates them through memory-aliased clones with a
``default_update`` (Lasagne's trick), the deterministic one reads them.
"""

import theano
import theano.tensor as T

from .. import init, nonlinearities
from .base import Layer


class BatchNormLayer(Layer):
    def __init__(
        self,
        incoming,
        axes="auto",
        epsilon=1e-4,
        alpha=0.1,
        beta=init.Constant(0),
        gamma=init.Constant(1),
        mean=init.Constant(0),
        inv_std=init.Constant(1),
        **kwargs,
    ):
        super().__init__(incoming, **kwargs)
        if axes == "auto":
            axes = (0,) + tuple(range(2, len(self.input_shape)))
        elif isinstance(axes, int):
            axes = (axes,)
        self.axes = axes
        self.epsilon = epsilon
        self.alpha = alpha
        shape = [size for axis, size in enumerate(self.input_shape) if axis not in self.axes]
        if any(size is None for size in shape):
            raise ValueError("BatchNormLayer needs specified input sizes for all axes not normalized over.")
        self.beta = self.add_param(beta, shape, "beta", trainable=True, regularizable=False)
        self.gamma = self.add_param(gamma, shape, "gamma", trainable=True, regularizable=True)
        self.mean = self.add_param(mean, shape, "mean", trainable=False, regularizable=False, batch_norm_stat=True)
        self.inv_std = self.add_param(
            inv_std, shape, "inv_std", trainable=False, regularizable=False, batch_norm_stat=True
        )

    def get_output_for(self, input, deterministic=False, batch_norm_use_averages=None,
                       batch_norm_update_averages=None, **kwargs):  # fmt: skip
        input_mean = input.mean(self.axes)
        input_inv_std = T.inv(T.sqrt(input.var(self.axes) + self.epsilon))
        use_averages = deterministic if batch_norm_use_averages is None else batch_norm_use_averages
        if use_averages:
            mean, inv_std = self.mean, self.inv_std
        else:
            mean, inv_std = input_mean, input_inv_std
        update_averages = (not deterministic) if batch_norm_update_averages is None else batch_norm_update_averages
        if update_averages:
            # Memory-aliased clones of the stored statistics carry their update as a
            # default_update; "+ 0 * clone" puts them in the graph without computing anything.
            running_mean = theano.clone(self.mean, share_inputs=False)
            running_inv_std = theano.clone(self.inv_std, share_inputs=False)
            running_mean.default_update = (1 - self.alpha) * running_mean + self.alpha * input_mean
            running_inv_std.default_update = (1 - self.alpha) * running_inv_std + self.alpha * input_inv_std
            mean += 0 * running_mean
            inv_std += 0 * running_inv_std
        param_axes = iter(range(input.ndim - len(self.axes)))
        pattern = ["x" if input_axis in self.axes else next(param_axes) for input_axis in range(input.ndim)]
        beta = self.beta.dimshuffle(pattern)
        gamma = self.gamma.dimshuffle(pattern)
        mean = mean.dimshuffle(pattern)
        inv_std = inv_std.dimshuffle(pattern)
        return (input - mean) * (gamma * inv_std) + beta


def batch_norm(layer, **kwargs):
    """Insert a BatchNormLayer after ``layer``: its bias is dropped, its nonlinearity moved behind."""
    nonlinearity = getattr(layer, "nonlinearity", None)
    if nonlinearity is not None:
        layer.nonlinearity = nonlinearities.identity
    if getattr(layer, "b", None) is not None:
        del layer.params[layer.b]
        layer.b = None
    bn_name = kwargs.pop("name", None) or (getattr(layer, "name", None) and layer.name + "_bn")
    layer = BatchNormLayer(layer, name=bn_name, **kwargs)
    if nonlinearity is not None:
        layer = NonlinearityLayer(layer, nonlinearity, name=bn_name and bn_name + "_nonlin")
    return layer


class NonlinearityLayer(Layer):
    def __init__(self, incoming, nonlinearity=nonlinearities.rectify, **kwargs):
        super().__init__(incoming, **kwargs)
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity

    def get_output_for(self, input, **kwargs):
        return self.nonlinearity(input)
