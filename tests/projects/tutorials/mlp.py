"""A multilayer perceptron, in the style of the tutorials' mlp.py (small sizes).

Every HiddenLayer names its weights 'W' and 'b' (one theano.shared line, called once
per layer in the loop of MLP.__init__); the LogisticRegression on top names its own
'W' and 'b' too.
"""
import numpy
import theano
import theano.tensor as T

import theanolint
from logistic_sgd import BATCH_SIZE, N_IN, N_OUT, LogisticRegression, load_data


class HiddenLayer(object):
    def __init__(self, rng, input, n_in, n_out, W=None, b=None, activation=T.tanh):
        self.input = input
        if W is None:
            W_values = numpy.asarray(
                rng.uniform(
                    low=-numpy.sqrt(6. / (n_in + n_out)),
                    high=numpy.sqrt(6. / (n_in + n_out)),
                    size=(n_in, n_out)
                ),
                dtype=theano.config.floatX
            )
            if activation == T.nnet.sigmoid:
                W_values *= 4
            W = theano.shared(value=W_values, name='W', borrow=True)
        if b is None:
            b_values = numpy.zeros((n_out,), dtype=theano.config.floatX)
            b = theano.shared(value=b_values, name='b', borrow=True)
        self.W = W
        self.b = b
        lin_output = T.dot(input, self.W) + self.b
        self.output = lin_output if activation is None else activation(lin_output)
        self.params = [self.W, self.b]


class MLP(object):
    def __init__(self, rng, input, n_in, hidden_sizes, n_out):
        self.hidden_layers = []
        layer_input, layer_n_in = input, n_in
        for n_hidden in hidden_sizes:
            layer = HiddenLayer(rng=rng, input=layer_input, n_in=layer_n_in, n_out=n_hidden, activation=T.tanh)
            self.hidden_layers.append(layer)
            layer_input, layer_n_in = layer.output, n_hidden
        self.logRegressionLayer = LogisticRegression(input=layer_input, n_in=layer_n_in, n_out=n_out)
        self.L1 = sum(abs(layer.W).sum() for layer in self.hidden_layers) + abs(self.logRegressionLayer.W).sum()
        self.L2_sqr = sum((layer.W ** 2).sum() for layer in self.hidden_layers) + (self.logRegressionLayer.W ** 2).sum()
        self.negative_log_likelihood = self.logRegressionLayer.negative_log_likelihood
        self.errors = self.logRegressionLayer.errors
        self.params = [p for layer in self.hidden_layers for p in layer.params] + self.logRegressionLayer.params
        self.input = input


@theanolint.register(name="mlp")
def test_mlp(learning_rate=0.01, L1_reg=0.00, L2_reg=0.0001, batch_size=BATCH_SIZE):
    datasets = load_data()
    train_set_x, train_set_y = datasets[0]
    valid_set_x, valid_set_y = datasets[1]

    index = T.lscalar()
    x = T.matrix('x')
    y = T.ivector('y')
    rng = numpy.random.RandomState(1234)
    classifier = MLP(rng=rng, input=x, n_in=N_IN, hidden_sizes=[16, 16, 16], n_out=N_OUT)
    cost = classifier.negative_log_likelihood(y) + L1_reg * classifier.L1 + L2_reg * classifier.L2_sqr

    validate_model = theano.function(
        inputs=[index],
        outputs=classifier.errors(y),
        givens={
            x: valid_set_x[index * batch_size:(index + 1) * batch_size],
            y: valid_set_y[index * batch_size:(index + 1) * batch_size]
        },
        name='validate_model'
    )
    gparams = [T.grad(cost, param) for param in classifier.params]
    updates = [(param, param - learning_rate * gparam) for param, gparam in zip(classifier.params, gparams)]
    train_model = theano.function(
        inputs=[index],
        outputs=cost,
        updates=updates,
        givens={
            x: train_set_x[index * batch_size: (index + 1) * batch_size],
            y: train_set_y[index * batch_size: (index + 1) * batch_size]
        },
        name='train_model'
    )
    return train_model, validate_model
