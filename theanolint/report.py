"""Render findings for people (text) and programs (json)."""
import json
from typing import Dict, List

from theanolint.findings import Finding


def text(findings: List[Finding], result: Dict, target_text: str, verbose: bool = False) -> str:
    lines = [f"{f.path}:{f.line}:0: {f.code} {f.message} [{f.function}]" for f in findings]
    errors = sum(f.severity == "error" for f in findings)
    units = result.get("units", [])
    if verbose:
        lines.insert(0, f"target: {target_text}; device: {result.get('device', {}).get('name', '?')}")
        if result.get("refused_launches"):
            lines.insert(1, f"the virtual device refused {result['refused_launches']} kernel "
                         "launch(es): Theano could not fold those GPU constants, as logged")
        for unit in units:
            lines.append(f"  {unit['name']}: {unit['nodes']} nodes, {unit['gpu_nodes']} on the GPU, "
                         f"{unit['transfers']} transfers, optimized in {unit['optimize_seconds']:.2f} s")
    if findings:
        lines.append(f"Found {len(findings)} problem(s) ({errors} error(s), "
                     f"{len(findings) - errors} warning(s)) in {len(units)} function(s) "
                     f"on {target_text}.")
    else:
        lines.append(f"All checks passed: {len(units)} function(s) on {target_text}.")
    return "\n".join(lines) + "\n"


def as_json(findings: List[Finding], result: Dict, target_text: str) -> str:
    return json.dumps({"target": target_text, "device": result.get("device"),
                       "startup_seconds": result.get("startup_seconds"),
                       "functions": result.get("units", []),
                       "findings": [f.to_dict() for f in findings]}, indent=2) + "\n"
