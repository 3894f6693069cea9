"""Run one builder under capture: the functions it made (not optimized yet), what
it printed and the global state it changed, or a TL001 build error on the user's line.
"""

import os
import traceback
from typing import Any, Dict, List, Tuple

import theano

from theanolint.analysis import capture, sources
from theanolint.analysis.linted import LintedFunction
from theanolint.builders import Registration
from theanolint.findings import Location, shortened
from theanolint.paths import is_inside
from theanolint.workers import isolation, limits

FRAMES = 5  # the innermost frames an error's details keep (where Theano failed)
_OWN = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # theanolint's frames: not shown
SHORT = 160  # characters of a one-line message about an error (room for "(in ...)" after it)


def build(registration: Registration, locator: sources.Locator) -> Tuple[List[LintedFunction], isolation.Conduct]:
    """Run one builder under capture; one function per ``theano.function`` it called
    (not optimized yet), and what it printed and the global state it changed."""
    register_at = locator.frame(registration.path, registration.line)
    try:
        with capture.capturing() as captured, isolation.guarded() as conduct:
            returned = registration.builder()
    except (Exception, SystemExit) as error:  # sys.exit() in a builder ends only that builder
        traceback.clear_frames(error.__traceback__)  # a memory hog's locals go now
        function = LintedFunction(registration.name, register_at, register_at)
        where = _error_location(error, locator, register_at)
        function.build_error = (f"builder {registration.name!r} {_failure(error)}", where)
        return [function], conduct
    made = [record for record in captured if not record.made_by_theano]
    if not made:
        function = LintedFunction(registration.name, register_at, register_at)
        function.build_error = (
            f"builder {registration.name!r} made no Theano function{_returned(returned)}",
            register_at,
        )
        return [function], conduct
    functions, used = [], set()
    for index, record in enumerate(made):
        label = record.name or str(index)
        if label in used:
            label = f"{label}#{index}"
        used.add(label)
        function = LintedFunction(
            f"{registration.name}:{label}",
            register_at,
            locator.in_stack(record.call_stack) or register_at,
            declared_shapes=registration.shapes,
        )
        function.record = record
        functions.append(function)
    return functions, conduct


def _error_location(error: BaseException, locator: sources.Locator, fallback: Location) -> Location:
    """The user's line the error came from (an error inside numpy or Keras: the
    user's line that called it, naming the framework's frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    stack = [(frame.filename, frame.lineno, frame.name, None) for frame in frames]
    return locator.in_stack(stack) or fallback


def describe_error(error: BaseException, empty: str = " (no message)") -> str:
    """``Type: first line``; an exception without text says so instead of ending in a colon."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else f"{type(error).__name__}{empty}"


def error_details(error: BaseException, locator: sources.Locator) -> Dict[str, Any]:
    """What a one-line message leaves out: the type, the full text and the innermost
    frames as ``file:line in function`` (Theano's too: that is where it failed;
    theanolint's own are left out)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not is_inside(os.path.realpath(f.filename), _OWN)]
    frames = frames[-FRAMES:]
    return {
        "type": type(error).__name__,
        "text": str(error),
        "frames": [f"{_frame_file(f.filename, locator)}:{f.lineno} in {f.name}" for f in frames],
    }


def _frame_file(filename: str, locator: sources.Locator) -> str:
    """A user file relative to the root, an installed one from its package (no machine's path)."""
    if filename.startswith("<"):  # "<string>", "<frozen importlib._bootstrap>"
        return filename
    if is_inside(os.path.realpath(filename), locator.root):
        return locator.relpath(filename)
    return sources._package_relative(filename)


def _failure(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r})"
    if isinstance(error, MemoryError):
        return f"ran out of memory ({shortened(describe_error(error, empty=''), 64)}){limits.describe_memory_limit()}"
    return f"raised {shortened(describe_error(error), 120)}"


def _returned(value) -> str:
    """What a builder that made no function gave back, for the message."""
    if value is None:
        return ""
    what = type(value).__name__
    if isinstance(value, theano.Variable):
        return f" (it returned a symbolic {what}: pass it to theano.function inside the builder)"
    return f" (it returned {what}; a builder must call theano.function)"
