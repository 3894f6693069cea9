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
# Ops that hand their input's data on unchanged (the transfers, the contiguity copy):
# the Locator and the rules look through them.  Defined here, below ``graph`` in the
# import order, so that both can import it.
COPIES = ("GpuFromHost", "HostFromGpu", "GpuContiguous")
_GRADIENT_FILE = os.path.realpath(os.path.join(os.path.dirname(theano.__file__), "gradient.py"))


def column(entry) -> int:
    """The column of a ``tag.trace`` entry (``analysis.traces``); 0 for a plain tuple."""
    return getattr(entry, "column", 0)


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


def package_of(filename: str) -> str:
    """The top-level package an installed file belongs to ("keras" for .../keras/backend/x.py)."""
    relative = _package_relative(filename)
    if "/" in relative:
        return relative.split("/", 1)[0]
    if "/site-packages/" in os.path.realpath(filename) or "/dist-packages/" in os.path.realpath(filename):
        return relative.rsplit(".", 1)[0]  # a top-level module
    return os.path.basename(os.path.dirname(os.path.realpath(filename)))  # a library_packages folder


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
        framework, depth = None, 0
        for entry in reversed(stack):
            filename, lineno, name, _line = entry
            if is_library_file(filename):
                continue
            if not is_framework_file(filename, self.library_dirs):
                via = f"{_package_relative(framework[0])}:{framework[1]}, {framework[2]}" if framework else ""
                return Location(self.relpath(filename), lineno, via, name == "<module>", depth, column(entry))
            framework = framework or entry
            depth += 1
        if framework is None:
            return None
        return Location(self.relpath(framework[0]), framework[1], column=column(framework))

    def made_by_gradient(self, thing) -> bool:
        """Whether T.grad made this variable (its trace runs through theano/gradient.py):
        its line is the ``T.grad`` call, not the expression it is the gradient of."""
        traces = getattr(getattr(thing, "tag", None), "trace", None) or []
        return any(_is_gradient_file(frame[0]) for stack in traces for frame in stack)

    def forward(self, var) -> Optional[Location]:
        """For a variable T.grad made: the line of the nearest ancestor an expression
        outside T.grad made (the forward expression it is the gradient of)."""
        seen = {var}
        queue = deque(_ancestors(var))
        while queue:
            near = queue.popleft()
            if near in seen:
                continue
            seen.add(near)
            if near.owner is None:
                continue
            found = self.own(near)
            if found is not None and not self.made_by_gradient(near):
                return found
            queue.extend(_ancestors(near))
        return None

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
        """The nearest traced neighbour, level by level.  A variable made at import
        time (a framework's global input, like Keras's learning phase) says little
        about a node built later, so it is used only when nothing nearer says more;
        an input (or its copy to the GPU) carries the line that declared it, so at
        the same distance an expression's line wins (a fused op of ``x * n``
        is reported at the product, not at ``x = T.matrix()``)."""
        seen = {start}
        level = list(neighbours(start))
        at_import = None
        while level:
            declared, deeper = None, []
            for var in level:
                if var in seen:
                    continue
                seen.add(var)
                found = self._cache.get(var) or self.own(var)
                if found is None:
                    deeper.extend(neighbours(var))
                elif found.at_import:
                    at_import = at_import or found
                elif _declared(var):
                    declared = declared or found
                else:
                    return found
            if declared is not None:
                return declared
            level = deeper
        return at_import

    def _descendants(self, var):
        return [out for node in self._clients.get(var, ()) for out in node.outputs]


def _declared(var) -> bool:
    """An input, shared variable or constant, or its copy: its line is its declaration."""
    return var.owner is None or (type(var.owner.op).__name__ in COPIES and var.owner.inputs[0].owner is None)


@functools.lru_cache(maxsize=None)
def _is_gradient_file(filename: str) -> bool:
    return os.path.realpath(filename) == _GRADIENT_FILE


def _ancestors(var):
    return list(var.owner.inputs) if var.owner is not None else []


def _client_map(fgraph):
    clients: Dict[Any, List[Any]] = {}
    for node in fgraph.toposort():
        for inp in node.inputs:
            clients.setdefault(inp, []).append(node)
    return clients
