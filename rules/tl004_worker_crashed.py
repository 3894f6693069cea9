"""The worker process died while running a builder.

What it does: Reports a builder during which the worker process ended: a
crash in C code (a segmentation fault, often a stack overflow in a very deep
graph), the kernel killing it for memory, or ``os._exit``.  The other
builders are still linted by a fresh worker.

Why is this bad: The same crash would end training or compilation; and the
builder's functions were not linted.

Example:
    @theanolint.register(name="resnet.train")
    def train():
        return build_resnet(depth=1000)       # overflows the C stack

Use instead: Fix what crashes (the message says how the process ended); for
deep models, build a shallower variant for linting.

This rule's findings come from the process that runs the workers, not
from a check of each function.

What it leaves out: nothing: a crash is reported whichever code crashed, the
user's, a framework's or Theano's.
"""

CODE = "TL004"
NAME = "worker-crashed"
SEVERITY = "error"
REPORTED_BY = "pool"  # theanolint.workers.pool
