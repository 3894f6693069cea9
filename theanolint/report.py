"""Render findings for people (text), programs (json) and CI (github annotations).

SARIF lives in ``theanolint.sarif``, the HTML page in ``theanolint.html``
(``html_input`` gathers what it draws).  Text is plain unless the caller asks
for colour (only on a terminal, see ``theanolint.terminal``).
"""
import json
import os
from collections import Counter
from typing import Dict, List

from theanolint.findings import Finding

_RED, _YELLOW, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"


def _line(f: Finding, color: bool) -> str:
    where = f"{f.path}:{f.line}:0:"
    code = f.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_RED if f.severity == 'error' else _YELLOW}{code}{_RESET}"
    function = f" [{f.function}]" if f.function else ""
    return f"{where} {code} {f.message}{function}"


def summary(findings: List[Finding], result: Dict, target_text: str) -> str:
    errors = sum(f.severity == "error" for f in findings)
    units = result.get("units", [])
    hidden = (f" ({result['baselined']} finding(s) in the baseline not shown)"
              if result.get("baselined") else "")
    if findings:
        return (f"Found {len(findings)} problem(s) ({errors} error(s), "
                f"{len(findings) - errors} warning(s)) in {len(units)} function(s) "
                f"on {target_text}.{hidden}")
    return f"All checks passed: {len(units)} function(s) on {target_text}.{hidden}"


def text(findings: List[Finding], result: Dict, target_text: str, verbose: bool = False,
         quiet: bool = False, color: bool = False) -> str:
    lines = [_line(f, color) for f in findings]
    units = result.get("units", [])
    if verbose:
        lines.insert(0, f"target: {target_text}; device: {result.get('device', {}).get('name', '?')}")
        if result.get("refused_launches"):
            lines.insert(1, f"the virtual device refused {result['refused_launches']} kernel "
                         "launch(es): Theano could not fold those GPU constants, as logged")
        if result.get("host_evaluations"):
            lines.insert(1, f"{result['host_evaluations']} function(s) the builders called while "
                         "building ran on the host (not linted unless a builder made them)")
        for unit in units:
            lines.append(f"  {unit['name']}: {unit['nodes']} nodes, {unit['gpu_nodes']} on the GPU, "
                         f"{unit['transfers']} transfers, optimized in {unit['optimize_seconds']:.2f} s")
    if not quiet:
        line = summary(findings, result, target_text)
        lines.append(f"{_BOLD}{line}{_RESET}" if color else line)
    return "".join(line + "\n" for line in lines)


def as_json(findings: List[Finding], result: Dict, target_text: str) -> str:
    return json.dumps({"target": target_text, "device": result.get("device"),
                       "startup_seconds": result.get("startup_seconds"),
                       "functions": result.get("units", []),
                       "findings": [f.to_dict() for f in findings],
                       **({"memory": result["memory"]} if "memory" in result else {})},
                      indent=2) + "\n"


def html_input(findings: List[Finding], result: Dict, target_text: str, root: str,
               version: str) -> Dict:
    """What ``theanolint.html.render`` draws: each function's summary, picture and
    memory, and every finding, the waived ones too (``"waived"``: "inline" or
    "baseline" for those, None for the rest)."""
    pictures, memory = result.get("pictures", {}), {m["name"]: m for m in result.get("memory", [])}
    functions = []
    for unit in result.get("units", []):
        function = {"summary": unit}
        if unit["name"] in pictures:
            function["picture"] = pictures[unit["name"]]
        if unit["name"] in memory:
            function["memory"] = memory[unit["name"]]
        functions.append(function)
    shown = [(None, f) for f in findings] + list(result.get("waived", []))
    shown.sort(key=lambda pair: pair[1].sort_key())
    return {"target": target_text, "root": os.path.basename(os.path.normpath(root)),
            "version": version, "functions": functions,
            "findings": [dict(f.to_dict(), waived=kind) for kind, f in shown]}


def statistics_rows(findings: List[Finding]) -> List[Dict]:
    """Per rule code: how many findings, most frequent first (ruff's --statistics)."""
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    return [{"code": code, "name": name, "severity": severity, "count": count}
            for (code, name, severity), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def statistics(findings: List[Finding], result: Dict, target_text: str, quiet: bool = False) -> str:
    rows = statistics_rows(findings)
    width = max([len(str(r["count"])) for r in rows] or [1])
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['name']:<24} {r['severity']}" for r in rows]
    if not quiet:
        lines.append(summary(findings, result, target_text))
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: List[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        function = f" [{f.function}]" if f.function else ""
        lines.append(f"::{level} file={_escape_property(f.path)},line={max(1, f.line)},"
                     f"title={_escape_property(f.code)}::{_escape_data(f.message + function)}")
    return "".join(line + "\n" for line in lines)
