"""What importing the project's modules did besides registering builders: the global
state it changed (TL006) and what it wrote to stdout (TL007), reported at the import.

The worker imports every module before the first builder runs, so a module that
calls ``sys.setrecursionlimit(1500)`` or ``np.seterr(all="raise")`` when it is
imported would change how every builder after it is built (and, in the user's
programs, everything that runs after the import).  ``workers.main`` imports each
module inside ``guarded`` (``isolation.guarded``: the state goes back after the
import); the finding is put on the statement that did it when a cheap look at the
source finds it: the first statement of the project files that import loaded (the
module's own first, code that runs at import before function bodies) that makes
that kind of change (``sys.setrecursionlimit(``, ``np.seterr(``, an assignment to
``theano.config.floatX``, ``os.chdir(``, ``print(``, ...); else line 1 of the
module (a library did it, or the code is too indirect to tell).

Environment variables are the exception: a module that sets ``KERAS_BACKEND`` or
``THEANO_FLAGS`` at import does it to configure what is imported after it (also
inside a builder, later), as in the user's programs; they stay as set, unreported.
"""

import ast
import contextlib
import os
import sys
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from theanolint.analysis import pipeline, sources
from theanolint.analysis.linted import LintedFunction
from theanolint.findings import Location
from theanolint.paths import is_inside
from theanolint.protocol import FunctionEntry
from theanolint.workers import isolation


@dataclass(frozen=True)
class Imported:
    """One import that changed state or printed."""

    what: str  # the module or file, as the job names it
    conduct: isolation.Conduct
    files: Tuple[str, ...]  # the project files it loaded, in import order (the module's own first)


@contextlib.contextmanager
def guarded(what: str, root: str, found: List[Imported]) -> Iterator[None]:
    """Import ``what`` inside: the global state goes back afterwards, and what the
    import changed or printed is added to ``found`` (an import that fails is its
    TL001 alone: what it changed is put back, not reported)."""
    before = set(sys.modules)
    with isolation.guarded(environment=False) as conduct:
        yield
    if conduct.changes or conduct.stdout:
        found.append(Imported(what, conduct, _loaded_files(before, root)))


def _loaded_files(before, root: str) -> Tuple[str, ...]:
    real_root = os.path.realpath(root)
    files = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name in before or not file or not file.endswith(".py"):
            continue
        real = os.path.realpath(file)
        if is_inside(real, real_root) and not sources.is_library_file(real) and not sources.is_framework_file(real):
            files.append(real)
    return tuple(dict.fromkeys(files))


def findings(imports: Sequence[Imported], settings: "pipeline.Settings") -> "pipeline.Outcome":
    """TL006 and TL007 on each import in ``imports``: one entry per import with findings."""
    entries, errors = [], []
    locator = settings.locator()
    for item in imports:
        at = Location(locator.relpath(item.files[0]) if item.files else item.what, 1, at_import=True)
        conduct = item.conduct
        conduct.imported = at.path
        if conduct.changes:
            conduct.changes_at = _statement(item.files, _changing(conduct.changes[0]), locator) or at
        if conduct.stdout:
            conduct.stdout_at = _statement(item.files, _printing, locator) or at
        function = LintedFunction(name=f"import {item.what}", register=at, call_site=at, conduct=conduct)
        function.locate = locator
        errors += pipeline.run_rules(function, settings.rules)
        if function.findings:
            files = pipeline.traced_files(function, settings.root)
            entries.append(FunctionEntry(pipeline.summary(function, files), tuple(function.findings)))
    return pipeline.Outcome(tuple(entries), tuple(errors))


# --- the statement that did it ---------------------------------------------

Match = Callable[[ast.AST], bool]

# What a change's description starts with -> the calls and assignment targets that make it.
_MAKERS = {
    "the recursion limit": (("setrecursionlimit",), ()),
    "numpy's error handling": (("seterr",), ()),
    "the working directory": (("chdir",), ()),
    "sys.stdout": ((), ("sys.stdout", "sys.stderr", "sys.stdin")),
}


def _changing(change: str) -> Match:
    if change.startswith("theano.config."):
        flag = change.split(" ", 1)[0][len("theano.") :]  # "config.floatX"
        return lambda node: any(_text(target).endswith(flag) for target in _targets(node))
    calls, targets = next((makers for start, makers in _MAKERS.items() if change.startswith(start)), ((), ()))
    return lambda node: _calls(node, calls) or any(t in _text(target) for target in _targets(node) for t in targets)


def _printing(node: ast.AST) -> bool:
    return _calls(node, ("print", "stdout.write"))


def _calls(node: ast.AST, names: Sequence[str]) -> bool:
    if not isinstance(node, ast.Call) or not names:
        return False
    called = _text(node.func)
    return any(called == name or called.endswith("." + name) for name in names)


def _targets(node: ast.AST) -> List[ast.AST]:
    if isinstance(node, (ast.Assign, ast.Delete)):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


def _statement(files: Sequence[str], match: Match, locator: sources.Locator) -> Optional[Location]:
    """The first line in ``files`` that ``match``es: code run at import first, then any."""
    trees = [(path, tree) for path in files if (tree := _parsed(path)) is not None]
    for everywhere in (False, True):
        for path, tree in trees:
            lines = [node.lineno for node in _nodes(tree, everywhere) if match(node) and hasattr(node, "lineno")]
            if lines:
                return Location(locator.relpath(path), min(lines), at_import=True)
    return None


def _nodes(tree: ast.AST, everywhere: bool) -> Iterator[ast.AST]:
    """The nodes of ``tree``; without function bodies (not run at import) unless ``everywhere``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if everywhere or not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                stack.append(child)


def _parsed(path: str) -> Optional[ast.AST]:
    try:
        with open(path, encoding="utf-8") as handle:
            return ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None
