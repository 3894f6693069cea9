"""The one record every rule produces and every report consumes."""

import copy
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Tuple

SEVERITIES = ("error", "warning")
_WORKER_ONLY = ("subjects", "subject_scope")  # Finding fields never serialized


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...``: a message stays one line."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    via: str = ""  # the framework frame behind it, e.g. "keras/layers/core.py:31, build"
    at_import: bool = field(default=False, compare=False)  # made by module-level code
    # Frames of installed packages between the user's line and Theano: 1 is a thin
    # wrapper the user called (K.mean), 2 or more is the framework's own code
    # (model.compile -> optimizer -> K.gradients), which the user cannot change.
    framework_depth: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)  # 1-based; 0: the trace has none

    @property
    def inside_framework(self) -> bool:
        return self.framework_depth >= 2

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Finding:
    code: str
    message: str
    path: str
    line: int
    function: str
    severity: str = "error"
    name: str = ""
    scope: str = ""  # "" or e.g. "scan 'step'" for inner graphs
    data: Dict[str, Any] = field(default_factory=dict)
    # The functions one reported problem affects, ``function`` first; empty for one
    # function's record (what rules make, triage sees and the cache stores), filled
    # by ``theanolint.report.grouping`` for what the reports list.
    functions: Tuple[str, ...] = ()
    # The 1-based column of the call on ``line`` that made the graph thing (0: not
    # known, e.g. a frame recorded without positions or a builder-level finding).
    column: int = 0
    # Worker only, never serialized: the graph things (apply nodes, variables) the
    # finding is about, primary first, and the scope they are in.  The HTML report
    # turns them into node ids (data["nodes"], see theanolint.analysis.picture).
    subjects: Tuple[Any, ...] = field(default=(), compare=False, repr=False)
    subject_scope: object = field(default=None, compare=False, repr=False)

    def sort_key(self) -> Tuple[str, int, str, str, str]:
        return (self.path, self.line, self.code, self.function, self.message)

    def to_dict(self) -> Dict[str, Any]:
        record = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in _WORKER_ONLY}
        record["functions"] = list(self.functions)  # JSON's shape, so a round trip compares equal
        return record

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Finding":
        """Also reads records written before ``functions`` existed (the result cache's)."""
        data = dict(data)
        data["functions"] = tuple(data.get("functions", ()))
        return cls(**data)
