"""A builder wrote to stdout while building.

What it does: Reports a builder that printed to standard output (``print``,
``sys.stdout.write``, or C code writing to file descriptor 1), with the
number of lines and the first one.  theanolint captures the text, so its
own report on stdout stays valid JSON or SARIF; ``theanolint -v`` shows the
text with the worker's log.  Output to stderr, where libraries log and warn,
is not reported.

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
"""

CODE = "TL007"
NAME = "printed-while-building"
SEVERITY = "warning"

MAX_SHOWN = 80


def check(function, options):
    conduct = function.conduct
    if conduct is None or not conduct.stdout:
        return
    lines = conduct.stdout.splitlines() or [""]
    first = next((line for line in lines if line.strip()), lines[0]).strip()
    if len(first) > MAX_SHOWN:
        first = first[: MAX_SHOWN - 3] + "..."
    yield function.finding(
        function.register,
        f"builder {function.name!r} wrote {len(lines)} line(s) to stdout "
        f"while building, the first: {first!r}; log it instead (theanolint kept it "
        "out of its report; -v shows it)",
        key="stdout",
    )
