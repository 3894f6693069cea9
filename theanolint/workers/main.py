"""The worker process: import Theano on the target, run builders, lint.

Theano's flags must be set before Theano is imported, and user builders run
arbitrary code, so this runs in its own process (``python -m
theanolint.workers.main JOB CHANNEL``): it reads its ``protocol.Job`` from JOB and
answers with ``protocol`` messages, one JSON line each, appended to CHANNEL.
"""

import importlib
import importlib.util
import json
import os
import sys
import threading
import time
import traceback
from typing import Any, Dict, Iterator, List, Tuple

from theanolint import builders, protocol
from theanolint.builders import Registration, ShapeError
from theanolint.device.target import TargetError
from theanolint.findings import Location, shortened
from theanolint.paths import module_name
from theanolint.workers import limits

# Theano's gradient and optimizer code recurse over the graph: a 50-layer
# network's gradient passes Python's default limit of 1000.  The work runs in
# a thread whose C stack is large enough for the deeper limit.
RECURSION_LIMIT = 100_000
STACK_BYTES = 1024 * 2**20


def main(argv: List[str]) -> int:
    with open(argv[0]) as handle:
        job = protocol.job_from_dict(json.load(handle))
    limits.limit_worker(job.config)
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_run, args=(job, argv[1]), name="theanolint-worker")
    thread.start()
    thread.join()
    # Every message is written and flushed: skip the interpreter's teardown, which
    # after a big graph costs up to a second (freeing it object by object).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _run(job: protocol.Job, channel_path: str) -> None:
    channel = Channel(channel_path)
    started = time.perf_counter()
    try:
        from theanolint.device.startup import start_theano

        context = start_theano(job.target)
        channel.send(
            protocol.Started(
                device={"kind": context.kind.decode(), "name": str(context.devname)},
                startup_seconds=time.perf_counter() - started,
            )
        )
        internal_errors = lint(job, channel, context)
        from theanolint.analysis import evaluate

        channel.send(
            protocol.End(
                internal_errors=tuple(internal_errors),
                refused_launches=_refused_launches(job),
                host_evaluations=len(evaluate.compiled),
            )
        )
    except TargetError as error:
        channel.send(protocol.Fatal("target", str(error)))
    except ShapeError as error:
        channel.send(protocol.Fatal("shape", str(error)))
    except Exception as error:  # e.g. a Theano flag Theano refuses at import
        channel.send(protocol.Fatal("worker", f"the lint worker failed: {type(error).__name__}: {error}"))


class Channel:
    """JSON lines to the parent, flushed one by one: what was done survives a crash."""

    def __init__(self, path: str):
        self.handle = open(path, "a", encoding="utf-8")

    def send(self, message: protocol.Message) -> None:
        self.handle.write(protocol.encode(message) + "\n")
        self.handle.flush()


def _refused_launches(job: protocol.Job) -> int:
    """Kernel launches the virtual device refused (failed constant folds)."""
    if not job.target.virtual:
        return 0
    from theanolint.device import vcuda

    return vcuda.refused_launches()


def lint(job: protocol.Job, channel: Channel, context) -> List[str]:
    """Import the project, then lint this worker's share of its builders; returns
    the internal errors (a rule that failed)."""
    from theanolint.analysis import dependencies, imported, pipeline, sources

    sys.path.insert(0, job.root)
    os.chdir(job.root)
    registrations = builders.start_collecting()
    locator = sources.Locator(job.root)
    import_errors: List[Tuple[str, str, Location]] = []
    imports: List[imported.Imported] = []  # imports that changed global state or printed
    graph = dependencies.ImportGraph(job.root)
    registered_by: Dict[str, str] = {}  # builder -> the module (or file) whose import registered it
    module_deps: Dict[str, Tuple[str, ...]] = {}

    def guard(what: str):
        return imported.guarded(what, job.root, imports)

    loads = [(name, lambda name=name: importlib.import_module(name)) for name in job.modules]
    loads += [(path, lambda path=path: _import_file(job.root, path)) for path in job.files]
    for what, load in loads:
        before, failed = len(registrations), len(import_errors)
        with graph.recording():
            module = _import(load, what, locator, import_errors, guard)
        mine = tuple(r.name for r in registrations[before:])
        registered_by.update(dict.fromkeys(mine, what))
        module_files = dependencies.module_files(what) if what in job.modules else set()
        module_file = getattr(module, "__file__", None)
        starts = module_files | ({module_file} if module_file else set())
        module_deps[what] = tuple(sorted(graph.closure(starts, job.root)))
        if job.shard[0] == 0:
            channel.send(protocol.ModuleDone(what, module_deps[what], mine, failed=len(import_errors) > failed))
    settings = pipeline.Settings.of(job, context)
    internal_errors: List[str] = []
    if job.shard[0] == 0:
        outcome = pipeline.import_failures(import_errors, settings)
        conduct = imported.findings(imports, settings)
        internal_errors += outcome.internal_errors + conduct.internal_errors
        channel.send(protocol.Entries(outcome.entries + conduct.entries))
    for registration in _mine(registrations, job):
        channel.send(protocol.BuilderStarted(registration.name, registration.path, registration.line))
        with graph.recording():
            outcome = pipeline.lint_registration(registration, settings)
        internal_errors += outcome.internal_errors
        module = registered_by.get(registration.name, "")
        traced = [f for entry in outcome.entries for f in entry.summary.files or ()]
        depends = graph.closure([registration.path, *traced], job.root).union(module_deps.get(module, ()))
        channel.send(protocol.BuilderDone(registration.name, outcome.entries, tuple(sorted(depends)), module))
    return internal_errors


def _mine(registrations: List[Registration], job: protocol.Job) -> Iterator[Registration]:
    """This worker's registrations: every shards-th by name, less those done or excluded."""
    shard, shards = job.shard
    skip = set(job.skip)
    for index, registration in enumerate(sorted(registrations, key=lambda r: r.name)):
        if index % shards != shard or registration.name in skip:
            continue
        if job.only and not any(registration.name == o or o.startswith(registration.name + ":") for o in job.only):
            continue
        yield registration


def _import(load, what: str, locator, errors: list, guard) -> Any:
    """Import one module inside ``guard(what)``, which restores the global state the
    import changed and captures what it printed (TL006, TL007 at the import); returns
    the module (None when its import failed)."""
    try:
        with guard(what):
            return load()
    except BaseException as error:  # a user module that fails is a finding, not a crash
        if isinstance(error, KeyboardInterrupt):
            raise
        frames = traceback.extract_tb(error.__traceback__)
        where = next(
            (locator.frame(f.filename, f.lineno) for f in reversed(frames) if not _is_ours(f.filename)),
            Location(what, 1),
        )
        if isinstance(error, SyntaxError) and error.filename:
            where = locator.frame(error.filename, error.lineno or 1)
        from theanolint.analysis.building import describe_error

        errors.append((what, shortened(describe_error(error), 120), where))
        return None


def _is_ours(filename: str) -> bool:
    from theanolint.analysis.sources import is_library_file

    return is_library_file(filename) or "importlib" in filename


def _import_file(root: str, path: str):
    path = os.path.abspath(path)
    dotted = module_name(path, root)
    if dotted:
        return importlib.import_module(dotted)
    name = "theanolint_user_" + str(abs(hash(path)))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None  # a .py file always has both
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
