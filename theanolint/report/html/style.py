"""How a function's nodes and leaves look in the pictures: colours, shapes, labels
and hover texts.  Every string from the graph or the user goes through
``graphviz.escape`` (no HTML-like labels, no backslash escapes).
"""

from dataclasses import dataclass, field
from typing import Dict, List

import graphviz

from theanolint.report.html.model import Function, location
from theanolint.report.memory import size

FONT = "Helvetica,Arial,sans-serif"
SEVERITY_COLOR = {"error": "#c62828", "warning": "#d08900", "waived": "#9e9e9e"}
KIND_FILL = {"gpu": "#cdebd0", "host": "#fdd9ae", "transfer": "#dccbf2"}
KIND_SHAPE = {"gpu": "box", "host": "box", "transfer": "hexagon"}
KIND_TEXT = {"gpu": "runs on the GPU", "host": "runs on the host (CPU)", "transfer": "copies between host and GPU"}
LEAF_SHAPE = {"input": "invhouse", "shared": "cylinder", "constant": "plaintext"}
FLOAT64_COLOR = "#8e0000"
LABEL_CHARS = 38


@dataclass
class Picture:
    """One picture to lay out: its page key, its title, its graph and hover texts."""

    key: str
    title: str
    graph: graphviz.Digraph
    tooltips: Dict[str, str] = field(default_factory=dict)
    size: int = 0
    svg: str = ""
    error: str = ""


def _text(*lines: str) -> str:
    """A dot label of plain text lines: escaped, never an HTML-like label."""
    return graphviz.nohtml("\\n".join(graphviz.escape(line) for line in lines if line))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Styler:
    """Labels, classes and hover texts of one function's nodes and leaves."""

    def __init__(self, function: Function):
        self.function = function
        self.findings_of = function.finding_ids_by_item()

    def _finding_marks(self, item_id: str, attrs: Dict, lines: List[str], classes: List[str]) -> List[str]:
        findings = [self.function.findings[i] for i in self.findings_of.get(item_id, [])]
        if not findings:
            return []
        active = [f for f in findings if not f.waived]
        shown = active or findings
        severity = (
            "waived" if not active else "error" if any(f.data.get("severity") == "error" for f in active) else "warning"
        )
        primary = [f for f in shown if f.nodes and f.nodes[0] == item_id]
        attrs.update(color=SEVERITY_COLOR[severity], penwidth="3" if primary else "2")
        if severity == "waived":
            attrs["style"] = attrs.get("style", "") + ",dashed"
        classes += ["fnd", f"sev-{severity}"]
        if primary:
            codes = sorted({f.data.get("code", "") for f in primary})
            lines.append(" ".join(codes) + (" (waived)" if severity == "waived" else ""))
        return [
            f"{f.data.get('code')} ({'waived, ' + f.waived if f.waived else f.data.get('severity')}): "
            f"{_short(f.data.get('message', ''), 300)}"
            for f in shown
        ]

    def node(self, graph: graphviz.Digraph, picture: Picture, node: Dict, highlight=()) -> None:
        kind = node.get("kind", "gpu")
        classes = ["op", f"k-{kind}", f"n_{node['id']}"]
        attrs = {
            "shape": KIND_SHAPE.get(kind, "box"),
            "style": "filled" + (",rounded" if kind == "gpu" else ""),
            "fillcolor": KIND_FILL.get(kind, "#eeeeee"),
        }
        lines = [_short(node.get("op", "?")), location(node, short=True)]
        if node.get("float64"):
            attrs.update(peripheries="2", color=FLOAT64_COLOR, fontcolor=FLOAT64_COLOR)
            lines.append("float64")
            classes.append("f64")
        inner = [self.function.scopes[s].label for s in node.get("inner", []) if s in self.function.scopes]
        if inner:
            attrs["shape"] = "box3d"
            lines.append("▸ " + _short(", ".join(inner), 30))
            classes.append("inner")
        notes = self._finding_marks(node["id"], attrs, lines, classes)
        if node["id"] in highlight:
            classes.append("focus")
        graph.node(node["id"], label=_text(*lines), **attrs, **{"class": " ".join(classes)})
        where = location(node) + (f" (via {node['via']})" if node.get("via") else "")
        out = ", ".join(node.get("dtypes") or [])
        nbytes = f", {size(node['bytes'])}" if node.get("bytes") else ""
        picture.tooltips[node["id"]] = "\n".join(
            [node.get("op", "?"), f"{KIND_TEXT.get(kind, kind)}; output {out}{nbytes}", where or "no source line"]
            + [f"inner graph: {label}" for label in inner]
            + notes
        )

    def leaf(self, graph: graphviz.Digraph, picture: Picture, leaf: Dict, highlight=()) -> None:
        kind = leaf.get("kind", "input")
        classes = ["leaf", f"l-{kind}", f"n_{leaf['id']}"]
        attrs = {
            "shape": LEAF_SHAPE.get(kind, "ellipse"),
            "fontsize": "9",
            "style": "filled",
            "fillcolor": "#cdebd0" if leaf.get("on_gpu") else "#f5f5f5",
        }
        name = leaf.get("name") or (leaf.get("value") if kind == "constant" and leaf.get("value") else kind)
        lines = [_short(name, 30), leaf.get("dtype", "")]  # type: ignore[arg-type]  # leaves carry a kind: name is set
        if kind == "constant":
            attrs["style"] = "solid"
        if leaf.get("float64"):
            attrs.update(peripheries="2", color=FLOAT64_COLOR, fontcolor=FLOAT64_COLOR)
            if kind == "constant":
                attrs["shape"] = "box"
            classes.append("f64")
        notes = self._finding_marks(leaf["id"], attrs, lines, classes)
        if notes and kind == "constant":
            attrs["shape"] = "box"
        if leaf["id"] in highlight:
            classes.append("focus")
        graph.node(leaf["id"], label=_text(*lines), **attrs, **{"class": " ".join(classes)})
        where = location(leaf) + (f" (via {leaf['via']})" if leaf.get("via") else "")
        picture.tooltips[leaf["id"]] = "\n".join(
            [
                f"{kind} {name!r}" if leaf.get("name") or leaf.get("value") else kind,
                f"{leaf.get('dtype', '')}, {'on the GPU' if leaf.get('on_gpu') else 'on the host'}",
                where or "no source line",
            ]
            + notes
        )

    def item(self, graph, picture, item_id: str, highlight=()) -> None:
        item = self.function.items[item_id]
        if item.get("kind") in LEAF_SHAPE:
            self.leaf(graph, picture, item, highlight)
        else:
            self.node(graph, picture, item, highlight)
