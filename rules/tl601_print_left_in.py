"""A ``theano.printing.Print`` op is left in the graph.

What it does: Reports Print ops in the optimized graph (inner graphs too).

Why is this bad: Print runs on the host on every call: it copies its input
off the GPU, writes to stdout and stops fusion around it.  It is almost
always a debugging leftover.

Example:
    h = theano.printing.Print("h")(T.tanh(x.dot(W)))

Use instead:
    h = T.tanh(x.dot(W))

What it leaves out: a Print inside a framework's own code; option frameworks:
true reports it.
"""

from theano.printing import Print

from theanolint.findings import shortened

CODE = "TL601"
NAME = "print-left-in"
SEVERITY = "warning"


def check(function, options):
    for scope, node in function.nodes():
        if isinstance(node.op, Print):
            label = f" {shortened(repr(node.op.message), 40)}" if node.op.message else ""
            yield function.finding(
                node,
                f"Print op{label} left in the graph; it prints its input on every call and blocks fusion around it",
                scope,
                key=f"Print {node.op.message!r}",
                op=str(node.op),
            )
