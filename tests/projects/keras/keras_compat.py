"""Keras 2.3.1 on Python 3.11 with the Theano backend (test fixture only).

Import this before ``import keras``.  Keras 2.3.1 still uses the ABC aliases
that Python 3.10 removed from ``collections`` (``collections.Iterable`` at
import time in keras/callbacks, ``Mapping``/``Sequence``/``Container`` in
keras/engine/training_utils when a model is compiled).  Its
``inspect.getargspec`` / ``inspect.ArgSpec`` uses are behind a
``getfullargspec`` fallback (engine/saving.py) or in helpers nothing calls
(utils/generic_utils.getargspec; ``has_arg`` uses ``inspect.signature``), so
they need no shim.

The backend must be Theano; Keras's config dir (it writes keras.json there)
stays out of the user's home: the tests set KERAS_HOME to a temporary folder,
and a run without it gets one under the system's temporary directory.
"""
import collections
import collections.abc
import os
import tempfile

for _name in ("Container", "Iterable", "Mapping", "Sequence"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

os.environ.setdefault("KERAS_BACKEND", "theano")
os.environ.setdefault("KERAS_HOME", os.path.join(tempfile.gettempdir(), "theanolint-keras-home"))
