"""Ops of the optimized graph compute float64 (or complex128) values.

What it does: Finds every op that computes a float64/complex128 value and
reports the root causes it flows from: float64 shared variables, constants
and inputs, and the ops that upcast float32 to float64 (an int64 operand,
an explicit cast, a mean of integers).  One finding per root cause, with the
number of ops it reaches.  Integer shape arithmetic is not float64 and is
never reported.

What is float64 only because of another cause is counted with it, not
reported again: a float64 parameter ``W`` makes the optimizer state updated
from its gradient float64 (a shared variable with an update, read only by
elementwise ops on the way to the updates, such as a velocity made with
``np.zeros_like(W.get_value())``), the cast of the ``n`` a ``T.mean`` divides
by, and the zeros Theano fills in.  A ``np.float64`` constant or a cast the
user wrote stays a finding of its own.  Float64 made inside ``T.grad`` is
reported at the forward expression it is the gradient of; the ``1/n`` Theano
folds into a constant for a mean over a static size, at the ``T.mean``.

Why is this bad: GPUs run float64 many times slower than float32, and some
float64 ops have no GPU version at all, so they run on the CPU with copies
in between.  One float64 constant can turn a whole layer into float64.

Example:
    W = theano.shared(np.random.randn(784, 100))      # float64 array
    h = T.nnet.sigmoid(x.dot(W) * np.float64(0.5))

Use instead:
    W = theano.shared(np.random.randn(784, 100).astype(theano.config.floatX))
    h = T.nnet.sigmoid(x.dot(W) * np.float32(0.5))

What it leaves out: float64 that is only a consequence of another reported
cause (see above), and float64 made inside a framework that the user did not
pass in: its own constants, casts and state, deep in its code (TheanoLM's cost
divides by an int64 word count). A float64 array the user passes to a
framework (W=...) is the user's and is reported. Option frameworks: true
reports the rest, at the user's call into the framework.
"""

from collections import deque
from typing import Any, Dict, List, Optional, Tuple

from theanolint.analysis import float64, graph
from theanolint.findings import Location
from theanolint.ruleset import naming
from theanolint.ruleset.helpers import describe

CODE = "TL101"
NAME = "float64"
SEVERITY = "error"

_LONGEST = 160  # characters of a message, leaving room for " (inside scan '...')"


def _dtypes(node, constants: bool = True) -> str:
    inputs = [v for v in node.inputs if constants or not graph.is_constant(v)]
    return ", ".join(sorted({str(graph.dtype(v)) for v in inputs if graph.dtype(v)}))


def _key(cause) -> str:
    """The cause: an op by its class and input dtypes, a variable by what it is."""
    if hasattr(cause, "op"):
        scalar = getattr(cause.op, "scalar_op", None)
        inner = f"{{{type(scalar).__name__}}}" if scalar is not None else ""
        return f"{type(cause.op).__name__}{inner}({_dtypes(cause)})"
    if graph.is_constant(cause):
        return describe(cause)
    return f"{'shared' if graph.is_shared(cause) else 'input'} {describe(cause)}"


def _integer_sum(node) -> bool:
    """An operand is a sum of integers (T.mean or T.sum of T.neq, of a comparison)."""
    from theano.scalar import Add
    from theano.tensor.elemwise import CAReduce

    for var in node.inputs:
        var = float64.through(var)
        op = getattr(var.owner, "op", None)
        if isinstance(op, CAReduce) and isinstance(op.scalar_op, Add) and float64.is_integer(var):
            return True
    return False


def _op_message(node, count: int, gradient: bool) -> str:
    ops, dtypes = f"({count} float64 op(s))", _dtypes(node, constants=False)
    if _integer_sum(node) or float64.is_shape_cast(node):  # alone, the n of a mean of integers
        return f"a mean or sum of integers is float64 {ops}; pass dtype=theano.config.floatX to T.mean / T.sum"
    where = "in the gradient, " if gradient else ""
    for name in (naming.node_name(node), type(node.op).__name__):  # the short name, else the class
        if _fused(node):
            text = f"{where}fused {name} computes float64 inside from {dtypes} {ops}; "
            text += "cast the integer operand to floatX"
        elif float64.is_cast(node):
            text = f"{where}{name} casts {dtypes} to float64 {ops}; cast to theano.config.floatX instead"
        elif any(d.startswith("float") for d in dtypes.split(", ")):
            text = f"{where}{name} upcasts {dtypes} to float64 {ops}; cast the integer operand to theano.config.floatX"
        else:
            text = f"{where}{name} creates float64 values {ops}; ask for dtype=theano.config.floatX where it is made"
        if len(text) <= _LONGEST:
            break
    return text


def _message(cause, nodes, gradient: bool) -> str:
    gpu = sum(graph.is_gpu_node(n) for n in nodes)
    host = sum(graph.is_host_node(n) for n in nodes)
    if hasattr(cause, "op"):
        return _op_message(cause, len(nodes), gradient)
    reach = f"{len(nodes)} op(s) compute float64 ({gpu} on the GPU, {host} on the host)"
    if graph.is_shared(cause):
        fix = "create it from an array of dtype theano.config.floatX"
        kind = "shared variable"
    elif graph.is_constant(cause):
        fix = "use np.float32 / theano.config.floatX for the constant"
        kind = "constant"
    else:
        fix = "declare the input with dtype theano.config.floatX"
        kind = "input"
    named = f"({cause.ndim}-D, unnamed)"
    if cause.name or kind == "constant":
        named = describe(cause).replace("constant ", "")
    return f"float64 {kind} {named} makes {reach}; {fix}"


def _named(cause) -> str:
    if hasattr(cause, "op"):
        what = "the n of a T.mean" if float64.is_cast(cause) else "a tensor Theano fills"
        return f"{naming.node_name(cause)} ({what})"
    return f"{describe(cause)} (optimizer state updated from it)"


def _details(cause) -> List[str]:
    lines = naming.details([cause.thing]) if hasattr(cause.thing, "op") else []
    if cause.merged:
        lines.append("float64 because of it, not reported apart: " + "; ".join(_named(c) for c in cause.merged))
    return lines


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


def _forward(function, cause) -> Tuple[Optional[Location], bool]:
    """The forward line of an op T.grad made (or fused with what T.grad made), and
    whether it is one: such an op is reported at the expression it is the gradient of."""
    locate, node = function.locate, cause.thing
    if not hasattr(node, "op"):
        return None, False
    out = node.outputs[0]
    if locate.own(out) is not None:
        gradient = locate.made_by_gradient(out)
    else:  # a fused op has no trace: from the gradient if one of its operands is
        gradient = any(locate.made_by_gradient(v) for v in node.inputs)
    return (locate.forward(out) if gradient else None), gradient


def _fused(node) -> bool:
    """float64 only inside (a fused Composite that returns another dtype)."""
    return not any(float64.is_float64(out) for out in node.outputs)


def _by_line(function, causes):
    """Op causes on one line (an op and its gradient, a division and its inverse) are
    one finding: the first, with the others' ops counted and listed."""
    kept: Dict[Any, Tuple[float64.Cause, Optional[Location], bool, List[Any]]] = {}
    for cause in causes:
        forward, gradient = _forward(function, cause)
        if not hasattr(cause.thing, "op"):
            kept[id(cause)] = (cause, forward, gradient, [])
            continue
        line = forward or function.where(cause.thing)
        if line not in kept:
            kept[line] = (cause, forward, gradient, [])
            continue
        first, first_forward, first_gradient, also = kept[line]
        if _fused(first.thing) and not _fused(cause.thing):  # name the op that makes float64 values
            first, cause, first_forward, first_gradient = cause, first, forward, gradient
        first.nodes = first.nodes + [n for n in cause.nodes if n not in first.nodes]
        kept[line] = (first, first_forward, first_gradient, also + [cause.thing])
    return kept.values()


def check(function, options):
    for scope in function.scopes():
        for cause, forward, gradient, also in _by_line(function, float64.group(scope, function.locate)):
            data: Dict[str, Any] = {"ops": len(cause.nodes), "key": _key(cause.thing)}
            if hasattr(cause.thing, "op"):
                data["op"] = str(cause.thing.op)
            details = _details(cause) + naming.details(also)
            if details:
                data["details"] = details
            if graph.is_shared(cause.thing):
                data["framework"] = not function.origin(cause.thing).actionable
            # The picture's (and the random-graph oracle's) graph things: the path from
            # the cause, then what is counted with it.
            subjects = _path_back(cause.thing, cause.nodes) + cause.merged + also
            message = _message(cause.thing, cause.nodes, gradient)
            made = function.finding(cause.thing, message, scope, subjects=subjects, **data)
            if forward is not None:  # the op's own line is the T.grad call
                made.path, made.line, made.column = forward.path, forward.line, forward.column
                made.data["traced"] = True
            yield made
