"""Shapes of a scan's inner-graph inputs, one step's worth, from the outer shapes.

The optimized inner graph keeps the inputs of the Scan op's own inner graph
in order: sequences, mit-mot taps, mit-sot taps, sit-sot, shared, non-sequences.
A sequence or state step drops the leading (time) dimension.
"""

from typing import Dict, Optional


def inner_input_shapes(node, inner_fgraph, evaluator) -> Optional[Dict[object, tuple]]:
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
    known = {}
    for var, (outer_var, per_step) in zip(inner, steps):
        shape = evaluator.shape(outer_var)
        if shape is None:
            return None
        known[var] = tuple(shape[1:]) if per_step else tuple(shape)
    return known


def nitsot_shapes(node, evaluator) -> list:
    """Shapes of a scan's nit-sot outputs: steps times one step's inner output.

    The inner function's outputs are the mit-mot outputs Theano does not
    preallocate, then mit-sot, sit-sot, nit-sot and shared outputs; the
    preallocated mit-mot outputs become updates, listed last.
    """
    op = node.op
    inner_fgraph = evaluator.inner.get(node)
    if inner_fgraph is None or not op.n_nit_sot:
        return [None] * op.n_nit_sot
    known = inner_input_shapes(node, inner_fgraph, evaluator)
    preallocated = getattr(op, "mitmots_preallocated", [False] * op.n_mit_mot_outs)
    first = op.n_mit_mot_outs - sum(preallocated) + op.n_mit_sot + op.n_sit_sot
    if known is None or first + op.n_nit_sot > len(inner_fgraph.outputs):
        return [None] * op.n_nit_sot
    inner = evaluator.for_inner(inner_fgraph, known)
    shapes = []
    for steps, out in zip(op.outer_nitsot(node.inputs), inner_fgraph.outputs[first:]):
        step = inner.shape(out)
        shapes.append(None if step is None or out in inner.assumed else (int(evaluator.value(steps)),) + tuple(step))
    return shapes
