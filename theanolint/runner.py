"""Parent side: start a worker on the target device and collect its results."""
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from typing import Dict, List, Optional

from theanolint.findings import Finding
from theanolint.registry import ShapeError
from theanolint.target import Target, TargetError


class WorkerError(Exception):
    """The worker died without a result; the CLI turns it into exit code 2."""


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


def run(target: Target, config: Dict, files: List[str], only: Optional[List[str]] = None,
        graph: Optional[List[str]] = None, select=(), ignore=(), **options) -> Dict:
    """Lint in a fresh worker process; returns the worker's result dict.

    ``options`` travel to the worker as they are (e.g. memory report settings).
    """
    job = {"target": asdict(target), "root": config["root"], "modules": config["modules"],
           "files": files, "rules": config["rules"], "only": only or [], "graph": graph or [],
           "select": list(select), "ignore": list(ignore), "config": config, **options}
    with tempfile.TemporaryDirectory(prefix="theanolint-") as scratch:
        job_path = os.path.join(scratch, "job.json")
        result_path = os.path.join(scratch, "result.json")
        with open(job_path, "w") as handle:
            json.dump(job, handle)
        env = dict(os.environ)
        env.pop("THEANO_FLAGS", None)
        env.update(target.environment())
        command = [sys.executable] + (["-S"] if sys.flags.no_site else []) + [
            "-m", "theanolint.worker", job_path, result_path]
        process = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if not os.path.exists(result_path):
            tail = "\n".join((process.stderr or "").strip().splitlines()[-15:])
            raise WorkerError(f"the lint worker exited with code {process.returncode} "
                              f"without a result:\n{tail}")
        with open(result_path) as handle:
            result = json.load(handle)
    result["log"] = process.stdout + process.stderr
    if result["fatal"]:
        if result.get("fatal_kind") == "shape":
            raise ShapeError(result["fatal"])
        raise TargetError(result["fatal"])
    result["findings"] = sorted((Finding.from_dict(f) for f in result["findings"]),
                                key=Finding.sort_key)
    return result
