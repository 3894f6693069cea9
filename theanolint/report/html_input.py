"""What ``theanolint.report.html.render`` draws, gathered from a ``Report``."""

import os
from typing import Any, Dict

from theanolint import __version__
from theanolint.protocol import summary_dict


def document(report: Any, version: str = __version__) -> Dict[str, Any]:
    """Each function's summary, picture and memory, and every finding, the waived
    ones too (``"waived"``: "inline" or "baseline" for those, None for the rest)."""
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
    shown = [(None, f) for f in report.findings] + list(report.waived)
    shown.sort(key=lambda pair: pair[1].sort_key())
    return {
        "target": report.target,
        "root": os.path.basename(os.path.normpath(report.root)),
        "version": version,
        "functions": functions,
        "findings": [dict(f.to_dict(), waived=kind) for kind, f in shown],
    }
