"""``deterministic='more'`` forces the slow ``GpuAdvancedIncSubtensor1``.

What it does: Reports ``GpuAdvancedIncSubtensor1`` nodes when Theano's
``deterministic`` flag is ``more``, which disables the atomic
``GpuAdvancedIncSubtensor1_dev20`` everywhere.

Why is this bad: Reproducible sums are bought with a per-index loop in every
embedding and output-layer gradient; often the flag was set for one debugging
session and never removed.

Example:
    THEANO_FLAGS=deterministic=more python train.py

Use instead:
    THEANO_FLAGS=deterministic=default python train.py

What it leaves out: nothing else: it fires only when the flag is set, and the
flag is the user's.
"""

import theano

from theanolint.ruleset import naming
from theanolint.ruleset.helpers import describe, forward_gather, is_slow_inc

CODE = "TL402"
NAME = "deterministic-more"
SEVERITY = "warning"


def check(function, options):
    if theano.config.deterministic != "more":
        return
    for scope, node in function.nodes():
        if is_slow_inc(node):
            gather = forward_gather(scope, node)
            indexed = describe(gather.inputs[0] if gather is not None else node.inputs[0])
            yield function.finding(
                gather or node,
                "deterministic='more' forces the per-index "
                "GpuAdvancedIncSubtensor1 (the atomic _dev20 variant is off); "
                "set deterministic=default unless bit-exact sums are needed",
                scope,
                key=indexed,
                framework=False,  # the flag is the user's
                op=str(node.op),
                details=naming.details([node] + ([gather] if gather is not None else [])),
            )
