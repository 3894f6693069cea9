"""Colour and the progress line appear only on a terminal, and only after a moment."""

import io
import time

from theanolint.cli import terminal
from theanolint.findings import Finding
from theanolint.protocol import RunResult
from theanolint.report import Report, text


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert terminal.use_color(FakeTerminal()) and not terminal.use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not terminal.use_color(FakeTerminal())
    finding = Finding("TL101", "m", "a.py", 3, "f:0")
    assert "\033[31mTL101" in text.render(Report((finding,), RunResult(), "cuda", ".", color=True))
    assert "\033[" not in text.render(Report((finding,), RunResult(), "cuda", "."))


def test_progress_waits_a_moment_and_erases_itself(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    quick = FakeTerminal()
    with terminal.Progress(quick, "linting", delay=0.5):
        pass
    assert quick.getvalue() == ""
    slow = FakeTerminal()
    with terminal.Progress(slow, "linting", delay=0.05):
        time.sleep(0.3)
    assert "linting" in slow.getvalue() and slow.getvalue().endswith("\r\033[K")
    piped = io.StringIO()
    with terminal.Progress(piped, "linting", delay=0.0):
        time.sleep(0.1)
    assert piped.getvalue() == ""
