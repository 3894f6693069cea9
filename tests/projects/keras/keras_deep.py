"""A deep Keras model: a ResNet-style functional network of 50 weight layers.

A stem convolution, 24 residual blocks of two 3x3 convolutions each (identity
shortcuts, ``layers.add``) and a softmax classifier: 50 layers with weights
(ResNet50's depth), few channels and no batch normalization.  On two cores
theanolint lints it in about 25 s; keras.applications.ResNet50(weights=None,
input_shape=(32, 32, 3), classes=10), which downloads nothing, takes about
5 minutes (its training graph has 11083 nodes after optimization; Theano's
optimizer alone needs 2 minutes), and this model with a BatchNormalization
after each convolution about 2 minutes 15 s: too long for the test suite.
"""
import keras_compat  # noqa: F401  (before keras: Python 3.11 shims, Theano backend)

import keras
from keras import layers

import theanolint

BLOCKS = 24
CHANNELS = 8


def residual_block(x, index):
    y = layers.Conv2D(CHANNELS, (3, 3), padding="same", activation="relu",
                      name=f"block{index}_conv1")(x)
    y = layers.Conv2D(CHANNELS, (3, 3), padding="same", name=f"block{index}_conv2")(y)
    y = layers.add([x, y], name=f"block{index}_add")
    return layers.Activation("relu", name=f"block{index}_relu")(y)


def build():
    inputs = layers.Input(shape=(16, 16, 3))
    x = layers.Conv2D(CHANNELS, (3, 3), padding="same", activation="relu", name="stem")(inputs)
    for index in range(BLOCKS):
        x = residual_block(x, index)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax", name="classifier")(x)
    model = keras.models.Model(inputs, outputs, name="resnet_style")
    assert sum(1 for layer in model.layers if layer.weights) == 2 * BLOCKS + 2, "weight layers"
    return model


@theanolint.register(name="keras.resnet")
def resnet():
    model = build()
    model.compile(optimizer=keras.optimizers.SGD(lr=0.01), loss="categorical_crossentropy")
    model._make_train_function()
    return model
