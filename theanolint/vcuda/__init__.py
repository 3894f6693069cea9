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
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

__all__ = [
    "DEFAULT_PROFILE", "VirtualDeviceError", "build", "environment", "preload",
    "patch_theano_dnn", "install_dnn_hook", "real_cuda_usable",
    "compiledir_suffix", "NO_KERNELS_MESSAGE", "install_call_guard",
    "refused_launches", "VirtualKernelLaunchError",
]

#: driver 10010 = CUDA 10.1.  libgpuarray 0.7.6 derives (major, minor) =
#: (10, 1) from it; >= 9 with compute capability >= 7.0 enables its tensor-core
#: gemm path, like a real CUDA 10 install.  Theano itself never checks it.
#: "cudnn": None means no cuDNN.  An optional "name" sets the device name.
DEFAULT_PROFILE = {
    "compute_capability": "7.0",
    "memory": 16 * 2 ** 30,
    "driver": 10010,
    "cudnn": 7605,
}

NO_KERNELS_MESSAGE = "theanolint virtual CUDA device: kernels cannot run (analysis only)"

_SRC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
# library file name -> C source.  The file names double as sonames: glibc's
# dlopen("libcuda.so") finds an already-loaded object whose soname matches.
_LIBS = {"libcuda.so": "libcuda.c", "libnvrtc.so": "libnvrtc.c",
         "libcublas.so": "libcublas.c"}
_HEADERS = ["vcuda.h"]
_ENV_CUDNN = "THEANOLINT_VCUDA_CUDNN"


class VirtualDeviceError(RuntimeError):
    """The virtual CUDA device cannot be built or used."""


class VirtualKernelLaunchError(VirtualDeviceError):
    """A function compiled for the virtual device tried to run a kernel."""


# --------------------------------------------------------------------------
# profile helpers

def _profile(profile):
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
    p = _profile(profile)
    return "vcuda-sm" + p["compute_capability"].replace(".", "")


# --------------------------------------------------------------------------
# building the stub libraries

def _source_hash():
    h = hashlib.sha256()
    for name in sorted(set(_LIBS.values()) | set(_HEADERS)):
        with open(os.path.join(_SRC_DIR, name), "rb") as f:
            h.update(name.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()[:16]


def _find_cc():
    for cand in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if cand:
            path = shutil.which(cand.split()[0])
            if path:
                return path
    raise VirtualDeviceError(
        "the virtual CUDA device needs a C compiler to build its stub "
        "libraries; none found (tried $CC, cc, gcc, clang). Install one, "
        "e.g. 'apt-get install gcc' (Debian/Ubuntu) or 'dnf install gcc'.")


def build(cache_dir: str) -> str:
    """Compile the stubs into ``cache_dir/<hash of sources>/`` (once).

    Builds into a temporary directory and renames it into place, so
    concurrent callers either see a complete directory or build their own
    copy and discard it.  Returns the directory holding libcuda.so,
    libnvrtc.so and libcublas.so.
    """
    final = os.path.join(os.path.abspath(cache_dir), _source_hash())
    if all(os.path.isfile(os.path.join(final, lib)) for lib in _LIBS):
        return final
    os.makedirs(os.path.dirname(final), exist_ok=True)
    cc = _find_cc()
    tmp = tempfile.mkdtemp(prefix=".vcuda-build-", dir=os.path.dirname(final))
    try:
        for lib, src in _LIBS.items():
            cmd = [cc, "-shared", "-fPIC", "-O2", "-Wl,-soname," + lib,
                   "-o", os.path.join(tmp, lib), os.path.join(_SRC_DIR, src),
                   "-lpthread"]
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            if r.returncode != 0:
                raise VirtualDeviceError("building %s failed:\n%s\n%s"
                                         % (lib, " ".join(cmd), r.stdout))
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process won the race; its directory is complete.
            if not all(os.path.isfile(os.path.join(final, lib)) for lib in _LIBS):
                raise
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return final


# --------------------------------------------------------------------------
# worker environment

def environment(profile: dict, lib_dir: str) -> dict:
    """Environment variables to start a worker process with.

    LD_LIBRARY_PATH (lib_dir first) is enough on its own for libgpuarray's
    dlopen() calls to find the stubs; :func:`preload` additionally pins them
    (and is what makes it work when LD_LIBRARY_PATH is filtered, e.g. setuid).
    GPUARRAY_CACHE_PATH keeps libgpuarray's own kernel disk cache (used when
    not running under Theano, which passes its own path inside compiledir)
    apart from a real GPU's: our placeholder binaries must never reach one.
    """
    p = _profile(profile)
    lib_dir = os.path.abspath(lib_dir)
    old = os.environ.get("LD_LIBRARY_PATH", "")
    env = {
        "THEANOLINT_VCUDA_CC": p["compute_capability"],
        "THEANOLINT_VCUDA_MEMORY": str(p["memory"]),
        "THEANOLINT_VCUDA_DRIVER": str(p["driver"]),
        _ENV_CUDNN: "none" if p.get("cudnn") is None else str(p["cudnn"]),
        "THEANOLINT_VCUDA_LIB_DIR": lib_dir,
        "LD_LIBRARY_PATH": lib_dir + (os.pathsep + old if old else ""),
        "GPUARRAY_CACHE_PATH": os.path.join(lib_dir, "gpuarray-kernel-cache-"
                                            + compiledir_suffix(p)),
    }
    if p.get("name"):
        env["THEANOLINT_VCUDA_NAME"] = str(p["name"])
    return env


def _profile_from_env():
    """Profile as passed by :func:`environment` (None if not set)."""
    if "THEANOLINT_VCUDA_CC" not in os.environ:
        return None
    p = dict(DEFAULT_PROFILE)
    p["compute_capability"] = os.environ["THEANOLINT_VCUDA_CC"]
    p["memory"] = int(os.environ.get("THEANOLINT_VCUDA_MEMORY", p["memory"]))
    p["driver"] = int(os.environ.get("THEANOLINT_VCUDA_DRIVER", p["driver"]))
    c = os.environ.get(_ENV_CUDNN, str(p["cudnn"]))
    p["cudnn"] = None if c.lower() in ("", "none") else int(c)
    return p


_preloaded = {}


def preload(lib_dir: str, profile: dict = None):
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
        sys.stderr.write("theanolint.vcuda: preload() called after pygpu import\n")
    # libcuda first: nothing depends on link order, but keep it deterministic.
    for lib in ("libcuda.so", "libnvrtc.so", "libcublas.so"):
        if lib not in _preloaded:
            path = os.path.join(lib_dir, lib)
            if not os.path.isfile(path):
                raise VirtualDeviceError("virtual CUDA stub %s missing; call build() first" % path)
            _preloaded[lib] = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    if profile is None:
        profile = _profile_from_env()
    else:
        # Make the C side agree with the profile given here.
        for k, v in environment(profile, lib_dir).items():
            if k.startswith("THEANOLINT_VCUDA_"):
                os.environ[k] = v
    if profile is not None:
        install_dnn_hook(profile)
    return _preloaded


# --------------------------------------------------------------------------
# guard for compiled functions

def _stub_libcuda():
    lib = _preloaded.get("libcuda.so")
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
    c = _stub_libcuda()
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
    counter = _stub_libcuda()
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
                % (NO_KERNELS_MESSAGE, type(e).__name__,
                   first[0] if first else "")) from e

    __call__._theanolint_vcuda = True
    __call__.__wrapped__ = orig
    cls.__call__ = __call__


# --------------------------------------------------------------------------
# cuDNN emulation

class _FakeCudnnHandle(ctypes.c_void_p):
    """Stands in for ctx.cudnn_handle; no cuDNN library is ever loaded."""


def _dnn_state(profile):
    p = _profile(profile)
    v = p.get("cudnn")
    return (v is not None), v


def patch_theano_dnn(profile: dict):
    """Make theano.gpuarray.dnn answer as if cuDNN ``profile['cudnn']`` were
    installed (or absent when it is None), without compiling anything.

    Sets what dnn_present()/version()/dnn_available() consult
    (dnn_present.avail/.msg, version.v, config.dnn.enabled semantics),
    replaces the module-level ``cudnn`` definitions by the ones for that
    version, stubs ``_dnn_lib``/``_make_handle`` and gives already-created
    CUDA contexts a placeholder ``cudnn_handle``; cuDNN ops refuse to be
    compiled (VirtualKernelLaunchError).  Also installs
    :func:`install_call_guard`.  Idempotent; call it after
    ``import theano`` (preload() already arranges for it to run while
    theano.gpuarray.dnn is first imported, before Theano opens the device).
    """
    dnn = sys.modules.get("theano.gpuarray.dnn")
    if dnn is None:
        import theano.gpuarray.dnn as dnn  # noqa: F811
    _apply_dnn(dnn, profile)
    install_call_guard()
    # Contexts opened before the patch (init_dev runs during `import theano`).
    try:
        from theano.gpuarray import init_dev
        for ctx in getattr(init_dev, "devmap", {}).values():
            _fix_context(dnn, ctx)
    except ImportError:
        pass


def _apply_dnn(dnn, profile):
    present, v = _dnn_state(profile)
    config = dnn.config
    if config.dnn.enabled == "False":
        # The user disabled cuDNN: keep Theano's own answer.
        present = False
        msg = "Disabled by dnn.enabled flag"
    elif not present:
        msg = ("cuDNN absent in the theanolint virtual CUDA device profile "
               "(cudnn: None)")
    else:
        msg = None
        if v < 5000:
            present = False
            msg = "cuDNN version is too old. Update to v5* or higher, was %d." % v
    dnn.dnn_present.avail = present
    dnn.dnn_present.msg = msg
    if not present:
        dnn.dnn_available.msg = msg
        dnn.version.v = None
    else:
        dnn.version.v = v
    # Definitions (enum lists of conv algorithms etc.) for this version, as
    # dnn.py computes them at import from version(raises=False).
    dnn.cudnn = dnn.cudnn_defs.get_definitions(v if present else -1)

    def _dnn_lib():
        raise RuntimeError("theanolint virtual CUDA device: cuDNN is emulated; "
                           "no cuDNN library is loaded (analysis only)")
    _dnn_lib.handle = None

    def _make_handle(ctx):
        return _FakeCudnnHandle(0)

    dnn._dnn_lib = _dnn_lib
    dnn._make_handle = _make_handle
    dnn._theanolint_vcuda_profile = (present, v)
    _guard_dnn_thunks(dnn)


def _guard_dnn_thunks(dnn):
    """cuDNN ops would need cudnn.h to compile; fail their compilation with
    the analysis-only message instead of a confusing compiler error."""
    def make_thunk(self, node, *args, **kwargs):
        raise VirtualKernelLaunchError(
            "%s: %s needs cuDNN, which the virtual device only emulates for "
            "the optimizer" % (NO_KERNELS_MESSAGE, type(self).__name__))
    make_thunk._theanolint_vcuda = True
    for name in ("DnnBase", "GpuDnnConvDesc", "GpuDnnPoolDesc"):
        cls = getattr(dnn, name, None)
        if cls is not None and not getattr(cls.__dict__.get("make_thunk"),
                                           "_theanolint_vcuda", False):
            cls.make_thunk = make_thunk


def _fix_context(dnn, ctx):
    try:
        if ctx.kind != b"cuda":
            return
    except Exception:
        return
    present = dnn.dnn_present.avail
    if present and not hasattr(ctx, "cudnn_handle"):
        try:
            ctx.cudnn_handle = dnn._make_handle(ctx)
        except Exception:
            pass


class _DnnHook(object):
    """sys.meta_path finder that patches theano.gpuarray.dnn right after its
    module body ran, i.e. before theano.gpuarray.init_dev() asks
    dnn_available() and before any optimizer looks at it."""

    def __init__(self, profile):
        self.profile = profile

    def find_spec(self, fullname, path, target=None):
        if fullname != "theano.gpuarray.dnn":
            return None
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader, profile = spec.loader, self.profile
        exec_module = loader.exec_module

        class _Loader(object):
            def create_module(self, spec):
                return loader.create_module(spec) if hasattr(loader, "create_module") else None

            def exec_module(self, module):
                # The module body calls dnn_present()/version(), which would
                # compile a cuDNN test program (or, with dnn.enabled=no_check,
                # a DnnVersion op).  With the flag at "False" for the duration
                # of the body they return at once; the answers are then set
                # from the profile (and the user's real flag value).
                from theano import config
                saved = config.dnn.enabled
                config.dnn.enabled = "False"
                try:
                    exec_module(module)
                finally:
                    config.dnn.enabled = saved
                _apply_dnn(module, profile)
                install_call_guard()

            def __getattr__(self, name):
                return getattr(loader, name)

        spec.loader = _Loader()
        return spec


def install_dnn_hook(profile: dict):
    """Arrange for :func:`patch_theano_dnn`'s answers to be in place as soon
    as theano.gpuarray.dnn is imported (or now, if it already is)."""
    profile = _profile(profile)
    for f in sys.meta_path:
        if isinstance(f, _DnnHook):
            f.profile = profile
            break
    else:
        sys.meta_path.insert(0, _DnnHook(profile))
    if "theano.gpuarray.dnn" in sys.modules:
        patch_theano_dnn(profile)


# --------------------------------------------------------------------------
# real GPU detection

_PROBE = r"""
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
    lib_dir = env.get("THEANOLINT_VCUDA_LIB_DIR")
    if lib_dir and "LD_LIBRARY_PATH" in env:
        parts = [x for x in env["LD_LIBRARY_PATH"].split(os.pathsep)
                 if x and os.path.abspath(x) != lib_dir]
        env["LD_LIBRARY_PATH"] = os.pathsep.join(parts)
    try:
        r = subprocess.run([sys.executable, "-c", _PROBE], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0
