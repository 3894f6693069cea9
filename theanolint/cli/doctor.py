"""``theanolint doctor``: is every piece theanolint needs in this environment, and if
not, what to install.

Each check is a small function returning a ``Check``; the imports are tried in a
child interpreter (this process never imports Theano), so the real error comes
back: pygpu's ``No module named 'mako'``, Theano's ``np.bool`` under numpy 1.24.
"""

import argparse
import glob
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Callable, List, Optional

from theanolint.cli.options import EXIT_CLEAN, EXIT_ERROR

DEBIAN_PYGPU = "Debian/Ubuntu: apt-get install python3-pygpu libgpuarray-dev, then link it into the venv (README)"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    found: str  # a version, a path, or the error
    fix: str = ""  # what to install when not ok
    required: bool = True  # False: only some features need it


def _version(package: str) -> Optional[str]:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _import_error(module: str) -> str:
    """'' when ``import module`` works in a fresh interpreter of this Python, else its error."""
    code = f"import {module}"
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    if process.returncode == 0:
        return ""
    lines = [line for line in process.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {process.returncode}"


def python() -> Check:
    """3.9 to 3.11 (Theano 1.0.5 does not import on 3.12); Debian's pygpu wants 3.11."""
    version = ".".join(map(str, sys.version_info[:3]))
    ok = (3, 9) <= sys.version_info[:2] <= (3, 11)
    return Check("Python", ok, version, "Python 3.9 to 3.11; 3.11 for Debian 12's pygpu")


def numpy() -> Check:
    version = _version("numpy")
    ok = version is not None and version.startswith("1.23.")
    return Check(
        "numpy", ok, version or "not installed", "pip install 'numpy>=1.23.2,<1.24' (Theano 1.0.5 needs < 1.24)"
    )


def theano() -> Check:
    version = _version("Theano")
    return Check(
        "Theano",
        version is not None and version.startswith("1.0."),
        version or "not installed",
        "pip install 'Theano>=1.0.5,<1.1'",
    )


def mako() -> Check:
    version = _version("Mako")
    return Check("Mako", version is not None, version or "not installed", "pip install Mako (pygpu needs it)")


def pygpu() -> Check:
    error = _import_error("pygpu")
    if not error:
        return Check("pygpu", True, _version("pygpu") or "importable")
    fix = "pip install Mako" if "mako" in error.lower() else DEBIAN_PYGPU
    return Check("pygpu", False, error, fix + "; conda: conda install -c conda-forge pygpu")


def pkg_resources() -> Check:
    """Not required: the worker stands in for the one name Theano 1.0.5 takes from it."""
    error = _import_error("pkg_resources")
    setuptools = _version("setuptools") or "no setuptools"
    found = f"setuptools {setuptools}" + ("" if not error else ", no pkg_resources: theanolint stands in for it")
    return Check("pkg_resources", True, found, required=False)


def compilers() -> Check:
    missing = [name for name in ("gcc", "g++") if shutil.which(name) is None]
    found = (
        ", ".join(shutil.which(n) or "" for n in ("gcc", "g++")) if not missing else f"no {' and no '.join(missing)}"
    )
    return Check("C/C++ compiler", not missing, found, "apt-get install gcc g++ (Theano compiles its ops in C++)")


def opencl() -> Check:
    icds = sorted(glob.glob("/etc/OpenCL/vendors/*.icd"))
    return Check(
        "OpenCL driver",
        bool(icds),
        ", ".join(icds) or "none",
        "apt-get install pocl-opencl-icd (target: opencl)",
        False,
    )


def graphviz() -> Check:
    dot = shutil.which("dot")
    return Check("Graphviz", dot is not None, dot or "no dot", "apt-get install graphviz (--format html)", False)


CHECKS: List[Callable[[], Check]] = [python, numpy, theano, mako, pygpu, pkg_resources, compilers, opencl, graphviz]


def run(args: argparse.Namespace) -> int:
    results = [check() for check in CHECKS]
    for result in results:
        mark = "ok" if result.ok else ("MISSING" if result.required else "missing")
        line = f"{result.name:<16} {mark:<8} {result.found}"
        print(line if result.ok else f"{line}\n{'':<26}install: {result.fix}")
    failed = [r.name for r in results if r.required and not r.ok]
    print(f"\n{'missing: ' + ', '.join(failed) if failed else 'everything theanolint needs is here'}")
    return EXIT_ERROR if failed else EXIT_CLEAN
