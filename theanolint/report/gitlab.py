"""GitLab Code Quality report (``artifacts: reports: codequality``): a JSON array,
one issue per problem, paths from the repository root as GitLab wants them.

The format is GitLab's subset of Code Climate's: ``description``, ``check_name``,
``fingerprint`` (the baseline's, so an issue keeps its identity across runs),
``severity`` (GitLab's words: ``major`` for errors, ``minor`` for warnings) and
``location.path`` / ``location.lines.begin``.
"""

import json
from typing import Any, Dict, List

from theanolint.report.text import functions_label
from theanolint.triage import baseline

SEVERITY = {"error": "major", "warning": "minor"}


def render(report: Any) -> str:
    issues: List[Dict[str, Any]] = []
    for finding in report.problems:
        issues.append(
            {
                "description": f"{finding.code} {finding.message}{functions_label(finding)}",
                "check_name": finding.code,
                "fingerprint": baseline.fingerprint(finding),
                "severity": SEVERITY.get(finding.severity, "minor"),
                "location": {"path": report.repository_path(finding.path), "lines": {"begin": max(1, finding.line)}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"
