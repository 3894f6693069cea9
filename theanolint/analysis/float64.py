"""Where a graph's float64 comes from: its root causes, each reported once (TL101).

``causes_of(node)`` walks float64 values back to what makes them float64: a
float64 shared variable, input or constant, or an op that makes float64 from
other dtypes (an int64 operand, a cast).  ``group`` then counts the causes that
are float64 only because another one is (``minor``) with that one:

- optimizer state: a float64 shared variable that has an update and is read
  only by elementwise ops on the way to the updates (a momentum velocity made
  with ``np.zeros_like(W.get_value())``), when its update meets another cause;
- the cast of a shape to float64 (the ``n`` T.mean divides by, which is float64
  when the sum is) and a tensor Theano fills (``zeros_like``, the optimizer's
  zero bias), when they meet another cause.

A minor cause "meets" another when one op's float64 flows from both.  Everything
else (a ``np.float64`` constant, a cast or an int64 operand the user wrote)
stays a cause of its own: fixing another cause would not remove it.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Set

from theanolint.analysis import graph, optimize
from theanolint.analysis.sources import COPIES

_PASS_THROUGH = COPIES + ("Rebroadcast",)
_FILLS = ("Alloc", "GpuAlloc")
_SHAPE_WALK = 64  # ancestors a shape check looks at before it gives up


@dataclass
class Cause:
    thing: Any  # a variable (shared, input, constant) or the apply node that makes float64
    nodes: List[Any]  # the float64 ops it reaches, in topological order
    merged: List[Any] = field(default_factory=list)  # the minor causes counted with it


def is_float64(var) -> bool:
    return graph.dtype(var) in graph.FLOAT64_DTYPES


def is_integer(var) -> bool:
    return str(graph.dtype(var)).startswith(("int", "uint", "bool"))


def theano_made(var, locate) -> bool:
    """A constant without a line of the user's own: made by the optimizer (a lifted
    copy, a folded ``1/n``) or by T.grad (the ``1`` of ``1 - tanh**2``)."""
    return graph.is_constant(var) and (locate.own(var) is None or locate.made_by_gradient(var))


def causes_of(node, memo, locate, inner_inputs) -> FrozenSet[Any]:
    """Leaves and float64-producing ops that make ``node`` compute float64.

    Constants Theano made count only when nothing else explains the node; a node
    whose only float64 operands are such constants and which has an integer
    operand is itself the cause (the folded ``1/n`` times an integer sum), and so
    is one that divides integer data by a mean's float64 ``n``.  Inputs
    of an inner graph carry an outer value whose cause the outer graph reports.
    """
    if node in memo:
        return memo[node]
    memo[node] = frozenset()  # guards against cycles through inner graphs
    causes: Set[Any] = set()
    made: Set[Any] = set()
    float64_inputs = False
    for var in node.inputs:
        if not is_float64(var):
            continue
        float64_inputs = True
        if var.owner is not None:
            causes |= causes_of(var.owner, memo, locate, inner_inputs)
        elif theano_made(var, locate):
            made.add(var)
        elif var not in inner_inputs or graph.is_shared(var):
            causes.add(var)
    integers = [v for v in node.inputs if is_integer(v) and not graph.is_constant(v)]
    if not optimize.has_inner_graph(node) and (
        (not causes and (not float64_inputs or (made and integers)))
        or (causes and _divides_integers(node, causes, integers))
    ):
        causes = {node}  # the node itself makes float64 from other dtypes
    memo[node] = frozenset(causes or made)
    return memo[node]


def _divides_integers(node, causes, integers) -> bool:
    """An integer value divided by the float64 ``n`` of a mean: the mean of integers
    is the cause (the cast of ``n`` may be shared with a float64 mean elsewhere)."""
    return all(hasattr(c, "op") and is_shape_cast(c) for c in causes) and any(not _from_shapes(v) for v in integers)


def through(var):
    """``var`` before transfers, contiguity copies and broadcasts."""
    while var.owner is not None and (
        type(var.owner.op).__name__ in _PASS_THROUGH or type(var.owner.op).__name__.endswith("DimShuffle")
    ):
        var = var.owner.inputs[0]
    return var


def _elementwise(node) -> bool:
    from theano.tensor.elemwise import DimShuffle, Elemwise

    return isinstance(node.op, (Elemwise, DimShuffle)) or type(node.op).__name__ in _PASS_THROUGH


def is_state(scope, var) -> bool:
    """A shared variable with an update, read only by elementwise ops that lead to
    the updates (optimizer state: a velocity, Adam's moments), never to an output."""
    fgraph = scope.fgraph
    mapping = getattr(fgraph, "update_mapping", None) or {}
    if scope.parent is not None or not graph.is_shared(var) or var not in fgraph.inputs:
        return False
    if fgraph.inputs.index(var) not in mapping.values():
        return False
    seen, stack = set(), [var]
    while stack:
        for client, index in fgraph.clients(stack.pop()):
            if client == "output":
                if index not in mapping:
                    return False
            elif client not in seen:
                if not _elementwise(client):
                    return False
                seen.add(client)
                stack.extend(client.outputs)
    return True


def _from_shapes(var) -> bool:
    """Computed from shapes and constants only (a mean's ``n``)."""
    stack, seen = [var], 0
    while stack:
        var = stack.pop()
        seen += 1
        if seen > _SHAPE_WALK:
            return False
        if var.owner is None:
            if not graph.is_constant(var):
                return False
        elif not graph.is_shape_op(var.owner):
            stack.extend(var.owner.inputs)
    return True


def is_cast(node) -> bool:
    scalar = str(getattr(node.op, "scalar_op", ""))
    return scalar.startswith("Cast{float64}") or scalar.startswith("Cast{complex128}")


def is_shape_cast(node) -> bool:
    """A cast of shapes to float64: the ``n`` of a T.mean whose sum is float64 or integer."""
    return is_cast(node) and all(_from_shapes(v) for v in node.inputs)


def is_minor(scope, cause) -> bool:
    """Float64 only when something it meets is (see the module's docstring)."""
    if not hasattr(cause, "op"):
        return is_state(scope, cause)
    return type(cause.op).__name__ in _FILLS or is_shape_cast(cause)


def _same_shape(a, b) -> bool:
    if not (graph.is_shared(a) and graph.is_shared(b)):
        return False
    value = a.get_value(borrow=True, return_internal_type=True)
    other = b.get_value(borrow=True, return_internal_type=True)
    return getattr(value, "shape", None) == getattr(other, "shape", None)


def _text(cause) -> str:
    return str(cause.op) if hasattr(cause, "op") else f"{cause.name}:{cause.type}"


def group(scope, locate) -> List[Cause]:
    """The causes of ``scope``'s float64, minor ones counted with what they meet."""
    nodes = scope.nodes
    order = {node: index for index, node in enumerate(nodes)}
    inner_inputs = set(scope.fgraph.inputs) if scope.parent is not None else set()
    memo: Dict[Any, FrozenSet[Any]] = {}
    reached: Dict[Any, List[Any]] = {}
    for node in nodes:
        if graph.computes_float64(node):
            for cause in causes_of(node, memo, locate, inner_inputs):
                reached.setdefault(cause, []).append(node)
    rank = {cause: (order[found[0]], _text(cause)) for cause, found in reached.items()}
    minor = {cause for cause in reached if is_minor(scope, cause)}
    owner: Dict[Any, Any] = {}
    for node in nodes:
        here = memo.get(node, frozenset())
        major = sorted((c for c in here if c in reached and c not in minor), key=rank.__getitem__)
        for cause in sorted((c for c in here if c in minor and c not in owner), key=rank.__getitem__):
            if major:
                owner[cause] = next((m for m in major if _same_shape(cause, m)), major[0])
    found: Dict[Any, Cause] = {}
    for cause in sorted(reached, key=rank.__getitem__):
        if cause not in owner:
            found[cause] = Cause(cause, list(reached[cause]))
    for cause in sorted(owner, key=rank.__getitem__):
        target = found[owner[cause]]
        target.merged.append(cause)
        target.nodes = sorted(set(target.nodes) | set(reached[cause]), key=order.__getitem__)
    return list(found.values())
