"""The worker process: import Theano on the target, run builders, lint.

Theano's flags must be set before Theano is imported, and user builders run
arbitrary code, so this runs in its own process (``python -m
theanolint.worker JOB RESULT``) and talks to the parent through JSON files.
"""
import contextlib
import importlib
import importlib.util
import json
import os
import sys
import threading
import time
import traceback
from typing import Dict, List

from theanolint import filters
from theanolint import registry
from theanolint.registry import ShapeError
from theanolint.findings import Location
from theanolint.target import Target, TargetError, start_theano


# Theano's gradient and optimizer code recurse over the graph: a 50-layer
# network's gradient passes Python's default limit of 1000.  The work runs in
# a thread whose C stack is large enough for the deeper limit.
RECURSION_LIMIT = 100_000
STACK_BYTES = 1024 * 2**20


def main(argv: List[str]) -> int:
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_run, args=argv, name="theanolint-worker")
    thread.start()
    thread.join()
    return 0


def _run(job_path: str, result_path: str) -> None:
    with open(job_path) as handle:
        job = json.load(handle)
    result: Dict = {"fatal": None, "units": [], "findings": [], "internal_errors": [], "graphs": {}}
    started = time.perf_counter()
    try:
        context = start_theano(Target(**job["target"]))
        result["device"] = {"kind": context.kind.decode(), "name": str(context.devname)}
        result["startup_seconds"] = time.perf_counter() - started
        _lint(job, result, context)
        result["refused_launches"] = _refused_launches(job["target"])
        from theanolint import evaluate
        result["host_evaluations"] = len(evaluate.compiled)
    except TargetError as error:
        result["fatal"] = str(error)
    except ShapeError as error:
        result["fatal"], result["fatal_kind"] = str(error), "shape"
    _write(result_path, result)


def _refused_launches(target: Dict) -> int:
    """Kernel launches the virtual device refused (failed constant folds)."""
    if not target.get("virtual"):
        return 0
    from theanolint import vcuda
    return vcuda.refused_launches()


def _write(path: str, result: Dict) -> None:
    temp = path + ".tmp"
    with open(temp, "w") as handle:
        json.dump(result, handle)
    os.replace(temp, path)


def _lint(job: Dict, result: Dict, context) -> None:
    from theanolint import capture, engine, memcheck, ruleset, sources

    root = job["root"]
    sys.path.insert(0, root)
    os.chdir(root)
    registrations = registry.start_collecting()
    locator = sources.Locator(root)
    import_errors = []
    for name in job["modules"]:
        _import(lambda: importlib.import_module(name), name, locator, import_errors)
    for path in job["files"]:
        _import(lambda: _import_file(root, path), path, locator, import_errors)
    rules = ruleset.select(job["rules"], job.get("select", ()), job.get("ignore", ()))
    units = engine.import_error_units(import_errors)
    libraries = engine.library_dirs(job["config"].get("library_packages", []))
    for registration in registrations:
        if job.get("only") and not any(registration.name == o or o.startswith(registration.name + ":")
                                       for o in job["only"]):
            continue
        built = engine.build_units(registration, root, capture, libraries)
        try:
            memcheck.declared_names_check(built, registration)
        except ShapeError as error:
            raise ShapeError(f"{registration.path}:{registration.line}: {error}")
        units.extend(built)
    memory_settings = dict(job["config"].get("memory", {}), **job.get("memory_settings", {}))
    wants_memory = job.get("memory") or job.get("fit") or any(r.code.startswith("TL5") for r in rules)
    limit = memcheck.budget(job, context)
    dims = dict(job["config"].get("dims", {}), **job.get("dims", {}))
    for unit in units:
        unit.budget = limit
        if wants_memory:
            try:
                unit.memory = memcheck.predict(unit, dims, memory_settings)
                if job.get("fit"):
                    size = memcheck.fit(unit, dims, job["fit"], limit, memory_settings)
                    unit.fit = {"dim": job["fit"], "size": size}
            except ShapeError as error:
                raise ShapeError(f"{unit.register}: shapes of {unit.name!r}: {error}")
    for unit in units:
        engine.lint(unit, rules, root, result["internal_errors"], libraries)
        result["units"].append(engine.summary(unit))
        result["units"][-1]["files"] = filters.traced_files(unit, root)   # for PATHS filtering
        result["findings"].extend(f.to_dict() for f in unit.findings)
        if wants_memory:
            result.setdefault("memory", []).append(
                memcheck.summary(unit, memory_settings.get("top", 10)))
        if (unit.name in job.get("graph", ()) or "*" in job.get("graph", ())) and unit.root is not None:
            result["graphs"][unit.name] = engine.graph_text(unit)


def _import(load, what: str, locator, errors: list) -> None:
    try:
        with contextlib.redirect_stdout(sys.stderr):
            load()
    except BaseException as error:  # a user module that fails is a finding, not a crash
        if isinstance(error, KeyboardInterrupt):
            raise
        frames = traceback.extract_tb(error.__traceback__)
        where = next((locator.frame(f.filename, f.lineno) for f in reversed(frames)
                      if not _is_ours(f.filename)), Location(what, 1))
        if isinstance(error, SyntaxError) and error.filename:
            where = locator.frame(error.filename, error.lineno or 1)
        errors.append((what, f"{type(error).__name__}: {error}", where))


def _is_ours(filename: str) -> bool:
    from theanolint.sources import is_library_file
    return is_library_file(filename) or "importlib" in filename


def _import_file(root: str, path: str):
    path = os.path.abspath(path)
    relative = os.path.relpath(path, root)
    if not relative.startswith("..") and relative.endswith(".py"):
        dotted = relative[:-3].replace(os.sep, ".")
        if dotted.endswith(".__init__"):
            dotted = dotted[: -len(".__init__")]
        if all(part.isidentifier() for part in dotted.split(".")):
            return importlib.import_module(dotted)
    name = "theanolint_user_" + str(abs(hash(path)))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
