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

from theanolint import limits, registry
from theanolint.registry import ShapeError
from theanolint.findings import Location
from theanolint.target import Target, TargetError, start_theano


# Theano's gradient and optimizer code recurse over the graph: a 50-layer
# network's gradient passes Python's default limit of 1000.  The work runs in
# a thread whose C stack is large enough for the deeper limit.
RECURSION_LIMIT = 100_000
STACK_BYTES = 1024 * 2**20


def main(argv: List[str]) -> int:
    with open(argv[0]) as handle:
        limits.limit_worker(json.load(handle)["config"])
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_run, args=argv, name="theanolint-worker")
    thread.start()
    thread.join()
    return 0


def _run(job_path: str, channel_path: str) -> None:
    with open(job_path) as handle:
        job = json.load(handle)
    channel = Channel(channel_path)
    started = time.perf_counter()
    try:
        context = start_theano(Target(**job["target"]))
        channel.send(device={"kind": context.kind.decode(), "name": str(context.devname)},
                     startup_seconds=time.perf_counter() - started)
        internal_errors = _lint(job, channel, context)
        from theanolint import evaluate
        channel.send(end=True, internal_errors=internal_errors,
                     refused_launches=_refused_launches(job["target"]),
                     host_evaluations=len(evaluate.compiled))
    except TargetError as error:
        channel.send(fatal=str(error), fatal_kind="target")
    except ShapeError as error:
        channel.send(fatal=str(error), fatal_kind="shape")
    except Exception as error:         # e.g. a Theano flag Theano refuses at import
        channel.send(fatal=f"the lint worker failed: {type(error).__name__}: {error}",
                     fatal_kind="worker")


class Channel:
    """JSON lines to the parent, flushed one by one: what was done survives a crash."""

    def __init__(self, path: str):
        self.handle = open(path, "a", encoding="utf-8")

    def send(self, **message) -> None:
        self.handle.write(json.dumps(message) + "\n")
        self.handle.flush()


def _refused_launches(target: Dict) -> int:
    """Kernel launches the virtual device refused (failed constant folds)."""
    if not target.get("virtual"):
        return 0
    from theanolint import vcuda
    return vcuda.refused_launches()


def _lint(job: Dict, channel: Channel, context) -> list:
    from theanolint import capture, engine, memcheck, pipeline, ruleset, sources

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
    config = job["config"]
    memory = dict(config.get("memory", {}), **job.get("memory_settings", {}))
    settings = pipeline.Settings(
        root=root, rules=rules, libraries=engine.library_dirs(config.get("library_packages", [])),
        budget=memcheck.budget(job, context), dims=dict(config.get("dims", {}), **job.get("dims", {})),
        memory=memory, fit=job.get("fit"), graphs=job.get("graph", []),
        wants_memory=bool(job.get("memory") or job.get("fit") or job.get("pictures")
                          or any(r.code.startswith("TL5") for r in rules)),
        cache_dir=job.get("cache_dir"), context=_cache_context(job, rules, memory),
        pictures=bool(job.get("pictures")))
    internal_errors: list = []
    shard, shards = job.get("shard", (0, 1))
    if shard == 0:
        channel.send(entries=pipeline.import_error_entries(import_errors, settings, internal_errors))
    for registration in _mine(registrations, job, shard, shards):
        channel.send(start=registration.name, path=registration.path, line=registration.line)
        entries = pipeline.entries(registration, settings, capture, internal_errors)
        entries[0]["findings"] += engine.conduct_findings(
            registration, settings.rules, root, internal_errors, settings.libraries)
        channel.send(done=registration.name, entries=entries)
    return internal_errors


def _mine(registrations, job: Dict, shard: int, shards: int):
    """This worker's registrations: every shards-th by name, less those done or excluded."""
    ordered = sorted(registrations, key=lambda r: r.name)
    skip = set(job.get("skip", ()))
    only = job.get("only") or []
    for index, registration in enumerate(ordered):
        if index % shards != shard or registration.name in skip:
            continue
        if only and not any(registration.name == o or o.startswith(registration.name + ":")
                            for o in only):
            continue
        yield registration


def _cache_context(job: Dict, rules, memory: Dict) -> Dict:
    """Everything besides the graph that a cached result depends on."""
    return {"target": job["target"], "rules": [(r.code, r.severity, r.options) for r in rules],
            "dims": job["config"].get("dims", {}), "job_dims": job.get("dims", {}),
            "budget": job["config"].get("budget", {}), "memory": memory,
            "fit": job.get("fit"), "wants_memory": bool(job.get("memory")),
            "pictures": bool(job.get("pictures")),
            "libraries": job["config"].get("library_packages", []), "root": job["root"]}


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
