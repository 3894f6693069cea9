"""Target device: the Theano flags and environment a worker starts with, and
the check that Theano really runs on the backend asked for.

Theano silently falls back to the CPU when the GPU backend fails to start, so
the worker asserts the context kind before linting anything.
"""
import contextlib
import fcntl
import logging
import os
from dataclasses import dataclass, field
from typing import Dict, List

from theanolint import cache


class TargetError(Exception):
    """The GPU backend cannot be used; the CLI turns it into exit code 2."""


@dataclass
class Target:
    kind: str                    # "cuda" or "opencl": the context kind Theano must report
    device: str                  # Theano's device flag, e.g. "cuda0", "opencl0:0"
    floatX: str = "float32"
    virtual: bool = False        # the virtual CUDA device stands in for a GPU
    profile: Dict = field(default_factory=dict)
    extra_flags: Dict = field(default_factory=dict)
    lib_dir: str = ""            # where the virtual device's libraries were built

    @property
    def key(self) -> str:
        """Names this target's compile directory; never shared with another device."""
        if self.virtual:
            from theanolint import vcuda
            return "virtual-" + vcuda.compiledir_suffix(self.vcuda_profile())
        return self.device.replace(":", "_")

    def describe(self) -> str:
        if self.virtual:
            p = self.profile
            return (f"cuda (virtual CUDA device: compute capability {p['compute_capability']}, "
                    f"{p['memory'] / 2**30:g} GiB, cuDNN {p['cudnn']})")
        return f"{self.kind} ({self.device})"

    def vcuda_profile(self) -> Dict:
        cudnn = self.profile.get("cudnn", "none")
        number = None
        if cudnn != "none":      # CUDNN_VERSION: 7.6.5 -> 7605, from cuDNN 9 on 9.1.0 -> 90100
            major, minor, patch = (int(part) for part in cudnn.split("."))
            number = major * (10000 if major >= 9 else 1000) + minor * 100 + patch
        return {"compute_capability": self.profile["compute_capability"],
                "memory": self.profile["memory"], "driver": self.profile["driver"],
                "cudnn": number}

    def theano_flags(self) -> str:
        flags = {"device": self.device, "floatX": self.floatX, "blas.ldflags": "",
                 "base_compiledir": os.path.join(cache.user_cache_dir(), "theano", self.key),
                 "traceback.limit": -1,
                 "compile.wait": 1}      # parallel workers share the compile lock: retry often
        if self.kind == "cuda" and self.profile.get("cudnn") == "none":
            flags["dnn.enabled"] = "False"
        flags.update(self.extra_flags)
        return ",".join(f"{k}={v}" for k, v in flags.items())

    def environment(self) -> Dict[str, str]:
        env = {"THEANO_FLAGS": self.theano_flags()}
        if self.virtual:
            from theanolint import vcuda
            env.update(vcuda.environment(self.vcuda_profile(), self.lib_dir))
        return env


def from_config(config: Dict, name: str = "") -> Target:
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
        from theanolint import vcuda
    except ImportError:
        vcuda = None
    if vcuda is not None and (mode == "always" or (mode == "auto" and not vcuda.real_cuda_usable())):
        target.virtual = True
        try:
            target.lib_dir = vcuda.build(os.path.join(cache.user_cache_dir(), "vcuda"))
        except vcuda.VirtualDeviceError as error:
            raise TargetError(str(error))
    return target


# --- worker side -----------------------------------------------------------

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
        from theanolint import vcuda
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
            "environment (./scripts/dev setup does both)" + (f" [{why}]" if why else ""))
    if target.virtual:
        from theanolint import vcuda
        vcuda.patch_theano_dnn(target.vcuda_profile())
        vcuda.install_call_guard()
    try:
        context = theano.gpuarray.type.get_context(None)
    except Exception:
        context = None
    kind = context.kind.decode() if context is not None else None
    if kind != target.kind:
        hint = ("an OpenCL driver (Debian: pocl-opencl-icd for the CPU)" if target.kind == "opencl"
                else "an NVIDIA driver, or use the virtual CUDA device (cuda: {virtual: always})")
        raise TargetError(
            f"Theano's GPU backend did not start on {target.device} (got "
            f"{kind or 'the CPU'}); install {hint}" + (f" [{why}]" if why else ""))
    return context
