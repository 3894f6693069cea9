"""The one record every rule produces and every report consumes."""

import copy
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Tuple

SEVERITIES = ("error", "warning")
_WORKER_ONLY = ("subjects", "subject_scope")  # Finding fields never serialized


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    via: str = ""  # the framework frame behind it, e.g. "keras/layers/core.py:31, build"
    at_import: bool = field(default=False, compare=False)  # made by module-level code

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
    # Worker only, never serialized: the graph things (apply nodes, variables) the
    # finding is about, primary first, and the scope they are in.  The HTML report
    # turns them into node ids (data["nodes"], see theanolint.analysis.picture).
    subjects: Tuple[Any, ...] = field(default=(), compare=False, repr=False)
    subject_scope: object = field(default=None, compare=False, repr=False)

    def sort_key(self) -> Tuple[str, int, str, str, str]:
        return (self.path, self.line, self.code, self.function, self.message)

    def to_dict(self) -> Dict[str, Any]:
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in _WORKER_ONLY}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Finding":
        return cls(**data)
