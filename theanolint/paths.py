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
