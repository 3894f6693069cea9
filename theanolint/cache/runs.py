"""The whole run's result, reused when nothing it depends on changed.

Looking up per-function results (``resultcache``) needs the builders to run,
which costs a Theano import and the builds.  When the project's Python files,
the config, the job (target, rules, options) and the installed packages are
all as they were, the previous run's result is reused without starting a
worker.  Builders that read other files (data, a vocabulary) are not seen
here: run with ``--no-cache`` after changing those.
"""

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Dict, Iterator, List, Optional, Tuple

from theanolint import protocol
from theanolint.cache import results as resultcache
from theanolint.protocol import Job

_SKIP_DIRS = {"__pycache__", "node_modules", ".git"}


def _project_files(root: str, cache_dir: Optional[str]) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in _SKIP_DIRS
            and not d.startswith(".")
            and os.path.join(folder, d) != cache_dir
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


@dataclass(frozen=True)
class Stored:
    """A whole run as the workers answered it."""

    messages: Tuple[protocol.Message, ...]
    log: str


def environment(job: Job, parts: Dict[str, Any]) -> "hashlib._Hash":
    """A digest of ``parts`` and what every stored result depends on besides the
    project's files: theanolint's code, the Python environment, the config file and
    the installed packages."""
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            {
                **parts,
                "theanolint": resultcache.code_version(),
                # the Python environment: another venv may lack pygpu
                "python": [sys.executable, sys.path],
                "theanorc": os.environ.get("THEANORC"),
            },
            sort_keys=True,
            default=str,
        ).encode()
    )
    config = job.config.get("path")
    if config and os.path.exists(config):
        with open(config, "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(installed).encode())
    return digest


def key(job: Job, shards: List[int], total: int) -> str:
    digest = environment(job, {"job": protocol.job_dict(job), "shards": shards, "total": total})
    for path in _project_files(job.root, job.cache_dir):
        digest.update(path.encode())
        try:
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
        except OSError:
            digest.update(b"unreadable")
    for path in job.files:
        if os.path.exists(path):
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return "run-" + digest.hexdigest()


def load(folder: str, run_key: str) -> Optional[Stored]:
    data = resultcache.load(folder, run_key)
    if not isinstance(data, dict):
        return None
    try:
        return Stored(tuple(protocol.decode(line) for line in data["messages"]), data["log"])
    except (KeyError, TypeError, ValueError):
        return None


def store(folder: str, run_key: str, stored: Stored) -> None:
    resultcache.store(folder, run_key, {"messages": [protocol.encode(m) for m in stored.messages], "log": stored.log})
