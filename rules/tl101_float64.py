"""Ops of the optimized graph compute float64 (or complex128) values.

What it does: Finds every op that computes a float64/complex128 value and
reports the root causes it flows from: float64 shared variables, constants
and inputs, and the ops that upcast float32 to float64 (an int64 operand,
an explicit cast).  One finding per root cause, with the number of ops it
reaches.  Integer shape arithmetic is not float64 and is never reported.

Why is this bad: GPUs run float64 many times slower than float32, and some
float64 ops have no GPU version at all, so they run on the CPU with copies
in between.  One float64 constant can turn a whole layer into float64.

Example:
    W = theano.shared(np.random.randn(784, 100))      # float64 array
    h = T.nnet.sigmoid(x.dot(W) * np.float64(0.5))

Use instead:
    W = theano.shared(np.random.randn(784, 100).astype(theano.config.floatX))
    h = T.nnet.sigmoid(x.dot(W) * np.float32(0.5))
"""

from collections import deque
from typing import Any, Dict

from theanolint.analysis import graph, optimize
from theanolint.ruleset.helpers import describe

CODE = "TL101"
NAME = "float64"
SEVERITY = "error"


def _is_float64(var) -> bool:
    return graph.dtype(var) in graph.FLOAT64_DTYPES


def _causes(node, memo, locate, inner_inputs):
    """Leaves and float64-producing ops that make ``node`` compute float64.

    Constants without a user line were made by the optimizer (often a lifted
    copy of the user's constant): they count only when nothing else explains
    the node.  Inputs of an inner graph carry an outer value whose cause the
    outer graph reports.
    """
    if node in memo:
        return memo[node]
    memo[node] = frozenset()  # guards against cycles through inner graphs
    causes, untraced, float64_inputs = set(), set(), False
    for var in node.inputs:
        if not _is_float64(var):
            continue
        float64_inputs = True
        if var.owner is not None:
            causes |= _causes(var.owner, memo, locate, inner_inputs)
        elif graph.is_constant(var) and locate.own(var) is None:
            untraced.add(var)
        elif var not in inner_inputs or graph.is_shared(var):
            causes.add(var)
    if not float64_inputs and not optimize.has_inner_graph(node):
        causes = {node}  # the node itself makes float64 from other dtypes
    memo[node] = frozenset(causes or untraced)
    return memo[node]


def _key(cause) -> str:
    """The cause: an op by its class and input dtypes, a variable by what it is."""
    if hasattr(cause, "op"):
        dtypes = sorted({str(graph.dtype(v)) for v in cause.inputs if graph.dtype(v)})
        scalar = getattr(cause.op, "scalar_op", None)
        inner = f"{{{type(scalar).__name__}}}" if scalar is not None else ""
        return f"{type(cause.op).__name__}{inner}({', '.join(dtypes)})"
    if graph.is_constant(cause):
        return describe(cause)
    return f"{'shared' if graph.is_shared(cause) else 'input'} {describe(cause)}"


def _message(cause, nodes):
    gpu = sum(graph.is_gpu_node(n) for n in nodes)
    host = sum(graph.is_host_node(n) for n in nodes)
    reach = f"{len(nodes)} op(s) compute float64 ({gpu} on the GPU, {host} on the host)"
    if hasattr(cause, "op"):
        dtypes = sorted({str(graph.dtype(v)) for v in cause.inputs if graph.dtype(v)})
        if not any(_is_float64(out) for out in cause.outputs):
            return (
                f"fused {cause.op} computes in float64 inside from {', '.join(dtypes)}; "
                f"{reach}. Cast the integer operand to theano.config.floatX before the "
                "arithmetic"
            )
        if "Cast{float64}" in str(cause.op):
            return (
                f"{cause.op} casts {', '.join(dtypes)} to float64; {reach}. A mean or "
                "sum of integers does this: pass dtype=theano.config.floatX, or cast to floatX"
            )
        if any(d.startswith("float") for d in dtypes):
            return (
                f"{cause.op} upcasts {', '.join(dtypes)} to float64; {reach}. "
                "Cast the integer operand to theano.config.floatX"
            )
        return (
            f"{cause.op} creates float64 values; {reach}. Ask for dtype=theano.config.floatX where this tensor is made"
        )
    if graph.is_shared(cause):
        fix = "create it from an array of dtype theano.config.floatX"
        kind = "shared variable"
    elif graph.is_constant(cause):
        fix = "use np.float32 / theano.config.floatX for the constant"
        kind = "constant"
    else:
        fix = "declare the input with dtype theano.config.floatX"
        kind = "input"
    return f"float64 {kind} {describe(cause).replace('constant ', '')} makes {reach}; {fix}"


def _path_back(cause, nodes):
    """The float64 path from the last op ``cause`` reaches back to ``cause``, cause last.

    Only for the HTML report's picture of the finding; walks the reached ops only.
    """
    start = nodes[-1]
    if start is cause:
        return [cause]
    reached, previous, queue = set(nodes), {start: None}, deque([start])
    while queue:
        node = queue.popleft()
        for var in node.inputs:
            if var is cause or var.owner is cause:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return path[::-1] + [cause]
            if var.owner in reached and var.owner not in previous:
                previous[var.owner] = node
                queue.append(var.owner)
    return [start, cause]


def check(function, options):
    for scope in function.scopes():
        memo: Dict[Any, Any] = {}
        reached: Dict[Any, Any] = {}
        inner_inputs = set(scope.fgraph.inputs) if scope.parent is not None else set()
        for node in scope.nodes:
            if graph.computes_float64(node):
                for cause in _causes(node, memo, function.locate, inner_inputs):
                    reached.setdefault(cause, []).append(node)
        for cause, nodes in reached.items():
            yield function.finding(
                cause, _message(cause, nodes), scope, subjects=_path_back(cause, nodes), ops=len(nodes), key=_key(cause)
            )
