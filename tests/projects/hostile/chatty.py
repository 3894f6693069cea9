"""Prints to stdout and stderr from Python and from C while building, text
that would break a JSON or SARIF report on theanolint's stdout."""
import ctypes
import os
import sys

import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="chatty")  # planted: TL007
def chatty():
    print('{"chatty": "building the model"')
    sys.stderr.write("chatty: a warning on stderr\n")
    os.write(1, b"] chatty: straight to file descriptor 1\n")
    os.write(2, b"{ chatty: straight to file descriptor 2\n")
    ctypes.CDLL(None).puts(b"chatty: from C's buffered stdout")
    x = T.vector("x", dtype="float32")
    return theano.function([x], T.exp(x).sum(), name="clean")
