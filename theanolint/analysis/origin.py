"""Who made a shared variable: the user, a framework (an installed package), or Theano.

A linter finding about a shared variable is only worth reading if the reader can
act on it.  Lasagne's optimizer slots, Keras's hyperparameters and the state of
``MRG_RandomStreams`` are made by code the user does not own: "pass name= to
theano.shared" cannot be followed for them.  Theano's own trace (``tag.trace``)
skips Theano's frames, so it cannot tell a ``theano.shared`` the user wrote from
one ``srng.uniform(...)`` made; we record the creating frames ourselves.

``install()`` wraps each of Theano's shared-variable constructors (the one list
every ``theano.shared`` call goes through, whatever name the caller imported it
by); the wrapper stores a compact record of the calling frames on the new
variable's tag (copied to its clones with the tag).  ``origin_of`` interprets the
record later, when the configured ``library_packages`` are known.
"""

import functools
import os
import sys
from dataclasses import dataclass
from types import FrameType
from typing import Any, List, NamedTuple, Optional, Tuple

import theano
import theano.compile.sharedvalue as sharedvalue

from theanolint.analysis import sources

MAX_FRAMES = 24  # frames recorded per shared variable, innermost first
_SHAREDVALUE = os.path.realpath(sharedvalue.__file__)
_THEANO_DIR = os.path.join(os.path.realpath(os.path.dirname(theano.__file__)), "")


class Frame(NamedTuple):
    """One frame that led to ``theano.shared``, with what provenance needs of it."""

    filename: str
    line: int
    function: str  # the code's qualified name, e.g. "Layer.add_param"
    takes_name: bool  # the function has a ``name`` parameter (or ``**kwargs``)
    name: Any  # the ``name`` it was given (None when not given)
    holds_value: bool  # one of its arguments is the value the variable was made from (only the
    # frame the user called counts: inside, a framework rebinds its parameters, as create_param does)


@dataclass(frozen=True)
class Origin:
    maker: str  # "user" | "framework" | "theano"
    call: str = ""  # the framework or Theano function the user's code called, e.g. "adam"
    user_value: bool = False  # made from a value the user passed to that call (``W=array``)
    name_given: Optional[bool] = None  # did the user pass ``name=`` to that call (None: it takes none)
    package: str = ""  # the top-level package of that call ("keras", "theano")

    @property
    def actionable(self) -> bool:
        """The user can change this variable in their own code (its dtype, its place)."""
        return self.maker == "user" or self.user_value

    @property
    def made_by(self) -> str:
        """Who made it, for a message: "keras's Model._make_train_function"."""
        return f"{self.package}'s {self.call}" if self.package else self.call

    @property
    def user_named(self) -> bool:
        """Its name is the user's choice, not a framework's default."""
        return self.maker == "user" or bool(self.name_given)


USER = Origin("user")


def _argument_names(frame: FrameType) -> Tuple[str, ...]:
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    names = code.co_varnames[:count]
    if code.co_flags & 0x08:  # CO_VARKEYWORDS: the name of the **kwargs parameter follows
        names += (code.co_varnames[count + bool(code.co_flags & 0x04)],)
    return names


def _frame(frame: FrameType, value: Any) -> Frame:
    names = _argument_names(frame)
    arguments = {n: frame.f_locals.get(n) for n in names}
    takes_name, name = "name" in arguments, arguments.get("name")
    kwargs = frame.f_code.co_flags & 0x08 and arguments.get(names[-1])
    if isinstance(kwargs, dict):
        takes_name, name = True, name if name is not None else kwargs.get("name")
    holds = any(a is value for a in arguments.values()) or (
        isinstance(kwargs, dict) and any(a is value for a in kwargs.values())
    )
    code = frame.f_code
    return Frame(code.co_filename, frame.f_lineno, getattr(code, "co_qualname", code.co_name), takes_name, name, holds)


def _record(value: Any) -> List[Frame]:
    """The frames outside ``theano.shared`` itself, innermost first."""
    frame: Optional[FrameType] = sys._getframe(2)
    while frame is not None and os.path.realpath(frame.f_code.co_filename) == _SHAREDVALUE:
        frame = frame.f_back
    frames: List[Frame] = []
    while frame is not None and len(frames) < MAX_FRAMES:
        frames.append(_frame(frame, value))
        frame = frame.f_back
    return frames


def _recording(constructor):
    def recorded(value, *args, **kwargs):
        var = constructor(value, *args, **kwargs)
        try:
            var.tag.creation = _record(value)
        except Exception:  # provenance is a nicety; a shared variable must still be made
            pass
        return var

    recorded.theanolint_wraps = constructor  # type: ignore[attr-defined]
    return recorded


def install() -> None:
    """Wrap every registered shared-variable constructor (idempotent: constructors
    registered later, by a backend or a framework, are wrapped by the next call)."""
    constructors = sharedvalue.shared.constructors
    for index, constructor in enumerate(constructors):
        if not hasattr(constructor, "theanolint_wraps"):
            constructors[index] = _recording(constructor)


@functools.lru_cache(maxsize=None)
def _is_theano(filename: str) -> bool:
    return os.path.realpath(filename).startswith(_THEANO_DIR)


def origin_of(var, library_dirs: Tuple[str, ...] = ()) -> Origin:
    """Who made shared variable ``var``; the user's, when nothing was recorded."""
    frames: List[Frame] = getattr(getattr(var, "tag", None), "creation", None) or []
    frames = [f for f in frames if _is_theano(f.filename) or not sources.is_library_file(f.filename)]
    if not frames:
        return USER
    if _is_theano(frames[0].filename):
        maker = "theano"
    elif sources.is_framework_file(frames[0].filename, library_dirs):
        maker = "framework"
    else:
        return USER
    entry = frames[0]
    for frame in frames:
        if not (_is_theano(frame.filename) or sources.is_framework_file(frame.filename, library_dirs)):
            break
        entry = frame  # the outermost frame of the framework (or Theano) before the user's code
    return Origin(
        maker,
        call=entry.function,
        user_value=maker == "framework" and entry.holds_value,
        name_given=(entry.name is not None) if entry.takes_name else None,
        package="theano" if _is_theano(entry.filename) else sources.package_of(entry.filename),
    )
