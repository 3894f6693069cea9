"""RecurrentLayer and LSTMLayer (lasagne/layers/recurrent.py), both a ``theano.scan``.

As in Lasagne, an unnamed RecurrentLayer's weights are those of two inner DenseLayers
named ``input_to_hidden`` and ``hidden_to_hidden`` (``"input_to_hidden.W"``), and every
unnamed recurrent layer has a ``hid_init``: two such layers make the same names.
"""

import numpy as np
import theano
import theano.tensor as T

from .. import init, nonlinearities
from . import helper
from .base import MergeLayer
from .dense import DenseLayer
from .input import InputLayer


class CustomRecurrentLayer(MergeLayer):
    def __init__(self, incoming, input_to_hidden, hidden_to_hidden, nonlinearity=nonlinearities.rectify,
                 hid_init=init.Constant(0.0), backwards=False, learn_init=False, gradient_steps=-1,
                 grad_clipping=0, mask_input=None, only_return_final=False, **kwargs):  # fmt: skip
        incomings = [incoming]
        self.mask_incoming_index = -1
        if mask_input is not None:
            incomings.append(mask_input)
            self.mask_incoming_index = len(incomings) - 1
        super().__init__(incomings, **kwargs)
        self.input_to_hidden = input_to_hidden
        self.hidden_to_hidden = hidden_to_hidden
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity
        self.backwards = backwards
        self.gradient_steps = gradient_steps
        self.grad_clipping = grad_clipping
        self.only_return_final = only_return_final
        self.hid_init = self.add_param(
            hid_init, (1,) + hidden_to_hidden.output_shape[1:], name="hid_init",
            trainable=learn_init, regularizable=False,
        )  # fmt: skip

    def get_params(self, **tags):
        params = super().get_params(**tags)
        params += helper.get_all_params(self.input_to_hidden, **tags)
        params += helper.get_all_params(self.hidden_to_hidden, **tags)
        return params

    def get_output_shape_for(self, input_shapes):
        input_shape = input_shapes[0]
        if self.only_return_final:
            return (input_shape[0],) + self.hidden_to_hidden.output_shape[1:]
        return (input_shape[0], input_shape[1]) + self.hidden_to_hidden.output_shape[1:]

    def get_output_for(self, inputs, **kwargs):
        input = inputs[0]
        mask = inputs[self.mask_incoming_index] if self.mask_incoming_index > 0 else None
        input = input.dimshuffle(1, 0, *range(2, input.ndim))
        seq_len, num_batch = input.shape[0], input.shape[1]
        # Precompute the input-to-hidden product over all time steps at once.
        trailing_dims = tuple(input.shape[n] for n in range(2, input.ndim))
        input = T.reshape(input, (seq_len * num_batch,) + trailing_dims)
        input = helper.get_output(self.input_to_hidden, input, **kwargs)
        trailing_dims = tuple(input.shape[n] for n in range(1, input.ndim))
        input = T.reshape(input, (seq_len, num_batch) + trailing_dims)
        non_seqs = helper.get_all_params(self.hidden_to_hidden)

        def step(input_n, hid_previous, *args):
            hid_pre = helper.get_output(self.hidden_to_hidden, hid_previous, **kwargs)
            hid_pre += input_n
            if self.grad_clipping:
                hid_pre = theano.gradient.grad_clip(hid_pre, -self.grad_clipping, self.grad_clipping)
            return self.nonlinearity(hid_pre)

        def step_masked(input_n, mask_n, hid_previous, *args):
            hid = step(input_n, hid_previous, *args)
            return [T.switch(mask_n, hid, hid_previous)]

        if mask is not None:
            sequences, step_fun = [input, mask.dimshuffle(1, 0, "x")], step_masked
        else:
            sequences, step_fun = input, step
        hid_init = T.dot(T.ones((num_batch, 1)), self.hid_init)
        hid_out = theano.scan(
            fn=step_fun, sequences=sequences, go_backwards=self.backwards, outputs_info=[hid_init],
            non_sequences=non_seqs, truncate_gradient=self.gradient_steps, strict=True,
        )[0]  # fmt: skip
        if self.only_return_final:
            return hid_out[-1]
        hid_out = hid_out.dimshuffle(1, 0, *range(2, hid_out.ndim))
        return hid_out[:, ::-1] if self.backwards else hid_out


class RecurrentLayer(CustomRecurrentLayer):
    def __init__(self, incoming, num_units, W_in_to_hid=init.Uniform(), W_hid_to_hid=init.Uniform(),
                 b=init.Constant(0.0), nonlinearity=nonlinearities.rectify, **kwargs):  # fmt: skip
        input_shape = incoming if isinstance(incoming, tuple) else incoming.output_shape
        # Lasagne passes the other layer kwargs on; here they are all recurrent-layer options.
        basename = kwargs["name"] + "." if kwargs.get("name") else ""
        in_to_hid = DenseLayer(InputLayer((None,) + input_shape[2:]), num_units, W=W_in_to_hid, b=b,
                               nonlinearity=None, name=basename + "input_to_hidden")  # fmt: skip
        hid_to_hid = DenseLayer(InputLayer((None, num_units)), num_units, W=W_hid_to_hid, b=None,
                                nonlinearity=None, name=basename + "hidden_to_hidden")  # fmt: skip
        self.W_in_to_hid = in_to_hid.W
        self.W_hid_to_hid = hid_to_hid.W
        self.b = in_to_hid.b
        super().__init__(incoming, in_to_hid, hid_to_hid, nonlinearity=nonlinearity, **kwargs)


class Gate:
    """The weights of one LSTM gate (initializers) and its nonlinearity."""

    def __init__(self, W_in=init.Normal(0.1), W_hid=init.Normal(0.1), W_cell=init.Normal(0.1),
                 b=init.Constant(0.0), nonlinearity=nonlinearities.sigmoid):  # fmt: skip
        self.W_in, self.W_hid, self.W_cell, self.b = W_in, W_hid, W_cell, b
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity


class LSTMLayer(MergeLayer):
    GATES = ("ingate", "forgetgate", "cell", "outgate")

    def __init__(self, incoming, num_units, ingate=Gate(), forgetgate=Gate(),
                 cell=Gate(W_cell=None, nonlinearity=nonlinearities.tanh), outgate=Gate(),
                 nonlinearity=nonlinearities.tanh, cell_init=init.Constant(0.0), hid_init=init.Constant(0.0),
                 backwards=False, learn_init=False, peepholes=True, gradient_steps=-1, grad_clipping=0,
                 only_return_final=False, **kwargs):  # fmt: skip
        super().__init__([incoming], **kwargs)
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity
        self.num_units = num_units
        self.backwards = backwards
        self.peepholes = peepholes
        self.gradient_steps = gradient_steps
        self.grad_clipping = grad_clipping
        self.only_return_final = only_return_final
        num_inputs = int(np.prod(self.input_shapes[0][2:]))
        self.gates = {}
        for gate, gate_name in zip((ingate, forgetgate, cell, outgate), self.GATES):
            self.gates[gate_name] = (
                self.add_param(gate.W_in, (num_inputs, num_units), name="W_in_to_{}".format(gate_name)),
                self.add_param(gate.W_hid, (num_units, num_units), name="W_hid_to_{}".format(gate_name)),
                self.add_param(gate.b, (num_units,), name="b_{}".format(gate_name), regularizable=False),
                gate.nonlinearity,
            )
        if self.peepholes:
            self.W_cell_to_ingate = self.add_param(ingate.W_cell, (num_units,), name="W_cell_to_ingate")
            self.W_cell_to_forgetgate = self.add_param(forgetgate.W_cell, (num_units,), name="W_cell_to_forgetgate")
            self.W_cell_to_outgate = self.add_param(outgate.W_cell, (num_units,), name="W_cell_to_outgate")
        self.cell_init = self.add_param(
            cell_init, (1, num_units), name="cell_init", trainable=learn_init, regularizable=False
        )
        self.hid_init = self.add_param(
            hid_init, (1, num_units), name="hid_init", trainable=learn_init, regularizable=False
        )

    def get_output_shape_for(self, input_shapes):
        input_shape = input_shapes[0]
        if self.only_return_final:
            return input_shape[0], self.num_units
        return input_shape[0], input_shape[1], self.num_units

    def get_output_for(self, inputs, **kwargs):
        input = inputs[0]
        if input.ndim > 3:
            input = T.flatten(input, 3)
        input = input.dimshuffle(1, 0, 2)
        seq_len, num_batch, _ = input.shape
        W_in_stacked = T.concatenate([self.gates[g][0] for g in self.GATES], axis=1)
        W_hid_stacked = T.concatenate([self.gates[g][1] for g in self.GATES], axis=1)
        b_stacked = T.concatenate([self.gates[g][2] for g in self.GATES], axis=0)
        input = T.dot(input, W_in_stacked) + b_stacked
        units = self.num_units

        def step(input_n, cell_previous, hid_previous, *args):
            gates = input_n + T.dot(hid_previous, W_hid_stacked)
            if self.grad_clipping:
                gates = theano.gradient.grad_clip(gates, -self.grad_clipping, self.grad_clipping)
            ingate, forgetgate, cell_input, outgate = (gates[:, n * units : (n + 1) * units] for n in range(4))
            if self.peepholes:
                ingate += cell_previous * self.W_cell_to_ingate
                forgetgate += cell_previous * self.W_cell_to_forgetgate
            ingate = self.gates["ingate"][3](ingate)
            forgetgate = self.gates["forgetgate"][3](forgetgate)
            cell_input = self.gates["cell"][3](cell_input)
            cell = forgetgate * cell_previous + ingate * cell_input
            if self.peepholes:
                outgate += cell * self.W_cell_to_outgate
            outgate = self.gates["outgate"][3](outgate)
            return [cell, outgate * self.nonlinearity(cell)]

        ones = T.ones((num_batch, 1))
        non_seqs = [W_hid_stacked]
        if self.peepholes:
            non_seqs += [self.W_cell_to_ingate, self.W_cell_to_forgetgate, self.W_cell_to_outgate]
        cell_out, hid_out = theano.scan(
            fn=step, sequences=input, outputs_info=[T.dot(ones, self.cell_init), T.dot(ones, self.hid_init)],
            go_backwards=self.backwards, truncate_gradient=self.gradient_steps, non_sequences=non_seqs, strict=True,
        )[0]  # fmt: skip
        if self.only_return_final:
            return hid_out[-1]
        hid_out = hid_out.dimshuffle(1, 0, 2)
        return hid_out[:, ::-1] if self.backwards else hid_out
