"""Parent side: prepare the lint job, run it in workers (``pool``) and merge the results."""

import os
import tempfile
from dataclasses import replace
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, cast

from theanolint import protocol
from theanolint.builders import ShapeError
from theanolint.cache import builders as incremental
from theanolint.cache import runs as runcache
from theanolint.device.target import Target, TargetError
from theanolint.findings import Finding
from theanolint.paths import module_name
from theanolint.protocol import FunctionEntry, Job, RunResult
from theanolint.workers import pool


def find_builder_files(paths: List[str]) -> List[str]:
    """Python files among ``paths`` (folders walked) that use theanolint.register."""
    found: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
                found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
        elif path.endswith(".py"):
            found.append(path)
    return [os.path.abspath(f) for f in found if _uses_register(f)]


def _uses_register(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    return "theanolint" in text and "register" in text


_UNSTEADY = ("TL004", "TL005")  # worker crashed, timed out


def make_job(
    target: Target,
    config: Dict[str, Any],
    files: List[str],
    only: Iterable[str] = (),
    graphs: Iterable[str] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    cache: bool = True,
    memory: bool = False,
    dims: Optional[Dict[str, int]] = None,
    fit: Optional[str] = None,
    pictures: bool = False,
) -> Job:
    return Job(
        target=target,
        root=config["root"],
        modules=tuple(config["modules"]),
        # a file given that is one of the config's modules is imported (and cached) as
        # that module: PATHS only filter the project's result
        files=tuple(f for f in files if module_name(f, config["root"]) not in config["modules"]),
        config=config,
        select=tuple(select),
        ignore=tuple(ignore),
        only=tuple(only),
        graphs=tuple(graphs),
        cache_dir=cache_dir(config, cache and not graphs),
        memory=memory,
        dims=dict(dims or {}),
        fit=fit,
        pictures=pictures,
    )


def run(job: Job, jobs: int = 1, shard: Optional[Tuple[int, int]] = None) -> RunResult:
    """Lint in worker processes; returns the merged result.

    ``shard`` is (K, N) (this run does the K-th of N shares), else ``jobs``
    workers share all builders.
    """
    total = shard[1] if shard else max(1, jobs)
    shards = [shard[0]] if shard else list(range(total))
    run_key = runcache.key(job, shards, total) if job.cache_dir else None
    stored = runcache.load(cast(str, job.cache_dir), run_key) if run_key else None  # run_key implies cache_dir
    messages: Sequence[protocol.Message]
    if stored is not None:
        return merge(stored.messages, [], stored.log, cached=True)
    as_run = replace(job, shard=shard or (0, 1))  # what the builder manifest is keyed on
    plan = incremental.plan(as_run)
    failures: List[FunctionEntry] = []
    log = ""
    if not plan.needed:
        messages = incremental.messages_without_worker(plan)
    else:
        env = dict(os.environ)
        env.pop("THEANO_FLAGS", None)
        env.update(job.target.environment())
        if not shard and plan.known_builders is not None:  # never more workers than builders left
            total = min(total, max(1, plan.known_builders))
            shards = list(range(total))
        timeout = float(job.config.get("timeout", 600))
        with tempfile.TemporaryDirectory(prefix="theanolint-") as scratch:
            outcome = pool.run(plan.job, env, shards, total, timeout, scratch)
            messages, failures, log = [*plan.reused, *outcome.messages], outcome.failures, pool.log_text(scratch)
    if run_key and _repeatable(messages, failures):
        assert job.cache_dir is not None  # run_key is only made with a cache_dir
        runcache.store(job.cache_dir, run_key, runcache.Stored(tuple(messages), log))
        incremental.record(as_run, plan, messages)
    return merge(messages, failures, log)


def _repeatable(messages: Sequence[protocol.Message], failures: List[FunctionEntry]) -> bool:
    """Whether the next run would give this result: not after a fatal or internal
    error, nor after a worker crash or timeout, which a busy machine can cause."""
    if any(isinstance(m, protocol.Fatal) or (isinstance(m, protocol.End) and m.internal_errors) for m in messages):
        return False
    return not any(f.code in _UNSTEADY for e in failures for f in e.findings)


def cache_dir(config: Dict[str, Any], enabled: bool) -> Optional[str]:
    if not enabled:
        return None
    return os.path.join(config["root"], config.get("cache_dir") or ".theanolint_cache")


def merge(
    messages: Sequence[protocol.Message], failures: List[FunctionEntry], log: str, cached: bool = False
) -> RunResult:
    """The workers' messages as one result (a whole run replayed from the run cache: ``cached``)."""
    entries: List[FunctionEntry] = list(failures)
    device, startup = None, None
    internal_errors: List[str] = []
    refused = evaluations = 0
    for message in messages:
        if isinstance(message, protocol.Fatal):
            if message.kind == "shape":
                raise ShapeError(message.message)
            if message.kind == "worker":
                raise pool.WorkerError(message.message)
            raise TargetError(message.message)
        if isinstance(message, protocol.Started) and device is None:
            device, startup = message.device, message.startup_seconds
        if isinstance(message, (protocol.BuilderDone, protocol.Entries)):
            entries.extend(message.entries)
        if isinstance(message, protocol.End):
            internal_errors += message.internal_errors
            refused += message.refused_launches
            evaluations += message.host_evaluations
    entries.sort(key=lambda e: e.summary.name)
    if cached:
        entries = [replace(e, summary=replace(e.summary, cached=True)) for e in entries]
    memory = [e.memory for e in entries if e.memory is not None]
    return RunResult(
        functions=tuple(e.summary for e in entries),
        findings=tuple(sorted((f for e in entries for f in e.findings), key=Finding.sort_key)),
        graphs={e.summary.name: e.graph for e in entries if e.graph is not None},
        memory=tuple(memory) if memory else None,
        pictures={e.summary.name: e.picture for e in entries if e.picture is not None},
        internal_errors=tuple(internal_errors),
        log=log,
        device=device,
        startup_seconds=startup,
        refused_launches=refused,
        host_evaluations=evaluations,
    )
