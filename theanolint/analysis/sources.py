"""Map graph variables to the user's source line that created them.

Theano stores creation stacks in ``tag.trace``.  We pick the innermost frame
outside Theano, theanolint and the standard library; variables made by
optimizations often carry no trace, so we fall back to the nearest ancestor
(then descendant) that has one.
"""

import functools
import os
import sys
import sysconfig
from collections import deque
from typing import Any, Dict, Iterable, List, Optional, Tuple

import theano

import theanolint
from theanolint.findings import Location
from theanolint.paths import relative_to


def _dirs(*paths) -> Tuple[str, ...]:
    return tuple(sorted({os.path.join(os.path.realpath(p), "") for p in paths}))


_BASE = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
# The standard library of the base interpreter: in a virtual environment the
# "platstdlib" of the venv itself would contain site-packages.
_STDLIB_DIRS = _dirs(sysconfig.get_path("stdlib", vars=_BASE), sysconfig.get_path("platstdlib", vars=_BASE))
_SITE_DIRS = _dirs(
    sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), sysconfig.get_path("purelib", vars=_BASE)
)
_OWN_DIRS = _dirs(os.path.dirname(theano.__file__), os.path.dirname(theanolint.__file__))


@functools.lru_cache(maxsize=None)
def is_framework_file(filename: str, extra: Tuple[str, ...] = ()) -> bool:
    """An installed package (keras, theanolm, ...) or one listed in library_packages."""
    real = os.path.realpath(filename)
    return real.startswith(_SITE_DIRS + extra) or "/site-packages/" in real or "/dist-packages/" in real


def _package_relative(filename: str) -> str:
    real = os.path.realpath(filename)
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in real:
            return real.split(marker, 1)[1]
    return os.path.basename(real)


@functools.lru_cache(maxsize=None)
def is_library_file(filename: str) -> bool:
    """Theano, theanolint or the standard library: never the user's line."""
    if filename.startswith("<"):
        return True
    real = os.path.realpath(filename)
    if real.startswith(_OWN_DIRS):
        return True
    return real.startswith(_STDLIB_DIRS) and not real.startswith(_SITE_DIRS)


class Locator:
    """Finds and caches the user location of variables of one or more graphs."""

    def __init__(self, root: str, scopes: Iterable = (), library_dirs: Tuple[str, ...] = ()):
        self.root = os.path.realpath(root)
        self.library_dirs = _dirs(*library_dirs) if library_dirs else ()
        self._cache: Dict[object, Optional[Location]] = {}
        self._clients: Dict[object, list] = {}
        self._scope_of: Dict[object, Any] = {}
        for scope in scopes:
            for var, clients in _client_map(scope.fgraph).items():
                self._clients.setdefault(var, []).extend(clients)
                self._scope_of[var] = scope

    def relpath(self, filename: str) -> str:
        return relative_to(os.path.realpath(filename), self.root)

    def frame(self, filename: str, line: int) -> Location:
        return Location(self.relpath(filename), line)

    def own(self, thing) -> Optional[Location]:
        """The location from this variable's (or node's) own trace, if any.

        Inside a framework (an installed package), the innermost frame of the
        user's own code is the line to fix (the layer added there); the
        framework's frame is kept in ``via``.
        """
        traces = getattr(getattr(thing, "tag", None), "trace", None) or []
        for stack in traces:
            found = self.in_stack(stack)
            if found is not None:
                return found
        return None

    def in_stack(self, stack) -> Optional[Location]:
        """The user's frame of a stack of (file, line, function, text), outermost first."""
        framework = None
        for filename, lineno, name, _line in reversed(stack):
            if is_library_file(filename):
                continue
            if not is_framework_file(filename, self.library_dirs):
                via = f"{_package_relative(framework[0])}:{framework[1]}, {framework[2]}" if framework else ""
                return Location(self.relpath(filename), lineno, via, name == "<module>")
            framework = framework or (filename, lineno, name)
        return self.frame(framework[0], framework[1]) if framework is not None else None

    def __call__(self, var) -> Optional[Location]:
        if var in self._cache:
            return self._cache[var]
        found = self.own(var)
        if found is None:
            found = self._search(var, _ancestors) or self._search(var, self._descendants)
        if found is None:
            found = self._inner_fallback(var)
        self._cache[var] = found
        return found

    def _inner_fallback(self, var) -> Optional[Location]:
        """For inner graphs rebuilt by the optimizer without traces: the user's
        step function, as the op's own (unoptimized) inner graph records it."""
        scope = self._scope_of.get(var)
        if scope is None or scope.node is None:
            return None
        for output in getattr(scope.node.op, "outputs", ()):
            found = self.own(output) or self._search(output, _ancestors)
            if found is not None:
                return found
        return self(scope.node.outputs[0])

    def _search(self, start, neighbours) -> Optional[Location]:
        """The nearest traced neighbour.  A variable made at import time (a
        framework's global input, like Keras's learning phase) says little about
        a node built later, so it is used only when nothing nearer says more."""
        seen = {start}
        queue = deque(neighbours(start))
        at_import = None
        while queue:
            var = queue.popleft()
            if var in seen:
                continue
            seen.add(var)
            found = self._cache.get(var) or self.own(var)
            if found is not None and not found.at_import:
                return found
            if found is not None:
                at_import = at_import or found
                continue
            queue.extend(neighbours(var))
        return at_import

    def _descendants(self, var):
        return [out for node in self._clients.get(var, ()) for out in node.outputs]


def _ancestors(var):
    return list(var.owner.inputs) if var.owner is not None else []


def _client_map(fgraph):
    clients: Dict[Any, List[Any]] = {}
    for node in fgraph.toposort():
        for inp in node.inputs:
            clients.setdefault(inp, []).append(node)
    return clients
