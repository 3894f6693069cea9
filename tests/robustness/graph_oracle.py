"""The test's own answers about an optimized graph, independent of the rules.

Runs in the driver process (it imports Theano).  Given a lint unit (its
optimized outer and inner graphs) and, for each finding, the graph object the
rule pointed at, it says where that object is and whether the float64
findings match the float64 values the graph computes.  Nothing here calls a
rule or theanolint's graph helpers: the float64 definition is written again
from Theano's own types and scalar graphs.
"""

from typing import Dict, List

from theano.compile.sharedvalue import SharedVariable
from theano.gof.graph import Apply, Variable, ancestors, ops
from theano.scalar.basic import Composite

FLOAT64 = ("float64", "complex128")


def _dtype(var):
    return getattr(var.type, "dtype", None)


def _scalar_graph_is_float64(composite) -> bool:
    for node in ops(composite.inputs, composite.outputs):
        if any(_dtype(out) in FLOAT64 for out in node.outputs):
            return True
        if isinstance(node.op, Composite) and _scalar_graph_is_float64(node.op):
            return True
    return False


def makes_float64(node) -> bool:
    """The node's outputs are float64, or a fused scalar graph computes in float64."""
    if any(_dtype(out) in FLOAT64 for out in node.outputs):
        return True
    scalar = getattr(node.op, "scalar_op", None)
    return isinstance(scalar, Composite) and _scalar_graph_is_float64(scalar)


class Scopes:
    """The unit's graphs by label ("" outer, "scan 'step3'" inner), with their float64 nodes."""

    def __init__(self, unit):
        self.graphs = {}  # label -> (fgraph, parent label)
        self.inner_of = {}  # outer apply node -> labels of its inner graphs
        for scope in unit.scopes():
            parent = scope.parent.label if scope.parent is not None else None
            self.graphs[scope.label] = (scope.fgraph, parent)
            if scope.node is not None:
                self.inner_of.setdefault(scope.node, []).append(scope.label)
        self.float64 = {
            label: [n for n in fgraph.apply_nodes if makes_float64(n)] for label, (fgraph, _) in self.graphs.items()
        }

    def where(self, thing) -> List[str]:
        """Labels of the graphs that hold ``thing`` (an apply node or a variable)."""
        found = []
        for label, (fgraph, _) in self.graphs.items():
            if isinstance(thing, Apply) and thing in fgraph.apply_nodes:
                found.append(label)
            elif isinstance(thing, Variable) and (
                thing in fgraph.variables or thing in fgraph.inputs or thing in fgraph.outputs
            ):
                found.append(label)
        return found

    def on_float64_path(self, thing, label: str) -> bool:
        """``thing`` is a float64 node, or a float64 leaf some float64 node of the graph reads."""
        if isinstance(thing, Apply):
            return makes_float64(thing)
        if _dtype(thing) not in FLOAT64:
            return False
        nodes = self.float64.get(label, [])
        return any(thing in ancestors(node.inputs) for node in nodes)

    def uncovered(self, subjects: Dict[str, list]) -> List[str]:
        """Float64 nodes no float64 finding explains.

        A node is explained by a finding on it or on one of its ancestors in
        its graph, or by a finding inside the inner graph of a scan or
        OpFromGraph node among them (that graph makes the float64 it outputs).  In an inner graph, a
        float64 value that comes in through an inner input is explained by a
        float64 finding in an enclosing graph.
        """
        missing = []
        explained_inside = {
            node for node, labels in self.inner_of.items() if any(subjects.get(label) for label in labels)
        }
        for label, nodes in self.float64.items():
            fgraph, parent = self.graphs[label]
            named = subjects.get(label, [])
            for node in nodes:
                above = set(ancestors(node.inputs))
                above_nodes = {v.owner for v in above if v.owner is not None}
                if any(thing is node or thing in above or thing in above_nodes for thing in named):
                    continue
                if any(n in explained_inside for n in above_nodes | {node}):
                    continue
                inner_inputs = [
                    v
                    for v in fgraph.inputs
                    if _dtype(v) in FLOAT64 and not isinstance(v, SharedVariable) and v in above
                ]
                if parent is not None and inner_inputs and self._enclosing_finding(parent, subjects):
                    continue
                missing.append(f"{label or 'outer graph'}: {node}")
        return missing

    def _enclosing_finding(self, label, subjects) -> bool:
        while label is not None:
            if subjects.get(label):
                return True
            label = self.graphs[label][1]
        return False


def judge(unit, subjects_of) -> Dict:
    """The oracle's view of one linted unit; ``subjects_of[id(finding)]`` is what the
    rule pointed at (a Location, an apply node or a variable)."""
    scopes = Scopes(unit) if unit.root is not None else None
    float64_subjects: Dict[str, list] = {}
    judged = []
    for finding in unit.findings:
        thing = subjects_of.get(id(finding), "unknown")
        verdict = {
            "subject": (
                "unknown"
                if thing == "unknown"
                else "apply"
                if isinstance(thing, Apply)
                else "variable"
                if isinstance(thing, Variable)
                else "location"
            )
        }
        if verdict["subject"] in ("apply", "variable") and scopes is not None:
            verdict["graphs"] = scopes.where(thing)
            if finding.code == "TL101":
                verdict["on_float64_path"] = scopes.on_float64_path(thing, finding.scope)
                # the causes TL101 counted with this one (optimizer state, casts on one line)
                float64_subjects.setdefault(finding.scope, []).extend([thing, *finding.subjects])
        judged.append(verdict)
    return {
        "name": unit.name,
        "computes_float64": bool(scopes and any(scopes.float64.values())),
        "float64_nodes": sum(len(n) for n in scopes.float64.values()) if scopes else 0,
        "uncovered_float64": scopes.uncovered(float64_subjects) if scopes else [],
        "verdicts": judged,
    }
