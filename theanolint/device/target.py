"""Target device (command-line side): the Theano flags and environment a worker
starts with.  ``device.startup`` starts it in the worker.
"""

import os
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
    if vcuda is not None and (mode == "always" or (mode == "auto" and not vcuda.real_cuda_usable())):
        target.virtual = True
        try:
            target.lib_dir = vcuda.build(os.path.join(cache.user_cache_dir(), "vcuda"))
        except vcuda.VirtualDeviceError as error:
            raise TargetError(str(error)) from error
    return target
