"""Target device (command-line side): the Theano flags and environment a worker
starts with.  ``device.startup`` starts it in the worker.
"""

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict

from theanolint.cache import paths as cache


class TargetError(Exception):
    """The GPU backend cannot be used; the CLI turns it into exit code 2."""


@dataclass
class Target:
    kind: str  # "cuda" or "opencl": the context kind Theano must report
    device: str  # Theano's device flag, e.g. "cuda0", "opencl0:0"
    floatX: str = "float32"
    virtual: bool = False  # the virtual CUDA device stands in for a GPU
    profile: Dict[str, Any] = field(default_factory=dict)
    extra_flags: Dict[str, Any] = field(default_factory=dict)
    lib_dir: str = ""  # where the virtual device's libraries were built

    @property
    def key(self) -> str:
        """Names this target's compile directory; never shared with another device."""
        if self.virtual:
            from theanolint.device import vcuda

            return "virtual-" + vcuda.compiledir_suffix(self.vcuda_profile())
        return self.device.replace(":", "_")

    def describe(self) -> str:
        if self.virtual:
            p = self.profile
            return (
                f"cuda (virtual CUDA device: compute capability {p['compute_capability']}, "
                f"{p['memory'] / 2**30:g} GiB, cuDNN {p['cudnn']})"
            )
        return f"{self.kind} ({self.device})"

    def vcuda_profile(self) -> Dict[str, Any]:
        cudnn = self.profile.get("cudnn", "none")
        number = None
        if cudnn != "none":  # CUDNN_VERSION: 7.6.5 -> 7605, from cuDNN 9 on 9.1.0 -> 90100
            major, minor, patch = (int(part) for part in cudnn.split("."))
            number = major * (10000 if major >= 9 else 1000) + minor * 100 + patch
        return {
            "compute_capability": self.profile["compute_capability"],
            "memory": self.profile["memory"],
            "driver": self.profile["driver"],
            "cudnn": number,
        }

    def theano_flags(self) -> str:
        flags = {
            "device": self.device,
            "floatX": self.floatX,
            "blas.ldflags": "",
            "base_compiledir": os.path.join(cache.user_cache_dir(), "theano", self.key),
            "traceback.limit": -1,
            "compile.wait": 1,
        }  # parallel workers share the compile lock: retry often
        if self.kind == "cuda" and self.profile.get("cudnn") == "none":
            flags["dnn.enabled"] = "False"
        flags.update(self.extra_flags)
        return ",".join(f"{k}={v}" for k, v in flags.items())

    def environment(self) -> Dict[str, str]:
        env = {"THEANO_FLAGS": self.theano_flags()}
        if self.virtual:
            from theanolint.device import vcuda

            env.update(vcuda.environment(self.vcuda_profile(), self.lib_dir))
        return env


def from_config(config: Dict[str, Any], name: str = "") -> Target:
    """Resolve the configured target; builds the virtual device when it is used."""
    kind = name or config["target"]
    extra = dict(config.get("theano_flags", {}))
    if kind == "opencl":
        return Target("opencl", config["opencl"]["device"], config["floatX"], extra_flags=extra)
    if kind != "cuda":
        raise TargetError(f"unknown target {kind!r} (choose cuda or opencl)")
    profile = dict(config["cuda"])
    mode = profile.pop("virtual")
    target = Target("cuda", "cuda0", config["floatX"], profile=profile, extra_flags=extra)
    try:
        from theanolint.device import vcuda
    except ImportError:
        vcuda = None  # type: ignore[assignment]
    if vcuda is not None and (mode == "always" or (mode == "auto" and not real_cuda_usable(vcuda))):
        target.virtual = True
        try:
            target.lib_dir = vcuda.build(os.path.join(cache.user_cache_dir(), "vcuda"))
        except vcuda.VirtualDeviceError as error:
            raise TargetError(str(error)) from error
    return target


def _machine_state() -> str:
    """What a real driver's presence depends on: this boot, the library search path,
    the dynamic linker's cache (a driver's install runs ldconfig), the device node."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as handle:
            boot = handle.read().strip()
    except OSError:
        return ""  # no way to know the machine did not change: probe every time
    try:
        linker = str(os.stat("/etc/ld.so.cache").st_mtime_ns)
    except OSError:
        linker = ""
    parts = [boot, sys.executable, os.environ.get("LD_LIBRARY_PATH", ""), linker, str(os.path.exists("/dev/nvidiactl"))]
    return "\0".join(parts)


def real_cuda_usable(vcuda: Any) -> bool:
    """``vcuda.real_cuda_usable()``, remembered per machine state (``_machine_state``):
    the probe is a subprocess, a third of a run answered from the cache."""
    state = _machine_state()
    path = os.path.join(cache.user_cache_dir(), "real-cuda.json")
    try:
        with open(path) as handle:
            stored = json.load(handle)
        if state and stored.get("state") == state:
            return bool(stored["usable"])
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    usable = bool(vcuda.real_cuda_usable())
    if state:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "w") as handle:
                json.dump({"state": state, "usable": usable}, handle)
            os.replace(temporary, path)
        except OSError:
            pass
    return usable
