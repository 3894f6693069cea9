"""Per-function lint results on disk, keyed by ``fingerprint.key``.

One JSON file per key under the cache folder, written to a temporary file
and renamed, so two runs sharing the folder never see half an entry.  A
corrupt or foreign entry is treated as a miss and rewritten.
"""

import functools
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from typing import Any, List, Optional, Sequence, Tuple

from theanolint import protocol
from theanolint.protocol import FunctionEntry

FORMAT = 2  # 2: protocol records
MARKER = "CACHEDIR.TAG"


@functools.lru_cache(maxsize=None)
def code_version() -> str:
    """theanolint's version and a hash of its own sources and rules: a result
    computed by other code is never reused (also between development edits)."""
    import theanolint
    import theanolint.rules

    digest = hashlib.sha256(theanolint.__version__.encode())
    for package in (theanolint, theanolint.rules):
        for folder in package.__path__:
            for path in sorted(glob.glob(os.path.join(folder, "**", "*.[pcjh]*"), recursive=True)):
                if path.endswith((".py", ".c", ".h", ".json")):
                    with open(path, "rb") as handle:
                        digest.update(path.encode() + handle.read())
    return digest.hexdigest()


def _path(folder: str, key: str) -> str:
    return os.path.join(folder, key[:2], key + ".json")


def function_entry_paths(folder: str) -> List[str]:
    """The per-function entries in ``folder`` (named by a ``fingerprint.key``, 64 hex
    digits), not the run and builder records (``run-*``, ``builders-*``)."""
    found = glob.glob(os.path.join(folder, "*", "*.json"))
    return sorted(p for p in found if re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p)))


def load(folder: str, key: str) -> Optional[Any]:
    try:
        with open(_path(folder, key), encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    return entry.get("result")


def store(folder: str, key: str, result: Any) -> None:
    path = _path(folder, key)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _mark(folder)
        handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, "key": key, "result": result}, out)
        os.replace(temp, path)
    except OSError:
        pass  # a read-only or full disk costs the cache, not the run


def load_entry(folder: str, key: str) -> Optional[Tuple[FunctionEntry, List[Any]]]:
    """The stored entry and the source positions its key hashed (``cache.moved``)."""
    data = load(folder, key)
    try:
        if not isinstance(data, dict):
            return None
        return protocol.entry_from_dict(data), list(data.get("positions", []))
    except (KeyError, TypeError, ValueError):
        return None


def store_entry(folder: str, key: str, entry: FunctionEntry, positions: Sequence[Any] = ()) -> None:
    store(folder, key, dict(protocol.entry_dict(entry), positions=[list(p) for p in positions]))


def _mark(folder: str) -> None:
    """Tell backup tools and ``clean`` that this folder is a cache, and git to leave
    it out (``git add -A`` must not commit it), as ruff's and pytest's caches do."""
    marker = os.path.join(folder, MARKER)
    if not os.path.exists(marker):
        with open(marker, "w") as handle:
            handle.write(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# theanolint's result cache; `theanolint clean` removes it.\n"
            )
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as handle:
            handle.write("# Written by theanolint: its result cache.\n*\n")


def clean(folder: str) -> bool:
    """Remove the cache folder; only if it is one of ours."""
    if not os.path.isfile(os.path.join(folder, MARKER)):
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
