"""``theanolint init``: a starter ``.theanolint.yaml`` for the project in the working
directory, and the pre-commit snippet.

The modules are the project's files that register builders (``@theanolint.register``);
files that call ``theano.function`` without one are listed in a comment, as the
places to mark.  An existing config is never overwritten.
"""

import argparse
import os
from typing import List

from theanolint.cli.options import EXIT_CLEAN
from theanolint.config.loading import CONFIG_NAME, ConfigError
from theanolint.workers.runner import find_builder_files

SKIPPED = ("site-packages", "node_modules", "build", "dist")

PRE_COMMIT = """\
Add to .pre-commit-config.yaml (theanolint runs from your project's environment):

repos:
- repo: local
  hooks:
  - id: theanolint
    name: theanolint
    entry: theanolint
    language: system
    types_or: [python, yaml, json]
    require_serial: true
"""


def _module(path: str, root: str) -> str:
    relative = os.path.splitext(os.path.relpath(path, root))[0]
    parts = relative.split(os.sep)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _python_files(root: str) -> List[str]:
    found: List[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")) and d not in SKIPPED)
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
    return found


def _calls_theano_function(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "theano.function(" in handle.read()
    except OSError:
        return False


def starter(root: str) -> str:
    """The text of a starter config for the project at ``root``."""
    registering = [f for f in find_builder_files([root]) if not f.endswith(os.sep + "setup.py")]
    modules = [_module(f, root) for f in registering]
    lines = [
        "# theanolint configuration (every key: docs/config.md of theanolint).",
        "target: cuda            # the virtual CUDA device where no NVIDIA GPU is; or opencl",
        f"modules: [{', '.join(modules)}]",
    ]
    unmarked = [f for f in _python_files(root) if f not in registering and _calls_theano_function(f)]
    if unmarked:
        lines.append("# These call theano.function; mark their builders with @theanolint.register and list them:")
        lines.extend(f"#   {_module(f, root)}" for f in unmarked)
    lines += ["# dims: {batch: 64}       # sizes of the dimensions in shapes=, for memory prediction"]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    root = os.getcwd()
    path = os.path.join(root, CONFIG_NAME)
    if os.path.exists(path):
        raise ConfigError(path, None, "already exists; theanolint init never overwrites a config")
    text = starter(root)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {CONFIG_NAME}:\n\n{text}\n{PRE_COMMIT}")
    return EXIT_CLEAN
