"""Start Theano on the target device in a worker process, and prove it.

Theano silently falls back to the CPU when the GPU backend fails to start, so
the worker asserts the context kind before linting anything.
"""

import contextlib
import fcntl
import logging
import os
import sys
import types
from typing import List

from theanolint.cache import paths as cache
from theanolint.device.target import Target, TargetError


class _Remember(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: List[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.messages.append(text)


@contextlib.contextmanager
def _device_start_lock(target: Target):
    """One worker at a time starts an OpenCL device: PoCL builds its start-up
    kernels into a shared kernel cache, and two first builds at once can fail
    with 'clBuildProgram: Unknown error' (seen with -j 2 on a fresh machine)."""
    if target.kind != "opencl":
        yield
        return
    os.makedirs(cache.user_cache_dir(), exist_ok=True)
    with open(os.path.join(cache.user_cache_dir(), "opencl-start.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stand_in_for_pkg_resources() -> None:
    """Theano's gpuarray/linalg.py imports ``pkg_resources`` only to name the exception
    ``DistributionNotFound`` in two ``except`` clauses.  setuptools 82 removed
    ``pkg_resources``, and every virtualenv made today has a newer setuptools, so
    where it is missing that one name stands in for it (nothing else of it is used)."""
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        module = types.ModuleType("pkg_resources", "theanolint's stand-in: only what Theano 1.0.5 names")
        module.DistributionNotFound = type("DistributionNotFound", (Exception,), {})  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = module


def _pygpu_error() -> str:
    """Why ``import pygpu`` fails (Theano hides it): a missing Mako, a libgpuarray mismatch."""
    try:
        import pygpu  # noqa: F401
    except Exception as error:  # ImportError, or an OSError of libgpuarray
        return f"{type(error).__name__}: {error}"
    return ""


def start_theano(target: Target):
    """Import Theano on the target device in this (worker) process and prove it."""
    stand_in_for_pkg_resources()
    if target.virtual:
        from theanolint.device import vcuda

        vcuda.preload(target.lib_dir, target.vcuda_profile())
    remember = _Remember()
    logging.getLogger("theano.gpuarray").addHandler(remember)
    try:
        with _device_start_lock(target):
            import theano  # noqa: F401  (flags come from THEANO_FLAGS)
            import theano.gpuarray
    finally:
        logging.getLogger("theano.gpuarray").removeHandler(remember)
    why = "; ".join(remember.messages)
    if theano.gpuarray.pygpu is None:
        cause = _pygpu_error() or why
        raise TargetError(
            "pygpu cannot be imported, so Theano's GPU backend is off. Install Debian's "
            "python3-pygpu and libgpuarray-dev and make pygpu importable in this Python "
            "environment (pip install Mako too; ./scripts/dev setup does it all)" + (f" [{cause}]" if cause else "")
        )
    if target.virtual:
        from theanolint.device import vcuda

        vcuda.patch_theano_dnn(target.vcuda_profile())
        vcuda.install_call_guard()
    try:
        context = theano.gpuarray.type.get_context(None)
    except Exception:
        context = None
    kind = context.kind.decode() if context is not None else None
    if kind != target.kind:
        if "g++" in why or "compiler" in why.lower():
            hint = "a C and C++ compiler: Theano compiles its ops (Debian: gcc and g++)"
        elif target.kind == "opencl":
            hint = "an OpenCL driver (Debian: pocl-opencl-icd for the CPU)"
        else:
            hint = "an NVIDIA driver, or use the virtual CUDA device (cuda: {virtual: always})"
        raise TargetError(
            f"Theano's GPU backend did not start on {target.device} (got "
            f"{kind or 'the CPU'}); install {hint}" + (f" [{why}]" if why else "")
        )
    return context
