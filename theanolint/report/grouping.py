"""One record per problem: the same finding in several functions of one builder
(train, valid and test share a model) is listed once, with the functions it affects.

Two findings are one problem when they have the same code, path, line, scope and
``data["key"]``, or print the same text (code, path, line, message); the merged
record keeps the first one's (``Finding.sort_key``) message and data, and lists
the functions in ``functions``.

It lives in ``report``, not ``triage``: it drops nothing, it only changes how the
reports list what triage kept.  Suppressions, per-file ignores and the baseline
run before it on each function's record (a baseline fingerprint names the
function), and the HTML report still draws each function's own records.
"""

from dataclasses import replace
from typing import Dict, Hashable, Iterable, List, Sequence, Tuple

from theanolint.findings import Finding


def _identities(finding: Finding) -> List[Hashable]:
    key = finding.data.get("key") if isinstance(finding.data, dict) else None
    text = ("text", finding.code, finding.path, finding.line, finding.message)
    if not key:
        return [text]
    return [("key", finding.code, finding.path, finding.line, finding.scope, str(key)), text]


def merge(members: Sequence[Finding]) -> Finding:
    """One problem's record from its findings (sorted): the first one, with ``functions``."""
    first = members[0]
    functions = tuple(dict.fromkeys(f.function for f in members if f.function))
    severity = "error" if any(f.severity == "error" for f in members) else first.severity
    return replace(first, functions=functions, severity=severity)


def clusters(findings: Iterable[Finding]) -> List[List[Finding]]:
    """The findings of each problem, sorted, in the order their first ones were given
    (triage gives them sorted; grouping does not reorder)."""
    given = list(findings)
    parent = list(range(len(given)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: Dict[Hashable, int] = {}
    for index, finding in enumerate(given):
        for identity in _identities(finding):
            if identity in seen:
                a, b = root(seen[identity]), root(index)
                parent[max(a, b)] = min(a, b)  # a problem's root is its earliest finding
            else:
                seen[identity] = index
    members: Dict[int, List[Finding]] = {}
    for index, finding in enumerate(given):
        members.setdefault(root(index), []).append(finding)
    return [sorted(members[r], key=Finding.sort_key) for r in sorted(members)]


def group(findings: Iterable[Finding]) -> Tuple[Finding, ...]:
    """The problems, each with ``functions`` filled and ``function`` its first one
    (``""`` for findings of no function, TL003)."""
    return tuple(merge(members) for members in clusters(findings))


def by_kind(waived: Iterable[Tuple[str, Finding]]) -> Dict[str, List[Finding]]:
    """Waived findings by why ("inline", "baseline"): each kind is grouped among itself."""
    kinds: Dict[str, List[Finding]] = {}
    for kind, finding in waived:
        kinds.setdefault(kind, []).append(finding)
    return kinds


def group_waived(waived: Iterable[Tuple[str, Finding]]) -> Tuple[Tuple[str, Finding], ...]:
    """``(kind, finding)`` pairs grouped the same way, each kind among itself."""
    pairs = [(kind, problem) for kind, found in by_kind(waived).items() for problem in group(found)]
    return tuple(sorted(pairs, key=lambda pair: pair[1].sort_key()))
