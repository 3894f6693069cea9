"""The invariants every linted graph must meet, checked on a driver's answer.

Pytest side, plain data: the driver already put the graph facts (the oracle's
verdicts) next to the findings.  ``problems`` lists what is wrong, in words a
failing test can print.
"""

import json
import re
from importlib import resources
from typing import Dict, List

import jsonschema

SCHEMA = json.loads(resources.files("theanolint.report").joinpath("schema.json").read_text())
REPORT = jsonschema.Draft202012Validator(SCHEMA)
FINDING = jsonschema.Draft202012Validator({"$ref": "#/$defs/finding", "$defs": SCHEMA["$defs"]})
NOT_IN_PROCESS = ("TL004", "TL005")  # a worker that died or hung: not possible in-process
THEANO_FAILED = ("TL001", "TL002")  # right only when Theano alone fails the same way


def builder_lines(source: str) -> set:
    """Lines a finding may name: the code of ``graph()`` and of the builder."""
    lines = source.splitlines()
    first = lines.index("def graph():") + 1
    return {number for number, text in enumerate(lines, 1) if number >= first and text.strip()}


def _finding_problems(finding: Dict, verdict: Dict, name: str, lines: set, theano_alone: str) -> List[str]:
    where = f"{finding['code']} at {finding['path']}:{finding['line']} ({finding['message'][:90]})"
    problems = [f"{where}: not a valid report finding: {error.message}" for error in FINDING.iter_errors(finding)]
    if finding["path"] != f"{name}.py" or finding["line"] not in lines:
        problems.append(f"{where}: names no line of the builder's code")
    if finding["function"] != name and not finding["function"].startswith(f"{name}:"):
        problems.append(f"{where}: names function {finding['function']!r}")
    if finding["code"] in NOT_IN_PROCESS:
        problems.append(f"{where}: a worker failure in-process")
    if finding["code"] in THEANO_FAILED:
        kind = theano_alone.split(":")[0]  # the exception's type, e.g. UnusedInputError
        if not theano_alone or not re.search(rf"\b{kind}\b", finding["message"]):
            problems.append(
                f"{where}: theanolint failed where Theano alone says "
                f"{theano_alone or 'nothing (it builds and compiles the graph)'}"
            )
    subject = verdict["subject"]
    if subject == "unknown":
        problems.append(f"{where}: made without unit.finding; its graph object is unknown")
    elif subject in ("apply", "variable"):
        graphs = verdict.get("graphs", [])
        if not graphs:
            problems.append(f"{where}: its {subject} is in no optimized graph of the function")
        elif finding["scope"] and finding["scope"] not in graphs:
            problems.append(f"{where}: its {subject} is not in {finding['scope']} but in {graphs}")
        if finding["code"] == "TL101" and not verdict.get("on_float64_path"):
            problems.append(f"{where}: the {subject} it names is on no float64 value's path")
    return problems


def problems(answer: Dict, name: str, source: str) -> List[str]:
    """Everything wrong with one target's answer for builder module ``name``."""
    if "crash" in answer:
        return [f"theanolint raised:\n{answer['crash']}"]
    found = [f"internal error: {error}" for error in answer["internal_errors"]]
    entries, units = answer["entries"], answer["units"]
    if len(entries) != len(units):
        return found + [f"{len(entries)} entries but {len(units)} linted units"]
    lines = builder_lines(source)
    for entry, unit in zip(entries, units):
        findings = entry["findings"]
        if len(findings) != len(unit["verdicts"]):
            found.append(f"{unit['name']}: {len(findings)} findings, {len(unit['verdicts'])} verdicts")
            continue
        for finding, verdict in zip(findings, unit["verdicts"]):
            found += _finding_problems(finding, verdict, name, lines, answer.get("theano_alone", ""))
        has_float64_finding = any(f["code"] == "TL101" for f in findings)
        failed = any(f["code"] in THEANO_FAILED for f in findings)
        if unit["computes_float64"] != has_float64_finding and not failed:
            found.append(
                f"{unit['name']}: the optimized graph "
                f"{'computes' if unit['computes_float64'] else 'computes no'} float64 "
                f"values ({unit['float64_nodes']} op(s)) but there "
                f"{'is no' if not has_float64_finding else 'is a'} TL101 finding"
            )
        found += [
            f"{unit['name']}: float64 op explained by no TL101 finding: {node}" for node in unit["uncovered_float64"]
        ]
    return found


def codes(answer: Dict) -> List[str]:
    return [f["code"] for entry in answer.get("entries", []) for f in entry["findings"]]
