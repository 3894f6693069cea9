"""Lint only what the given files (e.g. pre-commit's staged files) can change.

A function is affected by a file when the file registers its builder or
when any frame of its graph's creation traces (``tag.trace``) is in it: the
layer code a builder calls counts, not just the builder's module.  Only the
worker can know the traces (it imports the user's code), so the worker
reports each function's ``files`` (``analysis.pipeline.traced_files``) and the
command line keeps the functions whose files meet the given ones (``affected``).

Before starting the worker the command line decides what it can
(``decide``): if the config file or the baseline is among the given files,
everything is linted; if no given path is a folder or a Python file under
the project root, nothing can be affected and the run ends at once.
"""

import os
from typing import Iterable, List, Optional, Set

from theanolint.paths import is_inside, real_path
from theanolint.protocol import RunResult

EVERYTHING, NOTHING, FILTER = "everything", "nothing", "filter"


def decide(paths: List[str], root: str, special_files: Iterable[Optional[str]]) -> str:
    """EVERYTHING, NOTHING or FILTER for the given paths, without importing anything."""
    if not paths:
        return EVERYTHING
    given = {real_path(p) for p in paths}
    if given & {real_path(f) for f in special_files if f}:
        return EVERYTHING
    for path in paths:
        real = real_path(path)
        if os.path.isdir(real) or (real.endswith(".py") and is_inside(real, real_path(root))):
            return FILTER
    return NOTHING


def _covered(files: Iterable[str], paths: List[str]) -> bool:
    given = [real_path(p) for p in paths]
    folders = [os.path.join(g, "") for g in given if os.path.isdir(g)]
    given_set = set(given)
    return any(f in given_set or f.startswith(tuple(folders)) for f in files)


def affected(result: RunResult, paths: List[str]) -> Set[str]:
    """Names of the linted functions affected by ``paths``."""
    return {f.name for f in result.functions if _covered(f.files or (), paths)}


def judged_paths(result: RunResult, paths: Optional[List[str]], root: str) -> Set[str]:
    """Files whose suppression comments can be judged unused, named as findings name them.

    With given paths, only those: a file outside them may also feed
    functions that were not linted, whose findings its comments may target.
    """
    root = real_path(root)
    if paths:
        files = {real_path(p) for p in paths if os.path.isfile(p)}
    else:
        files = {f for function in result.functions for f in function.files or ()}
    return {os.path.relpath(f, root) for f in files if is_inside(f, root) and f.endswith(".py")}
