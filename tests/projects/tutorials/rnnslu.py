"""An Elman RNN for slot filling, in the style of the tutorials' rnnslu.py (tiny sizes).

As the tutorial does, the module raises the recursion limit when it is imported
(deep scan graphs hit Python's default while pickling) - for the whole process.
"""
from collections import OrderedDict
import sys

import numpy
import theano
from theano import tensor as T

import theanolint

sys.setrecursionlimit(1500)  # planted: TL006


class RNNSLU(object):
    def __init__(self, nh, nc, ne, de, cs):
        """nh hidden units, nc classes, ne vocabulary size, de embedding size, cs context window."""
        self.emb = theano.shared(name='embeddings',
                                 value=0.2 * numpy.random.uniform(-1.0, 1.0, (ne + 1, de)).astype(theano.config.floatX))
        self.wx = theano.shared(name='wx',
                                value=0.2 * numpy.random.uniform(-1.0, 1.0, (de * cs, nh)).astype(theano.config.floatX))
        self.wh = theano.shared(name='wh',
                                value=0.2 * numpy.random.uniform(-1.0, 1.0, (nh, nh)).astype(theano.config.floatX))
        self.w = theano.shared(name='w',
                               value=0.2 * numpy.random.uniform(-1.0, 1.0, (nh, nc)).astype(theano.config.floatX))
        self.bh = theano.shared(name='bh', value=numpy.zeros(nh, dtype=theano.config.floatX))
        self.b = theano.shared(name='b', value=numpy.zeros(nc, dtype=theano.config.floatX))
        self.h0 = theano.shared(name='h0', value=numpy.zeros(nh, dtype=theano.config.floatX))
        self.params = [self.emb, self.wx, self.wh, self.w, self.bh, self.b, self.h0]

        idxs = T.imatrix()
        x = self.emb[idxs].reshape((idxs.shape[0], de * cs))
        y_sentence = T.ivector('y_sentence')

        def recurrence(x_t, h_tm1):
            h_t = T.nnet.sigmoid(T.dot(x_t, self.wx) + T.dot(h_tm1, self.wh) + self.bh)
            s_t = T.nnet.softmax(T.dot(h_t, self.w) + self.b)
            return [h_t, s_t]

        [h, s], _ = theano.scan(fn=recurrence, sequences=x, outputs_info=[self.h0, None], n_steps=x.shape[0])
        p_y_given_x_sentence = s[:, 0, :]
        y_pred = T.argmax(p_y_given_x_sentence, axis=1)

        lr = T.scalar('lr')
        sentence_nll = -T.mean(T.log(p_y_given_x_sentence)[T.arange(x.shape[0]), y_sentence])
        sentence_gradients = T.grad(sentence_nll, self.params)
        sentence_updates = OrderedDict((p, p - lr * g) for p, g in zip(self.params, sentence_gradients))

        self.classify = theano.function(inputs=[idxs], outputs=y_pred, name='classify')
        self.sentence_train = theano.function(inputs=[idxs, y_sentence, lr], outputs=sentence_nll,
                                              updates=sentence_updates, name='sentence_train')
        self.normalize = theano.function(
            inputs=[], updates={self.emb: self.emb / T.sqrt((self.emb ** 2).sum(axis=1)).dimshuffle(0, 'x')},
            name='normalize')


@theanolint.register(name="rnnslu", shapes={0: ("words", 3), "y_sentence": ("words",)})  # idxs has no name
def main():
    rnn = RNNSLU(nh=16, nc=8, ne=30, de=8, cs=3)
    return rnn.classify, rnn.sentence_train, rnn.normalize
