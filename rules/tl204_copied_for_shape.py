"""A whole GPU tensor is copied to the host only to read its shape.

What it does: Reports ``HostFromGpu`` copies whose result is used only for
its shape (``Shape``, ``Shape_i``, also through host views such as
``DimShuffle``), with the bytes copied per call where the shape is known.
Theano leaves such a copy when it cannot infer a shape symbolically: most
often ``out.shape`` of a scan output whose step shape depends on the data
(the whole ``n_steps``-long output crosses for one number).  Inside a scan
the copy runs on every step.

Why is this bad: The copy synchronises the GPU and moves the whole tensor
over PCIe to read a few integers that the graph knows elsewhere, often the
shape of an input or a size the code chose.

Example:
    out, _ = theano.scan(step, sequences=[x])
    n = out.shape[1]               # Theano copies all of out to the host

Use instead: Read the dimension where it is known: from the input the
tensor came from (``x.shape`` before the scan), or give it as a Python int:

    n = n_hidden

What it leaves out: Shape reads of tensors that already live on the host,
``x.shape`` of a GPU tensor that Theano reads on the GPU (no copy), and, outside
scans, copies of results of other ops whose shape Theano cannot infer (a
leftover ``Print``, advanced indexing on OpenCL): there the shape is read by
Theano's own gradient or by the Print, the advice cannot be followed, and TL601
or TL201 names what to change. Shape reads made deep inside a framework; option
``frameworks: true`` reports them.
"""

from typing import Any, Optional

from theanolint.analysis import graph
from theanolint.report.memory import size
from theanolint.ruleset.helpers import describe, nbytes, runs_per_call

CODE = "TL204"
NAME = "copied-for-shape"
SEVERITY = "warning"

# Host ops that pass their input's data through untouched (views, checks): reading
# their result's shape reads no data.
_VIEWS = ("DimShuffle", "Rebroadcast", "SpecifyShape", "Reshape")


def _only_shape_read(scope: graph.Scope, var) -> bool:
    """Whether ``var``'s data is never read: only its shape is, also through host views."""
    if any(client == "output" for client, _ in scope.fgraph.clients(var)):
        return False
    clients = scope.clients(var)
    if not clients:
        return False
    for client in clients:
        if graph.is_shape_op(client):
            continue
        if (
            type(client.op).__name__ in _VIEWS
            and graph.is_host_node(client)
            and client.inputs[0] is var
            and var not in client.inputs[1:]
            and _only_shape_read(scope, client.outputs[0])
        ):
            continue
        return False
    return True


def _what(tensor) -> str:
    if tensor.name or tensor.owner is None:
        return describe(tensor)
    kind = f"({tensor.type.dtype}, {tensor.ndim}-D)"
    if graph.is_scan(tensor.owner):
        return f"output {kind} of scan '{tensor.owner.op.name or 'scan_fn'}'"
    return f"result {kind} of {type(tensor.owner.op).__name__}"


def _advice(scope: graph.Scope, tensor) -> str:
    if scope.parent is not None:
        return "read the dimension before the scan or use a Python int"
    source = "the scan's inputs" if tensor.owner is not None and graph.is_scan(tensor.owner) else "its inputs"
    return f"take the dimension from {source} or use a Python int"


def _moved(count: Optional[int], runs: Optional[int], inside: bool) -> str:
    every = ", every step" if inside else ""
    if count is None:
        return f"size unknown{every}"
    if runs is None:
        return f"{size(count)} per step"
    return f"{size(count * runs)} per call{f', {runs} steps' if inside else ''}"


def check(function, options):
    for scope in function.scopes():
        for node in scope.nodes:
            if not isinstance(node.op, graph.HostFromGpu) or not _only_shape_read(scope, node.outputs[0]):
                continue
            tensor: Any = node.inputs[0]
            inside = scope.parent is not None
            if not inside and not (tensor.owner is not None and graph.is_scan(tensor.owner)):
                continue  # see "What it leaves out"
            count = nbytes(scope, tensor)
            runs = runs_per_call(scope)
            total = count * runs if count is not None and runs is not None else None
            yield function.finding(
                tensor,
                f"{_what(tensor)} is copied to the host only for its shape "
                f"({_moved(count, runs, inside)}); {_advice(scope, tensor)}",
                scope,
                subjects=[node, *scope.clients(node.outputs[0])],
                bytes=total,
                bytes_per_copy=count,
                copies=runs,
                key=f"shape of {_what(tensor)}",
            )
