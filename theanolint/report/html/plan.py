"""Which pictures each function gets, and the data the page's script needs about them.

Per scope (outer graph and every inner graph): its main picture, whole or
collapsed (``collapse.COLLAPSE_ABOVE``); per box of a collapsed scope: the
box's own picture; per finding that names nodes: its neighbourhood.  Keys
are "f<function>-<scope or box id>" and "f<function>-x<finding>".
"""

from dataclasses import dataclass, field
from typing import Dict, List

from theanolint.report.html import collapse, drawing, style
from theanolint.report.html.model import Function, location


@dataclass
class Plan:
    """One function's pictures and the JSON the page's script reads about them."""

    function: Function
    pictures: List[style.Picture] = field(default_factory=list)
    main: Dict[str, str] = field(default_factory=dict)  # scope id -> picture key
    collapsed: Dict[str, collapse.Collapsed] = field(default_factory=dict)
    focus: Dict[int, str] = field(default_factory=dict)  # finding index -> picture key

    def key(self, suffix: str) -> str:
        return f"f{self.function.index}-{suffix}"

    def data(self) -> Dict:
        """What report.js needs: items, scopes, boxes, findings, picture titles."""
        function = self.function
        scopes, boxes, box_of = {}, {}, {}
        for scope in function.scopes.values():
            scopes[scope.id] = {
                "label": scope.label,
                "parent": scope.parent,
                "main": self.main.get(scope.id),
                "nodes": len(scope.nodes),
                "collapsed": scope.id in self.collapsed,
            }
            for box in getattr(self.collapsed.get(scope.id), "boxes", []):
                boxes[box.id] = {"title": box.title, "key": self.key(box.id), "nodes": len(box.nodes)}
                box_of.update(dict.fromkeys(box.nodes, box.id))
        findings = [
            {
                "code": f.data.get("code"),
                "severity": f.data.get("severity"),
                "message": f.data.get("message", ""),
                "where": location(f.data),
                "scope": f.data.get("scope", ""),
                "nodes": f.nodes,
                "waived": f.waived,
                "focus": self.focus.get(f.index),
            }
            for f in function.findings
        ]
        return {
            "items": function.items,
            "scopes": scopes,
            "boxes": boxes,
            "boxOf": box_of,
            "findings": findings,
            "titles": {p.key: p.title for p in self.pictures},
            "errors": {p.key: p.error for p in self.pictures if p.error},
        }


def scope_title(function: Function, scope_id: str) -> str:
    scope = function.scopes[scope_id]
    if not scope.parent:
        return f"{function.name}: optimized graph"
    owner = function.items.get(scope.parent.get("node"), {})  # type: ignore[arg-type]  # None finds {}
    where = location(owner)
    return f"{scope.label}, inner graph of {owner.get('op', '?')}" + (f" ({where})" if where else "")


def plan(function: Function) -> Plan:
    result = Plan(function)
    styler = style.Styler(function)
    for scope in function.scopes.values():
        key = result.key(scope.id)
        result.main[scope.id] = key
        title = scope_title(function, scope.id)
        if not collapse.is_collapsed(scope):
            result.pictures.append(drawing.whole_scope(styler, scope, key, title))
            continue
        collapsed = collapse.collapse(scope, function)
        result.collapsed[scope.id] = collapsed
        result.pictures.append(
            drawing.collapsed_scope(styler, scope, collapsed, key, f"{title} ({len(scope.nodes)} nodes, collapsed)")
        )
        for box in collapsed.boxes:
            result.pictures.append(
                drawing.box_picture(
                    styler, scope, collapsed, box, result.key(box.id), f"{box.title}: {len(box.nodes)} ops"
                )
            )
    for finding in function.findings:
        ids = [i for i in finding.nodes if i in function.items]
        if not ids:
            continue
        key = result.key(f"x{finding.index}")
        result.focus[finding.index] = key
        shown = collapse.neighbourhood(function, ids)
        title = (
            f"{finding.data.get('code')} at {location(finding.data) or '?'}: "
            f"its {len(ids)} node(s) and their neighbours"
        )
        result.pictures.append(drawing.focus_picture(styler, shown, ids[0], key, title))
    return result
