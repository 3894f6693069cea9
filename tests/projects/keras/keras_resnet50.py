"""keras.applications.ResNet50 with fresh weights (weights=None downloads nothing).

Not linted by the test suite (about 5 minutes on two cores); for
``benchmarks/deep_keras.py --model resnet50``:
    theanolint --config resnet50.theanolint.yaml
"""
import keras_compat  # noqa: F401  (before keras: Python 3.11 shims, Theano backend)

import keras

import theanolint


@theanolint.register(name="keras.resnet50")
def resnet50():
    model = keras.applications.ResNet50(weights=None, input_shape=(32, 32, 3), classes=10)
    model.compile(optimizer=keras.optimizers.SGD(lr=0.01), loss="categorical_crossentropy")
    model._make_train_function()
    return model
