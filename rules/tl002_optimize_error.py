"""Theano's optimizer failed on a function or on one of its inner graphs.

What it does: Reports a function (or a scan / OpFromGraph inner graph) that
Theano's own optimizer could not handle for the target device, with Theano's
exception: its type and first line in the message, its full text and the
innermost frames (where in Theano it was raised) in the JSON report and under
the finding with ``-v``.  A failure is reported only when optimizing the
function once more fails again; one that does not happen twice goes to the
worker's log (``-v``) and is not stored in the result cache.

Why is this bad: ``theano.function`` would fail the same way, after the
user waited for everything before it to compile.

Example:
    f = theano.function([x], y, givens={z: x.astype("int8")})  # type mismatch

Use instead: Fix the graph so Theano accepts it; the message gives Theano's
exception.

What it leaves out: nothing: a graph Theano's optimizer refuses is reported
whoever built it. A failure that does not happen again when the function is
optimized a second time is logged (theanolint -v), not reported, and never
cached.
"""

from theanolint.analysis import graph, optimize
from theanolint.analysis.building import SHORT, describe_error, error_details
from theanolint.findings import shortened

CODE = "TL002"
NAME = "optimize-error"
SEVERITY = "error"


def check(function, options):
    if function.optimize_error:
        message, where = function.optimize_error
        exception = getattr(function.optimize_error, "exception", None)
        attempts = getattr(function.optimize_error, "attempts", 1)
        yield function.finding(where, message, key="optimizer", **_data(exception, attempts))
    if function.root is not None:
        for scope in graph.failed(function.root):
            error = scope.error
            assert error is not None  # graph.failed yields only the scopes that failed
            text = shortened(
                f"Theano's optimizer failed on the inner graph of {scope.label}: {describe_error(error)}", SHORT
            )
            exception = error_details(error, function.locate) if function.locate is not None else None
            # the pipeline reports an inner graph's failure only when every try failed
            yield function.finding(
                scope.node,
                text,
                scope.parent,
                key=f"inner graph {scope.label}",
                **_data(exception, optimize.ATTEMPTS),
            )


def _data(exception, attempts: int) -> dict:
    """The exception (JSON) and, for ``-v``, its frames and any further lines of its text."""
    if exception is None:
        return {"attempts": attempts}
    text_lines = exception["text"].strip().splitlines()
    details = [f"{exception['type']} raised at (innermost last):"] + [f"  {frame}" for frame in exception["frames"]]
    if len(text_lines) > 1:
        details.append("\n".join(text_lines))
    return {"exception": exception, "attempts": attempts, "details": details}
