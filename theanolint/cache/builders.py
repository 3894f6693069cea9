"""Incremental lint: a builder whose files did not change is not run again.

After each run the parent stores a manifest: for each of the job's modules, the
project files its import depends on and the builders it registered; for each
builder, the project files it depends on (its module's, what its module and its
graphs' traces import, the traced files themselves) and its entries.  Before the
next run, ``plan`` hashes those files again: a module whose files and builders
are all unchanged is not imported at all, a builder whose files are unchanged is
skipped, and their stored entries are answered instead.  When nothing is left,
no worker starts (no Theano import).

The manifest's own key is everything else a result depends on: the job (target,
config, rules, options), theanolint's sources, the Python environment and the
installed packages (``runs.environment``).  What it cannot see: files a builder
reads that are not Python modules of the project (data, a vocabulary), environment
variables, and a new project file that shadows a module once found elsewhere; run
``--no-cache`` after changing those.  Modules that failed to import are always
imported again (the file that would fix them may not exist yet).
"""

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from theanolint import protocol
from theanolint.cache import results as resultcache
from theanolint.cache import runs
from theanolint.protocol import FunctionEntry, Job

FORMAT = 1


def key(job: Job) -> str:
    job_part = protocol.job_dict(replace(job, skip=(), shard=(0, 1)))
    return "builders-" + runs.environment(job, {"job": job_part, "manifest": FORMAT}).hexdigest()


def _hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "missing"


def _hashes(paths: Sequence[str]) -> Dict[str, str]:
    return {path: _hash(path) for path in paths}


def _unchanged(recorded: Dict[str, str]) -> bool:
    return all(_hash(path) == digest for path, digest in recorded.items())


@dataclass
class Plan:
    """What a worker must still do, and the stored answers for the rest."""

    job: Job  # the modules to import and the builders to skip
    reused: List[protocol.Message] = field(default_factory=list)
    started: Optional[Dict[str, Any]] = None  # the stored Started, for a run with no worker
    needed: bool = True  # a worker must run
    known_builders: Optional[int] = None  # how many builders the worker will run, when known

    @property
    def reused_builders(self) -> List[str]:
        return [m.name for m in self.reused if isinstance(m, protocol.BuilderDone)]


def usable(job: Job) -> bool:
    """Off for a shard (the split is by index over all builders) and for a run of
    some functions only (``theanolint graph``)."""
    return job.cache_dir is not None and job.shard == (0, 1) and not job.only and not job.graphs


def plan(job: Job) -> Plan:
    if not usable(job):
        return Plan(job)
    manifest = resultcache.load(str(job.cache_dir), key(job))
    if not isinstance(manifest, dict):
        return Plan(job)
    modules, builders = manifest.get("modules", {}), manifest.get("builders", {})
    imports: List[str] = []
    files: List[str] = []
    skip: List[str] = []
    reused: List[protocol.Message] = []
    known: Optional[int] = 0
    for what, is_file in [(m, False) for m in job.modules] + [(f, True) for f in job.files]:
        record = modules.get(what)
        hits = _module_hits(record, builders)
        if hits is None or len(hits) < len(record["builders"]):  # must be imported
            (files if is_file else imports).append(what)
            skip += [name for name in hits or ()]
            if known is not None and isinstance(record, dict):
                known += len(record["builders"]) - len(hits or ())
            else:
                known = None
        if hits is not None:
            import_entries = protocol.entries_from_dicts(record.get("entries", []))
            if len(hits) == len(record["builders"]):
                reused.append(protocol.Entries(_cached(import_entries)))
            for name in hits:
                entries = _cached(protocol.entries_from_dicts(builders[name]["entries"]))
                reused.append(protocol.BuilderDone(name, entries, tuple(builders[name]["depends"]), what))
    needed = bool(imports or files)
    return Plan(
        replace(job, modules=tuple(imports), files=tuple(files), skip=tuple(skip)),
        reused,
        manifest.get("started"),
        needed,
        known,
    )


def _module_hits(record: Any, builders: Dict[str, Any]) -> Optional[List[str]]:
    """The module's builders that need not run, or None when the module itself changed."""
    if not isinstance(record, dict) or record.get("failed") or not _unchanged(record["depends"]):
        return None
    return [name for name in record["builders"] if name in builders and _unchanged(builders[name]["depends"])]


def _cached(entries: Sequence[FunctionEntry]) -> Tuple[FunctionEntry, ...]:
    return tuple(replace(e, summary=replace(e.summary, cached=True)) for e in entries)


def messages_without_worker(plan: Plan) -> List[protocol.Message]:
    """The whole run's messages when every module and builder was reused."""
    started = plan.started or {"device": {}, "startup_seconds": 0.0}
    return [protocol.Started(**started), *plan.reused, protocol.End()]


def record(job: Job, plan: Plan, messages: Sequence[protocol.Message]) -> None:
    """Store the manifest: the reused records as they were, the rest from this run."""
    if not usable(job):
        return
    folder = str(job.cache_dir)
    old = resultcache.load(folder, key(job))
    old = old if isinstance(old, dict) else {}
    modules: Dict[str, Any] = {}
    builders: Dict[str, Any] = {}
    import_entries: Dict[str, List[Any]] = {}
    started = old.get("started")
    reused = set(plan.reused_builders)
    for message in messages:
        if isinstance(message, protocol.Started) and message.device:
            started = {"device": message.device, "startup_seconds": message.startup_seconds}
        if isinstance(message, protocol.Entries):
            for entry in message.entries:
                import_entries.setdefault(entry.summary.name, []).append(protocol.entry_dict(entry))
    for message in messages:
        if isinstance(message, protocol.ModuleDone):
            modules[message.name] = {
                "depends": _hashes(message.depends),
                "builders": list(message.builders),
                "failed": message.failed,
                "entries": import_entries.get(f"import {message.name}", []),
            }
        elif isinstance(message, protocol.BuilderDone):
            stored = old.get("builders", {}).get(message.name)
            builders[message.name] = (
                stored
                if message.name in reused and stored is not None
                else {
                    "depends": _hashes(message.depends),
                    "entries": [protocol.entry_dict(_fresh(e)) for e in message.entries],
                }
            )
    for what in job.modules + job.files:  # modules answered from the manifest keep their record
        if what not in modules and what in old.get("modules", {}):
            modules[what] = old["modules"][what]
    resultcache.store(folder, key(job), {"modules": modules, "builders": builders, "started": started})


def _fresh(entry: FunctionEntry) -> FunctionEntry:
    return replace(entry, summary=replace(entry.summary, cached=False))
