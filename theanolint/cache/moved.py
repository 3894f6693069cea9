"""Lines that moved: a cached result re-derived for source whose lines shifted.

The per-function cache key hashes the source the graph was created on by line
*text* (``analysis.fingerprint``), so a comment inserted above a model does not
re-optimize it.  The stored entry keeps the positions the key hashed; the new
record's positions, in the same order, say where each of those lines is now, and
every line a stored result names (findings, the register line, memory
assumptions, the HTML picture's node locations) is moved accordingly.
"""

import os
import re
from dataclasses import replace
from typing import Any, Dict, List, Sequence, Tuple

from theanolint.findings import Finding
from theanolint.paths import real_path
from theanolint.protocol import FunctionEntry

Position = Tuple[str, int]
LineMap = Dict[Position, int]  # (real file, old line) -> new line


def line_map(old: Sequence[Sequence[Any]], new: Sequence[Sequence[Any]]) -> LineMap:
    """Where each old position is now; empty when the lists do not align (then the
    stored result is not reusable: ``usable``)."""
    if len(old) != len(new):
        return {}
    moved: LineMap = {}
    for (old_file, old_line), (new_file, new_line) in zip(old, new):
        if os.path.realpath(old_file) == os.path.realpath(new_file) and old_line != new_line:
            moved.setdefault((os.path.realpath(old_file), int(old_line)), int(new_line))
    return moved


def usable(old: Sequence[Sequence[Any]], new: Sequence[Sequence[Any]]) -> bool:
    return len(old) == len(new) and all(os.path.realpath(a[0]) == os.path.realpath(b[0]) for a, b in zip(old, new))


def _line(moved: LineMap, root: str, path: str, line: int) -> int:
    return moved.get((real_path(path, root), line), line)


_PATH_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+)(?P<rest>(?::|\b).*)$", re.S)


def _text(moved: LineMap, root: str, text: str) -> str:
    """A "path:line..." string with its line moved."""
    match = _PATH_LINE.match(text)
    if match is None:
        return text
    line = _line(moved, root, match.group("path"), int(match.group("line")))
    return f"{match.group('path')}:{line}{match.group('rest')}"


def _document(moved: LineMap, root: str, value: Any) -> Any:
    """A JSON value with every {"path", "line"} location and "where" string moved."""
    if isinstance(value, list):
        return [_document(moved, root, item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _document(moved, root, item) for key, item in value.items()}
    if isinstance(out.get("path"), str) and isinstance(out.get("line"), int):
        out["line"] = _line(moved, root, out["path"], out["line"])
    for key in ("where", "register"):
        if isinstance(out.get(key), str):
            out[key] = _text(moved, root, out[key])
    if isinstance(out.get("assumed"), list):
        out["assumed"] = [_text(moved, root, a) if isinstance(a, str) else a for a in out["assumed"]]
    return out


def _finding(moved: LineMap, root: str, finding: Finding) -> Finding:
    return replace(finding, line=_line(moved, root, finding.path, finding.line))


def apply(entry: FunctionEntry, moved: LineMap, root: str) -> FunctionEntry:
    """``entry`` with every line it names moved (unchanged when nothing moved)."""
    if not moved:
        return entry
    findings: List[Finding] = [_finding(moved, root, f) for f in entry.findings]
    return replace(
        entry,
        summary=replace(entry.summary, register=_text(moved, root, entry.summary.register)),
        findings=tuple(findings),
        memory=_document(moved, root, entry.memory) if entry.memory is not None else None,
        picture=_document(moved, root, entry.picture) if entry.picture is not None else None,
    )
