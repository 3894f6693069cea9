"""Capture the Theano functions a builder makes, without compiling them.

``orig_function`` is the choke point every ``theano.function`` /
``theano.compile.function.function`` / ``pfunc`` call passes through, after
updates and givens have been applied.  Recording its arguments lets
``optimize`` later build exactly the ``FunctionMaker`` Theano would build.
"""
import contextlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

import theano
import theano.compile
import theano.compile.builders
import theano.compile.function
import theano.compile.function_module
import theano.compile.pfunc

# Modules that bound ``orig_function`` by name at import time.  The module
# ``theano.compile.function`` is shadowed by the function of the same name in
# its package, hence sys.modules.
_HOLDERS = tuple(sys.modules[name] for name in (
    "theano.compile.function_module", "theano.compile.function",
    "theano.compile.pfunc", "theano.compile", "theano.compile.builders"))


# Names of the helper functions Theano made for itself and that ran for real.
helpers: List[Optional[str]] = []


class NotCompiledError(RuntimeError):
    """Raised when a builder calls a function theanolint captured."""


@dataclass
class CapturedFunction:
    name: Optional[str]
    inputs: list
    outputs: Any
    mode: Any
    accept_inplace: bool
    profile: Any
    on_unused_input: Optional[str]
    output_keys: Optional[list]
    call_site: Tuple[str, int]


class Placeholder:
    """Stands in for a compiled function; theanolint never compiles."""

    def __init__(self, captured: CapturedFunction):
        self.captured = captured

    def __call__(self, *args, **kwargs):
        raise NotCompiledError(
            f"theano function {self.captured.name or '<unnamed>'} was captured by "
            "theanolint and not compiled; it cannot be called while linting")


# With a trailing separator: ".../site-packages/theanolm" must not count as Theano.
_COMPILE_DIR = os.path.join(os.path.dirname(theano.compile.__file__), "")
_THEANO_DIR = os.path.join(os.path.dirname(theano.__file__), "")


def _made_by_theano() -> bool:
    """Whether Theano itself (scan's dummy function, ``Variable.eval``) asked.

    Such helper functions are run for real, not linted: the first caller
    outside ``theano.compile`` is then Theano code, not the user's.
    """
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_COMPILE_DIR):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(_THEANO_DIR)


def _automatic_name(name: Optional[str]) -> bool:
    """``theano.function`` names unnamed functions "file.py:line" itself."""
    match = re.match(r"^(.*\.py):\d+$", name or "")
    return bool(match) and os.path.exists(match.group(1))


def _call_site(skip_prefixes: Tuple[str, ...]) -> Tuple[str, int]:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(skip_prefixes):
            return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


@contextlib.contextmanager
def capturing(skip_prefixes: Tuple[str, ...], on_capture=None):
    """Within this block, making a Theano function records it instead."""
    captured: List[CapturedFunction] = []
    saved = [(module, module.orig_function) for module in _HOLDERS]
    real_orig_function = saved[0][1]

    def orig_function(inputs, outputs, mode=None, accept_inplace=False,
                      name=None, profile=None, on_unused_input=None,
                      output_keys=None):
        if on_capture is None and _made_by_theano():
            helpers.append(name)
            return real_orig_function(inputs, outputs, mode, accept_inplace, name,
                                      profile, on_unused_input, output_keys)
        record = CapturedFunction(
            name=None if _automatic_name(name) else name, inputs=list(inputs), outputs=outputs,
            mode=theano.compile.mode.get_mode(mode),
            accept_inplace=accept_inplace, profile=profile,
            on_unused_input=on_unused_input, output_keys=output_keys,
            call_site=_call_site(skip_prefixes))
        captured.append(record)
        if on_capture is not None:
            on_capture(record)
        return Placeholder(record)

    for module, _ in saved:
        module.orig_function = orig_function
    try:
        yield captured
    finally:
        for module, original in saved:
            module.orig_function = original
