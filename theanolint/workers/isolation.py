"""Keep one builder from affecting the builders after it in the same worker.

A worker runs many builders one after another, so whatever global state a
builder changes (``theano.config``, the working directory, the environment,
numpy's error handling, the recursion limit, ``sys.stdout``) would silently
change how the later ones build.  ``guarded`` snapshots that state, restores
it after the builder and reports what changed (TL006); what the builder
wrote to stdout, from Python or from C, is captured and reported (TL007).

The worker imports the project's modules the same way, one by one
(``analysis.imported``): what an import changes is put back and reported at it.

Only stdout is captured: stderr is where libraries log and warn, and goes to
the worker's log as before (``theanolint -v`` shows it).
"""

import contextlib
import ctypes
import os
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional

import numpy as np
import theano
from theano import configparser

from theanolint.findings import Location, shortened
from theanolint.paths import relative_to

MAX_SHOWN = 60  # characters of a changed value or printed line in a message


@dataclass
class Conduct:
    """What a builder (or the import of a module) did besides making functions."""

    stdout: str = ""
    changes: List[str] = field(default_factory=list)  # "theano.config.floatX 'float32' -> 'float64'"
    imported: str = ""  # the module's file when this is what importing it did
    changes_at: Optional[Location] = None  # the statement that made the first change, if found
    stdout_at: Optional[Location] = None  # the statement that printed, if found


def _shown(value) -> str:
    return shortened(repr(value), MAX_SHOWN)


def _config_params():
    """Theano flags a builder can change at run time (the others refuse a new value)."""
    return [p for p in configparser._config_var_list if p.allow_override]


def _snapshot() -> Dict:
    return {
        "config": {p.fullname: p.__get__(theano.config, None) for p in _config_params()},
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "recursion": sys.getrecursionlimit(),
        "numpy": np.geterr(),
        "streams": (sys.stdout, sys.stderr, sys.stdin),
    }


def _restore(saved: Dict, environment: bool = True) -> List[str]:
    """Put everything back (the environment only if ``environment``); describe each difference found."""
    changes = []
    for param in _config_params():
        if param.fullname not in saved["config"]:
            continue  # a flag an imported module added: it has no value to go back to
        before = saved["config"][param.fullname]
        after = param.__get__(theano.config, None)
        if after != before:
            changes.append(f"theano.config.{param.fullname} {_shown(before)} -> {_shown(after)}")
            param.__set__(theano.config, before)
    try:
        cwd = os.getcwd()
    except OSError:  # the builder removed the folder it moved to
        cwd = "(a removed folder)"
    if cwd != saved["cwd"]:
        changes.append(f"the working directory (os.chdir to {_shown(_relative(cwd, saved['cwd']))})")
        os.chdir(saved["cwd"])
    if environment and dict(os.environ) != saved["environ"]:
        names = sorted(
            set(os.environ) ^ set(saved["environ"])
            | {k for k in set(os.environ) & set(saved["environ"]) if os.environ[k] != saved["environ"][k]}
        )
        changes.append(f"environment variable(s) {', '.join(names)}")
        os.environ.clear()
        os.environ.update(saved["environ"])
    if sys.getrecursionlimit() != saved["recursion"]:
        changes.append(f"the recursion limit ({saved['recursion']} -> {sys.getrecursionlimit()})")
        sys.setrecursionlimit(saved["recursion"])
    if np.geterr() != saved["numpy"]:
        changes.append(f"numpy's error handling (np.seterr: {_seterr(saved['numpy'], np.geterr())})")
        np.seterr(**saved["numpy"])
    if (sys.stdout, sys.stderr, sys.stdin) != saved["streams"]:
        changes.append("sys.stdout, sys.stderr or sys.stdin (replaced)")
        sys.stdout, sys.stderr, sys.stdin = saved["streams"]
    return changes


def _seterr(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    """What changed, as ``np.seterr`` takes it: ``all='raise'`` or ``over='ignore', ...``."""
    changed = {kind: mode for kind, mode in after.items() if before.get(kind) != mode}
    if len(set(after.values())) == 1 and len(changed) > 1:
        return f"all={next(iter(after.values()))!r}"
    text = ", ".join(f"{kind}={mode!r}" for kind, mode in sorted(changed.items()))
    return shortened(text, MAX_SHOWN)


def _relative(path: str, start: str) -> str:
    """``path`` relative to the project root when it is inside it."""
    return relative_to(path, start) if os.path.isabs(path) else path


def _flush_all() -> None:
    """Python's and C's buffered stdout, so each byte lands where it was written."""
    for stream in (sys.stdout, sys.__stdout__):
        with contextlib.suppress(Exception):
            stream.flush()  # type: ignore[union-attr]  # a None __stdout__ is suppressed too
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def _captured_stdout(conduct: Conduct):
    """File descriptor 1 goes to a temporary file; afterwards its text is
    kept in ``conduct`` and copied to the worker's log."""
    _flush_all()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 1)
        try:
            yield
        finally:
            _flush_all()
            os.dup2(saved, 1)
            os.close(saved)
            capture.seek(0)
            data = capture.read()
            os.write(1, data)
            conduct.stdout = data.decode("utf-8", errors="replace")


@contextlib.contextmanager
def guarded(environment: bool = True):
    """Run a builder inside: yields its ``Conduct``, filled in when the block ends.
    ``environment=False`` leaves environment variables as the block set them (a
    module that sets ``KERAS_BACKEND`` at import configures what is imported after it)."""
    conduct = Conduct()
    saved = _snapshot()
    try:
        with _captured_stdout(conduct):
            yield conduct
    finally:
        conduct.changes = _restore(saved, environment)
