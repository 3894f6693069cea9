"""A builder changed global state: Theano's flags, the working directory, ...

What it does: Reports a builder that left ``theano.config`` flags, the
working directory, environment variables, numpy's error handling
(``np.seterr``), the recursion limit or ``sys.stdout``/``sys.stderr``
changed, naming each change.  theanolint restores them after the builder,
so the builders linted after it (in the same worker) are unaffected, and
the builder's own functions are linted with the project's settings.

Why is this bad: In your program nothing restores them: every model built
after this one is built differently (``floatX=float64`` makes the next
model compute in float64 on the GPU; test values, another optimizer or
working directory change what later code does), depending on the order in
which things are built.

Example:
    @theanolint.register(name="lm.train")
    def train():
        theano.config.compute_test_value = "raise"     # for the whole process
        os.chdir("data")
        return make_trainer(load_vocabulary("vocab.txt"))

Use instead:
    @theanolint.register(name="lm.train")
    def train():
        with theano.change_flags(compute_test_value="raise"):     # only in this block
            return make_trainer(load_vocabulary(os.path.join("data", "vocab.txt")))
"""

import re

CODE = "TL006"
NAME = "changed-global-state"
SEVERITY = "error"


def check(function, options):
    conduct = function.conduct
    if conduct is not None and conduct.changes:
        yield function.finding(
            function.register,
            f"builder {function.name!r} changed "
            f"{'; '.join(conduct.changes)}; theanolint restored it for the other "
            "builders, your program does not",
            key="; ".join(sorted(_what(change) for change in conduct.changes)),
        )


def _what(change: str) -> str:
    """What a change is of (``theano.config.floatX``), without the values."""
    return re.split(r" \(| '| -> ", change, maxsplit=1)[0]
