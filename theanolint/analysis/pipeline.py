"""One registration's way through the worker, top to bottom: run the builder under
capture, look up each function's cached result, optimize, predict memory, run the
rules, and return the entries the parent reports.

A cache hit skips the optimizer and the rules: the stored result of the same
function (same graph, same lines, same settings) is returned as it was.  What the
builder did besides making functions (TL006, TL007) is judged on every build and
never cached: the graph, the cache key, stays the same when a print is removed.
"""

import importlib.util
import os
import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Tuple, cast

from theanolint.analysis import failures, fingerprint, graph, picture, sources
from theanolint.analysis.building import build
from theanolint.analysis.linted import LintedFunction
from theanolint.analysis.memory import check as memcheck
from theanolint.builders import Registration, ShapeError
from theanolint.cache import moved
from theanolint.cache import results as resultcache
from theanolint.findings import Finding
from theanolint.paths import real_path, relative_to
from theanolint.protocol import FunctionEntry, FunctionSummary, Job
from theanolint.ruleset.selection import Rule, select
from theanolint.workers import isolation


@dataclass(frozen=True)
class Settings:
    """What every registration of a worker's job shares."""

    root: str
    rules: Tuple[Rule, ...]
    libraries: Tuple[str, ...]
    budget: int
    dims: Dict[str, int]
    memory: Dict[str, Any]
    wants_memory: bool
    fit: Optional[str]
    graphs: Tuple[str, ...]
    cache_dir: Optional[str]
    context: Dict[str, Any] = field(default_factory=dict)  # what the cache key adds to the graph
    pictures: bool = False  # the HTML report's graph export

    @classmethod
    def of(cls, job: Job, context) -> "Settings":
        """The settings of ``job`` in a worker whose device ``context`` started."""
        rules = tuple(select(job.rules, job.select, job.ignore))
        config = job.config
        memory = dict(config.get("memory", {}))
        return cls(
            root=job.root,
            rules=rules,
            libraries=library_dirs(config.get("library_packages", [])),
            budget=memcheck.budget(job, context),
            dims=dict(config.get("dims", {}), **job.dims),
            memory=memory,
            fit=job.fit,
            graphs=job.graphs,
            cache_dir=job.cache_dir,
            wants_memory=job.wants_memory or any("memory" in r.needs for r in rules),
            context=_cache_context(job, rules, memory),
            pictures=job.pictures,
        )

    def locator(self, functions=()) -> sources.Locator:
        scopes = [scope for function in functions for scope in function.scopes()]
        return sources.Locator(self.root, scopes, self.libraries)


@dataclass(frozen=True)
class Outcome:
    """A registration's entries, and what went wrong inside theanolint meanwhile."""

    entries: Tuple[FunctionEntry, ...]
    internal_errors: Tuple[str, ...] = ()


def _cache_context(job: Job, rules, memory: Dict) -> Dict:
    """Everything besides the graph that a cached result depends on."""
    return {
        "target": job.target,
        "rules": [(r.code, r.severity, r.options) for r in rules],
        "dims": job.config.get("dims", {}),
        "job_dims": job.dims,
        "budget": job.config.get("budget", {}),
        "memory": memory,
        "fit": job.fit,
        "wants_memory": job.memory,
        "pictures": job.pictures,
        "libraries": job.config.get("library_packages", []),
        "root": job.root,
    }


def library_dirs(packages) -> Tuple[str, ...]:
    """Folders of the configured library packages (those that import)."""
    folders: List[str] = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            folders.extend(spec.submodule_search_locations or [os.path.dirname(cast(str, spec.origin))])
    return tuple(folders)


def lint_registration(registration: Registration, settings: Settings) -> Outcome:
    """The reported result of each function ``registration`` makes."""
    functions, conduct = build(registration, settings.locator())
    keyed = [
        fingerprint.keyed(f.record, settings.context, f.declared_shapes)
        if f.record is not None and settings.cache_dir and not settings.graphs
        else None
        for f in functions
    ]
    entries: List[Optional[FunctionEntry]] = []
    for function, each in zip(functions, keyed):
        cached = _from_cache(function, *each, settings) if each else None
        if cached is not None:
            entries.append(cached)
            continue
        if function.record is not None:
            optimize_function(function, settings)
        entries.append(None)
    try:
        memcheck.declared_names_check(functions, registration)
    except ShapeError as error:
        builder_file = relative_to(os.path.realpath(registration.path), os.path.realpath(settings.root))
        raise ShapeError(f"{builder_file}:{registration.line}: {error}") from error
    internal_errors: List[str] = []
    for index, function in enumerate(functions):
        if entries[index] is None:
            entry, errors = _lint(function, settings)
            entries[index] = entry
            internal_errors += errors
            each = keyed[index]
            if each and not errors and failures.reproduced(entry):  # a key is only made with a cache_dir
                resultcache.store_entry(cast(str, settings.cache_dir), each[0], entry, each[1])
    conduct_findings, errors = _conduct_findings(registration, conduct, settings)
    internal_errors += errors
    done = [entry for entry in entries if entry is not None]
    done[0] = replace(done[0], findings=done[0].findings + conduct_findings)
    return Outcome(tuple(done), tuple(internal_errors))


def _from_cache(
    function: LintedFunction, key: str, new: List[fingerprint.Position], settings: Settings
) -> Optional[FunctionEntry]:
    """The stored result of ``key``, its lines moved to where the source (at positions
    ``new``) is now; None on a miss (or when the stored positions do not align)."""
    stored = resultcache.load_entry(cast(str, settings.cache_dir), key)
    if stored is None:
        return None
    entry, old = stored
    if not moved.usable(old, new):
        return None
    entry = moved.apply(entry, moved.line_map(old, new), settings.root)
    register = str(function.register) if function.register is not None else entry.summary.register
    return replace(entry, summary=replace(entry.summary, cached=True, register=register))


def import_failures(errors, settings: Settings) -> Outcome:
    """Modules that failed to import, reported like builders that failed (TL001)."""
    entries, internal_errors = [], []
    for what, message, where in errors:
        function = LintedFunction(name=f"import {what}", register=where, call_site=where)
        function.build_error = (f"importing {what} failed: {message}", where)
        function.locate = settings.locator()
        internal_errors += run_rules(function, settings.rules)
        entries.append(
            FunctionEntry(summary(function, traced_files(function, settings.root)), tuple(function.findings))
        )
    return Outcome(tuple(entries), tuple(internal_errors))


# --- optimizing ------------------------------------------------------------


def optimize_function(function: LintedFunction, settings: Settings) -> None:
    """Optimize the captured function (the costly step a cache hit skips); a failure
    is tried once more, and reported only when it happens again (``failures``)."""
    if failures.optimize_function(function, settings.locator()):
        function.locate = settings.locator([function])


# --- memory and rules ------------------------------------------------------


def _lint(function: LintedFunction, settings: Settings) -> Tuple[FunctionEntry, List[str]]:
    function.budget = settings.budget
    if function.locate is None:
        function.locate = settings.locator()
    if settings.wants_memory:
        try:
            function.memory = memcheck.predict(function, settings.dims, settings.memory, timeline=settings.pictures)
            if settings.fit:
                function.fit = memcheck.fit(function, settings.dims, settings.fit, settings.budget, settings.memory)
        except ShapeError as error:
            raise ShapeError(f"{function.register}: shapes of {function.name!r}: {error}") from error
    errors = run_rules(function, settings.rules)
    ids = picture.GraphIds(function) if settings.pictures and function.root is not None else None
    if ids is not None:
        picture.mark_findings(function.findings, ids)
    top = settings.memory.get("top", 10)
    wants_graph = function.root is not None and (function.name in settings.graphs or "*" in settings.graphs)
    entry = FunctionEntry(
        summary=summary(function, traced_files(function, settings.root)),
        findings=tuple(function.findings),
        memory=memcheck.summary(function, top) if settings.wants_memory else None,
        graph=graph_text(function) if wants_graph else None,
        picture=picture.export(function, ids, top) if ids is not None else None,
    )
    return entry, errors


def run_rules(function: LintedFunction, rules) -> List[str]:
    """Every rule on ``function`` (its findings land in it); returns the rules that failed."""
    errors = []
    for rule in rules:
        try:
            function.findings.extend(rule.run(function))
        except Exception:
            errors.append(f"rule {rule.code} failed on {function.name}:\n{traceback.format_exc()}")
    return errors


def _conduct_findings(
    registration: Registration, conduct: isolation.Conduct, settings: Settings
) -> Tuple[Tuple[Finding, ...], List[str]]:
    """Findings on what the builder did besides making functions (TL006, TL007)."""
    if not (conduct.stdout or conduct.changes):
        return (), []
    locator = settings.locator()
    register_at = locator.frame(registration.path, registration.line)
    function = LintedFunction(registration.name, register_at, register_at, conduct=conduct)
    function.locate = locator
    errors = run_rules(function, settings.rules)
    return tuple(function.findings), errors


# --- what the parent gets --------------------------------------------------


def summary(function: LintedFunction, files: Optional[List[str]] = None) -> FunctionSummary:
    nodes = [node for _, node in function.nodes()]
    return FunctionSummary(
        name=function.name,
        register=str(function.register),
        nodes=len(nodes),
        gpu_nodes=sum(graph.is_gpu_node(n) for n in nodes),
        transfers=sum(graph.is_transfer(n) for n in nodes),
        optimize_seconds=function.optimize_seconds,
        error=bool(function.build_error or function.optimize_error),
        files=None if files is None else tuple(files),
    )


def traced_files(function: LintedFunction, root: str) -> List[str]:
    """Every user source file the function's graph was built from (what PATHS filter on)."""
    files = set()
    for location in (
        function.register,
        function.call_site,
        (function.build_error or (None, None))[1],
        (function.optimize_error or (None, None))[1],
    ):
        if location is not None:
            files.add(real_path(location.path, root))
    files.update(real_path(f.path, root) for f in function.findings)
    seen = set()
    for _scope, node in function.nodes():
        for thing in (node, *node.inputs, *node.outputs):
            if id(thing) in seen or _is_cached_constant(thing):
                continue
            seen.add(id(thing))
            for stack in getattr(getattr(thing, "tag", None), "trace", None) or ():
                for filename, *_rest in stack:
                    if not sources.is_library_file(filename):
                        files.add(real_path(filename))
    return sorted(files)


def _is_cached_constant(thing) -> bool:
    """Theano reuses small constants between graphs (its constant cache), with the
    trace of whichever graph made them first: not evidence about this graph."""
    return hasattr(thing, "data") and getattr(thing, "owner", 1) is None and not hasattr(thing, "container")


def graph_text(function: LintedFunction) -> str:
    parts = []
    for scope in function.scopes():
        title = scope.label or "outer graph"
        parts.append(f"== {function.name} :: {title}\n" + graph.canonical(scope.fgraph, function.locate))
    return "\n".join(parts)
