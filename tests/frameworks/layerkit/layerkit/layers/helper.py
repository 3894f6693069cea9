"""get_all_layers, get_output, get_all_params (lasagne/layers/helper.py)."""

from collections import OrderedDict

import theano

from .input import InputLayer


def get_all_layers(layer, treat_as_input=None):
    """Every layer below ``layer`` (or a list of layers), in topological order, inputs first."""
    layers = list(layer) if isinstance(layer, (list, tuple)) else [layer]
    seen = set(treat_as_input or ())
    result = []

    def visit(current):
        if current in seen:
            return
        seen.add(current)
        for incoming in getattr(current, "input_layers", None) or [getattr(current, "input_layer", None)]:
            if incoming is not None:
                visit(incoming)
        result.append(current)

    for current in layers:
        visit(current)
    return result


def get_output(layer_or_layers, inputs=None, **kwargs):
    """The expression(s) of ``layer_or_layers``; ``inputs`` an expression or {layer: expression}."""
    treat_as_input = inputs.keys() if isinstance(inputs, dict) else []
    all_outputs = OrderedDict()
    for layer in get_all_layers(layer_or_layers, treat_as_input):
        if isinstance(layer, InputLayer):
            all_outputs[layer] = layer.input_var
    if isinstance(inputs, dict):
        all_outputs.update((layer, theano.tensor.as_tensor_variable(expr)) for layer, expr in inputs.items())
    elif inputs is not None:
        if len(all_outputs) > 1:
            raise ValueError("get_output() was called with a single input expression on a network with multiple inputs")
        for input_layer in all_outputs:
            all_outputs[input_layer] = theano.tensor.as_tensor_variable(inputs)
    for layer in get_all_layers(layer_or_layers, treat_as_input):
        if layer in all_outputs:
            continue
        if hasattr(layer, "input_layers"):
            layer_inputs = [all_outputs[incoming] for incoming in layer.input_layers]
        else:
            layer_inputs = all_outputs[layer.input_layer]
        all_outputs[layer] = layer.get_output_for(layer_inputs, **kwargs)
    if isinstance(layer_or_layers, (list, tuple)):
        return [all_outputs[layer] for layer in layer_or_layers]
    return all_outputs[layer_or_layers]


def get_all_params(layer, unwrap_shared=True, **tags):
    """The parameters of every layer below ``layer``, each once, filtered by tags."""
    params = []
    for current in get_all_layers(layer):
        params.extend(current.get_params(unwrap_shared=unwrap_shared, **tags))
    return list(OrderedDict.fromkeys(params))
