"""A shared variable is copied between host and GPU on every call.

What it does: Reports shared variables that live on one side while the
function uses them on the other: host shared variables (Theano 1.0.5 keeps
0-d arrays and complex data on the host unless asked) that ``GpuFromHost``
copies to the GPU, and GPU shared variables that ``HostFromGpu`` copies back
because their consumer needs host data (advanced indexing reads its index
vector on the host).

Why is this bad: A parameter or index table copied on every minibatch costs
a transfer and a synchronisation each time, for data that never changes
between calls.

Example:
    temperature = theano.shared(np.float32(1.0), name="temperature")
    probs = T.nnet.softmax(scores / temperature)

Use instead:
    temperature = theano.shared(np.float32(1.0), name="temperature", target=None)

and for an index vector read on the host, ``theano.shared(ids, target="cpu")``.
"""

from theanolint.analysis import graph
from theanolint.report.memory import size
from theanolint.ruleset.helpers import describe, nbytes

CODE = "TL202"
NAME = "shared-on-host"
SEVERITY = "warning"


def check(function, options):
    for scope in function.scopes():
        for var in scope.fgraph.inputs:
            if not graph.is_shared(var):
                continue
            count = nbytes(scope, var)
            what = (
                f"shared variable {describe(var)} ({var.type.dtype}{', ' + size(count) if count is not None else ''})"
            )
            if not graph.on_gpu(var) and any(isinstance(c.op, graph.GpuFromHost) for c in scope.clients(var)):
                yield function.finding(
                    var,
                    f"{what} stays on the host and is copied to the GPU on "
                    "every call; create it on the GPU with "
                    "theano.shared(..., target=None)",
                    scope,
                    bytes=count,
                    key=f"to the GPU: {describe(var)}",
                )
            elif graph.on_gpu(var) and any(isinstance(c.op, graph.HostFromGpu) for c in scope.clients(var)):
                yield function.finding(
                    var,
                    f"{what} lives on the GPU but is copied to the host on "
                    "every call; keep it on the host with "
                    "theano.shared(..., target='cpu')",
                    scope,
                    bytes=count,
                    key=f"to the host: {describe(var)}",
                )
