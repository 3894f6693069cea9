"""Failures of Theano's optimizer: tried once more before they are reported (TL002).

A failure seen once and not again (an ``AssertionError`` without text, from an
optimizer's state) says nothing about the graph; reported, it would be stored in
the result cache and repeated on every later run.  So a function whose optimization
fails, of the function or of an inner graph, is optimized again at once: when the
second try succeeds, that result is linted and the first failure goes to the
worker's log (stderr); when it fails again, the failure is reproduced, reported and
may be cached.
"""

import sys
import traceback
from typing import Optional, cast

from theanolint.analysis import graph, optimize
from theanolint.analysis.building import SHORT, describe_error, error_details
from theanolint.analysis.capture import CapturedFunction
from theanolint.analysis.linted import LintedFunction
from theanolint.analysis.sources import Locator
from theanolint.findings import shortened
from theanolint.protocol import FunctionEntry

CODE = "TL002"


def optimize_function(function: LintedFunction, locator: Locator) -> bool:
    """Optimize ``function`` (it has a record), up to ``optimize.ATTEMPTS`` times while
    it fails; whether the outer graph was optimized (``function.root`` is set)."""
    for attempt in range(1, optimize.ATTEMPTS + 1):
        failure = _attempt(function, locator, attempt)
        if failure is None:
            break
        if attempt < optimize.ATTEMPTS:
            print(
                f"theanolint: {function.name} ({function.call_site}): {failure}"
                f"tried again (a failure that does not happen again is not reported)",
                file=sys.stderr,
            )
    return function.root is not None


def _attempt(function: LintedFunction, locator: Locator, attempt: int) -> Optional[str]:
    """One try; the log's text of what failed, or None."""
    function.root, function.optimize_error = None, None
    try:
        optimized = optimize.optimize(cast(CapturedFunction, function.record))
        function.optimize_seconds = optimized.seconds
        function.root = graph.build_scopes(optimized.fgraph)
    except Exception as error:
        message = shortened(f"Theano's optimizer failed: {describe_error(error)}", SHORT)
        details = error_details(error, locator)
        logged = "".join(traceback.format_exception(error))
        traceback.clear_frames(error.__traceback__)  # the optimizer's graphs go now
        function.optimize_error = optimize.OptimizeError(message, function.call_site, details, attempt)
        return logged
    inner = next(graph.failed(function.root), None)
    if inner is None or inner.error is None:
        return None
    return f"the inner graph of {inner.label}:\n" + "".join(traceback.format_exception(inner.error))


def reproduced(entry: FunctionEntry) -> bool:
    """Whether every TL002 of ``entry`` failed on each try (only then may it be cached)."""
    return all(f.data.get("attempts", 1) >= optimize.ATTEMPTS for f in entry.findings if f.code == CODE)
