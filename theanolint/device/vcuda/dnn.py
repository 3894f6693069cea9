"""cuDNN emulation: theano.gpuarray.dnn answers as if the profile's cuDNN
version were installed, so the optimizer picks the same cuDNN ops it would
on a real GPU, while no cuDNN library is loaded and no cuDNN op is compiled.
"""

import ctypes
import sys

from .errors import NO_KERNELS_MESSAGE, VirtualKernelLaunchError
from .guard import install_call_guard
from .profile import validated_profile

_DNN_MODULE = "theano.gpuarray.dnn"


class _FakeCudnnHandle(ctypes.c_void_p):
    """Stands in for ctx.cudnn_handle; no cuDNN library is ever loaded."""


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
    dnn = sys.modules.get(_DNN_MODULE)
    if dnn is None:
        import theano.gpuarray.dnn as dnn  # type: ignore[no-redef]  # noqa: F811
    _emulate_cudnn(dnn, profile)
    # Contexts opened before the patch (init_dev runs during `import theano`).
    try:
        from theano.gpuarray import init_dev

        for ctx in getattr(init_dev, "devmap", {}).values():
            _give_context_cudnn_handle(dnn, ctx)
    except ImportError:
        pass


def _emulate_cudnn(dnn, profile):
    """Set the answers of the ``dnn`` module from ``profile`` and install the
    call guard; shared by patch_theano_dnn() and the import hook."""
    v = validated_profile(profile).get("cudnn")
    present = v is not None
    config = dnn.config
    if config.dnn.enabled == "False":
        # The user disabled cuDNN: keep Theano's own answer.
        present = False
        msg = "Disabled by dnn.enabled flag"
    elif not present:
        msg = "cuDNN absent in the theanolint virtual CUDA device profile (cudnn: None)"
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
        raise RuntimeError(
            "theanolint virtual CUDA device: cuDNN is emulated; no cuDNN library is loaded (analysis only)"
        )

    _dnn_lib.handle = None  # type: ignore[attr-defined]

    def _make_handle(ctx):
        return _FakeCudnnHandle(0)

    dnn._dnn_lib = _dnn_lib
    dnn._make_handle = _make_handle
    dnn._theanolint_vcuda_profile = (present, v)
    _refuse_compiling_dnn_ops(dnn)
    install_call_guard()


def _refuse_compiling_dnn_ops(dnn):
    """cuDNN ops would need cudnn.h to compile; fail their compilation with
    the analysis-only message instead of a confusing compiler error."""

    def make_thunk(self, node, *args, **kwargs):
        raise VirtualKernelLaunchError(
            "%s: %s needs cuDNN, which the virtual device only emulates for "
            "the optimizer" % (NO_KERNELS_MESSAGE, type(self).__name__)
        )

    make_thunk._theanolint_vcuda = True  # type: ignore[attr-defined]
    for name in ("DnnBase", "GpuDnnConvDesc", "GpuDnnPoolDesc"):
        cls = getattr(dnn, name, None)
        if cls is not None and not getattr(cls.__dict__.get("make_thunk"), "_theanolint_vcuda", False):
            cls.make_thunk = make_thunk


def _give_context_cudnn_handle(dnn, ctx):
    """Contexts opened before the patch lack the handle dnn ops look for."""
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


class _DnnImportHook(object):
    """sys.meta_path finder that patches theano.gpuarray.dnn right after its
    module body ran, i.e. before theano.gpuarray.init_dev() asks
    dnn_available() and before any optimizer looks at it."""

    def __init__(self, profile):
        self.profile = profile

    def find_spec(self, fullname, path, target=None):
        if fullname != _DNN_MODULE:
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
                _emulate_cudnn(module, profile)

            def __getattr__(self, name):
                return getattr(loader, name)

        spec.loader = _Loader()  # type: ignore[assignment]
        return spec


def install_dnn_hook(profile: dict):
    """Arrange for :func:`patch_theano_dnn`'s answers to be in place as soon
    as theano.gpuarray.dnn is imported (or now, if it already is)."""
    profile = validated_profile(profile)
    for f in sys.meta_path:
        if isinstance(f, _DnnImportHook):
            f.profile = profile
            break
    else:
        sys.meta_path.insert(0, _DnnImportHook(profile))
    if _DNN_MODULE in sys.modules:
        patch_theano_dnn(profile)
