"""Telling "a kernel launch was refused" apart from other failures when a
compiled Theano function is called, using the stub libcuda's launch counter."""

import ctypes

from .errors import NO_KERNELS_MESSAGE, VirtualKernelLaunchError
from .preloaded import library as preloaded_library


def _refused_launch_counter():
    """The stub's counter as a ctypes int, or None without the stub."""
    lib = preloaded_library("libcuda.so")
    if lib is None:
        try:  # found through LD_LIBRARY_PATH, or already loaded by libgpuarray
            lib = ctypes.CDLL("libcuda.so", mode=ctypes.RTLD_GLOBAL)
        except OSError:
            return None
    try:
        return ctypes.c_int.in_dll(lib, "theanolint_vcuda_refused_launches")
    except ValueError:
        return None  # a real driver


def refused_launches() -> int:
    """How many kernel launches the virtual device refused in this process
    (-1 if the virtual libcuda is not loaded)."""
    c = _refused_launch_counter()
    return -1 if c is None else c.value


def install_call_guard():
    """Make calling a Theano function that hits the virtual device's refused
    kernel launch raise :class:`VirtualKernelLaunchError` saying
    "... kernels cannot run (analysis only)".  Some Theano ops (GpuElemwise)
    replace libgpuarray's error text by a generic one, so the stub's launch
    counter is what tells this failure apart from others.  Idempotent."""
    from theano.compile import function_module

    cls = function_module.Function
    if getattr(cls.__call__, "_theanolint_vcuda", False):
        return
    counter = _refused_launch_counter()
    if counter is None:
        return
    orig = cls.__call__

    def __call__(self, *args, **kwargs):
        before = counter.value
        try:
            return orig(self, *args, **kwargs)
        except Exception as e:
            if counter.value == before:
                raise
            first = str(e).strip().splitlines()
            raise VirtualKernelLaunchError(
                "%s: this function was compiled for the theanolint virtual "
                "CUDA device and cannot be executed (%s: %s)"
                % (NO_KERNELS_MESSAGE, type(e).__name__, first[0] if first else "")
            ) from e

    __call__._theanolint_vcuda = True  # type: ignore[attr-defined]
    __call__.__wrapped__ = orig  # type: ignore[attr-defined]
    cls.__call__ = __call__
