"""Builds a clean function, then changes Theano's flags and the working
directory for the whole process and leaves them so."""
import os

import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="meddles")  # planted: TL006
def meddles():
    x = T.vector("x", dtype="float32")
    function = theano.function([x], T.exp(x).sum(), name="clean")
    theano.config.floatX = "float64"
    theano.config.optimizer = "fast_compile"
    os.chdir("data")
    return function
