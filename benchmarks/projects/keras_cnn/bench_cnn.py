"""An MNIST-style Keras 2.3.1 CNN trained with Adam, built through Keras's own classes.

28x28x1 input, Conv2D 32 3x3, MaxPooling 2x2, Conv2D 64 3x3, Flatten, Dense 128,
Dropout, Dense 10 (softmax).  Keras makes its Theano functions lazily, so the
builder asks for them itself (as tests/projects/keras/keras_models.py does).  The
Python 3.11 shim for Keras and the shape declarations are the test project's.
"""

import os
import sys

KERAS_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "projects", "keras")
sys.path.insert(0, os.path.normpath(KERAS_TESTS))

import keras_compat  # noqa: E402, F401  (before keras: Python 3.11 shims, Theano backend)

# isort: split
import keras  # noqa: E402
from keras import layers, optimizers  # noqa: E402
from keras_shapes import declared  # noqa: E402

import theanolint  # noqa: E402


@theanolint.register(name="keras.mnist_cnn")
def mnist_cnn():
    model = keras.models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=optimizers.Adam(lr=0.001), loss="categorical_crossentropy")
    model._make_train_function()
    model._make_predict_function()
    return declared(model, (28, 28, 1), (10,))
