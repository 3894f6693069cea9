"""A builder, or a module that registers builders, failed to run.

What it does: Reports a registered builder that raised, called
``sys.exit()``, ran out of memory (past ``worker_memory:``), made no Theano
function (e.g. returned a symbolic expression instead of calling
``theano.function``), or whose module failed to import, with the exception
and the line it came from.  The other functions are still linted.

Why is this bad: A function that cannot be built cannot be linted, and the
same error will stop training.

Example:
    @theanolint.register(name="lm.train")
    def train():
        return make_trainer(vocab_size)   # NameError: vocab_size

Use instead: Fix the builder so it runs without data or a GPU; build shapes
from small constants.

What it leaves out: nothing. A builder that fails is reported also when the
error is raised inside a framework; the message names the framework's frame.
"""

CODE = "TL001"
NAME = "build-error"
SEVERITY = "error"


def check(function, options):
    if function.build_error:
        message, where = function.build_error
        yield function.finding(where, message, key="build-error")
