"""``--statistics``: how many problems each rule has (ruff's --statistics); a problem
in several functions counts once."""

import json
from collections import Counter
from typing import Any, Dict, Iterable, List

from theanolint.findings import Finding
from theanolint.report.text import summary


def rows(findings: Iterable[Finding]) -> List[Dict[str, Any]]:
    """Per rule code: how many of ``findings`` (the problems), most frequent first."""
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    return [
        {"code": code, "name": name, "severity": severity, "count": count}
        for (code, name, severity), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def text(report: Any) -> str:
    table = rows(report.problems)
    width = max([len(str(r["count"])) for r in table] or [1])
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['name']:<24} {r['severity']}" for r in table]
    if not report.quiet:
        lines.append(summary(report))
    return "".join(line + "\n" for line in lines)


def json_text(report: Any) -> str:
    return json.dumps({"target": report.target, "statistics": rows(report.problems)}, indent=2) + "\n"
