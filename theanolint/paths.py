"""File paths as findings name them: relative to the project root when inside it.

Used on both sides of the process line (imports nothing of Theano).
"""

import os


def real_path(path: str, base: str = "") -> str:
    """``path`` (relative to ``base``) with symbolic links resolved."""
    return os.path.realpath(os.path.join(base, path))


def is_inside(path: str, folder: str) -> bool:
    return path.startswith(os.path.join(folder, ""))


def relative_to(path: str, root: str) -> str:
    """``path`` relative to ``root`` when it lies inside it, else ``path`` as given."""
    return os.path.relpath(path, root) if path == root or is_inside(path, root) else path


def module_name(path: str, root: str) -> str:
    """The dotted name a Python file under ``root`` is imported by; "" when it has none
    (outside ``root``, not a .py file, a part that is not an identifier)."""
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative.startswith("..") or not relative.endswith(".py"):
        return ""
    dotted = relative[:-3].replace(os.sep, ".")
    if dotted.endswith(".__init__"):
        dotted = dotted[: -len(".__init__")]
    return dotted if all(part.isidentifier() for part in dotted.split(".")) else ""


def repository_root(folder: str) -> str:
    """The git work tree ``folder`` lies in (its top level), else ``folder`` itself:
    CI annotations and code-scanning uploads name files from the repository's root."""
    directory = os.path.realpath(folder)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return os.path.realpath(folder)
        directory = parent


def from_repository(path: str, root: str, repository: str) -> str:
    """A finding's ``path`` (relative to the project ``root``, or absolute) relative to
    the ``repository`` root when it lies inside it."""
    return relative_to(real_path(path, root), repository)
