"""Parent side: lint in worker processes, in parallel and isolated.

Each worker imports Theano once and lints every N-th registered builder (by
name), so ``-j N`` and ``--shard K/N`` split the work deterministically.
Workers report through a JSON-lines channel (``protocol`` messages), one line per
finished builder,
so a worker that dies (a segfault in C code) or hangs past the timeout loses
nothing but the builder it was running: that builder becomes a TL004 or TL005
finding, and a fresh worker takes up the rest of its share.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, NoReturn, Optional

from theanolint import protocol
from theanolint.paths import relative_to
from theanolint.protocol import FunctionEntry, FunctionSummary, Job
from theanolint.ruleset.selection import made_finding

POLL_SECONDS = 0.05


class WorkerError(Exception):
    """A worker died before it could lint anything; the CLI exits 2."""


@dataclass
class _Worker:
    shard: int
    skip: List[str]
    process: Optional["subprocess.Popen[bytes]"] = None
    channel: str = ""
    offset: int = 0
    running: Optional[protocol.BuilderStarted] = None  # started and not finished
    since: float = 0.0  # when ``running`` started
    log: str = ""
    retried: bool = False  # already restarted after a failed device start
    restart: bool = False
    finished: bool = False
    stderr: str = ""


@dataclass
class Outcome:
    """The workers' messages, and the entries of builders whose worker died or hung."""

    messages: List[protocol.Message] = field(default_factory=list)
    failures: List[FunctionEntry] = field(default_factory=list)


def run(job: Job, env: Dict[str, str], shards: List[int], total: int, timeout: float, scratch: str) -> Outcome:
    """Run the job's shards (of ``total``) to the end; returns every message and entry."""
    outcome = Outcome()
    workers: List[_Worker] = []
    previous = _catch_termination()
    try:
        for shard in shards:
            workers.append(_start(_Worker(shard, []), job, env, total, scratch))
        while any(not w.finished for w in workers):
            time.sleep(POLL_SECONDS)
            for index, worker in enumerate(workers):
                if worker.finished:
                    continue
                _read(worker, outcome)
                if worker.restart:
                    _stop(worker)
                    workers[index] = _start(_Worker(worker.shard, worker.skip, retried=True), job, env, total, scratch)
                    continue
                replacement = _check(worker, job, timeout, outcome)
                if replacement is not None:
                    workers[index] = _start(replacement, job, env, total, scratch)
    finally:
        for worker in workers:
            _stop(worker)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return outcome


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a cancelled CI job, a closed terminal) ends a run like Ctrl-C."""


def _terminated(signum: int, frame: Any) -> NoReturn:
    raise Terminated(signal.Signals(signum).name)


def _catch_termination() -> Dict[signal.Signals, Any]:
    """While workers run, SIGTERM and SIGHUP unwind like Ctrl-C, so the workers
    and what their builders started are stopped and the scratch folder removed.
    Returns the handlers to put back."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, _terminated) for signum in (signal.SIGTERM, signal.SIGHUP)}


def _start(worker: _Worker, job: Job, env: Dict[str, str], total: int, scratch: str) -> _Worker:
    handle, worker.channel = tempfile.mkstemp(dir=scratch, suffix=".jsonl")
    os.close(handle)
    job_path = worker.channel[:-6] + ".job.json"
    with open(job_path, "w") as out:
        json.dump(protocol.job_dict(replace(job, shard=(worker.shard, total), skip=tuple(worker.skip))), out)
    command = (
        [sys.executable]
        + (["-S"] if sys.flags.no_site else [])
        + ["-m", "theanolint.workers.main", job_path, worker.channel]
    )
    worker.log = worker.channel[:-6] + ".log"
    with open(worker.log, "ab") as log:  # a file, not a pipe: a chatty worker never blocks
        worker.process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker.offset = 0
    return worker


def log_text(scratch: str) -> str:
    """Everything the workers printed (Theano's warnings, the builders' output)."""
    text = []
    for name in sorted(os.listdir(scratch)):
        if name.endswith(".log"):
            with open(os.path.join(scratch, name), errors="replace") as handle:
                text.append(handle.read())
    return "".join(text)


def _read(worker: _Worker, outcome: Outcome) -> None:
    with open(worker.channel, encoding="utf-8") as handle:
        handle.seek(worker.offset)
        for line in iter(handle.readline, ""):
            if not line.endswith("\n"):
                break  # a line still being written
            worker.offset += len(line.encode("utf-8"))
            message = protocol.decode(line)
            if isinstance(message, protocol.Fatal) and message.kind == "target" and not worker.retried:
                worker.restart = True  # PoCL's device start can fail once, transiently
                return
            if isinstance(message, protocol.BuilderStarted):
                worker.running, worker.since = message, time.monotonic()
            if isinstance(message, protocol.BuilderDone):
                worker.skip.append(message.name)
                worker.running = None
            outcome.messages.append(message)
            if isinstance(message, (protocol.End, protocol.Fatal)):
                worker.finished = True


def _check(worker: _Worker, job: Job, timeout: float, outcome: Outcome) -> Optional[_Worker]:
    """A fresh worker for the rest of the share if this one died or hung, else None."""
    assert worker.process is not None  # _start made it
    running = worker.running
    if running is not None and time.monotonic() - worker.since > timeout:
        _stop(worker)
        outcome.failures.append(
            _failure(
                job,
                running,
                "TL005",
                f"builder {running.name!r} did not finish within "
                f"{timeout:g} s (the per-function timeout); it was stopped",
            )
        )
    elif worker.process.poll() is None:
        return None
    else:
        _read(worker, outcome)
        if worker.finished:
            return None
        code = worker.process.returncode
        _stop(worker)  # what its builder started dies with it
        with open(worker.log, errors="replace") as handle:
            output = handle.read()
        if running is None:
            raise WorkerError(
                f"the lint worker exited with code {code} before linting anything:\n"
                + "\n".join(output.strip().splitlines()[-15:])
            )
        outcome.failures.append(
            _failure(
                job,
                running,
                "TL004",
                f"the worker died while running builder {running.name!r} ({_describe_exit(code)}); {_advice(code)}",
            )
        )
    worker.finished = True
    return _Worker(worker.shard, worker.skip + [running.name])


def _describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        return f"killed by {name}"
    return f"exit code {code}"


def _advice(code: int) -> str:
    if code == -signal.SIGSEGV:
        return (
            "a crash in C code; in deep models often a stack overflow: the worker already "
            "allows 100000 recursion levels on a 1 GiB stack"
        )
    if code == -signal.SIGKILL:
        return "killed from outside, often by the kernel for running out of memory"
    return "the builder or code it called ended the process"


_FAILURE_KEYS = {"TL004": "the worker died", "TL005": "timed out"}


def _failure(job: Job, running: protocol.BuilderStarted, code: str, message: str) -> FunctionEntry:
    """A TL004/TL005 finding on the register line of the builder that failed."""
    path = relative_to(running.path, job.root)
    finding = made_finding(
        code,
        job.rules,
        job.select,
        job.ignore,
        message=message,
        path=path,
        line=running.line,
        function=running.name,
        data={"traced": True, "key": _FAILURE_KEYS[code]},
    )
    return FunctionEntry(
        summary=FunctionSummary(
            name=running.name, register=f"{path}:{running.line}", error=True, files=(running.path,)
        ),
        findings=(finding,) if finding is not None else (),
    )


def _stop(worker: _Worker) -> None:
    """End the worker and everything it started (its own process group),
    also what a builder started and left running after the worker ended."""
    if worker.process is None:
        return
    try:
        os.killpg(worker.process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # the group is empty
        pass
    worker.process.wait()
