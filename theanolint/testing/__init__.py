"""An in-process harness for rule tests: lint a source string with the real pipeline.

    from theanolint.testing import lint_source

    findings = lint_source('''
        import numpy as np
        import theano
        import theano.tensor as T
        import theanolint

        @theanolint.register(name="m.train")
        def train():
            x = T.dmatrix("x")                      # planted: TL101
            return theano.function([x], T.exp(x))
        ''', rules=["TL101"])
    assert [(f.code, f.line) for f in findings] == [("TL101", 8)]

Each case is written as a module to its own folder and linted by the worker's own
code (``workers.main.lint`` with a ``protocol.Job``: import, build under capture,
optimize with Theano's optimizer on the device, memory prediction where a rule
needs it, the rules), in this process, on a device started once.  Nothing of
Theano, the device or pygpu is replaced.  What the command-line process adds
after the workers (suppression comments, ``per_file_ignores``, baselines) is not
applied: the findings are what the rules made, less those about state or code a
framework made (left out unless the rule's ``frameworks`` option is on), as on the
command line.

Process model (the decisions):

- Theano reads its flags once, at import, and one process holds one device.  The
  harness starts Theano in the calling process on the first ``harness()`` (not at
  import of this module, so collecting tests that import it starts nothing), on
  one target for the life of the process.  The test process is the worker here:
  no subprocess per case and no driver process, so a case costs what linting its
  builder costs (a few tenths of a second for a small model).
- The target is the virtual CUDA device (``target: cuda``, the schema's default and
  what the examples and the README demo use): every rule can fire on it, TL401
  and TL402 included (TL402 through ``flags={"deterministic": "more"}``, see
  below), its cuDNN emulation gives the graphs users get on a CUDA machine, and no
  kernel runs, so results do not depend on the machine.  OpenCL graphs are tested
  through the CLI (tests/test_examples.py and others lint both targets).
  ``harness("opencl")`` starts PoCL instead, but only as a process's first start.
- The environment is the worker's: ``target.environment()`` (THEANO_FLAGS and the
  virtual device's variables) is put into ``os.environ``, the device library is
  preloaded and Theano imported by ``device.startup.start_theano``, the very
  start-up a worker does; then ``os.environ`` is put back as it was (Theano parsed
  its flags at import, and the virtual device read its profile when it started),
  so subprocesses started afterwards (CLI tests) do not inherit the harness's
  flags.
- A worker's Theano flags come from the config's ``theano_flags`` at start-up.  The
  harness cannot restart Theano per case, so a case's ``theano_flags`` (or
  ``flags=``) are applied with ``theano.change_flags`` around the whole lint of the
  case (build, optimize, rules); only flags Theano lets change at run time work
  (``deterministic``, ``floatX``, ...); others raise ``HarnessError``.
- Once Theano is imported, the process cannot go back: tests that need a process
  without Theano must run before the harness starts (tests/rules/conftest.py moves
  the rule tests after all others when one pytest run collects both) or in a
  process of their own.

No state leaks from one case to the next: each case's module has a unique name
and folder (``<name>_<n>.py`` under a per-process temporary folder), and after the
case its modules leave ``sys.modules`` and ``sys.path``, the working directory and
theanolint's registration list are restored (the worker's ``lint`` changes them for
good: it owns its process), and Theano's cache of small constants is emptied
before each case (a fresh worker starts with it empty; a cached constant is shared
by every graph that uses the same value).  What a builder changes besides
(flags, environment, ...) the worker's own ``isolation`` undoes, as in a worker.
During a case ``sys.stdout`` is ``sys.__stdout__``, as in a worker, so that TL007's
capture of file descriptor 1 sees ``print`` also under pytest's capture.

Line numbers are those of the source as written to the file: ``normalize(source)``
(the source dedented, a leading newline dropped, so the first line of a
triple-quoted string that starts with a newline is line 1).  Helpers:
``planted(source)`` reads ``# planted: CODE ...`` markers, ``line_of(source, text)``
finds a line, ``pairs(findings)`` gives ``(line, code)`` pairs to compare.

Unless TL001 or TL002 is among ``rules``, a builder that fails (a typo in a test's
source) or a graph Theano's optimizer refuses raises ``HarnessError`` instead of
looking like a rule that stays quiet; so does a rule that raises, and a source
that registers no builder.
"""

import os
import shutil
import sys
import threading
from typing import Any, List, Optional

from theanolint.findings import Finding
from theanolint.testing.cases import (  # noqa: F401
    ALWAYS_CHECKED,
    TARGET,
    HarnessError,
    Result,
    describe,
    line_of,
    normalize,
    pairs,
    planted,
)
from theanolint.testing.harness import Harness

# --- one harness per process -------------------------------------------------

_harness: Optional[Harness] = None
_start_lock = threading.Lock()


def harness(target: str = TARGET) -> Harness:
    """This process's harness, starting Theano on ``target`` the first time."""
    global _harness
    with _start_lock:
        if _harness is None:
            _harness = _start(target)
        elif _harness.kind != target:
            raise HarnessError(
                f"Theano runs on {_harness.kind} in this process; it cannot "
                f"also start on {target} (one Theano import per process)"
            )
        return _harness


def started() -> bool:
    """Whether this process's harness has started Theano."""
    return _harness is not None


def _start(kind: str) -> Harness:
    if "theano" in sys.modules:
        raise HarnessError(
            "Theano was imported in this process before the harness started "
            "it, with flags the harness did not set; start the harness first "
            "(theanolint.testing.harness()) or lint in a process of its own"
        )
    from theanolint.config import loading
    from theanolint.device.target import from_config

    base = loading.defaults()
    target = from_config(dict(base, root=os.getcwd()), kind)
    saved = dict(os.environ)
    os.environ.pop("THEANO_FLAGS", None)
    os.environ.update(target.environment())
    try:
        from theanolint.device.startup import start_theano

        context = start_theano(target)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Harness(target, context, base)


def lint(source: str, **options) -> Result:
    """``harness().lint(source, ...)``."""
    return harness().lint(source, **options)


def lint_source(source: str, **options: Any) -> List[Finding]:
    """The findings of ``rules`` on ``source``, linted by this process's harness
    (``harness().lint_source``; the options are ``Harness.lint``'s)."""
    return harness().lint_source(source, **options)


def cleanup() -> None:
    """Remove the cases' files (Theano stays started: it cannot be stopped; a later
    case makes the folder again; at exit it goes anyway)."""
    if _harness is not None:
        shutil.rmtree(_harness.folder, ignore_errors=True)
