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
from types import CodeType, FrameType
from typing import Iterator, List, Optional

import theano.gof.utils as theano_utils

from theanolint.analysis.sources import is_library_file


class TracedFrame(tuple):
    """One (file, line, function, text) entry of ``tag.trace``, plus ``column``,
    computed when first read (from the frame's code and instruction offset): Theano
    records a trace for every variable, and only the few a finding names need it."""

    _column: int
    _code: Optional[CodeType]
    _lasti: int

    def __new__(cls, entry=(), column: int = 0, code: Optional[CodeType] = None, lasti: int = -1):
        made = super().__new__(cls, entry)
        made._column, made._code, made._lasti = column, code, lasti
        return made

    @property
    def column(self) -> int:
        if self._code is not None:
            self._column, self._code = _position_column(self._code, self._lasti), None
        return self._column

    def __reduce__(self):  # a plain column: code objects do not pickle
        return (TracedFrame, (tuple(self), self.column))


def _position_column(code: CodeType, lasti: int) -> int:
    positions = getattr(code, "co_positions", None)
    if positions is None or lasti < 0:
        return 0
    position = next(itertools.islice(positions(), lasti // 2, None), None)
    start = position[2] if position is not None else None
    return start + 1 if start is not None else 0


def column_of(frame: FrameType) -> int:
    """The 1-based column of the expression ``frame`` is executing, 0 when unknown."""
    return _position_column(frame.f_code, frame.f_lasti)


def _with_positions(trace: List[tuple], frame: Optional[FrameType]) -> List[tuple]:
    """``trace`` (outermost first, a subset of the frames from ``frame`` outwards, in
    order) with each entry's code and instruction offset: one walk.  Frames of Theano,
    theanolint and the standard library, never a finding's line, stay plain tuples."""
    out: List[tuple] = []
    for entry in reversed(trace):
        if is_library_file(entry[0]):
            out.append(entry)
            continue
        while frame is not None and (frame.f_code.co_filename, frame.f_lineno) != (entry[0], entry[1]):
            frame = frame.f_back
        if frame is None:
            out.append(entry)
            continue
        out.append(TracedFrame(entry, 0, frame.f_code, frame.f_lasti))
        frame = frame.f_back
    out.reverse()
    return out


@contextlib.contextmanager
def recording_columns() -> Iterator[None]:
    """Within this block, new ``tag.trace`` entries carry their columns."""
    extract = theano_utils.simple_extract_stack

    def with_columns(f=None, limit=None, skips=[]):  # noqa: B006  # Theano's signature
        start = f if f is not None else sys._getframe(1)
        return _with_positions(extract(start, limit, skips), start)

    theano_utils.simple_extract_stack = with_columns
    try:
        yield
    finally:
        theano_utils.simple_extract_stack = extract
