"""One function under lint: a captured ``theano.function`` call, its optimized
graphs, its memory prediction and the findings the rules make on it.

Rules read a ``LintedFunction``; they never touch Theano's compile machinery themselves.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from theanolint.analysis import graph
from theanolint.analysis.capture import CapturedFunction
from theanolint.analysis.memory.prediction import Prediction
from theanolint.analysis.origin import Origin, origin_of
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

    def origin(self, var) -> Origin:
        """Who made shared variable ``var``: the user, a framework or Theano."""
        return origin_of(var, self.locate.library_dirs if self.locate is not None else ())

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
        framework: Optional[bool] = None,
        **data,
    ) -> Finding:
        """A finding at the user line of ``thing``; the rule's code is filled in later.

        ``key``: what the finding is about, without numbers that change with unrelated
        edits (sizes, counts, lines) and without the message's wording: the baseline
        matches findings by rule, function, file, scope and key, so a reworded
        message keeps a baseline valid.  ``subjects``: the apply nodes and variables
        the finding is about, primary first (default: ``thing``), for the HTML
        report's picture of the finding.  ``framework``: the finding is about code or
        state an installed framework (or Theano) made, which the user cannot change
        in their own code; reported only when the rule's options say ``frameworks:
        true``.  By default, whether the line is deep inside a framework's own code.
        """
        if subjects is None:
            subjects = () if thing is None or isinstance(thing, Location) else (thing,)
        location = self.traced(thing)
        data["traced"] = location is not None
        data["key"] = key
        _without_addresses(data)  # "<function f at 0x7f...>" in an op's text differs between runs
        if framework is None:  # a graph thing deep in a framework; never a build error's place
            framework = not isinstance(thing, Location) and location is not None and location.inside_framework
        if framework:
            data["framework"] = True
        location = location or self.call_site
        label = scope.label if scope is not None else ""
        if label:
            message = f"{message} (inside {label})"
        if location.via:
            data["via"] = location.via
            message = _with_via(message, location.via)
        return Finding(
            code="",
            message=message,
            path=location.path,
            line=location.line,
            column=location.column,
            function=self.name,
            scope=label,
            data=data,
            subjects=tuple(subjects),
            subject_scope=scope,
        )


MAX_MESSAGE = 199  # characters: a message is one line of a terminal's report


def _with_via(message: str, via: str) -> str:
    """The framework frame behind the user's line, as much of it as the message has room
    for ("keras/backend/theano_backend.py:148, variable", else without the function);
    the JSON report always has it whole in ``data["via"]``."""
    for shown in (via, via.split(", ", 1)[0]):
        if len(message) + len(shown) + 6 <= MAX_MESSAGE:
            return f"{message} (in {shown})"
    return message


def _without_addresses(data: Dict[str, Any]) -> None:
    if isinstance(data.get("op"), str):
        data["op"] = graph.without_addresses(data["op"])
    if isinstance(data.get("details"), list):
        data["details"] = [graph.without_addresses(d) if isinstance(d, str) else d for d in data["details"]]
