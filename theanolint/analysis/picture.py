"""A lint unit's optimized graph as plain data: the HTML report's picture (issue #9).

Made in the worker, and only when the run asks for pictures (``--format
html``): every scope's apply nodes in the VM's order, the leaves that feed
them, the edges, where each node runs, float64 marks, the user's source
lines, the memory timeline of the outer graph and the copies per call.

Ids are ``<scope>n<index in toposort>`` for apply nodes and
``<scope>v<index>`` for leaves (``s0`` is the outer graph, inner graphs follow
depth first), so the same function always gives the same picture and the same
ids in its findings' ``data["nodes"]``.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, cast

from theanolint.analysis import graph
from theanolint.analysis.memory import prediction as memory
from theanolint.ruleset import helpers as rulekit


@dataclass
class ScopeIds:
    id: str
    scope: graph.Scope
    nodes: list  # the toposort, computed once
    leaves: list = field(default_factory=list)
    ids: Dict[object, str] = field(default_factory=dict)  # node or variable -> id


class GraphIds:
    """The ids of a unit's apply nodes and variables, built once per unit.

    A variable made by a node has its node's id; a leaf (input, shared
    variable, constant) has its own.
    """

    def __init__(self, unit):
        self.scopes: List[ScopeIds] = []
        self._by_scope: Dict[int, ScopeIds] = {}
        for index, scope in enumerate(unit.scopes()):
            entry = ScopeIds(f"s{index}", scope, scope.nodes)
            for position, node in enumerate(entry.nodes):
                node_id = f"{entry.id}n{position}"
                entry.ids[node] = node_id
                for out in node.outputs:
                    entry.ids[out] = node_id
            for var in _leaves(scope.fgraph, entry.nodes):
                entry.ids[var] = f"{entry.id}v{len(entry.leaves)}"
                entry.leaves.append(var)
            self.scopes.append(entry)
            self._by_scope[id(scope)] = entry

    def of_scope(self, scope: graph.Scope) -> Optional[ScopeIds]:
        return self._by_scope.get(id(scope))

    def id_of(self, thing, scope: Optional[graph.Scope] = None) -> Optional[str]:
        """The id of an apply node or variable; ``scope`` first, then every scope in order."""
        preferred = self.of_scope(scope) if scope is not None else None
        for entry in ([preferred] if preferred else []) + self.scopes:
            try:
                found = entry.ids.get(thing)
            except TypeError:  # not a graph thing (e.g. a Location)
                return None
            if found is not None:
                return found
        return None


def _leaves(fgraph, nodes) -> list:
    """Inputs first, in order, then constants as the nodes meet them, then output leaves."""
    found, seen = [], set()
    candidates = list(fgraph.inputs)
    candidates += [var for node in nodes for var in node.inputs if var.owner is None]
    candidates += [var for var in fgraph.outputs if var.owner is None]
    for var in candidates:
        if var not in seen:
            seen.add(var)
            found.append(var)
    return found


def mark_findings(findings, ids: GraphIds) -> None:
    """Give each finding about graph things ``data["nodes"]``: their ids, primary first."""
    for finding in findings:
        named = []
        for thing in finding.subjects:
            found = ids.id_of(thing, finding.subject_scope)
            if found is not None and found not in named:
                named.append(found)
        if named:
            finding.data["nodes"] = named


def export(unit, ids: GraphIds, top: int = 10) -> Dict:
    """The picture of ``unit`` (the contract of the HTML report's renderer)."""
    prediction = unit.memory
    sizes = prediction.sizes if prediction is not None else {}
    return {
        "scopes": [_scope(unit, ids, entry, sizes) for entry in ids.scopes],
        "memory": _memory(unit, ids, top),
        "transfers": _transfers(unit, ids),
    }


def _where(location) -> Dict:
    if location is None:
        return {"path": None, "line": None, "via": ""}
    return {"path": location.path, "line": location.line, "via": location.via}


def _dtype_text(var) -> str:
    return graph.dtype(var) or str(var.type)


def _kind(node) -> str:
    if graph.is_transfer(node):
        return "transfer"
    return "gpu" if graph.is_gpu_node(node) else "host"


def _scope(unit, ids: GraphIds, entry: ScopeIds, sizes: Dict) -> Dict:
    scope = entry.scope
    inner: Dict[Any, List[str]] = {}
    for child in scope.children:
        child_ids = ids.of_scope(child)
        if child_ids is not None:
            inner.setdefault(child.node, []).append(child_ids.id)
    nodes, edges, seen_edges = [], [], set()
    for node in entry.nodes:
        node_id = entry.ids[node]
        outputs_known = bool(node.outputs) and all(out in sizes for out in node.outputs)
        nodes.append(
            {
                "id": node_id,
                "op": graph.op_text(node),
                "kind": _kind(node),
                "float64": graph.computes_float64(node),
                "dtypes": [_dtype_text(out) for out in node.outputs],
                "bytes": sum(sizes[out] for out in node.outputs) if outputs_known else None,
                **_where(unit.traced(node) if node.outputs else None),
                "inner": inner.get(node, []),
            }
        )
        for var in node.inputs:
            edge = (entry.ids[var], node_id)
            if edge not in seen_edges:
                seen_edges.add(edge)
                edges.append(list(edge))
    parent = None
    if scope.parent is not None:
        parent_ids = cast(ScopeIds, ids.of_scope(scope.parent))  # the parent of a walked scope is walked too
        parent = {"scope": parent_ids.id, "node": parent_ids.ids.get(scope.node)}
    return {
        "id": entry.id,
        "label": scope.label or "outer graph",
        "parent": parent,
        "nodes": nodes,
        "leaves": [_leaf(unit, entry.ids[var], var) for var in entry.leaves],
        "edges": edges,
        "outputs": [entry.ids[var] for var in scope.fgraph.outputs],
    }


def _leaf(unit, leaf_id: str, var) -> Dict:
    kind = "shared" if graph.is_shared(var) else "constant" if graph.is_constant(var) else "input"
    dtype = _dtype_text(var)
    leaf = {
        "id": leaf_id,
        "name": var.name or "",
        "kind": kind,
        "dtype": dtype,
        "float64": dtype in graph.FLOAT64_DTYPES,
        "on_gpu": graph.on_gpu(var),
    }
    if kind == "constant":
        leaf["value"] = rulekit.describe(var).replace("constant ", "", 1)
    leaf.update(_where(unit.traced(var)))  # the line findings about it name
    return leaf


def _memory(unit, ids: GraphIds, top: int) -> Optional[Dict]:
    """Live GPU bytes (resident inputs and shared variables included) along the schedule."""
    prediction = unit.memory
    if prediction is None or prediction.timeline is None or not ids.scopes:
        return None
    timeline, outer = prediction.timeline, ids.scopes[0]
    resident = prediction.resident[memory.GPU]
    schedule = timeline.order or outer.nodes  # the order of the run with the peak
    steps = [
        {"node": outer.ids[node], "live": live[memory.GPU] + resident} for node, live in zip(schedule, timeline.live)
    ]
    peak = {"step": None, "live": resident, "buffers": []}
    if steps:
        step = max(range(len(steps)), key=lambda k: (steps[k]["live"], -k))  # the first peak
        peak = {"step": step, "live": steps[step]["live"], "buffers": _peak_buffers(unit, outer, prediction, step, top)}
    return {"budget": unit.budget, "device": "gpu", "resident": resident, "steps": steps, "peak": peak}


def _peak_buffers(unit, outer: ScopeIds, prediction, step: int, top: int) -> List[Dict]:
    timeline = prediction.timeline
    held = [(prediction.sizes.get(var, 0), var.owner, False) for var in timeline.live_at(step) if graph.on_gpu(var)]
    transient = timeline.transient[step][memory.GPU]
    if transient:  # a scan's inner working set while it runs
        held.append((transient, (timeline.order or outer.nodes)[step], True))
    order = {node: index for index, node in enumerate(outer.nodes)}
    held = sorted((h for h in held if h[0]), key=lambda h: (-h[0], order[h[1]], h[2]))[:top]
    buffers = []
    for nbytes, node, is_transient in held:
        location = unit.traced(node)
        buffer = {
            "node": outer.ids[node],
            "bytes": nbytes,
            "path": location.path if location else None,
            "line": location.line if location else None,
        }
        if is_transient:
            buffer["transient"] = True
        buffers.append(buffer)
    return buffers


def _transfers(unit, ids: GraphIds) -> Dict:
    """Host<->device copies per call: inner graphs' copies times their steps where known."""
    prediction = unit.memory
    steps = prediction.steps if prediction is not None else {}
    sizes = prediction.sizes if prediction is not None else {}
    times: Dict[str, Optional[int]] = {}
    count, exact = 0, True
    total: Optional[int] = 0
    for entry in ids.scopes:
        scope = entry.scope
        if scope.parent is None:
            times[entry.id] = 1
        else:
            outer = times.get(cast(ScopeIds, ids.of_scope(scope.parent)).id)  # walked too
            per_call = steps.get(scope.node, None if graph.is_scan(scope.node) else 1)
            times[entry.id] = outer * per_call if outer is not None and per_call is not None else None
        repeat = times[entry.id]
        for node in entry.nodes:
            if not graph.is_transfer(node):
                continue
            exact = exact and repeat is not None
            count += repeat or 1
            copied = [sizes.get(out) or rulekit.nbytes(scope, out) for out in node.outputs]
            total = None if total is None or None in copied else total + sum(cast(List[int], copied)) * (repeat or 1)
    return {"count": count, "bytes": total, "exact": exact}
