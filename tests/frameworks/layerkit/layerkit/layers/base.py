"""Layer and MergeLayer (lasagne/layers/base.py): parameters are made by ``add_param``."""

from collections import OrderedDict

from .. import utils


class Layer:
    """A layer on one incoming layer (or an input shape tuple)."""

    def __init__(self, incoming, name=None):
        if isinstance(incoming, tuple):
            self.input_shape = incoming
            self.input_layer = None
        else:
            self.input_shape = incoming.output_shape
            self.input_layer = incoming
        self.name = name
        self.params = OrderedDict()
        self.get_output_kwargs = []

    @property
    def output_shape(self):
        return self.get_output_shape_for(self.input_shape)

    def get_params(self, unwrap_shared=True, **tags):
        """The layer's parameters, filtered by tags (``trainable=True``, ``regularizable=False``)."""
        result = list(self.params.keys())
        only = set(tag for tag, value in tags.items() if value)
        if only:
            result = [param for param in result if not (only - self.params[param])]
        exclude = set(tag for tag, value in tags.items() if not value)
        if exclude:
            result = [param for param in result if not (self.params[param] & exclude)]
        return result

    def get_output_shape_for(self, input_shape):
        return input_shape

    def get_output_for(self, input, **kwargs):
        raise NotImplementedError

    def add_param(self, spec, shape, name=None, **tags):
        """Create (or take) a parameter, named ``"<layer name>.<name>"`` when the layer has a name."""
        if name is not None:
            if self.name is not None:
                name = "%s.%s" % (self.name, name)
        param = utils.create_param(spec, shape, name)
        tags["trainable"] = tags.get("trainable", True)
        tags["regularizable"] = tags.get("regularizable", True)
        self.params[param] = set(tag for tag, value in tags.items() if value)
        return param


class MergeLayer(Layer):
    """A layer on several incoming layers (or shapes)."""

    def __init__(self, incomings, name=None):
        self.input_shapes = [
            incoming if isinstance(incoming, tuple) else incoming.output_shape for incoming in incomings
        ]
        self.input_layers = [None if isinstance(incoming, tuple) else incoming for incoming in incomings]
        self.name = name
        self.params = OrderedDict()
        self.get_output_kwargs = []

    @property
    def output_shape(self):
        return self.get_output_shape_for(self.input_shapes)

    def get_output_shape_for(self, input_shapes):
        raise NotImplementedError

    def get_output_for(self, inputs, **kwargs):
        raise NotImplementedError
