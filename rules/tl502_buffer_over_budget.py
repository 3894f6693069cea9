"""A single buffer of a function is larger than the whole memory budget.

What it does: Reports each GPU buffer of the optimized graph (inner graphs
too) whose predicted size alone exceeds the budget, at the line that
creates it, with its shape and exact byte count.  Buffers whose size rests on
an assumed size, their own or one upstream, are not reported.

Why is this bad: No batch of work fits around a buffer that does not fit by
itself; the function cannot run on the device at all.

Example:
    proj = x.dot(W_in)         # (482112, 200) float32
    scores = proj.dot(W_out)   # (200, 4000): a 7,713,792,000-byte result

Use instead: Compute the product in chunks (e.g. with scan over row blocks),
or use a sampling-based output layer that scores only the target classes.

What it leaves out: buffers whose size rests on an assumed size, their own
or one they are computed from. Buffers made inside a framework are reported, at the user's line
that called it: no buffer that large is a framework's own business.
"""

from theanolint.report.memory import size

CODE = "TL502"
NAME = "buffer-over-budget"
SEVERITY = "error"
NEEDS = {"memory"}  # the memory prediction


def check(function, options):
    if function.memory is None:
        return
    for buffer in function.memory.buffers:
        if buffer.on_gpu and buffer.nbytes > function.budget and buffer.var not in function.memory.assumed:
            yield function.finding(
                buffer.var,
                f"{buffer.var.type.dtype} buffer of shape "
                f"{buffer.shape} needs {buffer.nbytes:,} bytes "
                f"({size(buffer.nbytes)}), more than the budget of "
                f"{size(function.budget)}",
                bytes=buffer.nbytes,
                budget=function.budget,
                key=_buffer(buffer.var),
                framework=False,  # see "What it leaves out"
            )


def _buffer(var) -> str:
    """A buffer by its dtype and what makes it: a name, else the op's class."""
    made_by = var.name or (type(var.owner.op).__name__ if var.owner is not None else "input")
    return f"{var.type.dtype} {made_by}"
