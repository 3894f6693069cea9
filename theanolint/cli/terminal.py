"""Colour and a progress line, only for people at a terminal.

Output to a pipe, a file or CI stays plain and stable.  The progress line
appears only when a run takes more than a moment (``DELAY``), on stderr,
and is erased before the report is printed.  ``NO_COLOR`` turns colour
off, ``FORCE_COLOR`` on (https://no-color.org).
"""

import os
import threading
import time
from typing import IO, Any, Literal

DELAY = 1.0
_FRAMES = "|/-\\"


def use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _is_terminal(stream)


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")


class Progress:
    """``with Progress(sys.stderr, "linting"):`` shows "- linting (3 s)" after DELAY seconds."""

    def __init__(self, stream: IO[str], text: str, enabled: bool = True, delay: float = DELAY) -> None:
        self.stream, self.text, self.delay = stream, text, delay
        self.enabled = enabled and _is_terminal(stream)
        self.drawn = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._spin, daemon=True)

    def __enter__(self) -> "Progress":
        if self.enabled:
            self._started = time.monotonic()
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> Literal[False]:
        if self.enabled:
            self._stop.set()
            self._thread.join()
            if self.drawn:
                self.stream.write("\r\033[K")
                self.stream.flush()
        return False

    def _spin(self) -> None:
        if self._stop.wait(self.delay):
            return
        frame = 0
        while not self._stop.is_set():
            seconds = time.monotonic() - self._started
            self.stream.write(f"\r{_FRAMES[frame % len(_FRAMES)]} {self.text} ({seconds:.0f} s)")
            self.stream.flush()
            self.drawn = True
            frame += 1
            self._stop.wait(0.1)
