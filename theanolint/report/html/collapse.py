"""Which nodes a picture shows: whole graphs, collapsed boxes, a finding's neighbourhood.

Graphviz lays out a few hundred nodes in well under a second but needs
minutes for thousands, and nobody reads a 6,000-node picture anyway.  A
scope with more than ``COLLAPSE_ABOVE`` nodes is drawn as one box per user
source line; a line that made more than ``BOX_MAX`` nodes (a deep model's
gradient line makes thousands) is split into several boxes: the connected
pieces of its nodes, packed in schedule order, and a piece still too big is
cut into stretches of consecutive nodes of the schedule.  Every box gets its
own small picture, drawn when the report is written.
"""

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Counter as CounterType
from typing import Dict, List, Optional, Set, Tuple, Union

from theanolint.report.html.model import Function, Scope, location

COLLAPSE_ABOVE = 300  # a scope with more nodes is drawn collapsed
BOX_MAX = 120  # most nodes in one box
EDGES_PER_BOX = 3  # a collapsed picture draws each box's heaviest incoming and outgoing edges
FOCUS_MAX = 40  # most nodes in a finding's neighbourhood picture (its own nodes always)
NO_LINE = "(no source line)"


@dataclass
class Box:
    id: str  # "s0b3": scope id, "b", index
    where: str  # "models/mlp.py:31" or NO_LINE
    part: int  # 1-based piece of that line, of ``parts``
    parts: int
    nodes: List[str]
    findings: List[int] = field(default_factory=list)  # indexes of the function's findings
    layers: List[str] = field(default_factory=list)  # named weights it uses, "dense_1" of "dense_1/kernel"

    @property
    def title(self) -> str:
        return self.where if self.parts == 1 else f"{self.where} (part {self.part} of {self.parts})"


@dataclass
class Collapsed:
    """A scope drawn as boxes: the boxes, which box holds each node, edges between boxes."""

    boxes: List[Box]
    box_of: Dict[str, str]
    edges: Dict[tuple, int]  # (box id, box id) -> number of graph edges between them


def is_collapsed(scope: Scope) -> bool:
    return len(scope.nodes) > COLLAPSE_ABOVE


def collapse(scope: Scope, function: Optional[Function] = None) -> Collapsed:
    groups: "OrderedDict[str, List[str]]" = OrderedDict()
    for node in scope.nodes:
        groups.setdefault(location(node) or NO_LINE, []).append(node["id"])
    boxes: List[Box] = []
    for where, members in groups.items():
        pieces = _split(scope, members)
        for number, piece in enumerate(pieces, 1):
            boxes.append(Box(f"{scope.id}b{len(boxes)}", where, number, len(pieces), piece))
    box_of = {node: box.id for box in boxes for node in box.nodes}
    weights = {leaf["id"]: leaf["name"] for leaf in scope.leaves if leaf.get("kind") == "shared" and leaf.get("name")}
    box: Union[Box, str, None]
    for box in boxes:
        box.layers = _layers(scope, box, weights)
    edges: CounterType[Tuple[str, str]] = Counter()
    for source, target in scope.edges:
        if source in box_of and target in box_of and box_of[source] != box_of[target]:
            edges[(box_of[source], box_of[target])] += 1
    if function is not None:
        by_id = {box.id: box for box in boxes}
        for finding in function.findings:
            box = _box_of_finding(finding.nodes, box_of, scope)
            if box is not None:
                by_id[box].findings.append(finding.index)
    return Collapsed(boxes, box_of, dict(edges))


def _layers(scope: Scope, box: Box, weights: Dict[str, str]) -> List[str]:
    """The layers a box belongs to, named after the shared variables its nodes read.

    Frameworks name weights "<layer>/<weight>" (Keras: "block3_conv1/kernel"),
    which tells apart the boxes of one line called in a loop.
    """
    layers = []
    for node in box.nodes:
        for producer in scope.producers.get(node, ()):
            name = weights.get(producer)
            if name:
                layer = name.rsplit("/", 1)[0]
                if layer not in layers:
                    layers.append(layer)
    return layers


def strongest_edges(edges: Dict[tuple, int], per_box: int = EDGES_PER_BOX) -> Dict[tuple, int]:
    """The edges between boxes worth drawing: each box's ``per_box`` heaviest in and out.

    A line used all over a graph (a gradient's) connects to most other boxes;
    drawing every connection makes an unreadable hairball that also takes dot
    many seconds to route.
    """
    keep: Set[tuple] = set()
    for end in (0, 1):
        by_box: Dict[str, List[Tuple[int, tuple]]] = {}
        for edge, count in edges.items():
            by_box.setdefault(edge[end], []).append((-count, edge))
        for candidates in by_box.values():
            keep.update(edge for _, edge in sorted(candidates)[:per_box])
    return {edge: count for edge, count in edges.items() if edge in keep}


def _box_of_finding(ids: List[str], box_of: Dict[str, str], scope: Scope) -> Optional[str]:
    """The box of a finding's first node; a leaf counts as the box of its first consumer."""
    for item in ids:
        if item in box_of:
            return box_of[item]
        for consumer in scope.consumers.get(item, ()):
            if consumer in box_of:
                return box_of[consumer]
    return None


def _split(scope: Scope, members: List[str]) -> List[List[str]]:
    """One line's nodes in pieces of at most BOX_MAX, connected pieces kept whole when they fit."""
    if len(members) <= BOX_MAX:
        return [members]
    order = {node: index for index, node in enumerate(members)}
    parent = {node: node for node in members}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node in members:
        for producer in scope.producers.get(node, ()):
            if producer in parent:
                parent[root(producer)] = root(node)
    components: "OrderedDict[str, List[str]]" = OrderedDict()
    for node in members:  # schedule order: components ordered by first node
        components.setdefault(root(node), []).append(node)
    pieces: List[List[str]] = []
    current: List[str] = []
    for component in components.values():
        component.sort(key=order.__getitem__)
        if len(component) > BOX_MAX:
            if current:
                pieces.append(current)
                current = []
            pieces.extend(component[i : i + BOX_MAX] for i in range(0, len(component), BOX_MAX))
        elif len(current) + len(component) > BOX_MAX:
            pieces.append(current)
            current = list(component)
        else:
            current.extend(component)
    if current:
        pieces.append(current)
    return pieces


def neighbourhood(function: Function, ids: List[str], limit: int = FOCUS_MAX) -> List[str]:
    """A finding's nodes and one hop of context around them: producers and consumers.

    The finding's own nodes (e.g. a transfer chain, or the float64 path back to
    its leaf) are always all shown; context fills up to ``limit``, nearest the
    primary node first.
    """
    core = [item for item in dict.fromkeys(ids) if item in function.items]
    shown = list(core)
    seen = set(core)
    for item in core:
        scope = function.scopes[function.scope_of[item]]
        for other in scope.producers.get(item, []) + scope.consumers.get(item, []):
            if len(shown) >= max(limit, len(core)):
                return shown
            if other not in seen:
                seen.add(other)
                shown.append(other)
    return shown
