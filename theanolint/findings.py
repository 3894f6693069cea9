"""The one record every rule produces and every report consumes."""
from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    via: str = ""        # the framework frame behind it, e.g. "keras/layers/core.py:31, build"
    at_import: bool = field(default=False, compare=False)   # made by module-level code

    def __str__(self):
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
    scope: str = ""          # "" or e.g. "scan 'step'" for inner graphs
    data: dict = field(default_factory=dict)

    def sort_key(self):
        return (self.path, self.line, self.code, self.function, self.message)

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)

