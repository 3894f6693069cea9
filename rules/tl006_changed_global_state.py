"""A builder changed global state: Theano's flags, the working directory, ...

What it does: Reports a builder that left ``theano.config`` flags, the
working directory, environment variables, numpy's error handling
(``np.seterr``), the recursion limit or ``sys.stdout``/``sys.stderr``
changed, naming each change.  theanolint restores them after the builder,
so the builders linted after it (in the same worker) are unaffected, and
the builder's own functions are linted with the project's settings.  A
project module that changes them when it is imported (a tutorial's
``sys.setrecursionlimit(1500)`` at module level) is reported the same way, at
the statement that did it when theanolint finds it (else at line 1 of the
module); theanolint restores the state after the import, so every builder is
linted with the project's settings.  Environment variables set at import are
left alone: setting ``KERAS_BACKEND`` there configures what is imported after.

Why is this bad: In your program nothing restores them: every model built
after this one is built differently (``floatX=float64`` makes the next
model compute in float64 on the GPU; test values, another optimizer or
working directory change what later code does), depending on the order in
which things are built.  A module that changes them at import changes them
for everything that imports it, also for code that only wanted one helper.

Example:
    @theanolint.register(name="lm.train")
    def train():
        theano.config.compute_test_value = "raise"     # for the whole process
        os.chdir("data")
        return make_trainer(load_vocabulary("vocab.txt"))

    # tutorial.py, at module level: every program that imports it gets this limit
    sys.setrecursionlimit(1500)

Use instead:
    @theanolint.register(name="lm.train")
    def train():
        with theano.change_flags(compute_test_value="raise"):     # only in this block
            return make_trainer(load_vocabulary(os.path.join("data", "vocab.txt")))

    # tutorial.py: no limit at import; a script that needs one sets it in its main()

What it leaves out: environment variables set while a module is imported (they
configure what is imported after, as KERAS_BACKEND does). Changes a framework
makes count: the builder called it, and the next builder would see them.
"""

import re

CODE = "TL006"
NAME = "changed-global-state"
SEVERITY = "error"

LIMIT = 195  # characters of the message
BUILDER_TAIL = "; theanolint restored it for the other builders, your program does not"
IMPORT_TAIL = "; every builder runs with it: set and restore it where needed, or not at all"


def check(function, options):
    conduct = function.conduct
    if conduct is None or not conduct.changes:
        return
    if conduct.imported:
        where = conduct.changes_at or function.register
        head, tail = f"importing {where.path} changed ", IMPORT_TAIL
    else:
        where = function.register
        head, tail = f"builder {function.name!r} changed ", BUILDER_TAIL
    listed, complete = _listed(conduct.changes, LIMIT - len(head) - len(tail))
    data = {"changes": list(conduct.changes), "at_import": bool(conduct.imported)}
    if not complete:
        data["details"] = list(conduct.changes)
    yield function.finding(
        where,
        head + listed + tail,
        key="; ".join(sorted(_what(change) for change in conduct.changes)),
        **data,
    )


def _listed(changes, room: int):
    """As many changes as fit in ``room`` characters, then "and N more"; whether all fit."""
    for shown in range(len(changes), 0, -1):
        more = f" and {len(changes) - shown} more change(s)" if shown < len(changes) else ""
        text = "; ".join(changes[:shown]) + more
        if len(text) <= room:
            return text, shown == len(changes)
    more = f" and {len(changes) - 1} more change(s)" if len(changes) > 1 else ""
    first = changes[0][: max(room - len(more) - 3, 10)] + "..."
    return first + more, False


def _what(change: str) -> str:
    """What a change is of (``theano.config.floatX``), without the values."""
    return re.split(r" \(| '| -> ", change, maxsplit=1)[0]
