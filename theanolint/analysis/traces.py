"""Theano's creation traces, with the column of each frame's call.

Theano records ``tag.trace`` as (file, line, function, text) tuples, so a
finding could only name a line.  Since Python 3.11 a frame knows the source
span of the instruction it is executing (``co_positions``): while a builder
runs, ``recording_columns()`` makes Theano's stack extraction return
``TracedFrame`` entries, the same tuples (every reader of ``tag.trace``,
Theano's own included, sees no difference) carrying ``column``, the 1-based
column where the call that made the variable starts (ruff's and flake8's
convention); 0 where Python cannot say.
"""

import contextlib
import itertools
import sys
from types import FrameType
from typing import Dict, Iterator, Optional, Tuple

import theano.gof.utils as theano_utils


class TracedFrame(tuple):
    """One (file, line, function, text) entry of ``tag.trace``, plus ``column``."""

    column: int

    def __new__(cls, entry=(), column: int = 0):
        made = super().__new__(cls, entry)
        made.column = column
        return made


def column_of(frame: FrameType) -> int:
    """The 1-based column of the expression ``frame`` is executing, 0 when unknown."""
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None or frame.f_lasti < 0:
        return 0
    position = next(itertools.islice(positions(), frame.f_lasti // 2, None), None)
    start = position[2] if position is not None else None
    return start + 1 if start is not None else 0


def column(entry) -> int:
    """The column of a ``tag.trace`` entry (0 for a plain tuple)."""
    return getattr(entry, "column", 0)


def _columns(frame: Optional[FrameType]) -> Dict[Tuple[str, int, str], int]:
    found: Dict[Tuple[str, int, str], int] = {}
    while frame is not None:
        found.setdefault((frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name), column_of(frame))
        frame = frame.f_back
    return found


@contextlib.contextmanager
def recording_columns() -> Iterator[None]:
    """Within this block, new ``tag.trace`` entries carry their columns."""
    extract = theano_utils.simple_extract_stack

    def with_columns(f=None, limit=None, skips=[]):  # noqa: B006  # Theano's signature
        trace = extract(f if f is not None else sys._getframe(1), limit, skips)
        columns = _columns(f if f is not None else sys._getframe(1))
        return [TracedFrame(entry, columns.get(tuple(entry[:3]), 0)) for entry in trace]

    theano_utils.simple_extract_stack = with_columns
    try:
        yield
    finally:
        theano_utils.simple_extract_stack = extract
