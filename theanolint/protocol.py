"""The typed records that cross the process line, and their one serialization.

The command line sends a worker a ``Job``; the worker answers with messages, one
JSON line each (``Started``, ``BuilderStarted``, ``BuilderDone``, ``Entries``, ``End``,
``Fatal``), which carry one ``FunctionEntry`` per linted function.  The parent
merges them into a ``RunResult``.  The result cache stores the same encoding.
No string-keyed dict crosses the line except the JSON documents the reports print
as they are (a function's memory table, the HTML report's picture).

Imports neither Theano nor anything that does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Dict, List, Optional, Set, Tuple, Type, Union, cast

from theanolint.device.target import Target
from theanolint.findings import Finding

Document = Dict[str, Any]  # a JSON document carried as it is (memory table, picture)


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to lint its share of the builders."""

    target: Target
    root: str
    modules: Tuple[str, ...]
    files: Tuple[str, ...]
    config: Dict[str, Any]  # the loaded configuration
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    only: Tuple[str, ...] = ()  # function names (or builder prefixes) to lint
    graphs: Tuple[str, ...] = ()  # functions whose graph text to return ("*": all)
    cache_dir: Optional[str] = None  # the result cache, None when off
    memory: bool = False  # --memory
    dims: Dict[str, int] = field(default_factory=dict)  # --dim
    fit: Optional[str] = None  # --fit DIM
    pictures: bool = False  # --format html
    shard: Tuple[int, int] = (0, 1)  # this worker lints every shard[1]-th builder from shard[0]
    skip: Tuple[str, ...] = ()  # builders already done (by a worker that died)

    @property
    def rules(self) -> Dict[str, Any]:
        return cast(Dict[str, Any], self.config["rules"])

    @property
    def wants_memory(self) -> bool:
        return self.memory or bool(self.fit) or self.pictures


@dataclass(frozen=True)
class FunctionSummary:
    """One function's line in the reports' ``functions``."""

    name: str
    register: str  # "path:line" of its @register
    nodes: int = 0
    gpu_nodes: int = 0
    transfers: int = 0
    optimize_seconds: float = 0.0
    error: bool = False
    files: Optional[Tuple[str, ...]] = None  # the user files its graph was built from
    cached: bool = False  # answered by the result cache


@dataclass(frozen=True)
class FunctionEntry:
    """What the worker reports for one function."""

    summary: FunctionSummary
    findings: Tuple[Finding, ...] = ()
    memory: Optional[Document] = None  # the --memory table's row
    graph: Optional[str] = None  # ``theanolint graph`` text
    picture: Optional[Document] = None  # the HTML report's graph export


@dataclass(frozen=True)
class Started:
    """The worker's device is up."""

    device: Dict[str, str]
    startup_seconds: float


@dataclass(frozen=True)
class BuilderStarted:
    name: str
    path: str
    line: int


@dataclass(frozen=True)
class BuilderDone:
    name: str
    entries: Tuple[FunctionEntry, ...]
    depends: Tuple[str, ...] = ()  # the project files it depends on (incremental lint)
    module: str = ""  # the module (or file) whose import registered it


@dataclass(frozen=True)
class ModuleDone:
    """One of the job's modules (or files) was imported: the project files it depends
    on, the builders it registered, whether the import failed."""

    name: str
    depends: Tuple[str, ...]
    builders: Tuple[str, ...]
    failed: bool = False


@dataclass(frozen=True)
class Entries:
    """Entries that belong to no builder (modules that failed to import)."""

    entries: Tuple[FunctionEntry, ...]


@dataclass(frozen=True)
class End:
    internal_errors: Tuple[str, ...] = ()
    refused_launches: int = 0
    host_evaluations: int = 0


@dataclass(frozen=True)
class Fatal:
    """The worker cannot go on: ``kind`` is "target", "shape" or "worker"."""

    kind: str
    message: str


Message = Union[Started, BuilderStarted, BuilderDone, ModuleDone, Entries, End, Fatal]
MESSAGES: Dict[str, Type[Any]] = {
    cls.__name__: cls for cls in (Started, BuilderStarted, BuilderDone, ModuleDone, Entries, End, Fatal)
}


@dataclass(frozen=True)
class RunResult:
    """Every worker's answers merged, before triage."""

    functions: Tuple[FunctionSummary, ...] = ()
    findings: Tuple[Finding, ...] = ()
    graphs: Dict[str, str] = field(default_factory=dict)
    memory: Optional[Tuple[Document, ...]] = None
    pictures: Dict[str, Document] = field(default_factory=dict)
    internal_errors: Tuple[str, ...] = ()
    log: str = ""
    device: Optional[Dict[str, str]] = None
    startup_seconds: Optional[float] = None
    refused_launches: int = 0
    host_evaluations: int = 0

    def narrowed(self, names: Set[str]) -> "RunResult":
        """Only the functions named (and their findings)."""
        return replace(
            self,
            functions=tuple(f for f in self.functions if f.name in names),
            findings=tuple(f for f in self.findings if f.function in names),
        )


# --- serialization ---------------------------------------------------------


def summary_dict(summary: FunctionSummary) -> Document:
    """As the JSON report prints it: ``files`` only when known, ``cached`` only when true."""
    data = {f.name: getattr(summary, f.name) for f in fields(summary)}
    if data["files"] is None:
        del data["files"]
    else:
        data["files"] = list(data["files"])
    if not data["cached"]:
        del data["cached"]
    return data


def _summary(data: Document) -> FunctionSummary:
    files = data.get("files")
    return FunctionSummary(**dict(data, files=None if files is None else tuple(files)))


def entry_dict(entry: FunctionEntry) -> Document:
    data: Document = {"summary": summary_dict(entry.summary), "findings": [f.to_dict() for f in entry.findings]}
    for name in ("memory", "graph", "picture"):
        if getattr(entry, name) is not None:
            data[name] = getattr(entry, name)
    return data


def entry_from_dict(data: Document) -> FunctionEntry:
    return FunctionEntry(
        summary=_summary(data["summary"]),
        findings=tuple(Finding.from_dict(f) for f in data["findings"]),
        memory=data.get("memory"),
        graph=data.get("graph"),
        picture=data.get("picture"),
    )


def encode(message: Message) -> str:
    """One JSON line (no newline) for a message."""
    data: Document = {"type": type(message).__name__}
    for f in fields(message):
        value = getattr(message, f.name)
        if f.name == "entries":
            value = [entry_dict(e) for e in value]
        data[f.name] = value
    return json.dumps(data)


def decode(line: str) -> Message:
    data = json.loads(line)
    cls = MESSAGES[data.pop("type")]
    if "entries" in data:
        data["entries"] = tuple(entry_from_dict(e) for e in data["entries"])
    for name in ("internal_errors", "depends", "builders"):
        if name in data:
            data[name] = tuple(data[name])
    return cast(Message, cls(**data))


def job_dict(job: Job) -> Document:
    data = {f.name: getattr(job, f.name) for f in fields(job)}
    data["target"] = asdict(job.target)
    return data


def job_from_dict(data: Document) -> Job:
    tuples = {
        name: tuple(data[name]) for name in ("modules", "files", "select", "ignore", "only", "graphs", "shard", "skip")
    }
    return Job(**dict(data, target=Target(**data["target"]), **tuples))


def entries_from_dicts(items: List[Document]) -> Tuple[FunctionEntry, ...]:
    return tuple(entry_from_dict(item) for item in items)
