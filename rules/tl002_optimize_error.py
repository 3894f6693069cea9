"""Theano's optimizer failed on a function or on one of its inner graphs.

What it does: Reports a function (or a scan / OpFromGraph inner graph) that
Theano's own optimizer could not handle for the target device.

Why is this bad: ``theano.function`` would fail the same way, after the
user waited for everything before it to compile.

Example:
    f = theano.function([x], y, givens={z: x.astype("int8")})  # type mismatch

Use instead: Fix the graph so Theano accepts it; the message gives Theano's
exception.
"""

from theanolint.analysis import graph

CODE = "TL002"
NAME = "optimize-error"
SEVERITY = "error"


def check(function, options):
    if function.optimize_error:
        message, where = function.optimize_error
        yield function.finding(where, message, key="optimizer")
    if function.root is not None:
        for scope in graph.failed(function.root):
            error = scope.error
            yield function.finding(
                scope.node,
                f"Theano's optimizer failed on the inner graph of {scope.label}: {type(error).__name__}: {error}",
                scope.parent,
                key=f"inner graph {scope.label}",
            )
