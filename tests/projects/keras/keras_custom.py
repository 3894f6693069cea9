"""A Keras 2.3.1 model with a mistake of the user's own, next to Keras's state.

``Scale`` is a custom layer that makes its weight with ``theano.shared`` from a
float64 array and without a name: TL101 and TL301 at that line, the one line the
user can fix. Keras's own state (optimizer slots and hyperparameters, the
Dropout's random state) is not the user's to fix, and Adam's slots are float64
only because the weight is.
"""
import keras_compat  # noqa: F401  (before keras: Python 3.11 shims, Theano backend)

import keras
import numpy
import theano
from keras import layers, optimizers

import theanolint
from keras_shapes import declared


class Scale(layers.Layer):
    def build(self, input_shape):
        self.scale = theano.shared(numpy.ones(input_shape[-1]))  # planted: TL101 TL301
        self.scale._keras_shape = (input_shape[-1],)  # what K.variable would set
        self._trainable_weights.append(self.scale)
        super().build(input_shape)

    def call(self, inputs):
        return inputs * self.scale


@theanolint.register(name="keras.custom")
def custom():
    inputs = layers.Input(shape=(20,))
    hidden = Scale()(layers.Dense(32, activation="relu")(inputs))
    outputs = layers.Dense(1, activation="sigmoid")(layers.Dropout(0.5)(hidden))
    model = keras.models.Model(inputs, outputs)
    model.compile(optimizer=optimizers.Adam(lr=0.001), loss="binary_crossentropy")
    model._make_train_function()
    model._make_predict_function()
    return declared(model, (20,), (1,))
