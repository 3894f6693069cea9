"""Three small Keras 2.3.1 models built through Keras's own classes.

Keras makes its Theano functions lazily (on the first fit/predict), so each
builder compiles the model and asks for the functions itself.
"""
import keras_compat  # noqa: F401  (before keras: Python 3.11 shims, Theano backend)

import keras
from keras import layers, optimizers

import theanolint
from keras_shapes import declared


@theanolint.register(name="keras.mlp")
def mlp():
    model = keras.models.Sequential()
    model.add(layers.Dense(32, activation="relu", input_shape=(20,)))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=optimizers.SGD(lr=0.01, momentum=0.9),
                  loss="categorical_crossentropy")
    model._make_train_function()
    model._make_predict_function()
    return declared(model, (20,), (10,))


@theanolint.register(name="keras.cnn")
def cnn():
    model = keras.models.Sequential()
    model.add(layers.Conv2D(8, (3, 3), padding="same", input_shape=(16, 16, 3)))
    model.add(layers.BatchNormalization())
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=optimizers.Adam(lr=0.001), loss="categorical_crossentropy")
    model._make_train_function()
    model._make_predict_function()
    return declared(model, (16, 16, 3), (10,))


@theanolint.register(name="keras.lstm")
def lstm():
    model = keras.models.Sequential()
    model.add(layers.Embedding(100, 16, input_length=12))
    model.add(layers.LSTM(16))
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer=optimizers.RMSprop(lr=0.001), loss="binary_crossentropy")
    model._make_train_function()
    model._make_predict_function()
    return declared(model, (12,), (1,))
