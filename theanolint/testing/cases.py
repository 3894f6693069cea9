"""The harness's constants, source helpers and result records (no Theano)."""

import re
import textwrap
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from theanolint import protocol
from theanolint.findings import Finding

TARGET = "cuda"  # see the module docstring
ALWAYS_CHECKED = ("TL001", "TL002")  # a failed build or optimization is never silent
_PLANTED = re.compile(r"#\s*planted:\s*((?:TL\d{3}[ ,]*)+)")


class HarnessError(AssertionError):
    """The case could not be linted as asked (its builder failed, a rule raised, ...)."""


# --- source helpers (no Theano) --------------------------------------------


def normalize(source: str) -> str:
    """The text the harness writes for ``source``: dedented, without a leading newline."""
    text = textwrap.dedent(source)
    if text.startswith("\n"):
        text = text[1:]
    return text if text.endswith("\n") else text + "\n"


def planted(source: str, codes: Optional[Iterable[str]] = None) -> Set[Tuple[int, str]]:
    """``(line, code)`` of every ``# planted: CODE ...`` marker of ``source`` (lines as
    ``normalize`` numbers them); only codes starting with one of ``codes`` if given."""
    selectors = tuple(codes or ())
    marks = set()
    for number, line in enumerate(normalize(source).splitlines(), 1):
        match = _PLANTED.search(line)
        if match:
            marks |= {
                (number, code)
                for code in re.findall(r"TL\d{3}", match.group(1))
                if not selectors or code.startswith(selectors)
            }
    return marks


def line_of(source: str, text: str) -> int:
    """The line number of the one line of ``source`` that contains ``text``."""
    numbers = [n for n, line in enumerate(normalize(source).splitlines(), 1) if text in line]
    if len(numbers) != 1:
        raise ValueError(f"{text!r} is on {len(numbers)} lines of the source, not on exactly one")
    return numbers[0]


def pairs(findings: Iterable[Finding]) -> Set[Tuple[int, str]]:
    """``(line, code)`` of each finding, to compare with ``planted``."""
    return {(f.line, f.code) for f in findings}


# --- results ---------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One case's lint: the findings of the rules asked for, and more to look at."""

    findings: Tuple[Finding, ...]  # sorted by line, code, message
    functions: Tuple[protocol.FunctionSummary, ...]
    entries: Tuple[protocol.FunctionEntry, ...]
    path: str  # the case's file, as findings name it
    source: str  # the text written (``normalize``d)

    def graph(self, function: str = "") -> str:
        """The optimized graph text of ``function`` (default: the only function);
        only when linted with ``graphs=True``."""
        return self._of(function, "graph", "lint with graphs=True")

    def memory(self, function: str = "") -> Dict[str, Any]:
        """The memory summary of ``function`` (default: the only function), as
        ``--memory --format json`` gives it; only when a TL5 rule was asked for."""
        return self._of(function, "memory", "ask for a TL5 rule")

    def _of(self, function: str, part: str, hint: str) -> Any:
        """One function's ``part`` of its entry; the only one when no name is given."""
        found = {e.summary.name: getattr(e, part) for e in self.entries if getattr(e, part) is not None}
        if not function and len(found) == 1:
            return next(iter(found.values()))
        if function not in found:
            raise KeyError(f"no {part} of {function!r}; {part} of: {sorted(found)} ({hint})")
        return found[function]

    def codes(self) -> List[str]:
        return [f.code for f in self.findings]

    def only(self, code: str) -> Finding:
        """The one finding with ``code`` (fails when there are none or several)."""
        found = [f for f in self.findings if f.code == code]
        if len(found) != 1:
            raise AssertionError(f"expected one {code} finding, got {len(found)}:\n" + describe(self.findings))
        return found[0]


def describe(findings: Iterable[Finding]) -> str:
    """Findings as the text report prints them, one a line (for assertion messages)."""
    return "\n".join(f"{f.path}:{f.line}: {f.code} {f.message} [{f.function}]" for f in findings) or "(no findings)"


class _Collected:
    """Stands in for the worker's channel to its parent: keeps the messages."""

    def __init__(self):
        self.messages: List[protocol.Message] = []

    def send(self, message: protocol.Message) -> None:
        self.messages.append(message)
