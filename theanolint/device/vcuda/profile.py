"""The device profile: what the virtual GPU claims to be.

The parent validates it and hands it to the worker through environment
variables, which the C stubs read too; both directions live here so the
variable names cannot drift apart.
"""

import os
from typing import Any, Dict

from .errors import VirtualDeviceError

#: driver 10010 = CUDA 10.1.  libgpuarray 0.7.6 derives (major, minor) =
#: (10, 1) from it; >= 9 with compute capability >= 7.0 enables its tensor-core
#: gemm path, like a real CUDA 10 install.  Theano itself never checks it.
#: "cudnn": None means no cuDNN.  An optional "name" sets the device name.
DEFAULT_PROFILE: Dict[str, Any] = {
    "compute_capability": "7.0",
    "memory": 16 * 2**30,
    "driver": 10010,
    "cudnn": 7605,
}

#: Every variable the stubs read starts with this.
ENV_PREFIX = "THEANOLINT_VCUDA_"
ENV_COMPUTE_CAPABILITY = ENV_PREFIX + "CC"
ENV_MEMORY = ENV_PREFIX + "MEMORY"
ENV_DRIVER = ENV_PREFIX + "DRIVER"
ENV_CUDNN = ENV_PREFIX + "CUDNN"
ENV_NAME = ENV_PREFIX + "NAME"
ENV_LIB_DIR = ENV_PREFIX + "LIB_DIR"


def validated_profile(profile):
    """``profile`` over DEFAULT_PROFILE, with numbers as ints; raises
    VirtualDeviceError early rather than letting the stubs misread it."""
    p = dict(DEFAULT_PROFILE)
    if profile:
        p.update(profile)
    cc = str(p["compute_capability"]).strip()
    parts = cc.split(".")
    if len(parts) != 2 or not all(x.isdigit() and len(x) == 1 for x in parts) or parts[0] == "0":
        raise VirtualDeviceError("compute_capability must look like '7.0', got %r" % (cc,))
    p["compute_capability"] = cc
    p["memory"] = int(p["memory"])
    p["driver"] = int(p["driver"])
    if p["memory"] <= 0 or p["driver"] <= 0:
        raise VirtualDeviceError("memory and driver must be positive integers")
    if p.get("cudnn") is not None:
        p["cudnn"] = int(p["cudnn"])
    return p


def compiledir_suffix(profile=None) -> str:
    """Name to append to Theano's base_compiledir, e.g. ``"vcuda-sm70"``."""
    p = validated_profile(profile)
    return "vcuda-sm" + p["compute_capability"].replace(".", "")


def profile_to_environment(profile) -> dict:
    """The variables that tell a worker (and its C stubs) the profile."""
    p = validated_profile(profile)
    env = {
        ENV_COMPUTE_CAPABILITY: p["compute_capability"],
        ENV_MEMORY: str(p["memory"]),
        ENV_DRIVER: str(p["driver"]),
        ENV_CUDNN: "none" if p.get("cudnn") is None else str(p["cudnn"]),
    }
    if p.get("name"):
        env[ENV_NAME] = str(p["name"])
    return env


def profile_from_environment():
    """Profile as passed by :func:`profile_to_environment` (None if not set)."""
    if ENV_COMPUTE_CAPABILITY not in os.environ:
        return None
    p = dict(DEFAULT_PROFILE)
    p["compute_capability"] = os.environ[ENV_COMPUTE_CAPABILITY]
    p["memory"] = int(os.environ.get(ENV_MEMORY, p["memory"]))
    p["driver"] = int(os.environ.get(ENV_DRIVER, p["driver"]))
    c = os.environ.get(ENV_CUDNN, str(p["cudnn"]))
    p["cudnn"] = None if c.lower() in ("", "none") else int(c)
    return p
