"""Start Theano on the target device in a worker process, and prove it.

Theano silently falls back to the CPU when the GPU backend fails to start, so
the worker asserts the context kind before linting anything.
"""

import contextlib
import fcntl
import logging
import os
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


def start_theano(target: Target):
    """Import Theano on the target device in this (worker) process and prove it."""
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
        raise TargetError(
            "pygpu cannot be imported, so Theano's GPU backend is off. Install Debian's "
            "python3-pygpu and libgpuarray-dev and make pygpu importable in this Python "
            "environment (./scripts/dev setup does both)" + (f" [{why}]" if why else "")
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
        hint = (
            "an OpenCL driver (Debian: pocl-opencl-icd for the CPU)"
            if target.kind == "opencl"
            else "an NVIDIA driver, or use the virtual CUDA device (cuda: {virtual: always})"
        )
        raise TargetError(
            f"Theano's GPU backend did not start on {target.device} (got "
            f"{kind or 'the CPU'}); install {hint}" + (f" [{why}]" if why else "")
        )
    return context
