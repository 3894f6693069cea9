"""Lint only what the given files (e.g. pre-commit's staged files) can change.

A function is affected by a file when the file registers its builder or
when any frame of its graph's creation traces (``tag.trace``) is in it: the
layer code a builder calls counts, not just the builder's module.  Only the
worker can know the traces (it imports the user's code), so the worker
reports each function's ``files`` (``traced_files``) and the command line
keeps the functions whose files meet the given ones (``keep``).

Before starting the worker the command line decides what it can
(``decide``): if the config file or the baseline is among the given files,
everything is linted; if no given path is a folder or a Python file under
the project root, nothing can be affected and the run ends at once.
"""
import os
from typing import Dict, Iterable, List, Optional, Set


EVERYTHING, NOTHING, FILTER = "everything", "nothing", "filter"


def _real(path: str, base: str = "") -> str:
    return os.path.realpath(os.path.join(base, path))


def traced_files(unit, root: str) -> List[str]:
    """Worker side: every user source file the unit's graph was built from."""
    from theanolint.sources import is_library_file
    files: Set[str] = set()
    for location in (unit.register, unit.call_site,
                     (unit.build_error or (None, None))[1], (unit.optimize_error or (None, None))[1]):
        if location is not None:
            files.add(_real(location.path, root))
    files.update(_real(f.path, root) for f in unit.findings)
    seen: Set[int] = set()
    for _scope, node in unit.nodes():
        for thing in (node, *node.inputs, *node.outputs):
            if id(thing) in seen or _is_cached_constant(thing):
                continue
            seen.add(id(thing))
            for stack in getattr(getattr(thing, "tag", None), "trace", None) or ():
                for filename, *_rest in stack:
                    if not is_library_file(filename):
                        files.add(_real(filename))
    return sorted(files)


def _is_cached_constant(thing) -> bool:
    """Theano reuses small constants between graphs (its constant cache), with the
    trace of whichever graph made them first: not evidence about this graph."""
    return hasattr(thing, "data") and getattr(thing, "owner", 1) is None and not hasattr(
        thing, "container")


def decide(paths: List[str], root: str, special_files: Iterable[Optional[str]]) -> str:
    """EVERYTHING, NOTHING or FILTER for the given paths, without importing anything."""
    if not paths:
        return EVERYTHING
    given = {_real(p) for p in paths}
    if given & {_real(f) for f in special_files if f}:
        return EVERYTHING
    inside = os.path.join(_real(root), "")
    for path in paths:
        real = _real(path)
        if os.path.isdir(real) or (real.endswith(".py") and real.startswith(inside)):
            return FILTER
    return NOTHING


def _covered(files: Iterable[str], paths: List[str]) -> bool:
    given = [_real(p) for p in paths]
    folders = [os.path.join(g, "") for g in given if os.path.isdir(g)]
    given_set = set(given)
    return any(f in given_set or f.startswith(tuple(folders)) for f in files)


def keep(result: Dict, paths: List[str]) -> Set[str]:
    """Names of the linted functions affected by ``paths``; narrows ``result`` to them."""
    units = [u for u in result.get("units", []) if _covered(u.get("files", ()), paths)]
    names = {u["name"] for u in units}
    result["units"] = units
    result["findings"] = [f for f in result["findings"] if f.function in names]
    return names


def judged_paths(result: Dict, paths: Optional[List[str]], root: str) -> Set[str]:
    """Files whose suppression comments can be judged unused, named as findings name them.

    With given paths, only those: a file outside them may also feed
    functions that were not linted, whose findings its comments may target.
    """
    inside = os.path.join(_real(root), "")
    if paths:
        files = {_real(p) for p in paths if os.path.isfile(p)}
    else:
        files = {f for u in result.get("units", []) for f in u.get("files", ())}
    return {os.path.relpath(f, _real(root)) for f in files
            if f.startswith(inside) and f.endswith(".py")}

