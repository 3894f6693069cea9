"""A builder wrote to stdout while building.

What it does: Reports a builder that printed to standard output (``print``,
``sys.stdout.write``, or C code writing to file descriptor 1), with the
number of lines and the first one.  theanolint captures the text, so its
own report on stdout stays valid JSON or SARIF; ``theanolint -v`` shows the
text with the worker's log.  Output to stderr, where libraries log and warn,
is not reported.  What a project module prints when it is imported is reported
the same way, at the ``print`` when theanolint finds it (else at line 1 of the
module).

Why is this bad: Code that builds a model runs in many programs: a training
script whose stdout is piped into another tool, a job whose stdout is its
result file, a hook.  Text printed while building ends up in all of their
output, and is most often a debugging leftover.

Example:
    @theanolint.register(name="mlp.train")
    def train():
        model = build_mlp()
        print("parameters:", model.count_params())
        return model.train_function()

Use instead:
    log = logging.getLogger(__name__)
    ...
        log.info("parameters: %d", model.count_params())

What it leaves out: what goes to stderr (where libraries log and warn;
theanolint -v shows it). Output a framework prints while the builder calls it
counts: it ends up in the same stream.
"""

CODE = "TL007"
NAME = "printed-while-building"
SEVERITY = "warning"

LIMIT = 195  # characters of the message
TAIL = "; log it instead (theanolint kept it out of its report; -v shows it)"


def check(function, options):
    conduct = function.conduct
    if conduct is None or not conduct.stdout:
        return
    lines = conduct.stdout.splitlines() or [""]
    first = next((line for line in lines if line.strip()), lines[0]).strip()
    if conduct.imported:
        where = conduct.stdout_at or function.register
        head = f"importing {where.path} wrote {len(lines)} line(s) to stdout, the first: "
    else:
        where = function.register
        head = f"builder {function.name!r} wrote {len(lines)} line(s) to stdout while building, the first: "
    room = max(LIMIT - len(head) - len(TAIL), 20)
    shown = repr(first)
    if len(shown) > room:
        shown = repr(first[: room - 5] + "...")
    yield function.finding(
        where, head + shown + TAIL, key="stdout", first=first[:1000], at_import=bool(conduct.imported)
    )
