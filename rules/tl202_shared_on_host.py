"""A shared variable is copied between host and GPU on every call.

What it does: Reports shared variables that live on one side while the
function uses them on the other: host shared variables (Theano 1.0.5 keeps
0-d arrays and complex data on the host unless asked) that ``GpuFromHost``
copies to the GPU, directly or after host ops computed from them (adam's
``t + 1``), and GPU shared variables that ``HostFromGpu`` copies back because
their consumer needs host data: a host op, a float64 op whose GPU version
exists for float32 only (``cumsum``), or advanced indexing that reads its
index vector on the host.

Why is this bad: A parameter or index table copied on every minibatch costs
a transfer and a synchronisation each time, for data that never changes
between calls.

Example:
    temperature = theano.shared(np.float32(1.0), name="temperature")
    probs = T.nnet.softmax(scores / temperature)

Use instead:
    temperature = theano.shared(np.asarray(1.0, dtype=theano.config.floatX), name="temperature", target=None)

(Theano's GPU constructor takes arrays, not numpy scalars); make a float64
value float32 with ``np.asarray(..., dtype=theano.config.floatX)``; keep an
index vector on the host with ``theano.shared(ids, target="cpu")``.

What it leaves out: RandomStreams' state (a numpy ``RandomState``, never
copied), an integer index vector on the host that only GPU indexing reads
(uploading it is the cheapest place for it), host ops that also read GPU
data (TL201 reports those), and state a framework made (``frameworks: true``
reports it).
"""

from typing import Any, List, Set

from theanolint.analysis import graph
from theanolint.report.memory import size
from theanolint.ruleset.helpers import describe, host_chain_sets, lifted_as_float32, nbytes

CODE = "TL202"
NAME = "shared-on-host"
SEVERITY = "warning"

_INDEXING = ("AdvancedSubtensor", "AdvancedIncSubtensor")  # GPU classes are named Gpu + these (+ 1, _dev20)


def _index_only(scope: graph.Scope, var) -> bool:
    """``var`` (an uploaded integer vector) is read only as the index of GPU advanced indexing."""
    clients = scope.clients(var)
    for client in clients:
        name = type(client.op).__name__
        if name == "GpuContiguous":
            if not _index_only(scope, client.outputs[0]):
                return False
        elif not (name.startswith("Gpu") and any(k in name for k in _INDEXING)):
            return False
        elif var in client.inputs[: 2 if "IncSubtensor" in name else 1]:
            return False  # the data indexed or written, not the index
    return bool(clients)


def _host_chain(scope: graph.Scope, var, feeds: Set, fed: Set) -> List[Any]:
    """The host ops between ``var`` and a GpuFromHost that read only host data (TL201 has the rest)."""
    chain: List[Any] = []
    todo = [var]
    while todo:
        for client in scope.clients(todo.pop()):
            if client in feeds and client not in fed and not graph.is_shape_op(client) and client not in chain:
                chain.append(client)
                todo.extend(client.outputs)
    return chain


def _gpu_value(var) -> str:
    dtype = graph.dtype(var) or ""
    kind = "floatX" if dtype.startswith("float") else repr(dtype)
    return f"theano.shared(np.asarray(value, {kind}), target=None)"


def check(function, options):
    for scope in function.scopes():
        fed, feeds = host_chain_sets(scope)
        for var in scope.fgraph.inputs:
            dtype = graph.dtype(var)
            if not graph.is_shared(var) or dtype is None:
                continue  # RandomStreams' RandomState: no dtype, and never copied
            count = nbytes(scope, var)
            amount = f", {size(count)}" if count is not None else ""
            what = f"{'shared variable ' + describe(var) if var.name else 'unnamed shared variable'} "
            what += f"({dtype}{amount})"
            origin = function.origin(var)
            framework = not origin.actionable
            upload = f"made by {origin.made_by}" if framework else f"use {_gpu_value(var)}"
            clients = scope.clients(var)
            if not graph.on_gpu(var):
                uploads = [c for c in clients if isinstance(c.op, graph.GpuFromHost)]
                chain = [] if uploads else _host_chain(scope, var, feeds, fed)
                integer = dtype.startswith(("int", "uint"))
                if uploads and not (integer and all(_index_only(scope, c.outputs[0]) for c in uploads)):
                    yield function.finding(
                        var,
                        f"{what} is on the host and copied to the GPU every call; {upload}",
                        scope,
                        bytes=count,
                        key=f"to the GPU: {describe(var)}",
                        framework=framework,
                    )
                elif chain:
                    yield function.finding(
                        var,
                        f"{what} is on the host; {len(chain)} host op(s) use it for the GPU every call; {upload}",
                        scope,
                        [var, *chain],
                        ops=len(chain),
                        key=f"to the GPU through host ops: {describe(var)}",
                        framework=framework,
                    )
                continue
            downloads = [c for c in clients if isinstance(c.op, graph.HostFromGpu)]
            if not downloads:
                continue
            readers = [n for c in downloads for n in scope.clients(c.outputs[0])]
            if dtype == "float64" and readers and all(lifted_as_float32(n) for n in readers):
                advice = f"{type(readers[0].op).__name__} runs on the GPU in float32 only: make it floatX"
            elif dtype.startswith(("int", "uint")):
                advice = "keep the index on the host: theano.shared(..., target='cpu') (one upload per call)"
            else:
                advice = "keep it on the host: theano.shared(..., target='cpu')"
            if framework:
                advice = f"made by {origin.made_by}"
            yield function.finding(
                var,
                f"{what} is copied from the GPU to the host every call; {advice}",
                scope,
                bytes=count,
                key=f"to the host: {describe(var)}",
                framework=framework,
            )
