"""A user's own mistakes in a layerkit model, one per line marked with an expect comment.

The model is otherwise written as Lasagne's examples are; only the marked lines
are the user's to fix: a custom layer's unnamed parameter, two layers named the
same, a float64 initial weight array and a step counter for a learning-rate schedule.
"""
import numpy as np
import theano
import theano.tensor as T

import layerkit
import theanolint
from layerkit import init
from layerkit.layers import DenseLayer


class ProjectionLayer(layerkit.layers.Layer):
    """A custom layer, as Lasagne's docs/user/custom_layers.rst shows one."""

    def __init__(self, incoming, num_units, **kwargs):
        super(ProjectionLayer, self).__init__(incoming, **kwargs)
        num_inputs = self.input_shape[1]
        self.num_units = num_units
        self.W = self.add_param(init.Normal(), (num_inputs, num_units))  # planted: TL301

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.num_units)

    def get_output_for(self, input, **kwargs):
        return T.dot(input, self.W)


def build_network(input_var):
    network = layerkit.layers.InputLayer(shape=(None, 64), input_var=input_var)
    network = DenseLayer(network, num_units=32, name="hidden")
    network = DenseLayer(network, num_units=32, name="hidden")  # planted: TL302
    network = ProjectionLayer(network, 16, name="projection")
    softmax = layerkit.nonlinearities.softmax
    return DenseLayer(network, 10, nonlinearity=softmax, name="output", W=np.random.randn(16, 10) / 9)  # planted: TL101 TL202


@theanolint.register(name="mistakes.model", shapes={"inputs": ("batch", 64), "targets": ("batch",)})
def model():
    input_var = T.matrix('inputs')
    target_var = T.ivector('targets')
    network = build_network(input_var)

    prediction = layerkit.layers.get_output(network)
    loss = layerkit.objectives.categorical_crossentropy(prediction, target_var).mean()
    params = layerkit.layers.get_all_params(network, trainable=True)

    t = theano.shared(np.float32(0), name="t")  # planted: TL202
    learning_rate = np.float32(0.1) / T.sqrt(t + 1)
    updates = layerkit.updates.momentum(loss, params, learning_rate=learning_rate, momentum=0.9)
    updates[t] = t + 1

    test_prediction = layerkit.layers.get_output(network, deterministic=True)
    test_acc = T.mean(T.eq(T.argmax(test_prediction, axis=1), target_var), dtype=theano.config.floatX)

    train_fn = theano.function([input_var, target_var], loss, updates=updates, name="train_fn")
    val_fn = theano.function([input_var, target_var], test_acc, name="val_fn")
    return train_fn, val_fn
