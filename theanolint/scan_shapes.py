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
    steps = []       # one entry per inner input: (outer variable, drops the time dim)
    steps += [(v, True) for v in op.outer_seqs(outer)]
    for taps, buffer in zip(op.mitmot_taps(), op.outer_mitmot(outer)):
        steps += [(buffer, True)] * len(taps)
    for taps, buffer in zip(op.mitsot_taps(), op.outer_mitsot(outer)):
        steps += [(buffer, True)] * len(taps)
    steps += [(v, True) for v in op.outer_sitsot(outer)]
    steps += [(v, False) for v in op.outer_shared(outer)]
    steps += [(v, False) for v in op.outer_non_seqs(outer)]
    if len(steps) != len(inner):
        return None          # an inner layout we do not know: no per-step estimate
    known = {}
    for var, (outer_var, per_step) in zip(inner, steps):
        shape = evaluator.shape(outer_var)
        if shape is None:
            return None
        known[var] = tuple(shape[1:]) if per_step else tuple(shape)
    return known
