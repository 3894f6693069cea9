"""SARIF 2.1.0 output, for code-scanning UIs (GitHub, GitLab, VS Code's SARIF viewer).

Paths under the project root are relative URIs against ``%SRCROOT%`` (the
project root), so the log does not depend on where the project was checked
out; files outside it (site-packages) are absolute ``file:`` URIs.
"""
import json
import os
from typing import Dict, List
from urllib.parse import quote

from theanolint import baseline, ruleset
from theanolint.findings import Finding

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _rule(entry) -> Dict:
    doc = (entry.__doc__ or "").strip()
    return {"id": entry.CODE, "name": entry.NAME,
            "shortDescription": {"text": doc.splitlines()[0] if doc else entry.NAME},
            "fullDescription": {"text": doc or entry.NAME},
            "help": {"text": doc or entry.NAME},
            "defaultConfiguration": {"level": entry.SEVERITY}}


def _location(finding: Finding) -> Dict:
    if os.path.isabs(finding.path):
        artifact = {"uri": "file://" + quote(finding.path.replace(os.sep, "/"))}
    else:
        artifact = {"uri": quote(finding.path.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": artifact,
                                 "region": {"startLine": max(1, finding.line)}}}


def as_sarif(findings: List[Finding], root: str, version: str) -> str:
    entries = ruleset.catalog()
    index = {entry.CODE: i for i, entry in enumerate(entries)}
    results = []
    for finding in findings:
        result = {"ruleId": finding.code,
                  "level": "error" if finding.severity == "error" else "warning",
                  "message": {"text": finding.message},
                  "locations": [_location(finding)],
                  "partialFingerprints": {"theanolint/v1": baseline.fingerprint(finding)}}
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.function:
            result["properties"] = {"function": finding.function, "scope": finding.scope}
        results.append(result)
    root_uri = "file://" + quote(os.path.join(os.path.abspath(root), "").replace(os.sep, "/"))
    log = {"$schema": SCHEMA_URI, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "theanolint", "version": version,
                                         "rules": [_rule(e) for e in entries]}},
                     "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                     "columnKind": "unicodeCodePoints",
                     "results": results}]}
    return json.dumps(log, indent=2) + "\n"
