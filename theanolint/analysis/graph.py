"""Walk an optimized graph and its inner graphs; classify where ops run.

A ``Scope`` is one function graph: the outer one, or the optimized inner graph
of a scan / OpFromGraph node.  Rules look at scopes, never at raw Theano
traversal, so every rule sees inner graphs the same way.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional

from theano.compile.ops import Shape, Shape_i
from theano.compile.sharedvalue import SharedVariable
from theano.gof.graph import Constant
from theano.gpuarray.basic_ops import GpuFromHost, HostFromGpu
from theano.gpuarray.type import GpuArrayType
from theano.scan_module.scan_op import Scan

from theanolint.analysis import optimize

FLOAT64_DTYPES = frozenset(["float64", "complex128"])
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@dataclass
class Scope:
    fgraph: Any
    label: str = ""  # "" for the outer graph, "scan 'step'" inside
    parent: Optional["Scope"] = None
    children: List["Scope"] = field(default_factory=list)
    error: Optional[BaseException] = None
    node: Any = None  # the outer apply node holding this inner graph

    @property
    def nodes(self):
        return self.fgraph.toposort()

    def clients(self, var):
        return [c for c, _ in self.fgraph.clients(var) if c != "output"]


def on_gpu(var) -> bool:
    return isinstance(var.type, GpuArrayType)


def is_transfer(node) -> bool:
    return isinstance(node.op, (GpuFromHost, HostFromGpu))


def is_gpu_node(node) -> bool:
    return not is_transfer(node) and any(on_gpu(v) for v in node.outputs + node.inputs)


def is_host_node(node) -> bool:
    return not is_transfer(node) and not is_gpu_node(node)


def is_shape_op(node) -> bool:
    """Ops that read only a tensor's shape, never its data."""
    return isinstance(node.op, (Shape, Shape_i))


def is_scan(node) -> bool:
    return isinstance(node.op, Scan)


def is_shared(var) -> bool:
    return isinstance(var, SharedVariable)


def is_constant(var) -> bool:
    return isinstance(var, Constant)


def dtype(var) -> Optional[str]:
    return getattr(var.type, "dtype", None)


def computes_float64(node) -> bool:
    """Whether ``node`` makes float64 values, also inside a fused Composite.

    Fusion hides ``Cast{float32}(exp(x * 2.0))`` in one Elemwise whose output
    is float32 while its scalar graph computes in float64.
    """
    if any(dtype(out) in FLOAT64_DTYPES for out in node.outputs):
        return True
    inner = getattr(getattr(node.op, "scalar_op", None), "fgraph", None)
    return inner is not None and any(
        getattr(out.type, "dtype", None) in FLOAT64_DTYPES
        for inner_node in inner.apply_nodes
        for out in inner_node.outputs
    )


def without_addresses(text: str) -> str:
    """``text`` without the memory addresses function-valued op props print (`` at 0x...``)."""
    return _ADDRESS.sub("", text)


def op_text(node) -> str:
    """``str(node.op)`` without the memory addresses of function-valued props."""
    return without_addresses(str(node.op))


def build_scopes(fgraph) -> Scope:
    """The outer scope with the optimized inner graphs attached, recursively."""
    root = Scope(fgraph)
    _attach_inner(root)
    return root


def _attach_inner(scope: Scope) -> None:
    for node in scope.nodes:
        if not optimize.has_inner_graph(node):
            continue
        label = f"{type(node.op).__name__.lower()} '{getattr(node.op, 'name', None) or node.op}'"
        try:
            record = optimize.inner_function(node)
            inner = optimize.optimize(record).fgraph  # type: ignore[arg-type]  # BUG: record may be None (no inner function captured); optimize(None) then fails with an AttributeError that is reported as the scope's error
        except Exception as error:  # reported by the engine, not fatal
            scope.children.append(Scope(None, label, scope, error=error, node=node))
            continue
        child = Scope(inner, label, scope, node=node)
        scope.children.append(child)
        _attach_inner(child)


def walk(scope: Scope) -> Iterator[Scope]:
    """This scope and every inner scope below it that has a graph."""
    if scope.fgraph is not None:
        yield scope
    for child in scope.children:
        yield from walk(child)


def failed(scope: Scope) -> Iterator[Scope]:
    """Inner scopes whose graph could not be optimized."""
    for child in scope.children:
        if child.error is not None:
            yield child
        yield from failed(child)


def canonical(fgraph, locate=None) -> str:
    """A stable, diffable text form of a graph: one line per apply node.

    Variables are numbered in the order a depth-first walk from the outputs
    first meets them, so two structurally equal graphs print the same text.
    """
    names: Dict[Any, str] = {}
    lines = []

    def name(var):
        if var not in names:
            names[var] = f"v{len(names)}"
        return names[var]

    def leaf_text(var):
        kind = "shared" if is_shared(var) else "constant" if is_constant(var) else "input"
        detail = f" {var.name}" if var.name else ""
        if is_constant(var):
            detail += " " + repr(var.data.tolist() if hasattr(var.data, "tolist") else var.data)[:60]
        return f"{name(var)} = {kind}{detail} :: {var.type}"

    seen = set()

    def visit(var):
        if var in seen:
            return
        seen.add(var)
        if var.owner is None:
            lines.append(leaf_text(var))
            return
        node = var.owner
        for inp in node.inputs:
            visit(inp)
        for out in node.outputs:
            seen.add(out)
        outs = ", ".join(f"{name(o)} :: {o.type}" for o in node.outputs)
        ins = ", ".join(name(i) for i in node.inputs)
        op = op_text(node)
        where = ""
        if locate is not None:
            loc = locate(node.outputs[0])
            if loc is not None:
                where = f"  # {loc}"
        lines.append(f"{outs} = {op}({ins}){where}")

    for out in fgraph.outputs:
        visit(out)
    lines.append("outputs: " + ", ".join(name(o) for o in fgraph.outputs))
    return "\n".join(lines) + "\n"
