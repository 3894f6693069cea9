"""The Graphviz graphs of a function's pictures: what each node looks like.

Four kinds of picture: a whole scope (small graphs), a collapsed scope (one
box per source line), one box's own nodes (with dashed stubs for the boxes it
connects to), and a finding's neighbourhood.  Nodes are coloured by where
they run, float64 nodes get a double dark red border, a finding's nodes its
severity's colour and the primary node the finding's code.  Every string
from the graph or the user goes through ``graphviz.escape`` (no HTML-like
labels, no backslash escapes); dot writes it XML-escaped into the SVG.  The
hover text of each node is kept aside and written into the SVG's <title>
afterwards (``layout.clean_svg``).
"""

from typing import Dict, List, Optional, Set, Tuple

import graphviz

from theanolint.report.html.collapse import EDGES_PER_BOX, Box, Collapsed, strongest_edges
from theanolint.report.html.model import Scope
from theanolint.report.html.style import (
    FLOAT64_COLOR,
    FONT,
    KIND_FILL,
    SEVERITY_COLOR,
    Picture,
    Styler,
    _short,
    _text,
)

BIG = 150  # above this many nodes and leaves, bound dot's network simplex (seconds, not minutes)
STUB_LINKS = 3  # most edges drawn between a box's nodes and one neighbouring box


def _new_graph(size: int) -> graphviz.Digraph:
    attrs = {"rankdir": "TB", "nodesep": "0.25", "ranksep": "0.35", "fontname": FONT, "bgcolor": "transparent"}
    if size > BIG:
        attrs.update(nslimit="4", nslimit1="4", mclimit="0.5")
    return graphviz.Digraph(
        graph_attr=attrs,
        node_attr={"fontname": FONT, "fontsize": "10", "margin": "0.08,0.03", "height": "0.3"},
        edge_attr={"color": "#607d8b", "arrowsize": "0.6"},
    )


def whole_scope(styler: Styler, scope: Scope, key: str, title: str) -> Picture:
    """Every node and leaf of a small scope."""
    size = len(scope.nodes) + len(scope.leaves)
    picture = Picture(key, title, _new_graph(size), size=size)
    for leaf in scope.leaves:
        styler.leaf(picture.graph, picture, leaf)
    for node in scope.nodes:
        styler.node(picture.graph, picture, node)
    for source, target in scope.edges:
        picture.graph.edge(source, target)
    return picture


def _share_fill(gpu_share: float) -> str:
    return KIND_FILL["gpu"] if gpu_share >= 0.75 else "#eef0b0" if gpu_share >= 0.25 else KIND_FILL["host"]


def _box_node(styler: Styler, graph: graphviz.Digraph, picture: Picture, box: Box, in_cluster: bool) -> None:
    findings = styler.function.findings
    nodes = [styler.function.items[n] for n in box.nodes]
    kinds = [n.get("kind") for n in nodes]
    gpu = kinds.count("gpu") / len(nodes)
    active = [findings[i] for i in box.findings if not findings[i].waived]
    waived = len(box.findings) - len(active)
    f64 = sum(bool(n.get("float64")) for n in nodes)
    head = f"part {box.part} of {box.parts}" if in_cluster else _short(box.title, 40)
    layers = ""
    if box.layers:
        layers = ", ".join(box.layers[:2]) + (f" +{len(box.layers) - 2}" if len(box.layers) > 2 else "")
    lines = [
        head,
        _short(layers, 40),
        f"{len(nodes)} ops · {gpu:.0%} GPU",
        ", ".join(
            t
            for t in (
                f"{kinds.count('transfer')} transfers" if "transfer" in kinds else "",
                f"{f64} float64" if f64 else "",
            )
            if t
        ),
    ]
    attrs = {"shape": "box", "style": "filled,rounded", "fillcolor": _share_fill(gpu)}
    classes = ["box", f"b_{box.id}"]
    if f64:
        attrs.update(peripheries="2", fontcolor=FLOAT64_COLOR, color=FLOAT64_COLOR)
    if active or waived:
        severity = (
            "error" if any(f.data.get("severity") == "error" for f in active) else "warning" if active else "waived"
        )
        attrs.update(color=SEVERITY_COLOR[severity], penwidth="3")
        codes = sorted({f.data.get("code", "") for f in active})
        lines.append(f"{len(active)} finding(s): {' '.join(codes)}" if active else f"{waived} waived")
        classes += ["fnd", f"sev-{severity}"]
    lines.append("▸ click to expand")
    graph.node(box.id, label=_text(*lines), **attrs, **{"class": " ".join(classes)})
    picture.tooltips[box.id] = "\n".join(
        [
            box.title,
            f"{len(nodes)} ops, {gpu:.0%} on the GPU, {kinds.count('host')} on the host, "
            f"{kinds.count('transfer')} transfers",
        ]
        + ([f"layers: {', '.join(box.layers)}"] if box.layers else [])
        + [f"{f.data.get('code')}: {_short(f.data.get('message', ''), 200)}" for f in active]
    )


def collapsed_scope(styler: Styler, scope: Scope, collapsed: Collapsed, key: str, title: str) -> Picture:
    """One box per source line (the pieces of a long line in a frame), and the edges between boxes."""
    picture = Picture(key, title, _new_graph(len(collapsed.boxes)), size=len(collapsed.boxes))
    by_line: Dict[str, List[Box]] = {}
    for box in collapsed.boxes:
        by_line.setdefault(box.where, []).append(box)
    for number, (where, boxes) in enumerate(by_line.items()):
        if len(boxes) == 1:
            _box_node(styler, picture.graph, picture, boxes[0], in_cluster=False)
            continue
        with picture.graph.subgraph(name=f"cluster_{number}") as cluster:
            cluster.attr(
                label=_text(f"{where}: {sum(len(b.nodes) for b in boxes)} ops"),
                style="rounded,dashed",
                color="#90a4ae",
                fontcolor="#455a64",
                fontsize="11",
            )
            for box in boxes:
                _box_node(styler, cluster, picture, box, in_cluster=True)
    drawn = strongest_edges(collapsed.edges)
    for (source, target), count in sorted(drawn.items()):
        picture.graph.edge(source, target, penwidth=f"{min(4.0, 1 + count / 10):.1f}")
    if len(drawn) < len(collapsed.edges):
        picture.title += (
            f"; each box's {EDGES_PER_BOX} heaviest links drawn, "
            f"{len(collapsed.edges) - len(drawn)} lighter ones left out"
        )
    return picture


def box_picture(styler: Styler, scope: Scope, collapsed: Collapsed, box: Box, key: str, title: str) -> Picture:
    """A box's nodes, the leaves feeding them, and a dashed stub per box they connect to.

    A stub gets at most ``STUB_LINKS`` edges (its label counts them all): a
    box of optimizer updates links to every other box many times over.
    """
    members = set(box.nodes)
    leaves, edges = {}, set()
    links: Dict[str, Set[Tuple[str, str]]] = {}
    for node in box.nodes:
        for producer in scope.producers.get(node, ()):
            other = collapsed.box_of.get(producer)
            if producer in members or other is None:
                if other is None:
                    leaves[producer] = True
                edges.add((producer, node))
            else:
                links.setdefault(other, set()).add((f"stub_{other}", node))
        for consumer in scope.consumers.get(node, ()):
            other = collapsed.box_of.get(consumer)
            if other is not None and consumer not in members:
                links.setdefault(other, set()).add((node, f"stub_{other}"))
    size = len(box.nodes) + len(leaves) + len(links)
    picture = Picture(key, title, _new_graph(size), size=size)
    for leaf in leaves:
        styler.leaf(picture.graph, picture, styler.function.items[leaf])
    for node in box.nodes:
        styler.node(picture.graph, picture, styler.function.items[node])
    boxes = {b.id: b for b in collapsed.boxes}
    for other, pairs in links.items():
        target = boxes[other]
        count = f" · {len(pairs)} links" if len(pairs) > STUB_LINKS else ""
        picture.graph.node(
            f"stub_{other}",
            label=_text(_short(target.title, 40), "▸ open" + count),
            shape="box",
            style="dashed,rounded",
            color="#90a4ae",
            fontcolor="#546e7a",
            **{"class": f"stub b_{other}"},
        )
        picture.tooltips[f"stub_{other}"] = (
            f"{target.title}: {len(target.nodes)} ops, {len(pairs)} links with this box (click to open)"
        )
        for source, sink in sorted(pairs)[:STUB_LINKS]:
            picture.graph.edge(source, sink, style="dashed", color="#b0bec5")
    for source, sink in sorted(edges):
        picture.graph.edge(source, sink)
    return picture


def focus_picture(styler: Styler, shown: List[str], primary: Optional[str], key: str, title: str) -> Picture:
    """A finding's nodes (highlighted) with one hop of context, and the edges among them."""
    picture = Picture(key, title, _new_graph(len(shown)), size=len(shown))
    function = styler.function
    members = set(shown)
    for item in shown:
        styler.item(picture.graph, picture, item, highlight={primary} if primary else ())
    for item in shown:
        scope = function.scopes[function.scope_of[item]]
        for consumer in scope.consumers.get(item, ()):
            if consumer in members:
                picture.graph.edge(item, consumer)
    return picture
