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
from types import FrameType
from typing import Any, Dict, List, Optional, Tuple

import theano
import theano.compile
import theano.compile.builders
import theano.compile.function
import theano.compile.function_module
import theano.compile.pfunc

from theanolint.analysis import evaluate, origin, traces

# Modules that bound ``orig_function`` by name at import time.  The module
# ``theano.compile.function`` is shadowed by the function of the same name in
# its package, hence sys.modules.
_HOLDERS: Tuple[Any, ...] = tuple(
    sys.modules[name]
    for name in (
        "theano.compile.function_module",
        "theano.compile.function",
        "theano.compile.pfunc",
        "theano.compile",
        "theano.compile.builders",
    )
)


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
    call_stack: list
    made_by_theano: bool = False  # Variable.eval(), scan's helper: run, not linted


class Placeholder:
    """Stands in for the function ``theano.function`` would return.

    Nothing is compiled unless the builder uses the function: then it is
    compiled for the host (see ``evaluate``) and every call and attribute goes
    to that real function.
    """

    def __init__(self, record: CapturedFunction, compile_function):
        self.captured = record
        self._compile = compile_function

    def __call__(self, *args, **kwargs):
        return self._compile(self.captured)(*args, **kwargs)

    def __getattr__(self, name):
        if name.startswith("__") or name in ("captured", "_compile"):
            raise AttributeError(name)
        return getattr(self._compile(self.captured), name)


# With a trailing separator: ".../site-packages/theanolm" must not count as Theano.
_COMPILE_DIR = os.path.join(os.path.dirname(theano.compile.__file__), "")
_THEANO_DIR = os.path.join(os.path.dirname(theano.__file__), "")


def _made_by_theano() -> bool:
    """Whether Theano itself (scan's dummy function, ``Variable.eval``) asked.

    Such helper functions are run for real, not linted: the first caller
    outside ``theano.compile`` is then Theano code, not the user's.
    """
    frame: Optional[FrameType] = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_COMPILE_DIR):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(_THEANO_DIR)


def _automatic_name(name: Optional[str]) -> bool:
    """``theano.function`` names unnamed functions "file.py:line" itself."""
    match = re.match(r"^(.*\.py):\d+$", name or "")
    return match is not None and os.path.exists(match.group(1))  # a match object is always true


def _call_stack() -> List[traces.TracedFrame]:
    """Where ``theano.function`` was called from, outermost frame first
    (the format of ``tag.trace``, so the same user-frame logic applies)."""
    stack: List[traces.TracedFrame] = []
    frame: Optional[FrameType] = sys._getframe(2)
    while frame is not None:
        entry = (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name, None)
        stack.append(traces.TracedFrame(entry, traces.column_of(frame)))
        frame = frame.f_back
    return stack[::-1]


@contextlib.contextmanager
def capturing(on_capture=None):
    """Within this block, making a Theano function records it instead.

    Functions Theano makes for itself are recorded too (``made_by_theano``);
    the caller gets a working function either way (compiled for the host on
    first use).

    Theano's constant cache is off meanwhile (as Theano's optimizer turns it
    off): a cached constant is one object for every graph that uses its value,
    traced where some graph, maybe another builder's, made it first, so the
    line of a float64 constant would depend on which builders ran before.
    """
    captured: List[CapturedFunction] = []
    saved = [(module, module.orig_function) for module in _HOLDERS]
    real_orig_function = saved[0][1]
    host_functions: Dict[Any, Any] = {}

    def compile_function(record):
        return evaluate.compile_on_host(real_orig_function, record, host_functions)

    def orig_function(
        inputs,
        outputs,
        mode=None,
        accept_inplace=False,
        name=None,
        profile=None,
        on_unused_input=None,
        output_keys=None,
    ):
        record = CapturedFunction(
            name=None if _automatic_name(name) else name,
            inputs=list(inputs),
            outputs=outputs,
            mode=theano.compile.mode.get_mode(mode),
            accept_inplace=accept_inplace,
            profile=profile,
            on_unused_input=on_unused_input,
            output_keys=output_keys,
            call_stack=_call_stack(),
            made_by_theano=_made_by_theano(),
        )
        if on_capture is not None:
            on_capture(record)
        captured.append(record)
        return Placeholder(record, compile_function)

    origin.install()  # who makes each shared variable (the builder's own or a framework's)
    for module, _ in saved:
        module.orig_function = orig_function
    cache_enabled = theano.tensor.basic.constant.enable
    theano.tensor.basic.constant.enable = False
    try:
        with traces.recording_columns():
            yield captured
    finally:
        theano.tensor.basic.constant.enable = cache_enabled
        for module, original in saved:
            module.orig_function = original
