"""One registration's way through the worker: build, look up the cache,
optimize, predict memory, run the rules, and return what the parent reports.

A cache hit skips the optimizer and the rules: the stored result of the same
function (same graph, same lines, same settings) is returned as it was.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from theanolint import engine, filters, fingerprint, memcheck, picture, resultcache
from theanolint.registry import ShapeError


@dataclass
class Settings:
    """What every registration of a worker's job shares."""
    root: str
    rules: list
    libraries: tuple
    budget: int
    dims: Dict
    memory: Dict
    wants_memory: bool
    fit: Optional[str]
    graphs: List[str]
    cache_dir: Optional[str]
    context: Dict = field(default_factory=dict)    # what the cache key adds to the graph
    pictures: bool = False                         # the HTML report's graph export


def entries(registration, settings: Settings, capture, internal_errors: list) -> List[Dict]:
    """The reported result of each function ``registration`` makes."""
    units = engine.build_units(registration, settings.root, capture, settings.libraries)
    results = []
    keys = [fingerprint.key(u.record, settings.context) if u.record is not None and settings.cache_dir
            and not settings.graphs else None for u in units]
    for unit, key in zip(units, keys):
        cached = resultcache.load(settings.cache_dir, key) if key else None
        if cached is not None:
            cached["summary"]["cached"] = True
            results.append(cached)
            continue
        if unit.record is not None:
            engine.optimize_unit(unit, settings.root, settings.libraries)
        results.append(None)
    try:
        memcheck.declared_names_check(units, registration)
    except ShapeError as error:
        raise ShapeError(f"{registration.path}:{registration.line}: {error}")
    for index, unit in enumerate(units):
        if results[index] is None:
            results[index] = _lint(unit, settings, internal_errors)
            if keys[index] and not internal_errors:
                resultcache.store(settings.cache_dir, keys[index], results[index])
    return results


def _lint(unit, settings: Settings, internal_errors: list) -> Dict:
    unit.budget = settings.budget
    if settings.wants_memory:
        try:
            unit.memory = memcheck.predict(unit, settings.dims, settings.memory,
                                           timeline=settings.pictures)
            if settings.fit:
                size = memcheck.fit(unit, settings.dims, settings.fit, settings.budget, settings.memory)
                unit.fit = {"dim": settings.fit, "size": size}
        except ShapeError as error:
            raise ShapeError(f"{unit.register}: shapes of {unit.name!r}: {error}")
    engine.lint(unit, settings.rules, settings.root, internal_errors, settings.libraries)
    ids = picture.GraphIds(unit) if settings.pictures and unit.root is not None else None
    if ids is not None:
        picture.mark_findings(unit.findings, ids)
    entry = {"summary": engine.summary(unit), "findings": [f.to_dict() for f in unit.findings]}
    entry["summary"]["files"] = filters.traced_files(unit, settings.root)
    if settings.wants_memory:
        entry["memory"] = memcheck.summary(unit, settings.memory.get("top", 10))
    if ids is not None:
        entry["picture"] = picture.export(unit, ids, settings.memory.get("top", 10))
    if unit.root is not None and (unit.name in settings.graphs or "*" in settings.graphs):
        entry["graph"] = engine.graph_text(unit)
    return entry


def import_error_entries(errors, settings: Settings, internal_errors: list) -> List[Dict]:
    """Modules that failed to import, reported like builders that failed (TL001)."""
    entries = []
    for unit in engine.import_error_units(errors):
        engine.lint(unit, settings.rules, settings.root, internal_errors, settings.libraries)
        entries.append({"summary": engine.summary(unit),
                        "findings": [f.to_dict() for f in unit.findings]})
    return entries
