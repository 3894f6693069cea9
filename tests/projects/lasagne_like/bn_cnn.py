"""A CNN with batch normalization (layerkit.layers.batch_norm) trained with rmsprop.

The training expression normalizes with the batch statistics and updates the
stored averages (BatchNormLayer's default updates); validation uses the averages.
"""
import theano
import theano.tensor as T

import layerkit
import theanolint
from layerkit.layers import batch_norm


def build_bn_cnn(input_var):
    network = layerkit.layers.InputLayer(shape=(None, 1, 28, 28), input_var=input_var)
    network = batch_norm(layerkit.layers.Conv2DLayer(network, num_filters=8, filter_size=(3, 3), pad='same'))
    network = layerkit.layers.MaxPool2DLayer(network, pool_size=(2, 2))
    network = batch_norm(layerkit.layers.Conv2DLayer(network, num_filters=16, filter_size=(3, 3), pad='same'))
    network = layerkit.layers.MaxPool2DLayer(network, pool_size=(2, 2))
    network = batch_norm(layerkit.layers.DenseLayer(network, num_units=32))
    return layerkit.layers.DenseLayer(network, num_units=10, nonlinearity=layerkit.nonlinearities.softmax)


@theanolint.register(name="bn.cnn", shapes={"inputs": ("batch", 1, 28, 28), "targets": ("batch",)})
def bn_cnn():
    input_var = T.tensor4('inputs')
    target_var = T.ivector('targets')
    network = build_bn_cnn(input_var)

    prediction = layerkit.layers.get_output(network)
    loss = layerkit.objectives.aggregate(layerkit.objectives.categorical_crossentropy(prediction, target_var))
    params = layerkit.layers.get_all_params(network, trainable=True)
    updates = layerkit.updates.rmsprop(loss, params, learning_rate=0.001)

    test_prediction = layerkit.layers.get_output(network, deterministic=True)
    test_acc = T.mean(layerkit.objectives.categorical_accuracy(test_prediction, target_var),
                      dtype=theano.config.floatX)

    train_fn = theano.function([input_var, target_var], loss, updates=updates, name="train_fn")
    val_fn = theano.function([input_var, target_var], test_acc, name="val_fn")
    return train_fn, val_fn
