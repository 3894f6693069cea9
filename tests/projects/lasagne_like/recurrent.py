"""A bidirectional RNN on the adding problem, as in Lasagne's examples/recurrent.py (small sizes).

The gradients are clipped together with total_norm_constraint before adagrad;
train and compute_cost share the model.
"""
import theano
import theano.tensor as T

import layerkit
import theanolint

MAX_LENGTH = 12
N_HIDDEN = 16
N_BATCH = 8
LEARNING_RATE = .001
GRAD_CLIP = 100
MAX_NORM = 10


@theanolint.register(name="recurrent.birnn", shapes={0: (N_BATCH, MAX_LENGTH, 2), 1: (N_BATCH,), 2: (N_BATCH, MAX_LENGTH)})
def birnn():
    l_in = layerkit.layers.InputLayer(shape=(N_BATCH, MAX_LENGTH, 2))
    l_mask = layerkit.layers.InputLayer(shape=(N_BATCH, MAX_LENGTH))
    l_forward = layerkit.layers.RecurrentLayer(
        l_in, N_HIDDEN, mask_input=l_mask, grad_clipping=GRAD_CLIP,
        W_in_to_hid=layerkit.init.HeUniform(),
        W_hid_to_hid=layerkit.init.HeUniform(),
        nonlinearity=layerkit.nonlinearities.tanh, only_return_final=True)
    l_backward = layerkit.layers.RecurrentLayer(
        l_in, N_HIDDEN, mask_input=l_mask, grad_clipping=GRAD_CLIP,
        W_in_to_hid=layerkit.init.HeUniform(),
        W_hid_to_hid=layerkit.init.HeUniform(),
        nonlinearity=layerkit.nonlinearities.tanh,
        only_return_final=True, backwards=True)
    l_concat = layerkit.layers.ConcatLayer([l_forward, l_backward])
    l_out = layerkit.layers.DenseLayer(l_concat, num_units=1, nonlinearity=layerkit.nonlinearities.tanh)

    target_values = T.vector('target_output')
    network_output = layerkit.layers.get_output(l_out)
    predicted_values = network_output.flatten()
    cost = T.mean((predicted_values - target_values)**2)
    all_params = layerkit.layers.get_all_params(l_out)
    all_grads = T.grad(cost, all_params)
    all_grads = layerkit.updates.total_norm_constraint(all_grads, MAX_NORM)
    updates = layerkit.updates.adagrad(all_grads, all_params, LEARNING_RATE)

    train = theano.function([l_in.input_var, target_values, l_mask.input_var], cost, updates=updates, name="train")
    compute_cost = theano.function(
        [l_in.input_var, target_values, l_mask.input_var], cost, name="compute_cost")
    return train, compute_cost
