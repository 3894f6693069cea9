"""What ``theanolint.report.html.render`` draws, gathered from a ``Report``."""

import os
from dataclasses import replace
from typing import Any, Dict, Iterable, List, Optional, Tuple

from theanolint import __version__
from theanolint.findings import Finding
from theanolint.protocol import summary_dict
from theanolint.report import grouping


def _with_functions(kind: Optional[str], findings: Iterable[Finding]) -> List[Tuple[Optional[str], Finding]]:
    """Each function's own record (its picture highlights its own nodes), naming all
    the functions of its problem in ``functions``."""
    pairs = []
    for members in grouping.clusters(findings):
        functions = grouping.merge(members).functions
        pairs += [(kind, replace(f, functions=functions)) for f in members]
    return pairs


def _problems(report: Any) -> Dict[str, int]:
    """The overview's counts: problems, as the other formats count them."""
    counts = {"error": 0, "warning": 0, "waived": len(report.waived_problems)}
    for problem in report.problems:
        counts["error" if problem.severity == "error" else "warning"] += 1
    return counts


def document(report: Any, version: str = __version__) -> Dict[str, Any]:
    """Each function's summary, picture and memory, and every function's findings, the
    waived ones too (``"waived"``: "inline" or "baseline" for those, None for the rest);
    ``problems``: how many problems of each severity, and waived, the overview counts."""
    result = report.result
    memory = {m["name"]: m for m in result.memory or ()}
    functions = []
    for summary in result.functions:
        function: Dict[str, Any] = {"summary": summary_dict(summary)}
        if summary.name in result.pictures:
            function["picture"] = result.pictures[summary.name]
        if summary.name in memory:
            function["memory"] = memory[summary.name]
        functions.append(function)
    shown = _with_functions(None, report.findings)
    for kind, found in grouping.by_kind(report.waived).items():
        shown += _with_functions(kind, found)
    shown.sort(key=lambda pair: pair[1].sort_key())
    return {
        "target": report.target,
        "root": os.path.basename(os.path.normpath(report.root)),
        "version": version,
        "functions": functions,
        "findings": [dict(f.to_dict(), waived=kind) for kind, f in shown],
        "problems": _problems(report),
    }
