"""The registry of rules: one typed record per rule module, read once.

The command-line process must not import Theano (its flags are only set in the
worker), so a rule's metadata is read from its module's source with ``ast``;
only the worker imports the rule modules to run them (``selection.select``).
A rule module is a small module in ``rules/`` (see CONTRIBUTING.md): literal
``CODE``, ``NAME``, ``SEVERITY``, optional ``NEEDS``, a docstring with the
sections below, and either ``check(function, options)`` or, for the findings
theanolint itself makes, ``REPORTED_BY``.
"""

import ast
import functools
import importlib.util
import pkgutil
import re
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, Optional, Protocol, Tuple, cast, runtime_checkable

from theanolint.findings import SEVERITIES

CODE_PATTERN = re.compile(r"^TL[0-9]{3}$")
DOC_SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead", "What it leaves out")
KNOWN_NEEDS = frozenset({"memory"})  # "memory": the function's memory prediction
_LITERALS = ("CODE", "NAME", "SEVERITY", "NEEDS", "REPORTED_BY")


@runtime_checkable
class RuleModule(Protocol):
    """What a rule module that checks functions provides (the worker imports it)."""

    CODE: str
    NAME: str
    SEVERITY: str

    def check(self, function: Any, options: Dict[str, Any]) -> Iterable[Any]: ...


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: str  # the default severity
    doc: str  # the docstring: summary line, then the four sections
    module: str  # the module's dotted name
    needs: FrozenSet[str]  # what the worker must compute for it (KNOWN_NEEDS)
    reported_by: str = ""  # for findings theanolint makes itself: where; else ""

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]

    @property
    def checks_functions(self) -> bool:
        return not self.reported_by


def _module_names() -> Tuple[str, ...]:
    import theanolint.rules as package

    return tuple(
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )


def _read(name: str) -> RuleInfo:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None  # a module of theanolint.rules
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    values: Dict[str, Any] = {}
    has_check = False
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in _LITERALS:
                values[target.id] = ast.literal_eval(statement.value)
        elif isinstance(statement, ast.FunctionDef) and statement.name == "check":
            has_check = True
    problem = _problem(values, has_check, ast.get_docstring(tree, clean=False) or "")
    if problem:
        raise RuntimeError(f"rule module {name}: {problem}")
    return RuleInfo(
        code=values["CODE"],
        name=values["NAME"],
        severity=values["SEVERITY"],
        doc=cast(str, ast.get_docstring(tree, clean=False)),  # _problem refused a missing one
        module=name,
        needs=frozenset(values.get("NEEDS", ())),
        reported_by=values.get("REPORTED_BY", ""),
    )


def _problem(values: Dict[str, Any], has_check: bool, doc: str) -> Optional[str]:
    for attr in ("CODE", "NAME", "SEVERITY"):
        if values.get(attr) is None:
            return f"missing {attr}"
    if not CODE_PATTERN.match(values["CODE"]):
        return f"bad code {values['CODE']!r}"
    if values["SEVERITY"] not in SEVERITIES:
        return f"bad severity {values['SEVERITY']!r}"
    if has_check == bool(values.get("REPORTED_BY")):
        return "needs either check() or REPORTED_BY, not both"
    unknown = set(values.get("NEEDS", ())) - KNOWN_NEEDS
    if unknown:
        return f"unknown NEEDS {sorted(unknown)}"
    missing = [s for s in DOC_SECTIONS if f"{s}:" not in doc]
    return f"docstring lacks {', '.join(missing)}" if missing else None


@functools.lru_cache(maxsize=None)
def catalog() -> Tuple[RuleInfo, ...]:
    """Every built-in rule, by code, read without importing (and so without Theano)."""
    return tuple(sorted((_read(name) for name in _module_names()), key=lambda r: r.code))


def rule(code: str) -> RuleInfo:
    for info in catalog():
        if info.code == code:
            return info
    raise KeyError(code)


def known_codes() -> Tuple[str, ...]:
    return tuple(info.code for info in catalog())
