"""A denoising autoencoder, in the style of the tutorials' dA.py (small sizes).

The input is corrupted with a binomial mask drawn from MRG RandomStreams, whose
state Theano creates in the stream's binomial().
"""
import numpy
import theano
import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams as RandomStreams

import theanolint
from logistic_sgd import BATCH_SIZE, N_IN, load_data


class dA(object):
    def __init__(self, numpy_rng, theano_rng=None, input=None, n_visible=N_IN, n_hidden=16):
        self.n_visible = n_visible
        self.n_hidden = n_hidden
        if not theano_rng:
            theano_rng = RandomStreams(numpy_rng.randint(2 ** 30))
        initial_W = numpy.asarray(
            numpy_rng.uniform(
                low=-4 * numpy.sqrt(6. / (n_hidden + n_visible)),
                high=4 * numpy.sqrt(6. / (n_hidden + n_visible)),
                size=(n_visible, n_hidden)
            ),
            dtype=theano.config.floatX
        )
        self.W = theano.shared(value=initial_W, name='W', borrow=True)
        self.b_prime = theano.shared(value=numpy.zeros(n_visible, dtype=theano.config.floatX), name='b_prime')
        self.b = theano.shared(value=numpy.zeros(n_hidden, dtype=theano.config.floatX), name='b')
        self.W_prime = self.W.T
        self.theano_rng = theano_rng
        self.x = T.dmatrix(name='input') if input is None else input
        self.params = [self.W, self.b, self.b_prime]

    def get_corrupted_input(self, input, corruption_level):
        return self.theano_rng.binomial(size=input.shape, n=1, p=1 - corruption_level,
                                        dtype=theano.config.floatX) * input

    def get_hidden_values(self, input):
        return T.nnet.sigmoid(T.dot(input, self.W) + self.b)

    def get_reconstructed_input(self, hidden):
        return T.nnet.sigmoid(T.dot(hidden, self.W_prime) + self.b_prime)

    def get_cost_updates(self, corruption_level, learning_rate):
        tilde_x = self.get_corrupted_input(self.x, corruption_level)
        y = self.get_hidden_values(tilde_x)
        z = self.get_reconstructed_input(y)
        L = - T.sum(self.x * T.log(z) + (1 - self.x) * T.log(1 - z), axis=1)
        cost = T.mean(L)
        gparams = T.grad(cost, self.params)
        updates = [(param, param - learning_rate * gparam) for param, gparam in zip(self.params, gparams)]
        return (cost, updates)


@theanolint.register(name="dA")
def test_dA(learning_rate=0.1, batch_size=BATCH_SIZE):
    datasets = load_data()
    train_set_x, train_set_y = datasets[0]
    index = T.lscalar()
    x = T.matrix('x')
    rng = numpy.random.RandomState(123)
    theano_rng = RandomStreams(rng.randint(2 ** 30))
    da = dA(numpy_rng=rng, theano_rng=theano_rng, input=x, n_visible=N_IN, n_hidden=16)
    cost, updates = da.get_cost_updates(corruption_level=0.3, learning_rate=learning_rate)
    train_da = theano.function(
        [index],
        cost,
        updates=updates,
        givens={
            x: train_set_x[index * batch_size: (index + 1) * batch_size]
        },
        name='train_da'
    )
    return train_da
