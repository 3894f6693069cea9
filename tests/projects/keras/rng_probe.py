"""Random initial values a builder evaluates while it builds.

Keras creates every weight with ``K.variable(initializer(shape))``: the
initializer is an MRG random graph and K.variable calls ``.eval()`` on it.
Under theanolint that evaluation runs on the host on every target and must
give what Theano's CPU device gives.  The builder writes the values to the
.npz file named by RNG_PROBE_OUT; tests/test_keras.py compares a device=cpu
run of ``initial_values()`` with runs under theanolint on opencl and cuda.
"""
import os

import keras_compat  # noqa: F401  (before keras: Python 3.11 shims, Theano backend)

import numpy
import theano
from keras import backend as K
from keras import initializers
from theano.sandbox.rng_mrg import MRG_RandomStreams

import theanolint


def initial_values():
    glorot = K.variable(initializers.glorot_uniform(seed=1234)((6, 5)), name="glorot")
    uniform = MRG_RandomStreams(seed=4321).uniform((4, 3)).eval()
    return glorot, uniform


@theanolint.register(name="keras.rng_probe")
def rng_probe():
    glorot, uniform = initial_values()
    numpy.savez(os.environ["RNG_PROBE_OUT"], glorot=glorot.get_value(), uniform=uniform)
    x = K.placeholder(shape=(None, 6), name="x")
    return theano.function([x], K.dot(x, glorot), name="project")
