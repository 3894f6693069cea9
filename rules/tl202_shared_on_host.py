"""A shared variable lives on the host and is copied to the GPU on every call.

What it does: Reports shared variables that stay in host memory (their dtype
or target kept them off the GPU) while the function uses them on the GPU,
so ``GpuFromHost`` copies them on every call.

Why is this bad: A parameter or index table copied to the GPU on every
minibatch costs a transfer and a synchronisation each time, for data that
never changes between calls.

Theano 1.0.5 keeps 0-d arrays (scalars) on the host unless asked, and
complex data always.

Example:
    temperature = theano.shared(np.float32(1.0), name="temperature")
    probs = T.nnet.softmax(scores / temperature)

Use instead:
    temperature = theano.shared(np.float32(1.0), name="temperature", target=None)
"""
from theanolint import graph
from theanolint.rulekit import describe, host_chain_sets, human_bytes, moves_to_gpu, nbytes

CODE = "TL202"
NAME = "shared-on-host"
SEVERITY = "warning"


def check(unit, options):
    for scope in unit.scopes():
        _, feeds = host_chain_sets(scope)
        for var in scope.fgraph.inputs:
            if graph.is_shared(var) and not graph.on_gpu(var) and moves_to_gpu(scope, var, feeds):
                size = nbytes(scope, var)
                yield unit.finding(var, f"shared variable {describe(var)} ({var.type.dtype}"
                                   f"{', ' + human_bytes(size) if size is not None else ''}) "
                                   "stays on the host and is copied to the GPU on every call; "
                                   "create it on the GPU with theano.shared(..., target=None)",
                                   bytes=size)
