"""floatX and create_param, as in lasagne/utils.py: the one place parameters become shared variables."""

import numbers

import numpy as np
import theano


def floatX(arr):
    """An array of dtype theano.config.floatX (returned as is when it already is one)."""
    return np.asarray(arr, dtype=theano.config.floatX)


def create_param(spec, shape, name=None):
    """A shared variable (or expression) for a layer parameter of ``shape``.

    ``spec`` is a number or numpy array (becomes a shared variable named ``name``), a
    Theano variable (returned; named ``name`` if it has no name) or a callable (an
    initializer, called with the shape; its result is treated as above).
    """
    shape = tuple(shape)
    if any(d <= 0 for d in shape):
        raise ValueError(f"cannot create param with a non-positive shape {shape!r}, name={name!r}")
    if callable(spec):
        spec = spec(shape)
    if isinstance(spec, numbers.Number) or isinstance(spec, np.generic) and spec.dtype.kind in "biufc":
        spec = np.asarray(spec)
    if isinstance(spec, np.ndarray):
        if spec.shape != shape:
            raise ValueError(f"parameter {name}: numpy array has shape {spec.shape}, should be {shape}")
        # Parameters do not change shape: fix the broadcast pattern, as Lasagne does.
        bcast = tuple(s == 1 for s in shape)
        spec = theano.shared(spec, name=name, broadcastable=bcast)
    if isinstance(spec, theano.Variable):
        if spec.ndim != len(shape):
            raise ValueError(f"parameter {name}: Theano variable has {spec.ndim} dimensions, should be {len(shape)}")
        if not spec.name:
            spec.name = name
        return spec
    raise TypeError(f"cannot initialize parameter {name}: not a numpy array, a Theano expression or a callable")
