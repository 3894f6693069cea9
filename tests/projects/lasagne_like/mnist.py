"""An MLP with dropout and a CNN, as in Lasagne's examples/mnist.py (small sizes).

Each builder makes the training function and the validation function of one
model, as main() there does: train with dropout, validate with deterministic=True.
"""
import theano
import theano.tensor as T

import layerkit
import theanolint

MNIST = {"inputs": ("batch", 1, 28, 28), "targets": ("batch",)}  # shapes for memory prediction


def build_mlp(input_var=None):
    l_in = layerkit.layers.InputLayer(shape=(None, 1, 28, 28), input_var=input_var)
    l_in_drop = layerkit.layers.DropoutLayer(l_in, p=0.2)
    l_hid1 = layerkit.layers.DenseLayer(
        l_in_drop, num_units=32, nonlinearity=layerkit.nonlinearities.rectify, W=layerkit.init.GlorotUniform())
    l_hid1_drop = layerkit.layers.DropoutLayer(l_hid1, p=0.5)
    l_hid2 = layerkit.layers.DenseLayer(l_hid1_drop, num_units=32, nonlinearity=layerkit.nonlinearities.rectify)
    l_hid2_drop = layerkit.layers.DropoutLayer(l_hid2, p=0.5)
    return layerkit.layers.DenseLayer(l_hid2_drop, num_units=10, nonlinearity=layerkit.nonlinearities.softmax)


def build_cnn(input_var=None):
    network = layerkit.layers.InputLayer(shape=(None, 1, 28, 28), input_var=input_var)
    network = layerkit.layers.Conv2DLayer(
        network, num_filters=8, filter_size=(5, 5), nonlinearity=layerkit.nonlinearities.rectify,
        W=layerkit.init.GlorotUniform())
    network = layerkit.layers.MaxPool2DLayer(network, pool_size=(2, 2))
    network = layerkit.layers.Conv2DLayer(
        network, num_filters=8, filter_size=(5, 5), nonlinearity=layerkit.nonlinearities.rectify)
    network = layerkit.layers.MaxPool2DLayer(network, pool_size=(2, 2))
    network = layerkit.layers.DenseLayer(
        layerkit.layers.dropout(network, p=.5), num_units=32, nonlinearity=layerkit.nonlinearities.rectify)
    return layerkit.layers.DenseLayer(
        layerkit.layers.dropout(network, p=.5), num_units=10, nonlinearity=layerkit.nonlinearities.softmax)


def compile_functions(network, input_var, target_var, optimizer):
    prediction = layerkit.layers.get_output(network)
    loss = layerkit.objectives.categorical_crossentropy(prediction, target_var)
    loss = loss.mean()
    params = layerkit.layers.get_all_params(network, trainable=True)
    updates = optimizer(loss, params)

    test_prediction = layerkit.layers.get_output(network, deterministic=True)
    test_loss = layerkit.objectives.categorical_crossentropy(test_prediction, target_var)
    test_loss = test_loss.mean()
    test_acc = T.mean(T.eq(T.argmax(test_prediction, axis=1), target_var), dtype=theano.config.floatX)

    train_fn = theano.function([input_var, target_var], loss, updates=updates, name="train_fn")
    val_fn = theano.function([input_var, target_var], [test_loss, test_acc], name="val_fn")
    return train_fn, val_fn


@theanolint.register(name="mnist.mlp", shapes=MNIST)
def mlp():
    input_var = T.tensor4('inputs')
    target_var = T.ivector('targets')
    network = build_mlp(input_var)
    return compile_functions(
        network, input_var, target_var,
        lambda loss, params: layerkit.updates.nesterov_momentum(loss, params, learning_rate=0.01, momentum=0.9))


@theanolint.register(name="mnist.cnn", shapes=MNIST)
def cnn():
    input_var = T.tensor4('inputs')
    target_var = T.ivector('targets')
    network = build_cnn(input_var)
    return compile_functions(
        network, input_var, target_var, lambda loss, params: layerkit.updates.adam(loss, params))
