"""The config's ``per_file_ignores``: glob -> codes to drop in matching files.

Globs are matched with ``fnmatch`` against the finding's path as reports
print it (relative to the project root, or absolute outside it), so
``*`` also crosses ``/``: ``tests/*`` covers every file below tests/.
"""

from fnmatch import fnmatchcase
from typing import Dict, List

from theanolint.findings import Finding
from theanolint.ruleset.selection import matches_any


def matching_codes(path: str, ignores: Dict[str, List[str]]) -> List[str]:
    return [code for pattern, codes in ignores.items() if fnmatchcase(path, pattern) for code in codes]


def apply(findings: List[Finding], ignores: Dict[str, List[str]]) -> List[Finding]:
    """The findings whose file has no ignore for their code (codes may be prefixes)."""
    if not ignores:
        return list(findings)
    return [f for f in findings if not matches_any(f.code, matching_codes(f.path, ignores))]
