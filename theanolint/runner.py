"""Parent side: prepare the lint job, run it in workers (``pool``) and merge the results."""
import os
import tempfile
from dataclasses import asdict
from typing import Dict, List, Optional

from theanolint import pool, runcache
from theanolint.findings import Finding
from theanolint.registry import ShapeError
from theanolint.target import Target, TargetError


def find_builder_files(paths: List[str]) -> List[str]:
    """Python files among ``paths`` (folders walked) that use theanolint.register."""
    found = []
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


_UNSTEADY = ("TL004", "TL005")   # worker crashed, timed out


def run(target: Target, config: Dict, files: List[str], only: Optional[List[str]] = None,
        graph: Optional[List[str]] = None, select=(), ignore=(), jobs: int = 1,
        shard: Optional[List[int]] = None, cache: bool = True, **options) -> Dict:
    """Lint in worker processes; returns the merged result.

    ``shard`` is [K, N] (this run does the K-th of N shares), else ``jobs``
    workers share all builders.  ``options`` travel to the workers as they are
    (e.g. memory report settings).
    """
    total = shard[1] if shard else max(1, jobs)
    shards = [shard[0]] if shard else list(range(total))
    job = {"target": asdict(target), "root": config["root"], "modules": config["modules"],
           "files": files, "rules": config["rules"], "only": only or [], "graph": graph or [],
           "select": list(select), "ignore": list(ignore), "config": config,
           "cache_dir": cache_dir(config, cache and not graph), **options}
    run_key = runcache.key(job, shards, total) if job["cache_dir"] else None
    stored = runcache.load(job["cache_dir"], run_key) if run_key else None
    if stored is not None:
        for entry in stored["entries"]:
            entry["summary"]["cached"] = True
    else:
        env = dict(os.environ)
        env.pop("THEANO_FLAGS", None)
        env.update(target.environment())
        with tempfile.TemporaryDirectory(prefix="theanolint-") as scratch:
            outcome = pool.run(job, env, shards, total, float(config.get("timeout", 600)), scratch)
            stored = {"messages": outcome.messages, "entries": outcome.entries,
                      "log": pool.log_text(scratch)}
        if run_key and _repeatable(stored):
            runcache.store(job["cache_dir"], run_key, stored)
    return _merge(stored["messages"], stored["entries"], stored["log"])


def _repeatable(stored: Dict) -> bool:
    """Whether the next run would give this result: not after a fatal or internal
    error, nor after a worker crash or timeout, which a busy machine can cause."""
    if any("fatal" in m or m.get("internal_errors") for m in stored["messages"]):
        return False
    return not any(f["code"] in _UNSTEADY for e in stored["entries"] for f in e.get("findings", ()))


def cache_dir(config: Dict, enabled: bool) -> Optional[str]:
    if not enabled:
        return None
    return os.path.join(config["root"], config.get("cache_dir") or ".theanolint_cache")


def _merge(messages: List[Dict], entries: List[Dict], log: str) -> Dict:
    result: Dict = {"units": [], "findings": [], "graphs": {}, "internal_errors": [], "log": log,
                    "refused_launches": 0, "host_evaluations": 0}
    for message in messages:
        if "fatal" in message:
            if message["fatal_kind"] == "shape":
                raise ShapeError(message["fatal"])
            if message["fatal_kind"] == "worker":
                raise pool.WorkerError(message["fatal"])
            raise TargetError(message["fatal"])
        if "device" in message and "device" not in result:
            result.update(device=message["device"], startup_seconds=message["startup_seconds"])
        if "end" in message:
            result["internal_errors"] += message["internal_errors"]
            result["refused_launches"] += message["refused_launches"]
            result["host_evaluations"] += message["host_evaluations"]
    for entry in sorted(entries, key=lambda e: e["summary"]["name"]):
        result["units"].append(entry["summary"])
        result["findings"].extend(entry["findings"])
        if "memory" in entry:
            result.setdefault("memory", []).append(entry["memory"])
        if "graph" in entry:
            result["graphs"][entry["summary"]["name"]] = entry["graph"]
        if "picture" in entry:
            result.setdefault("pictures", {})[entry["summary"]["name"]] = entry["picture"]
    result["findings"] = sorted((Finding.from_dict(f) for f in result["findings"]),
                                key=Finding.sort_key)
    return result
