"""One function under lint: a captured ``theano.function`` call, its optimized
graphs, its memory prediction and the findings the rules make on it.

Rules read a ``LintedFunction``; they never touch Theano's compile machinery themselves.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from theanolint.analysis import graph
from theanolint.analysis.capture import CapturedFunction
from theanolint.analysis.memory.prediction import Prediction
from theanolint.analysis.sources import Locator
from theanolint.findings import Finding, Location
from theanolint.workers.isolation import Conduct


@dataclass
class LintedFunction:
    name: str  # "<register name>:<function name or index>"
    register: Location  # the @register line
    call_site: Location  # where theano.function was called
    root: Optional[graph.Scope] = None
    locate: Optional[Locator] = None
    build_error: Optional[Tuple[str, Location]] = None  # (message, where)
    optimize_error: Optional[Tuple[str, Location]] = None
    optimize_seconds: float = 0.0
    findings: List[Finding] = field(default_factory=list)
    declared_shapes: Dict[str, Tuple] = field(default_factory=dict)  # from @register(shapes=...)
    memory: Optional[Prediction] = None  # when input shapes are known
    budget: int = 0  # bytes of GPU memory the function must fit
    fit: Optional[Dict[str, Any]] = None  # {"dim": name, "size": largest size that fits}
    record: Optional[CapturedFunction] = None  # the captured theano.function call
    conduct: Optional[Conduct] = None  # what the builder printed or changed (TL006, TL007)

    def scopes(self) -> Iterator[graph.Scope]:
        return graph.walk(self.root) if self.root is not None else iter(())

    def nodes(self) -> Iterator[Tuple[graph.Scope, Any]]:
        """Every apply node of the optimized graph and its inner graphs."""
        for scope in self.scopes():
            for node in scope.nodes:
                yield scope, node

    def traced(self, thing) -> Optional[Location]:
        """User location of a variable or apply node from the graph's traces, if any."""
        if isinstance(thing, Location):
            return thing
        if thing is None or self.locate is None:
            return None
        var = thing.outputs[0] if hasattr(thing, "outputs") else thing
        return self.locate(var)

    def where(self, thing) -> Location:
        """Like ``traced``, falling back to the ``theano.function`` call."""
        return self.traced(thing) or self.call_site

    def finding(
        self,
        thing,
        message: str,
        scope: Optional[graph.Scope] = None,
        subjects: Optional[Sequence] = None,
        *,
        key: str,
        **data,
    ) -> Finding:
        """A finding at the user line of ``thing``; the rule's code is filled in later.

        ``key``: what the finding is about, without numbers that change with unrelated
        edits (sizes, counts, lines) and without the message's wording: the baseline
        matches findings by rule, function, file, scope and key, so a reworded
        message keeps a baseline valid.  ``subjects``: the apply nodes and variables
        the finding is about, primary first (default: ``thing``), for the HTML
        report's picture of the finding.
        """
        if subjects is None:
            subjects = () if thing is None or isinstance(thing, Location) else (thing,)
        location = self.traced(thing)
        data["traced"] = location is not None
        data["key"] = key
        location = location or self.call_site
        label = scope.label if scope is not None else ""
        if location.via:
            message = f"{message} (in {location.via})"
        if label:
            message = f"{message} (inside {label})"
        return Finding(
            code="",
            message=message,
            path=location.path,
            line=location.line,
            function=self.name,
            scope=label,
            data=data,
            subjects=tuple(subjects),
            subject_scope=scope,
        )
