"""Logistic regression trained with minibatch SGD, in the style of the tutorials' logistic_sgd.py.

The data lie in shared variables (shared_dataset) and each function takes a
minibatch index: givens slice the shared data with a static batch_size.
"""
import numpy
import theano
import theano.tensor as T

import theanolint

N_IN = 28 * 28
N_OUT = 10
BATCH_SIZE = 20


class LogisticRegression(object):
    def __init__(self, input, n_in, n_out):
        self.W = theano.shared(value=numpy.zeros((n_in, n_out), dtype=theano.config.floatX), name='W', borrow=True)  # planted: TL302
        self.b = theano.shared(value=numpy.zeros((n_out,), dtype=theano.config.floatX), name='b', borrow=True)  # planted: TL302
        self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]
        self.input = input

    def negative_log_likelihood(self, y):
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])

    def errors(self, y):
        if y.ndim != self.y_pred.ndim:
            raise TypeError('y should have the same shape as self.y_pred')
        return T.mean(T.neq(self.y_pred, y))  # planted: TL101


def shared_dataset(data_xy, borrow=True):
    """Keep the data in shared variables, so that Theano can copy it to the GPU once."""
    data_x, data_y = data_xy
    shared_x = theano.shared(numpy.asarray(data_x, dtype=theano.config.floatX), borrow=borrow)  # planted: TL301
    shared_y = theano.shared(numpy.asarray(data_y, dtype=theano.config.floatX), borrow=borrow)  # planted: TL301
    # The labels are stored as floats (the GPU stores floats) and used as ints.
    return shared_x, T.cast(shared_y, 'int32')


def load_data(rows=100, n_in=N_IN):
    """Three small random datasets instead of MNIST (train, valid, test)."""
    rng = numpy.random.RandomState(1234)
    return [
        shared_dataset((rng.uniform(size=(rows, n_in)), rng.randint(0, N_OUT, size=rows)))
        for _ in range(3)
    ]


@theanolint.register(name="logistic_sgd")
def sgd_optimization_mnist(learning_rate=0.13, batch_size=BATCH_SIZE):
    datasets = load_data()
    train_set_x, train_set_y = datasets[0]
    valid_set_x, valid_set_y = datasets[1]
    test_set_x, test_set_y = datasets[2]

    index = T.lscalar()
    x = T.matrix('x')
    y = T.ivector('y')
    classifier = LogisticRegression(input=x, n_in=N_IN, n_out=N_OUT)
    cost = classifier.negative_log_likelihood(y)

    test_model = theano.function(
        inputs=[index],
        outputs=classifier.errors(y),
        givens={
            x: test_set_x[index * batch_size: (index + 1) * batch_size],
            y: test_set_y[index * batch_size: (index + 1) * batch_size]
        },
        name='test_model'
    )
    validate_model = theano.function(
        inputs=[index],
        outputs=classifier.errors(y),
        givens={
            x: valid_set_x[index * batch_size: (index + 1) * batch_size],
            y: valid_set_y[index * batch_size: (index + 1) * batch_size]
        },
        name='validate_model'
    )
    g_W = T.grad(cost=cost, wrt=classifier.W)
    g_b = T.grad(cost=cost, wrt=classifier.b)
    updates = [(classifier.W, classifier.W - learning_rate * g_W),
               (classifier.b, classifier.b - learning_rate * g_b)]
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
    return train_model, validate_model, test_model
