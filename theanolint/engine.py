"""Turn registrations into lint units and run the rules on them (worker side)."""
import os
import traceback
from typing import List

import theano

from theanolint import graph, isolation, limits, optimize, sources
from theanolint.findings import Location
from theanolint.unit import Unit


def _error_location(error: BaseException, locator: sources.Locator, fallback: Location) -> Location:
    """The user's line the error came from (an error inside numpy or Keras: the
    user's line that called it, naming the framework's frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    stack = [(frame.filename, frame.lineno, frame.name, None) for frame in frames]
    return locator.in_stack(stack) or fallback


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def library_dirs(packages) -> tuple:
    """Folders of the configured library packages (those that import)."""
    import importlib.util
    folders = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            folders.extend(spec.submodule_search_locations or [os.path.dirname(spec.origin)])
    return tuple(folders)


def import_error_units(errors) -> List[Unit]:
    units = []
    for what, message, where in errors:
        unit = Unit(name=f"import {what}", register=where, call_site=where)
        unit.build_error = (f"importing {what} failed: {message}", where)
        units.append(unit)
    return units


def _failure(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r})"
    if isinstance(error, MemoryError):
        return f"ran out of memory ({_describe(error)}){limits.describe_memory_limit()}"
    return f"raised {_describe(error)}"


def _returned(value) -> str:
    """What a builder that made no function gave back, for the message."""
    if value is None:
        return ""
    what = type(value).__name__
    if isinstance(value, theano.Variable):
        return (f" (it returned a symbolic {what}: pass it to theano.function inside the "
                "builder)")
    return f" (it returned {what}; a builder must call theano.function)"


def build_units(registration, root: str, capture, library_dirs=()) -> List[Unit]:
    """Run one builder under capture; one unit per function it made (not optimized yet).

    The builder runs ``isolation.guarded``: what it printed and the global state
    it changed are in ``registration.conduct`` afterwards (see ``conduct_findings``).
    """
    locator = sources.Locator(root, library_dirs=library_dirs)
    register_at = locator.frame(registration.path, registration.line)
    try:
        with capture.capturing() as captured, isolation.guarded() as registration.conduct:
            returned = registration.builder()
    except (Exception, SystemExit) as error:   # sys.exit() in a builder ends only that builder
        traceback.clear_frames(error.__traceback__)    # a memory hog's locals go now
        unit = Unit(registration.name, register_at, register_at)
        where = _error_location(error, locator, register_at)
        unit.build_error = (f"builder {registration.name!r} {_failure(error)}", where)
        return [unit]
    made = [record for record in captured if not record.made_by_theano]
    if not made:
        unit = Unit(registration.name, register_at, register_at)
        unit.build_error = (f"builder {registration.name!r} made no Theano function"
                            f"{_returned(returned)}", register_at)
        return [unit]
    units, used = [], set()
    for index, record in enumerate(made):
        label = record.name or str(index)
        if label in used:
            label = f"{label}#{index}"
        used.add(label)
        unit = Unit(f"{registration.name}:{label}", register_at,
                    locator.in_stack(record.call_stack) or register_at,
                    declared_shapes=registration.shapes)
        unit.record = record
        units.append(unit)
    return units


def optimize_unit(unit: Unit, root: str, library_dirs=()) -> None:
    """Optimize the unit's captured function (the costly step a cache hit skips)."""
    record = unit.record
    try:
        optimized = optimize.optimize(record)
        unit.optimize_seconds = optimized.seconds
        unit.root = graph.build_scopes(optimized.fgraph)
    except Exception as error:
        unit.optimize_error = (f"Theano's optimizer failed: {_describe(error)}", unit.call_site)
        return
    unit.locate = sources.Locator(root, unit.scopes(), library_dirs)


def lint(unit: Unit, rules, root: str, internal_errors: list, library_dirs=()) -> None:
    if unit.locate is None:
        unit.locate = sources.Locator(root, library_dirs=library_dirs)
    for rule in rules:
        try:
            unit.findings.extend(rule.run(unit))
        except Exception:
            internal_errors.append(f"rule {rule.code} failed on {unit.name}:\n{traceback.format_exc()}")


def conduct_findings(registration, rules, root: str, internal_errors: list, library_dirs=()) -> list:
    """Findings on what the builder did besides making functions (TL006, TL007).

    Computed on every build, never cached with a function's result: the cache
    key is the graph, which stays the same when a print is removed.
    """
    conduct = registration.conduct
    if conduct is None or not (conduct.stdout or conduct.changes):
        return []
    register_at = sources.Locator(root, library_dirs=library_dirs).frame(
        registration.path, registration.line)
    unit = Unit(registration.name, register_at, register_at, conduct=conduct)
    lint(unit, rules, root, internal_errors, library_dirs)
    return [finding.to_dict() for finding in unit.findings]


def summary(unit: Unit) -> dict:
    nodes = [node for _, node in unit.nodes()]
    return {"name": unit.name, "register": str(unit.register), "nodes": len(nodes),
            "gpu_nodes": sum(graph.is_gpu_node(n) for n in nodes),
            "transfers": sum(graph.is_transfer(n) for n in nodes),
            "optimize_seconds": unit.optimize_seconds,
            "error": bool(unit.build_error or unit.optimize_error)}


def graph_text(unit: Unit) -> str:
    parts = []
    for scope in unit.scopes():
        title = scope.label or "outer graph"
        parts.append(f"== {unit.name} :: {title}\n" + graph.canonical(scope.fgraph, unit.locate))
    return "\n".join(parts)
