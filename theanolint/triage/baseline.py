"""Baselines for legacy code: record today's findings, fail only on new ones.

A finding's fingerprint leaves out line numbers and the message's wording, so
edits that move code and a reworded message keep the baseline valid: it is the
rule code, the function, the file, the inner-graph scope and the rule's stable
``data["key"]`` (what the finding is about, without sizes or counts).
Identical fingerprints are counted, so a second identical problem is new.

Baselines of format 1 (written before every rule gave a key) fingerprinted the
message with its numbers replaced by ``#``; they are still read, and matched
by that fingerprint, until the next ``--write-baseline`` rewrites them.
"""

import hashlib
import json
import os
import re
from collections import Counter
from typing import Any, Dict, Iterable, List, Set, Tuple

from theanolint.findings import Finding

VERSION = 2
READABLE = (1, 2)
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class BaselineError(Exception):
    """An unreadable baseline file; the CLI turns it into exit code 2."""


def fingerprint(finding: Finding, version: int = VERSION) -> str:
    key = finding.data.get("key") if isinstance(finding.data, dict) else None
    if version == 1:
        text = key if key and finding.code == "TL003" else _NUMBER.sub("#", finding.message)
    else:
        text = key if key else _NUMBER.sub("#", finding.message)
    parts = [finding.code, finding.function, finding.path.replace(os.sep, "/"), finding.scope, text]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def load(path: str) -> List[Dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        entries = data["findings"]
        if data.get("version") not in READABLE or not all("fingerprint" in e for e in entries):
            raise ValueError("not a theanolint baseline")
        # Each entry is matched by the fingerprint it was written with.
        return [dict(e, fingerprint_version=e.get("fingerprint_version", data["version"])) for e in entries]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from error


def split(findings: List[Finding], entries: List[Dict[str, Any]]) -> Tuple[List[Finding], List[Finding]]:
    """(new, recorded): the findings the baseline does not account for, and those it does."""
    budget: Counter[Tuple[Any, Any]] = Counter()
    for entry in entries:
        budget[entry.get("fingerprint_version", VERSION), entry["fingerprint"]] += entry.get("count", 1)
    versions = sorted({version for version, _ in budget}, reverse=True)
    new, recorded = [], []
    for finding in findings:
        key = next(((v, fingerprint(finding, v)) for v in versions if budget[v, fingerprint(finding, v)] > 0), None)
        if key is not None:
            budget[key] -= 1
            recorded.append(finding)
        else:
            new.append(finding)
    return new, recorded


def write(path: str, findings: Iterable[Finding], previous: List[Dict[str, Any]], linted_functions: Set[str]) -> int:
    """Record ``findings``; keep previous entries of functions not linted this run.

    Entries of linted functions are replaced, so fixed findings drop out.
    Returns the number of findings recorded.
    """
    counted: Dict[str, Dict[str, Any]] = {}
    for entry in previous:
        if entry.get("function") not in linted_functions:
            kept = dict(entry)
            if kept.get("fingerprint_version") == VERSION:
                del kept["fingerprint_version"]
            counted[entry["fingerprint"]] = kept
    for finding in findings:
        key = fingerprint(finding)
        entry = counted.setdefault(
            key,
            {
                "fingerprint": key,
                "code": finding.code,
                "function": finding.function,
                "path": finding.path,
                "message": finding.message,
                "count": 0,
            },
        )
        entry["count"] += 1
    entries = sorted(
        counted.values(), key=lambda e: (e["path"], e["code"], e["function"], e["message"], e["fingerprint"])
    )
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temp = path + ".tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "tool": "theanolint", "findings": entries}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(temp, path)
    return sum(e["count"] for e in entries)
