"""Getting the stubs into a worker: its environment, loading them into the
process, and telling a real NVIDIA driver apart from them."""

import ctypes
import os
import subprocess
import sys
from typing import Optional

from .dnn import install_dnn_hook
from .errors import VirtualDeviceError
from .preloaded import LIBRARIES as _preloaded
from .profile import (
    ENV_LIB_DIR,
    ENV_PREFIX,
    compiledir_suffix,
    profile_from_environment,
    profile_to_environment,
    validated_profile,
)
from .stubs import STUB_LIBRARIES


def environment(profile: dict, lib_dir: str) -> dict:
    """Environment variables to start a worker process with.

    LD_LIBRARY_PATH (lib_dir first) is enough on its own for libgpuarray's
    dlopen() calls to find the stubs; :func:`preload` additionally pins them
    (and is what makes it work when LD_LIBRARY_PATH is filtered, e.g. setuid).
    GPUARRAY_CACHE_PATH keeps libgpuarray's own kernel disk cache (used when
    not running under Theano, which passes its own path inside compiledir)
    apart from a real GPU's: our placeholder binaries must never reach one.
    """
    p = validated_profile(profile)
    lib_dir = os.path.abspath(lib_dir)
    old = os.environ.get("LD_LIBRARY_PATH", "")
    env = profile_to_environment(p)
    env.update(
        {
            ENV_LIB_DIR: lib_dir,
            "LD_LIBRARY_PATH": lib_dir + (os.pathsep + old if old else ""),
            "GPUARRAY_CACHE_PATH": os.path.join(lib_dir, "gpuarray-kernel-cache-" + compiledir_suffix(p)),
        }
    )
    return env


def preload(lib_dir: str, profile: Optional[dict] = None):
    """Load the stubs into this process (before pygpu/theano are imported).

    They are loaded RTLD_GLOBAL under their sonames, so libgpuarray's later
    ``dlopen("libcuda.so")`` etc. return these objects whatever the library
    search path says.  Also installs the cuDNN emulation hook
    (:func:`install_dnn_hook`) with ``profile`` or, failing that, the profile
    found in the environment from :func:`environment`.
    """
    lib_dir = os.path.abspath(lib_dir)
    if "pygpu.gpuarray" in sys.modules and not _preloaded:
        # libgpuarray loads libcuda lazily (first CUDA context), so this is
        # usually still fine; note it for whoever debugs a failure.
        sys.stderr.write("theanolint.device.vcuda: preload() called after pygpu import\n")
    # libcuda first: nothing depends on link order, but keep it deterministic.
    for lib in STUB_LIBRARIES:
        if lib not in _preloaded:
            path = os.path.join(lib_dir, lib)
            if not os.path.isfile(path):
                raise VirtualDeviceError("virtual CUDA stub %s missing; call build() first" % path)
            _preloaded[lib] = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    if profile is None:
        profile = profile_from_environment()
    else:
        # Make the C side agree with the profile given here.
        for k, v in environment(profile, lib_dir).items():
            if k.startswith(ENV_PREFIX):
                os.environ[k] = v
    if profile is not None:
        install_dnn_hook(profile)
    return _preloaded


_REAL_DRIVER_PROBE = r"""
import ctypes, sys
try:
    lib = ctypes.CDLL("libcuda.so.1")
except OSError:
    sys.exit(2)
if lib.cuInit(0) != 0:
    sys.exit(3)
n = ctypes.c_int(0)
if lib.cuDeviceGetCount(ctypes.byref(n)) != 0 or n.value <= 0:
    sys.exit(4)
if hasattr(lib, "theanolint_vcuda"):  # our own stub, not a driver
    sys.exit(5)
sys.exit(0)
"""


def real_cuda_usable(timeout: float = 60.0) -> bool:
    """True only if a real NVIDIA driver works here: libcuda.so.1 loads,
    cuInit(0) succeeds and at least one device exists.  Probed in a short
    subprocess (without our LD_LIBRARY_PATH) so a broken driver cannot
    poison this process."""
    env = dict(os.environ)
    lib_dir = env.get(ENV_LIB_DIR)
    if lib_dir and "LD_LIBRARY_PATH" in env:
        parts = [x for x in env["LD_LIBRARY_PATH"].split(os.pathsep) if x and os.path.abspath(x) != lib_dir]
        env["LD_LIBRARY_PATH"] = os.pathsep.join(parts)
    try:
        r = subprocess.run(
            [sys.executable, "-c", _REAL_DRIVER_PROBE],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0
