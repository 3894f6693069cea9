"""Virtual CUDA device: run Theano's unmodified CUDA optimizer without a GPU.

libgpuarray (pygpu) chooses CUDA-specific ops from the context's ``kind``
(``b'cuda'``) and ``bin_id``.  It reaches NVIDIA's libraries only through
``dlopen("libcuda.so")``, ``dlopen("libnvrtc.so")`` and
``dlopen("libcublas.so")``.  We build small C stand-ins for those three
(``src/``): device memory is host memory (lazily reserved), copies, memsets
and cuBLAS calls are real, NVRTC "compiles" to a placeholder, and every kernel
launch fails with "theanolint virtual CUDA device: kernels cannot run
(analysis only)".  cuDNN is emulated in Python (:func:`patch_theano_dnn`).

Typical worker start-up::

    lib_dir = vcuda.build(cache_dir)                  # parent or worker
    env.update(vcuda.environment(profile, lib_dir))   # parent, for the worker
    # in the worker, before importing pygpu/theano:
    vcuda.preload(lib_dir)
    import theano                                    # THEANO_FLAGS device=cuda0
    vcuda.patch_theano_dnn(profile)                   # idempotent

The Theano compile directory should get :func:`compiledir_suffix` appended so
that nothing built for the virtual device is reused on a real GPU (Theano's
kernel cache, ``gpuarray.cache_path``, lives inside the compile directory).

Modules: ``profile`` (what the device claims to be), ``stubs`` (compiling the C
stubs), ``loader`` (worker environment, preloading, real-driver probe),
``dnn`` (cuDNN emulation), ``guard`` (refused kernel launches), ``errors``.
"""

from .dnn import install_dnn_hook, patch_theano_dnn
from .errors import NO_KERNELS_MESSAGE, VirtualDeviceError, VirtualKernelLaunchError
from .guard import install_call_guard, refused_launches
from .loader import environment, preload, real_cuda_usable
from .profile import DEFAULT_PROFILE, compiledir_suffix
from .stubs import build

__all__ = [
    "DEFAULT_PROFILE",
    "VirtualDeviceError",
    "build",
    "environment",
    "preload",
    "patch_theano_dnn",
    "install_dnn_hook",
    "real_cuda_usable",
    "compiledir_suffix",
    "NO_KERNELS_MESSAGE",
    "install_call_guard",
    "refused_launches",
    "VirtualKernelLaunchError",
]
