"""The slow ``GpuAdvancedIncSubtensor1`` runs where the atomic variant could.

What it does: Reports ``GpuAdvancedIncSubtensor1`` nodes: Theano 1.0.5
picks the fast ``GpuAdvancedIncSubtensor1_dev20`` (one atomic add per
element) only when the indexed tensor and the increment are both 2-D (or a
1-D tensor with a scalar increment).  The typical source is the gradient of
gathering a 1-D vector (an output-layer bias) by target ids.

Why is this bad: ``GpuAdvancedIncSubtensor1`` loops over the indices one by
one, launching work per index; for a vocabulary-sized bias in a language
model it dominates the training step.

Example:
    target_bias = bias[target_ids]             # gradient: slow 1-D inc

Use instead:
    target_bias = bias[:, None][target_ids][..., 0]   # gradient: 2-D, atomic

Note that a mixed index such as ``bias[:, None][target_ids, 0]`` is worse in
Theano 1.0.5's gpuarray backend: its gradient (AdvancedIncSubtensor) has no
GPU version and runs on the CPU between copies.

What it leaves out: the per-index variant inside a framework's own code, which
the user cannot rewrite; option frameworks: true reports it. With
deterministic=more the slow variant is TL402's.
"""

import theano

from theanolint.findings import shortened
from theanolint.ruleset import naming
from theanolint.ruleset.helpers import describe, forward_gather, is_slow_inc

CODE = "TL401"
NAME = "slow-inc-subtensor"
SEVERITY = "warning"


def check(function, options):
    if theano.config.deterministic == "more":
        return  # TL402 reports these
    for scope, node in function.nodes():
        if not is_slow_inc(node):
            continue
        x, y = node.inputs[0], node.inputs[1]
        gather = forward_gather(scope, node)
        indexed = describe(gather.inputs[0]) if gather is not None else describe(x)
        if x.ndim == 1:
            fix = "index a 2-D view: v[:, None][ids][..., 0] (v[:, None][ids, 0] runs on the CPU)"
        else:
            fix = f"make the indexed tensor and the increment 2-D (now {x.ndim}-D and {y.ndim}-D)"
        yield function.finding(
            gather if gather is not None else node,
            f"GpuAdvancedIncSubtensor1 on {shortened(indexed, 50)} runs a per-index loop, "
            f"not the atomic _dev20 variant; {fix}",
            scope,
            key=indexed,
            op=str(node.op),
            details=naming.details([node] + ([gather] if gather is not None else [])),
        )
