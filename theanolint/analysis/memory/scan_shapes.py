"""Shapes of a scan's inner-graph inputs, one step's worth, from the outer shapes.

The optimized inner graph keeps the inputs of the Scan op's own inner graph
in order: sequences, mit-mot taps, mit-sot taps, sit-sot, shared, non-sequences.
A sequence or state step drops the leading (time) dimension.
"""

import weakref
from typing import Dict, Optional, Tuple

from theanolint.analysis.memory.unknown import Unknown

Known = Tuple[Dict[object, tuple], Dict[object, str]]  # inner input -> shape; -> why it is assumed


def inner_input_shapes(node, inner_fgraph, evaluator) -> Optional[Known]:
    """Each inner input's shape, and those that rest on an assumed outer shape (and why)."""
    op = node.op
    outer = node.inputs
    inner = list(inner_fgraph.inputs)
    steps = []  # one entry per inner input: (outer variable, drops the time dim)
    steps += [(v, True) for v in op.outer_seqs(outer)]
    for taps, buffer in zip(op.mitmot_taps(), op.outer_mitmot(outer)):
        steps += [(buffer, True)] * len(taps)
    for taps, buffer in zip(op.mitsot_taps(), op.outer_mitsot(outer)):
        steps += [(buffer, True)] * len(taps)
    steps += [(v, True) for v in op.outer_sitsot(outer)]
    steps += [(v, False) for v in op.outer_shared(outer)]
    steps += [(v, False) for v in op.outer_non_seqs(outer)]
    if len(steps) != len(inner):
        return None  # an inner layout we do not know: no per-step estimate
    known, assumed = {}, {}
    for var, (outer_var, per_step) in zip(inner, steps):
        shape = evaluator.shape(outer_var)
        if shape is None:
            return None
        known[var] = tuple(shape[1:]) if per_step else tuple(shape)
        if outer_var in evaluator.assumed:
            assumed[var] = evaluator.assumed[outer_var]
    return known, assumed


_REPLACED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # scan node -> its inner graph


def _unoptimized_inner(node):
    """The inner graph of a scan a rewrite replaced: shape graphs of the optimized
    graph can still read its outputs.  Its own (unoptimized) inner graph, with a
    ShapeFeature, made once per node."""
    from theano.gof.fg import FunctionGraph
    from theano.tensor.opt import ShapeFeature

    if node not in _REPLACED:
        fgraph = FunctionGraph(node.op.inputs, node.op.outputs, clone=True)
        fgraph.attach_feature(ShapeFeature())
        _REPLACED[node] = fgraph
    return _REPLACED[node]


def nitsot_shapes(node, evaluator) -> list:
    """Shapes of a scan's nit-sot outputs: steps times one step's inner output.

    The inner function's outputs are the mit-mot outputs Theano does not
    preallocate, then mit-sot, sit-sot, nit-sot and shared outputs; the
    preallocated mit-mot outputs become updates, listed last.
    """
    op = node.op
    if not op.n_nit_sot:
        return []
    compiled = evaluator.inner.get(node)
    inner_fgraph = compiled or _unoptimized_inner(node)
    inputs = inner_input_shapes(node, inner_fgraph, evaluator)
    preallocated = getattr(op, "mitmots_preallocated", None) if compiled is not None else None
    preallocated = preallocated or [False] * op.n_mit_mot_outs
    first = op.n_mit_mot_outs - sum(preallocated) + op.n_mit_sot + op.n_sit_sot
    if inputs is None or first + op.n_nit_sot > len(inner_fgraph.outputs):
        return [None] * op.n_nit_sot
    inner = evaluator.for_inner(inner_fgraph, *inputs)
    shapes = []
    for steps, out in zip(op.outer_nitsot(node.inputs), inner_fgraph.outputs[first:]):
        step = inner.shape(out)
        if step is not None and out in inner.assumed:
            raise Unknown(f"a scan step's output: {inner.assumed[out]}")
        shapes.append(None if step is None else (int(evaluator.value(steps)),) + tuple(step))
    return shapes
