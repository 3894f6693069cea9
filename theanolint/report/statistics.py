"""``--statistics``: how many findings each rule has (ruff's --statistics)."""

import json
from collections import Counter
from typing import Dict, List

from theanolint.report.text import summary


def rows(findings) -> List[Dict]:
    """Per rule code: how many findings, most frequent first."""
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    return [
        {"code": code, "name": name, "severity": severity, "count": count}
        for (code, name, severity), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def text(report) -> str:
    table = rows(report.findings)
    width = max([len(str(r["count"])) for r in table] or [1])
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['name']:<24} {r['severity']}" for r in table]
    if not report.quiet:
        lines.append(summary(report))
    return "".join(line + "\n" for line in lines)


def json_text(report) -> str:
    return json.dumps({"target": report.target, "statistics": rows(report.findings)}, indent=2) + "\n"
