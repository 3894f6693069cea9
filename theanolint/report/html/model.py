"""The report's data, indexed the way the page needs it.

The workers export each function's optimized graph as a "picture" (plain
JSON: scopes of nodes, leaves and edges, memory steps, transfers).  Here it
is indexed once: every node and leaf by id, producers and consumers of each,
the findings of each function with the nodes they are about, and the
numbers of the overview table.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, DefaultDict, Dict, List, Optional


@dataclass
class Scope:
    """One graph of a picture: the outer graph or an inner scan/OpFromGraph/IfElse graph."""

    id: str
    label: str
    parent: Optional[Dict]  # {"scope": ..., "node": ...} or None
    nodes: List[Dict]  # apply nodes in schedule order
    leaves: List[Dict]
    edges: List[List[str]]
    outputs: List[str]
    producers: Dict[str, List[str]] = field(default_factory=lambda: defaultdict(list))
    consumers: Dict[str, List[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self):
        for source, target in self.edges:
            self.producers[target].append(source)
            self.consumers[source].append(target)


@dataclass
class Finding:
    index: int  # position in the function's list, for the page's ids
    data: Dict  # the finding dict as the CLI gives it

    @property
    def nodes(self) -> List[str]:
        return list((self.data.get("data") or {}).get("nodes") or [])

    @property
    def waived(self) -> Optional[str]:
        return self.data.get("waived")


@dataclass
class Function:
    """One linted function: its summary, its picture indexed, its findings."""

    index: int
    summary: Dict
    picture: Optional[Dict]
    memory: Optional[Dict]  # the entry's memory summary (peak_gpu, budget, ...)
    findings: List[Finding] = field(default_factory=list)
    scopes: Dict[str, Scope] = field(default_factory=dict)
    items: Dict[str, Dict] = field(default_factory=dict)  # node or leaf id -> its dict
    scope_of: Dict[str, str] = field(default_factory=dict)  # node or leaf id -> scope id

    @property
    def name(self) -> str:
        return self.summary.get("name", "?")

    @property
    def anchor(self) -> str:
        return f"fn-{self.index}"

    def active_findings(self) -> List[Finding]:
        return [f for f in self.findings if not f.waived]

    def counts(self) -> Dict[str, int]:
        active = self.active_findings()
        return {
            "error": sum(f.data.get("severity") == "error" for f in active),
            "warning": sum(f.data.get("severity") != "error" for f in active),
            "waived": len(self.findings) - len(active),
        }

    def gpu_share(self) -> Optional[float]:
        nodes = self.summary.get("nodes") or 0
        return self.summary.get("gpu_nodes", 0) / nodes if nodes else None

    def transfers(self) -> Dict:
        """Host<->device copies per call: {"count": n, "bytes": b or None}."""
        exported = (self.picture or {}).get("transfers")
        if exported:
            return exported
        return {"count": self.summary.get("transfers"), "bytes": None}

    def peak(self) -> Dict:
        """Predicted peak GPU bytes and the budget, each None when unknown."""
        plot = (self.picture or {}).get("memory")
        if plot:
            return {"live": plot["peak"]["live"], "budget": plot.get("budget")}
        if self.memory and "peak_gpu" in self.memory:
            return {"live": self.memory["peak_gpu"], "budget": self.memory.get("budget")}
        return {"live": None, "budget": (self.memory or {}).get("budget")}

    def finding_ids_by_item(self) -> Dict[str, List[int]]:
        """Node or leaf id -> indexes of the findings about it (primary node first)."""
        result: DefaultDict[str, List[int]] = defaultdict(list)
        for finding in self.findings:
            for node in finding.nodes:
                if finding.index not in result[node]:
                    result[node].append(finding.index)
        return result


def _severity_order(finding: Dict):
    return (
        finding.get("waived") is not None,
        finding.get("severity") != "error",
        finding.get("path") or "",
        finding.get("line") or 0,
        finding.get("code", ""),
    )


def build(report: Dict):
    """The report's functions (indexed) and the findings that belong to no function."""
    functions = []
    by_name: Dict[str, Any] = {}
    for index, entry in enumerate(report.get("functions", [])):
        function = Function(index, dict(entry.get("summary") or {}), entry.get("picture"), entry.get("memory"))
        _index_picture(function)
        functions.append(function)
        by_name.setdefault(function.name, function)
    loose = []
    for finding in sorted(report.get("findings", []), key=_severity_order):
        owner = by_name.get(finding.get("function") or "")
        if owner is None:
            loose.append(finding)
        else:
            owner.findings.append(Finding(len(owner.findings), finding))
    return functions, loose


def _index_picture(function: Function) -> None:
    for raw in (function.picture or {}).get("scopes", []):
        scope = Scope(
            raw["id"],
            raw.get("label") or "",
            raw.get("parent"),
            raw.get("nodes", []),
            raw.get("leaves", []),
            raw.get("edges", []),
            raw.get("outputs", []),
        )
        function.scopes[scope.id] = scope
        for item in scope.nodes + scope.leaves:
            function.items[item["id"]] = item
            function.scope_of[item["id"]] = scope.id


def location(item: Dict, short: bool = False) -> str:
    """``models/mlp.py:31`` (``mlp.py:31`` when short), or '' when the item has no line."""
    path = item.get("path")
    if not path:
        return ""
    if short:
        path = path.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{path}:{item['line']}" if item.get("line") else path
