"""Output shapes of ops whose shapes Theano's ShapeFeature cannot see.

Theano's ShapeFeature cannot see through these ops (GpuDot22, GpuGemm, the
cuDNN reduction, GpuCorrMM, Print, ...): it records the output's shape as the
output's own ``Shape_i``, which only a run could answer.  Each function here
computes the numeric output shapes from the numeric input shapes (and the
values of scalar inputs such as a sample count), the way the op's CPU twin's
``infer_shape`` does, or by calling it.  A rule for an output whose shape only
a run can tell (an IfElse whose branches differ) raises ``Unknown``.
"""

from typing import List, Optional

import numpy as np

from theanolint.analysis.memory.scan_shapes import nitsot_shapes
from theanolint.analysis.memory.unknown import Unknown

IFELSE_DIFFERS = "an IfElse whose branches differ in shape (its condition is known only when it runs)"


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


def _if_else(node, shapes, evaluator):
    """Both branches have one shape (Keras's learning phase, Dropout on or off): that
    shape.  Branches of different shapes depend on a condition known only at run time."""
    count = len(node.outputs)
    then, otherwise = shapes[1 : 1 + count], shapes[1 + count : 1 + 2 * count]
    out = [a if tuple(a) == tuple(b) else None for a, b in zip(then, otherwise)]
    if None in out:
        raise Unknown(IFELSE_DIFFERS)
    return out


def _multinomial(node, shapes, evaluator):
    """GPU: one column per distribution, (outcomes, distributions); the host op keeps pvals' shape."""
    pvals = shapes[0]
    return [(pvals[1], pvals[0]) if type(node.op).__name__.startswith("GPUA") else pvals]


def _choice(node, shapes, evaluator):
    """n samples without replacement per distribution: GPU (n, distributions), host (distributions, n)."""
    n, pvals = int(evaluator.value(node.inputs[2])), shapes[0]
    return [(n, pvals[0]) if type(node.op).__name__.startswith("GPUA") else (pvals[0], n)]


def _advanced_subtensor(node, shapes, evaluator):
    """NumPy's advanced indexing: the index arrays' broadcast shape in place of the
    dims they index (in front when slices separate them), sliced dims as sliced."""
    source = list(shapes[0])
    pieces: List[Optional[List[int]]] = []
    advanced, dim = [], 0
    for var, shape in zip(node.inputs[1:], shapes[1:]):
        kind = type(var.type).__name__
        if kind == "NoneTypeT":  # np.newaxis
            pieces.append([1])
        elif kind == "SliceType":
            length = len(range(*evaluator.value(var).indices(source[dim])))
            pieces.append([length])
            dim += 1
        else:
            advanced.append((len(pieces), tuple(shape)))
            pieces.append(None)
            dim += 1
    broadcast = list(np.broadcast_shapes(*(shape for _, shape in advanced))) if advanced else []
    positions = [position for position, _ in advanced]
    adjacent = positions == list(range(positions[0], positions[0] + len(positions))) if positions else True
    out: List[int] = [] if adjacent else list(broadcast)
    for position, piece in enumerate(pieces):
        if piece is not None:
            out += piece
        elif adjacent and position == positions[0]:
            out += broadcast
    return [tuple(out + source[dim:])]


def _cpu_twin(module: str, name: str):
    """The shape rule of the op's host twin, whose props and inputs are the same
    (GpuCorrMM and CorrMM): its ``infer_shape`` run with the GPU op as ``self``."""

    def shapes_of(node, shapes, evaluator):
        import importlib

        twin = getattr(importlib.import_module(module), name)
        return twin.infer_shape(node.op, node, shapes)

    return shapes_of


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
    "mrg_uniform": _mrg_uniform,
    "Print": _same_as_input,  # a view of its input
    "DeepCopyOp": _same_as_input,
    "IfElse": _if_else,
    "GPUAMultinomialFromUniform": _multinomial,
    "MultinomialFromUniform": _multinomial,
    "GPUAChoiceFromUniform": _choice,
    "ChoiceFromUniform": _choice,
    "GpuAdvancedSubtensor": _advanced_subtensor,
    "AdvancedSubtensor": _advanced_subtensor,
    "GpuCorrMM": _cpu_twin("theano.tensor.nnet.corr", "CorrMM"),
    "GpuCorrMM_gradWeights": _cpu_twin("theano.tensor.nnet.corr", "CorrMM_gradWeights"),
    "GpuCorrMM_gradInputs": _cpu_twin("theano.tensor.nnet.corr", "CorrMM_gradInputs"),
    "GpuCorr3dMM": _cpu_twin("theano.tensor.nnet.corr3d", "Corr3dMM"),
    "GpuCorr3dMM_gradWeights": _cpu_twin("theano.tensor.nnet.corr3d", "Corr3dMM_gradWeights"),
    "GpuCorr3dMM_gradInputs": _cpu_twin("theano.tensor.nnet.corr3d", "Corr3dMM_gradInputs"),
    "Scan": _scan,
}


def output_shapes(node, shapes: List[tuple], evaluator) -> Optional[List[tuple]]:
    """Numeric output shapes of ``node``, or None when no entry covers its op."""
    shapes_of = OP_SHAPES.get(type(node.op).__name__)
    return shapes_of(node, shapes, evaluator) if shapes_of is not None else None
