"""Predict a function's peak GPU and host memory before it ever runs.

The replay follows the orders Theano's VMs run the optimized graph in
(``fgraph.toposort()`` for the C VM, the demand order of the Stack VM, see
``schedules``; the larger peak counts) and frees buffers the way
``allow_gc=True`` does: a
variable is released once every variable depending on it is computed, an
output of an op with a ``view_map``/``destroy_map`` allocates nothing and
keeps its base alive, graph outputs are never freed.  This is the algorithm
of Theano's own ``profile_memory`` report (``ProfileStats.summary_memory``),
fed with predicted sizes instead of measured ones, so the two compare like
with like: inputs and shared variables are not part of the peak; they are
reported as the resident part.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, cast

import numpy as np

from theanolint.analysis import graph
from theanolint.analysis.memory import schedules
from theanolint.analysis.memory.shapes import PROBES, ShapeEvaluator

GPU, HOST = 1, 0


@dataclass
class Buffer:
    var: object
    shape: tuple
    nbytes: int
    on_gpu: bool
    scope: str = ""


@dataclass
class Prediction:
    peak: List[int] = field(default_factory=lambda: [0, 0])  # [host, gpu] working set
    resident: List[int] = field(default_factory=lambda: [0, 0])  # inputs and shared
    buffers: List[Buffer] = field(default_factory=list)  # every allocation
    assumed: Dict[object, str] = field(default_factory=dict)  # var with an assumed dim -> why
    notes: List[str] = field(default_factory=list)  # declared shapes that differ from test values
    unknown_inputs: List[str] = field(default_factory=list)
    sizes: Dict[object, int] = field(default_factory=dict)  # every output, every scope
    steps: Dict[object, int] = field(default_factory=dict)  # a scan node's step count
    timeline: Optional["Timeline"] = None  # the outer replay, if asked

    @property
    def total_gpu(self) -> int:
        return self.peak[GPU] + self.resident[GPU]

    @property
    def total_host(self) -> int:
        return self.peak[HOST] + self.resident[HOST]

    def largest(self, count: int) -> List[Buffer]:
        return sorted(self.buffers, key=lambda b: -b.nbytes)[:count]


@dataclass
class Timeline:
    """The outer replay step by step, for the HTML report's memory plot.

    ``live[k]`` is [host, gpu] bytes while the k-th node of the schedule runs
    (its outputs allocated, its inputs not yet freed, a scan's per-step working
    set included): the largest of them is the predicted peak.
    """

    live: List[List[int]] = field(default_factory=list)
    order: List[object] = field(default_factory=list)  # the nodes, in the order replayed
    transient: List[List[int]] = field(default_factory=list)  # a scan's inner working set
    allocated: Dict[object, int] = field(default_factory=dict)  # variable -> step
    freed: Dict[object, int] = field(default_factory=dict)  # variable -> step

    def live_at(self, step: int) -> List[object]:
        """The allocated variables still held at ``step`` (freed after it, or never)."""
        return [var for var, start in self.allocated.items() if start <= step <= self.freed.get(var, len(self.live))]


def nbytes(shape: Optional[tuple], var) -> int:
    if shape is None or graph.dtype(var) is None:
        return 0
    return int(np.prod(shape, dtype=np.int64)) * np.dtype(graph.dtype(var)).itemsize


def _dependencies(fgraph) -> Dict[object, list]:
    """As Theano's VM_Linker.compute_gc_dependencies: what must run before freeing.
    Every client counts, also one in an IfElse branch not taken: Theano keeps such a
    buffer until the call ends, and so does the replay."""
    result: Dict[object, list] = {}
    for var in fgraph.variables:
        result[var] = []
        if var.owner is not None:
            for client, _ in fgraph.clients(var):
                if client != "output":
                    result[var] += client.outputs
    return result


def _alias_input(node, index):
    """The input an output aliases (view or inplace), or None if it allocates."""
    if type(node.op).__name__ == "GpuContiguous" and _maybe_strided(node.inputs[0]):
        return None  # declared a view, but copies a non-contiguous input
    for mapping in (getattr(node.op, "destroy_map", None), getattr(node.op, "view_map", None)):
        if mapping and index in mapping:
            return node.inputs[mapping[index][0]]
    return None


def _maybe_strided(var) -> bool:
    """Whether ``var`` may be a non-contiguous view: a transpose or a slice upstream.

    Theano's own profile counts GpuContiguous as a view always, which misses
    the copy it makes of a transposed input; predicting it keeps the
    prediction from falling below what the device really allocates.
    """
    while var.owner is not None:
        op = var.owner.op
        if not (getattr(op, "view_map", None) or getattr(op, "destroy_map", None)):
            return False
        order = [d for d in getattr(op, "new_order", ()) if d != "x"]
        if order != sorted(order) or "Subtensor" in type(op).__name__:
            return True
        var = var.owner.inputs[0]
    return False


def replay(
    fgraph,
    sizes: Dict[object, int],
    extra_at: Optional[Dict[object, List[int]]] = None,
    gc: bool = True,
    timeline: Optional[Timeline] = None,
    run: Optional[schedules.Run] = None,
) -> List[int]:
    """Peak [host, gpu] bytes of running ``fgraph`` with the given output sizes.

    ``extra_at`` adds transient bytes while a node runs (a scan's inner
    working set); ``gc=False`` keeps every buffer, as scan's inner function
    does between steps by default (``scan.allow_gc=False``).  ``timeline``
    records each step, when given.  ``run``: the order and nodes to replay
    (default: every node in toposort order).
    """
    extra_at = extra_at or {}
    run = run or schedules.Run(fgraph.toposort())
    dependencies = _dependencies(fgraph)
    computed = set(fgraph.inputs)
    viewed_by: Dict[object, List[object]] = {var: [] for var in fgraph.variables}
    view_of: Dict[object, object] = {}
    running, peak = [0, 0], [0, 0]
    if timeline is not None:
        timeline.order = list(run.order)
    for step, node in enumerate(run.order):
        computed.update(node.outputs)
        for index, out in enumerate(node.outputs):
            base = _alias_input(node, index)
            if base is not None:
                origin = view_of.get(base, base)
                view_of[out] = origin
                viewed_by[origin].append(out)
            else:
                running[graph.on_gpu(out)] += sizes.get(out, 0)
                if timeline is not None:
                    timeline.allocated[out] = step
        transient = extra_at.get(node, [0, 0])
        for device in (HOST, GPU):
            peak[device] = max(peak[device], running[device] + transient[device])
        if timeline is not None:
            timeline.live.append([running[HOST] + transient[HOST], running[GPU] + transient[GPU]])
            timeline.transient.append(list(transient))
        for var in set(node.inputs) if gc else ():
            device = graph.on_gpu(var)
            if not (
                dependencies.get(var)
                and var not in fgraph.outputs
                and var.owner is not None
                and all(d in computed for d in dependencies[var])
            ):
                continue
            freed = None
            if var not in view_of and not viewed_by.get(var):
                freed = var
            elif var in view_of:
                origin = view_of[var]
                viewed_by[origin].remove(var)
                if not viewed_by[origin] and origin not in fgraph.inputs and not graph.is_constant(origin):
                    freed = origin
            if freed is not None:
                running[device] -= sizes.get(freed, 0)
                if timeline is not None:
                    timeline.freed[freed] = step
    return peak


def predict(
    scope,
    known: Dict[object, tuple],
    unknown_dim: int,
    gc: bool = True,
    timeline: bool = False,
    assumed_inputs: Optional[Dict[object, str]] = None,
) -> Prediction:
    """Predict the memory of one scope (and, for scans, their per-step inner graphs).

    ``timeline``: also record the replay step by step (``Prediction.timeline``);
    ``assumed_inputs``: inputs whose known shapes are assumptions (an inner
    graph's, from an assumed outer shape), and why.
    """
    inner: Any = {child.node: child.fgraph for child in scope.children if child.fgraph is not None}
    evaluator = ShapeEvaluator(scope.fgraph, known, unknown_dim, inner, assumed_inputs=assumed_inputs)
    result = Prediction(timeline=Timeline() if timeline else None)
    nodes = scope.fgraph.toposort()
    shapes = {var: evaluator.shape(var) for var in scope.fgraph.inputs}
    shapes.update({out: evaluator.shape(out) for node in nodes for out in node.outputs})
    _check_probes(evaluator, shapes)
    for var in scope.fgraph.inputs:
        if shapes[var] is None or var in evaluator.assumed and var not in evaluator.assumed_inputs:
            if not graph.is_shared(var):
                result.unknown_inputs.append(var.name or str(var.type))
            continue
        result.resident[graph.on_gpu(var)] += nbytes(shapes[var], var)
    sizes = result.sizes
    extra_at: Dict[object, List[int]] = {}
    for node in nodes:
        for index, out in enumerate(node.outputs):
            sizes[out] = nbytes(shapes[out], out)
            if _alias_input(node, index) is None and sizes[out]:
                result.buffers.append(Buffer(out, cast(tuple, shapes[out]), sizes[out], graph.on_gpu(out), scope.label))
        inner = _inner_peak(scope, node, evaluator, unknown_dim, result)
        if inner is not None:
            extra_at[node] = inner
    runs = schedules.runs(scope.fgraph, nodes)
    timelines = [Timeline() if result.timeline is not None else None for _ in runs]
    peaks = [replay(scope.fgraph, sizes, extra_at, gc, timelines[n], run) for n, run in enumerate(runs)]
    if result.timeline is not None:  # the picture: the run with the peak (toposort on a tie)
        result.timeline = timelines[max(range(len(runs)), key=lambda n: (peaks[n][GPU], -n))]
    result.peak = [max(peak[device] for peak in peaks) for device in (HOST, GPU)]  # the worst way it runs
    for var, why in evaluator.assumed.items():
        result.assumed.setdefault(var, why)
    return result


def _check_probes(evaluator: ShapeEvaluator, shapes: Dict[object, Optional[tuple]]) -> None:
    """Shapes that read an index input's value count as known only where a second
    value of the index gives the same; elsewhere the dims that differ are assumed."""
    if not evaluator.probed:
        return
    second = evaluator.with_probe(PROBES[1])
    for var in [v for v in shapes if v in evaluator.probed and v not in evaluator.assumed]:
        first, other = shapes[var], second.shape(var)
        if first is None or other is None or var in second.assumed or len(other) != len(first):
            continue
        if first != other:
            shapes[var] = tuple(a if a == b else evaluator.unknown_dim for a, b in zip(first, other))
            evaluator.assumed[var] = "its size depends on the value of an index input"


def _inner_peak(scope, node, evaluator, unknown_dim, result) -> Optional[List[int]]:
    """The per-step working set of a scan's optimized inner graph."""
    from theanolint.analysis.memory.scan_shapes import inner_input_shapes

    child = next((c for c in scope.children if c.node is node and c.fgraph is not None), None)
    if child is None:
        return None
    inputs = inner_input_shapes(node, child.fgraph, evaluator)
    if inputs is None:
        return None
    import theano

    known, assumed = inputs
    inner = predict(child, known, unknown_dim, gc=theano.config.scan.allow_gc, assumed_inputs=assumed)
    result.buffers.extend(inner.buffers)
    for var, why in inner.assumed.items():
        result.assumed.setdefault(var, why)
    result.sizes.update(inner.sizes)
    result.steps.update(inner.steps)
    steps = evaluator.known_value(node.inputs[0]) if graph.is_scan(node) else None
    if steps is not None:
        result.steps[node] = int(steps)
    return inner.peak
