"""SARIF 2.1.0 output, for code-scanning UIs (GitHub, GitLab, VS Code's SARIF viewer).

Paths inside the repository are relative URIs against ``%SRCROOT%`` (the git
work tree's top level, else the project root), so the log does not depend on
where the project was checked out and a project in a subfolder names its files
as code scanning sees them; files outside it (site-packages) are absolute
``file:`` URIs.

One result per problem, its functions in ``properties["functions"]``.  The
partial fingerprint stays the baseline's fingerprint of the problem's first
function (``function``), unchanged from one-result-per-function logs: an
alert already uploaded keeps matching, and SARIF and the baseline agree.
"""

import json
import os
from typing import Any, Dict, List
from urllib.parse import quote

from theanolint import __version__
from theanolint.docs import rule_section
from theanolint.findings import Finding
from theanolint.ruleset.catalog import RuleInfo, catalog
from theanolint.triage import baseline

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _rule(info: RuleInfo) -> Dict[str, Any]:
    doc = info.doc.strip()
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": doc},
        # The rule's docs/rules.md section: code scanning shows it with the alert.  No
        # helpUri: the project publishes no documentation site to link to.
        "help": {"text": doc, "markdown": rule_section(info)},
        "defaultConfiguration": {"level": info.severity},
    }


def _location(finding: Finding, report: Any) -> Dict[str, Any]:
    path = report.repository_path(finding.path)
    if os.path.isabs(path):
        artifact = {"uri": "file://" + quote(path.replace(os.sep, "/"))}
    else:
        artifact = {"uri": quote(path.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}
    region = {"startLine": max(1, finding.line)}
    if finding.column > 0:
        region["startColumn"] = finding.column
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def render(report: Any, version: str = __version__) -> str:
    entries = catalog()
    index = {info.code: i for i, info in enumerate(entries)}
    results: List[Dict[str, Any]] = []
    root = report.root
    for finding in report.problems:
        result: Dict[str, Any] = {
            "ruleId": finding.code,
            "level": "error" if finding.severity == "error" else "warning",
            "message": {"text": finding.message},
            "locations": [_location(finding, report)],
            "partialFingerprints": {f"theanolint/v{baseline.VERSION}": baseline.fingerprint(finding)},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.function:
            functions = list(finding.functions) or [finding.function]
            result["properties"] = {"function": finding.function, "functions": functions, "scope": finding.scope}
        results.append(result)
    base = report.repository or os.path.abspath(root)
    root_uri = "file://" + quote(os.path.join(base, "").replace(os.sep, "/"))
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "theanolint", "version": version, "rules": [_rule(e) for e in entries]}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
