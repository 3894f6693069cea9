"""An LSTM language model trained with adam, in the style of Lasagne's recipes (small sizes).

Embedding -> two LSTMLayers -> a softmax over the vocabulary at every step; train,
validate (deterministic) and a next-word probability function share the model.
"""
import theano
import theano.tensor as T

import layerkit
import theanolint

VOCABULARY = 50
SEQ_LENGTH = 10
N_HIDDEN = 16
GRAD_CLIP = 100


def build_lm(input_var):
    l_in = layerkit.layers.InputLayer(shape=(None, SEQ_LENGTH), input_var=input_var)
    l_emb = layerkit.layers.EmbeddingLayer(l_in, input_size=VOCABULARY, output_size=N_HIDDEN)
    l_lstm1 = layerkit.layers.LSTMLayer(
        l_emb, N_HIDDEN, grad_clipping=GRAD_CLIP, nonlinearity=layerkit.nonlinearities.tanh)
    l_drop = layerkit.layers.DropoutLayer(l_lstm1, p=0.5)
    l_lstm2 = layerkit.layers.LSTMLayer(
        l_drop, N_HIDDEN, grad_clipping=GRAD_CLIP, nonlinearity=layerkit.nonlinearities.tanh)
    l_flat = layerkit.layers.ReshapeLayer(l_lstm2, (-1, N_HIDDEN))
    return layerkit.layers.DenseLayer(l_flat, num_units=VOCABULARY, nonlinearity=layerkit.nonlinearities.softmax)


@theanolint.register(name="lstm.lm", shapes={"words": ("batch", SEQ_LENGTH), "next_words": ("batch", SEQ_LENGTH)})
def lm():
    input_var = T.imatrix('words')
    target_var = T.imatrix('next_words')
    network = build_lm(input_var)

    prediction = layerkit.layers.get_output(network)
    loss = layerkit.objectives.categorical_crossentropy(prediction, target_var.flatten()).mean()
    params = layerkit.layers.get_all_params(network, trainable=True)
    updates = layerkit.updates.adam(loss, params, learning_rate=0.002)

    test_prediction = layerkit.layers.get_output(network, deterministic=True)
    test_loss = layerkit.objectives.categorical_crossentropy(test_prediction, target_var.flatten()).mean()

    train = theano.function([input_var, target_var], loss, updates=updates, name="train")
    validate = theano.function([input_var, target_var], test_loss, name="validate")
    probabilities = theano.function([input_var], test_prediction, name="probabilities")
    return train, validate, probabilities
