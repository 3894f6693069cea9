"""Which of the project's files a module or a builder depends on: what incremental
lint (``theanolint.cache.builders``) hashes to know that a builder need not run again.

While the project is imported and its builders run, ``recording()`` wraps Python's
``__import__`` and notes, for each importing file, the modules it imported (also
those already loaded by an earlier import, which a ``sys.modules`` diff would
miss).  A builder depends on the closure of its module's imports and of the files
its graphs were traced to.  Only files under the project root count: installed
packages are in the cache key by version, the standard library by the Python.
"""

import builtins
import contextlib
import importlib.util
import os
import sys
from typing import Dict, Iterable, Iterator, Optional, Set, Tuple

from theanolint.analysis.sources import is_framework_file


class ImportGraph:
    """Importing file -> the module files it imported (real paths), for importing
    files under ``root`` only: Theano and the frameworks import inside functions
    they call thousands of times while optimizing, and those calls must stay cheap."""

    def __init__(self, root: str) -> None:
        self.edges: Dict[str, Set[str]] = {}
        self._prefixes = tuple({os.path.join(root, ""), os.path.join(os.path.realpath(root), "")})
        self._seen: Set[Tuple[str, str, int, Tuple[str, ...]]] = set()

    def add(self, importer: str, imported: Iterable[str]) -> None:
        self.edges.setdefault(importer, set()).update(imported)

    def closure(self, files: Iterable[str], root: str) -> Set[str]:
        """``files`` and every project file they import, directly or not."""
        base = os.path.join(os.path.realpath(root), "")
        seen: Set[str] = set()
        stack = [os.path.realpath(f) for f in files]
        while stack:
            path = stack.pop()
            if path in seen or not path.startswith(base) or is_framework_file(path):
                continue
            seen.add(path)
            stack.extend(self.edges.get(path, ()))
        return seen

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        original = builtins.__import__

        def recorded(name, globals=None, locals=None, fromlist=(), level=0):
            module = original(name, globals, locals, fromlist, level)
            path = (globals or {}).get("__file__")
            if not isinstance(path, str) or not path.startswith(self._prefixes):
                return module
            seen = (path, name, level, tuple(fromlist or ()))
            if seen in self._seen:  # an import in a function the builder calls again
                return module
            self._seen.add(seen)
            try:
                self.add(os.path.realpath(path), _imported_files(name, globals, fromlist, level))
            except Exception:  # the record is a nicety; the import itself succeeded
                pass
            return module

        builtins.__import__ = recorded
        try:
            yield
        finally:
            builtins.__import__ = original


def module_files(name: str) -> Set[str]:
    """The files of an imported module and of its parent packages."""
    return _imported_files(name, None, (), 0)


def _imported_files(name: str, globals_: Optional[dict], fromlist, level: int) -> Set[str]:
    """The files of the module ``import``/``from ... import`` loaded, its parent
    packages, and submodules named in ``fromlist``."""
    full = importlib.util.resolve_name("." * level + name, (globals_ or {}).get("__package__")) if level else name
    names = {full, *(f"{full}.{item}" for item in fromlist or () if isinstance(item, str))}
    parts = full.split(".")
    names.update(".".join(parts[:i]) for i in range(1, len(parts)))
    files = set()
    for each in names:
        path = getattr(sys.modules.get(each), "__file__", None)
        if isinstance(path, str):
            files.add(os.path.realpath(path))
    return files
