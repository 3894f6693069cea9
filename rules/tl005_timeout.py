"""A builder and its functions took longer than the per-function timeout.

What it does: Reports a builder that ran past ``timeout:`` seconds (building,
optimizing and linting its functions); its worker is stopped and the other
builders are still linted.

Why is this bad: A builder that hangs (waiting for data, a lock or the
network) or an optimization that takes minutes makes the hook unusable.

Example:
    @theanolint.register(name="lm.train")
    def train():
        data = load_corpus("/data/corpus.txt")    # minutes of reading
        return make_trainer(data)

Use instead: Build from small, synthetic inputs; raise ``timeout:`` for a
model whose optimization really takes that long.

This rule's findings come from the process that runs the workers, not
from a check of each function.

What it leaves out: nothing: a timeout is reported whichever code was running.
"""

CODE = "TL005"
NAME = "timeout"
SEVERITY = "error"
REPORTED_BY = "pool"  # theanolint.workers.pool
