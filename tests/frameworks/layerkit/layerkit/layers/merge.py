"""ConcatLayer (lasagne/layers/merge.py) and ReshapeLayer (lasagne/layers/shape.py), no parameters."""

import theano.tensor as T

from .base import Layer, MergeLayer


class ConcatLayer(MergeLayer):
    def __init__(self, incomings, axis=1, **kwargs):
        super().__init__(incomings, **kwargs)
        self.axis = axis

    def get_output_shape_for(self, input_shapes):
        sizes = [shape[self.axis] for shape in input_shapes]
        total = None if any(size is None for size in sizes) else sum(sizes)
        shape = list(input_shapes[0])
        shape[self.axis] = total
        return tuple(shape)

    def get_output_for(self, inputs, **kwargs):
        return T.concatenate(inputs, axis=self.axis)


class ReshapeLayer(Layer):
    """``shape`` may hold -1 and ``[i]`` (the size of input dimension i), as in Lasagne."""

    def __init__(self, incoming, shape, **kwargs):
        super().__init__(incoming, **kwargs)
        self.shape = tuple(shape)

    def get_output_shape_for(self, input_shape):
        output = [input_shape[s[0]] if isinstance(s, list) else s for s in self.shape]
        if -1 in output:
            rest = [size for size in output if size != -1]
            known = 1
            for size in rest:
                known = None if known is None or size is None else known * size
            total = 1
            for size in input_shape:
                total = None if total is None or size is None else total * size
            output[output.index(-1)] = None if known is None or total is None else total // known
        return tuple(output)

    def get_output_for(self, input, **kwargs):
        output_shape = [input.shape[s[0]] if isinstance(s, list) else s for s in self.shape]
        return input.reshape(tuple(output_shape))
