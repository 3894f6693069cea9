"""Shared helpers for rule modules (what pre-commit's lang_base is to languages).

A rule module defines CODE, NAME, SEVERITY, a docstring in the form
"What it does / Why is this bad / Example / Use instead", and one
``check(unit, options)`` generator of findings.
"""

from typing import Any, Dict, Optional

import numpy as np

from theanolint.analysis import graph
from theanolint.analysis.memory import prediction as memory
from theanolint.analysis.sources import COPIES


def describe(var) -> str:
    """How a message names a variable: its name, else its type."""
    if var.name:
        return f"'{var.name}'"
    if graph.is_constant(var):
        return f"constant {np.asarray(var.data).tolist()!r}"[:60]
    return f"unnamed {var.type}"


def static_shape(scope: graph.Scope, var) -> Optional[tuple]:
    """The shape Theano's ShapeFeature can prove constant, else None."""
    if graph.is_shared(var):
        return tuple(np.shape(var.get_value(borrow=True, return_internal_type=True)))
    if graph.is_constant(var):
        return tuple(np.shape(var.data))
    feature = getattr(scope.fgraph, "shape_feature", None)
    if feature is None or var not in feature.shape_of:
        return None
    from theano.tensor import NotScalarConstantError, get_scalar_constant_value

    try:
        return tuple(int(get_scalar_constant_value(d)) for d in feature.shape_of[var])
    except (NotScalarConstantError, TypeError, ValueError):
        return None


def nbytes(scope: graph.Scope, var) -> Optional[int]:
    shape = static_shape(scope, var)
    if shape is None or graph.dtype(var) is None:
        return None
    return memory.nbytes(shape, var)


def runs_per_call(scope: graph.Scope) -> Optional[int]:
    """How often ``scope``'s graph runs per call: 1 outside, scans' constant step counts multiplied.

    None when a scan around it has a step count Theano cannot prove constant.
    """
    from theano.tensor import NotScalarConstantError, get_scalar_constant_value

    runs = 1
    while scope.parent is not None:
        if scope.node is not None and graph.is_scan(scope.node):
            try:
                runs *= int(get_scalar_constant_value(scope.node.inputs[0]))
            except (NotScalarConstantError, TypeError, ValueError):
                return None
        scope = scope.parent
    return runs


def lifted_as_float32(node) -> bool:
    """Whether Theano's optimizer would put ``node`` on the GPU if its float64 inputs were float32.

    Some GPU ops exist for float32 only (``GpuCumOp``): the same op on float64
    stays on the host.  Asks the optimizer itself, on a one-node copy.
    """
    import theano
    import theano.tensor as T
    from theano.gof import FunctionGraph

    if not any(graph.dtype(v) == "float64" for v in node.inputs):
        return False
    inputs = [
        T.TensorType("float32", v.type.broadcastable)() if graph.dtype(v) == "float64" else v.type()
        for v in node.inputs
    ]
    try:
        fgraph = FunctionGraph(inputs, node.op.make_node(*inputs).outputs, clone=False)
        theano.compile.mode.get_default_mode().optimizer.optimize(fgraph)
    except Exception:  # an op that refuses float32 inputs, or an optimizer failure: no evidence
        return False
    return any(graph.is_gpu_node(n) for n in fgraph.apply_nodes)


def shared_variables(unit):
    """Distinct shared variables of the function (clones share a container)."""
    seen: Dict[int, Any] = {}
    for scope in unit.scopes():
        for var in scope.fgraph.inputs:
            if graph.is_shared(var):
                seen.setdefault(id(var.container), var)
    return list(seen.values())


def host_chain_sets(scope: graph.Scope):
    """Host ops fed from the GPU (``fed``) and host ops feeding the GPU (``feeds``).

    Both sets follow chains of host ops, so a host op two steps away from a
    transfer still counts; mixed inputs count as fed if any input is.
    """
    nodes = scope.nodes
    fed, feeds = set(), set()
    for node in nodes:
        if (
            graph.is_host_node(node)
            and not graph.is_shape_op(node)
            and any(
                v.owner is not None and (isinstance(v.owner.op, graph.HostFromGpu) or v.owner in fed)
                for v in node.inputs
            )
        ):
            fed.add(node)
    for node in reversed(nodes):
        if graph.is_host_node(node) and any(
            isinstance(client.op, graph.GpuFromHost) or client in feeds
            for out in node.outputs
            for client in scope.clients(out)
        ):
            feeds.add(node)
    return fed, feeds


def is_slow_inc(node) -> bool:
    """The per-index GpuAdvancedIncSubtensor1 (not its atomic _dev20 subclass)."""
    from theano.gpuarray.subtensor import GpuAdvancedIncSubtensor1

    return type(node.op) is GpuAdvancedIncSubtensor1


_FORWARD_OPS = {
    "AdvancedIncSubtensor1": ("AdvancedSubtensor1", "GpuAdvancedSubtensor1"),
    "GpuAdvancedIncSubtensor1": ("AdvancedSubtensor1", "GpuAdvancedSubtensor1"),
    "GpuAdvancedIncSubtensor1_dev20": ("AdvancedSubtensor1", "GpuAdvancedSubtensor1"),
    "AdvancedIncSubtensor": ("AdvancedSubtensor", "GpuAdvancedSubtensor"),
    "GpuAdvancedIncSubtensor": ("AdvancedSubtensor", "GpuAdvancedSubtensor"),
}


def _index_root(var):
    """The index before transfers, casts and contiguity copies."""
    while var.owner is not None and (
        type(var.owner.op).__name__ in COPIES or "Cast" in str(getattr(var.owner.op, "scalar_op", ""))
    ):
        var = var.owner.inputs[0]
    return var


def _index_roots(variables):
    return [_index_root(v) for v in variables if not graph.is_constant(v)]


def forward_gather(scope, node):
    """The indexing op whose gradient ``node`` (an advanced inc-subtensor) is.

    Theano's trace of a gradient node points at the ``T.grad`` call; the
    forward indexing, found by its shared index variables, names the line
    the user wrote the indexing on.
    """
    forward = _FORWARD_OPS.get(type(node.op).__name__)
    if forward is None:
        return None
    roots = _index_roots(node.inputs[2:])
    for candidate in scope.nodes:
        if (
            type(candidate.op).__name__ in forward
            and candidate.inputs[0].ndim == node.inputs[0].ndim
            and _index_roots(candidate.inputs[1:]) == roots
        ):
            return candidate
    return None
