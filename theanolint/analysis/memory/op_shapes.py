"""Output shapes of ops whose shapes Theano's ShapeFeature cannot see.

Theano's ShapeFeature cannot see through these ops (GpuDot22, GpuGemm, the
cuDNN reduction, ...): it records the output's shape as the output's own
``Shape_i``, which only a run could answer.  Each function here computes the
numeric output shapes from the numeric input shapes, the way the op's CPU
twin's ``infer_shape`` does.
"""

from typing import List, Optional

from theanolint.analysis.memory.scan_shapes import nitsot_shapes


def _same_as_input(node, shapes, evaluator):
    return [shapes[0]] * len(node.outputs)


def _dot22(node, shapes, evaluator):
    return [(shapes[0][0], shapes[1][1])]


def _reduce(shape, axis, keep_ndim):
    axes = range(len(shape)) if axis is None else [a % len(shape) for a in axis]
    if keep_ndim:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _dnn_reduction(node, shapes, evaluator):
    out = _reduce(shapes[0], node.op.axis, node.outputs[0].ndim == len(shapes[0]))
    return [out] * len(node.outputs)


def _max_and_argmax(node, shapes, evaluator):
    out = _reduce(shapes[0], node.op.axis, False)
    return [out, out]


def _crossentropy_softmax_argmax(node, shapes, evaluator):
    rows = (shapes[0][0],)
    return [rows, shapes[0], rows]


def _crossentropy_dx(node, shapes, evaluator):
    return [shapes[1]]


def _mrg_uniform(node, shapes, evaluator):
    return [shapes[0], tuple(int(d) for d in evaluator.value(node.inputs[1]))]


def _scan(node, shapes, evaluator):
    """Recurrent outputs have their outer buffer's shape (as Scan.infer_shape says);
    outputs without a buffer (nit-sot) are left to the shape graph."""
    op = node.op
    buffers = op.outer_mitmot(node.inputs) + op.outer_mitsot(node.inputs) + op.outer_sitsot(node.inputs)
    outs = [shapes[node.inputs.index(b)] for b in buffers]
    outs += nitsot_shapes(node, evaluator)
    outs += [shapes[node.inputs.index(b)] for b in op.outer_shared(node.inputs)]
    return outs


OP_SHAPES = {
    "GpuContiguous": _same_as_input,
    "GpuAdvancedIncSubtensor1": _same_as_input,
    "GpuAdvancedIncSubtensor1_dev20": _same_as_input,
    "GpuErfinv": _same_as_input,
    "GpuErfcinv": _same_as_input,
    "GpuCumOp": _same_as_input,
    "GpuCumsumOp": _same_as_input,
    "GpuGemm": _same_as_input,
    "GpuGemv": _same_as_input,
    "GpuGer": _same_as_input,
    "GpuGemmBatch": _same_as_input,
    "GpuDot22": _dot22,
    "GpuDnnReduction": _dnn_reduction,
    "GpuMaxAndArgmax": _max_and_argmax,
    "GpuCrossentropySoftmaxArgmax1HotWithBias": _crossentropy_softmax_argmax,
    "GpuCrossentropySoftmax1HotWithBiasDx": _crossentropy_dx,
    "GPUA_mrg_uniform": _mrg_uniform,
    "Scan": _scan,
}


def output_shapes(node, shapes: List[tuple], evaluator) -> Optional[List[tuple]]:
    """Numeric output shapes of ``node``, or None when no entry covers its op."""
    shapes_of = OP_SHAPES.get(type(node.op).__name__)
    return shapes_of(node, shapes, evaluator) if shapes_of is not None else None
