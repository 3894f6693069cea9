"""Acceptance tests for theanolint.device.vcuda, the virtual CUDA device.

Theano reads THEANO_FLAGS once, at import, so every Theano case runs in its
own interpreter (sys.executable) started the way the engine starts workers:
environment from vcuda.environment(), vcuda.preload() before importing
theano, vcuda.patch_theano_dnn() right after.
"""

import ctypes
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from theanolint.device import vcuda  # noqa: E402

GiB = 2**30


def _have(mod):
    # find_spec only: importing theano here would parse THEANO_FLAGS.
    return importlib.util.find_spec(mod) is not None


needs_cc = pytest.mark.skipif(not any(shutil.which(c) for c in ("cc", "gcc", "clang")), reason="no C compiler")
needs_theano = pytest.mark.skipif(not (_have("theano") and _have("pygpu")), reason="theano/pygpu not installed")


@pytest.fixture(scope="session")
def lib_dir(tmp_path_factory):
    if not any(shutil.which(c) for c in ("cc", "gcc", "clang")):
        pytest.skip("no C compiler")
    return vcuda.build(str(tmp_path_factory.mktemp("vcuda-libs")))


@pytest.fixture(scope="session")
def compiledir(tmp_path_factory):
    # Shared by all cases so Theano compiles each C module only once.
    return str(tmp_path_factory.mktemp("theano-compiledir"))


PRELUDE = """
import os, sys, json
sys.path.insert(0, {repo!r})
PROFILE = json.loads({profile!r})
if PROFILE is not None:
    from theanolint.device import vcuda
    vcuda.preload(os.environ["THEANOLINT_VCUDA_LIB_DIR"])
import numpy as np
import theano
import theano.tensor as T
if PROFILE is not None:
    vcuda.patch_theano_dnn(PROFILE)
from theano.gpuarray.type import get_context
CTX = get_context(None)

def optimized_ops(outputs, inputs):
    # Optimizes without linking (nothing is compiled).
    fm = theano.compile.function_module.FunctionMaker(
        [theano.In(i) for i in inputs], outputs,
        mode=theano.compile.mode.get_default_mode())
    return [type(n.op).__name__ for n in fm.fgraph.toposort()]
"""


def run_case(code, lib_dir, compiledir, profile=None, device="cuda0", virtual=True, timeout=600, keep_ld_path=True):
    """Run `code` in a fresh interpreter; return its parsed last stdout line."""
    env = dict(os.environ)
    env.pop("THEANO_GPU_IS_ALREADY_ACTIVE", None)
    prof = None
    base = os.path.join(compiledir, "opencl")
    if virtual:
        prof = dict(vcuda.DEFAULT_PROFILE)
        prof.update(profile or {})
        env.update(vcuda.environment(prof, lib_dir))
        if not keep_ld_path:
            del env["LD_LIBRARY_PATH"]
        base = os.path.join(compiledir, vcuda.compiledir_suffix(prof))
    env["THEANO_FLAGS"] = "device=%s,floatX=float32,blas.ldflags=,base_compiledir=%s" % (device, base)
    src = PRELUDE.format(repo=REPO, profile=json.dumps(prof)) + textwrap.dedent(code)
    r = subprocess.run(
        [sys.executable, "-c", src],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=timeout,
    )
    assert r.returncode == 0, "worker failed:\n%s\n%s" % (r.stdout, r.stderr[-6000:])
    lines = [line for line in r.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, "no RESULT line:\n%s\n%s" % (r.stdout, r.stderr[-6000:])
    out = json.loads(lines[-1][len("RESULT ") :])
    out["_stderr"] = r.stderr
    return out


# --------------------------------------------------------------------------
# 1. context kind and bin_id


@needs_theano
@pytest.mark.parametrize("cc,bin_id", [("7.0", "compute_70"), ("6.1", "compute_61")])
def test_context_is_cuda_with_profile_arch(lib_dir, compiledir, cc, bin_id):
    # libgpuarray 0.7.6 names CUDA archs "compute_XY" (ARCH_PREFIX in
    # private_cuda.h); Theano only looks at the last two digits.
    out = run_case(
        """
        print("RESULT " + json.dumps({"kind": CTX.kind.decode(),
              "bin_id": CTX.bin_id.decode(), "name": CTX.devname,
              "total": CTX.total_gmem}))
    """,
        lib_dir,
        compiledir,
        profile={"compute_capability": cc},
    )
    assert out["kind"] == "cuda"
    assert out["bin_id"] == bin_id
    assert out["bin_id"].endswith(cc.replace(".", ""))
    assert out["name"] == "theanolint virtual CUDA device"
    assert out["total"] == 16 * GiB


@needs_theano
def test_preload_alone_makes_libgpuarray_use_the_stubs(lib_dir, compiledir):
    # No LD_LIBRARY_PATH: dlopen("libcuda.so") resolves to the preloaded
    # object by soname.
    out = run_case(
        """
        print("RESULT " + json.dumps({"kind": CTX.kind.decode(),
              "ld": os.environ.get("LD_LIBRARY_PATH", "")}))
    """,
        lib_dir,
        compiledir,
        keep_ld_path=False,
    )
    assert out["kind"] == "cuda" and lib_dir not in out["ld"]


# --------------------------------------------------------------------------
# 2. CUDA-only reduction op

MAX_CASE = """
x = T.fmatrix("x")
print("RESULT " + json.dumps({"kind": CTX.kind.decode(),
      "ops": optimized_ops([T.max(x, axis=1)], [x])}))
"""


@needs_theano
def test_max_reduction_uses_cuda_op(lib_dir, compiledir):
    out = run_case(MAX_CASE, lib_dir, compiledir, profile={"cudnn": None})
    assert out["kind"] == "cuda"
    assert "GpuCAReduceCuda" in out["ops"], out["ops"]


@needs_theano
def test_max_reduction_with_cudnn_uses_dnn_reduction(lib_dir, compiledir):
    # cuDNN >= 6 takes float32 max reductions (local_dnn_reduction).
    out = run_case(MAX_CASE, lib_dir, compiledir, profile={"cudnn": 7605})
    assert "GpuDnnReduction" in out["ops"], out["ops"]


@needs_theano
def test_max_reduction_on_opencl_is_not_cuda_op(lib_dir, compiledir):
    out = run_case(MAX_CASE, lib_dir, compiledir, device="opencl0:0", virtual=False)
    if out["kind"] != "opencl":
        pytest.skip("no OpenCL device here")
    assert "GpuCAReduceCuda" not in out["ops"], out["ops"]
    assert "CAReduce" in out["ops"] or "GpuCAReduceCPY" in out["ops"], out["ops"]


# --------------------------------------------------------------------------
# 3. conv2d with and without cuDNN

CONV_CASE = """
img = T.ftensor4("img"); w = T.ftensor4("w")
print("RESULT " + json.dumps({"ops": optimized_ops([T.nnet.conv2d(img, w)], [img, w]),
      "avail": theano.gpuarray.dnn.dnn_available(None),
      "version": theano.gpuarray.dnn.version(raises=False)}))
"""


@needs_theano
def test_conv2d_becomes_dnn_conv_with_cudnn(lib_dir, compiledir):
    out = run_case(CONV_CASE, lib_dir, compiledir, profile={"cudnn": 7605})
    assert out["avail"] is True and out["version"] == 7605
    assert "GpuDnnConv" in out["ops"], out["ops"]
    assert "Using cuDNN version 7605" in out["_stderr"]


@needs_theano
def test_conv2d_without_cudnn_uses_corrmm(lib_dir, compiledir):
    out = run_case(CONV_CASE, lib_dir, compiledir, profile={"cudnn": None})
    assert out["avail"] is False and out["version"] == -1
    assert "GpuCorrMM" in out["ops"], out["ops"]
    assert not any(o.startswith("GpuDnn") for o in out["ops"]), out["ops"]


@needs_theano
def test_old_cudnn_on_volta_is_refused_like_theano(lib_dir, compiledir):
    # Theano refuses cuDNN < 7.0.2 on compute capability >= 7.0.
    out = run_case(CONV_CASE, lib_dir, compiledir, profile={"cudnn": 6021})
    assert out["avail"] is False and "GpuCorrMM" in out["ops"]
    out = run_case(CONV_CASE, lib_dir, compiledir, profile={"cudnn": 6021, "compute_capability": "6.1"})
    assert out["avail"] is True and "GpuDnnConv" in out["ops"]


# --------------------------------------------------------------------------
# 4. compiled functions cannot run (but cuBLAS computes)


@needs_theano
def test_compiled_function_raises_analysis_only(lib_dir, compiledir):
    out = run_case(
        """
        x = T.fmatrix("x")
        f = theano.function([x], T.exp(x) * 2)
        assert any("GpuElemwise" in str(n.op) for n in f.maker.fgraph.toposort())
        try:
            f(np.ones((3, 4), "float32"))
            res = {"raised": False}
        except Exception as e:
            res = {"raised": True, "type": type(e).__name__, "msg": str(e)}
        a = T.fmatrix("a"); b = T.fmatrix("b")
        g = theano.function([a, b], T.dot(a, b))
        A = np.random.RandomState(0).rand(5, 7).astype("float32")
        B = np.random.RandomState(1).rand(7, 3).astype("float32")
        res["gemm_ops"] = [type(n.op).__name__ for n in g.maker.fgraph.toposort()]
        res["gemm_ok"] = bool(np.allclose(g(A, B), A.dot(B), atol=1e-5))
        res["refused"] = vcuda.refused_launches()
        print("RESULT " + json.dumps(res))
    """,
        lib_dir,
        compiledir,
        profile={"cudnn": None},
    )
    assert out["raised"], out
    assert "analysis only" in out["msg"]
    assert out["type"] == "VirtualKernelLaunchError"
    assert out["refused"] >= 1
    # GpuDot22 goes through cuBLAS sgemm, which the stub computes for real.
    assert "GpuDot22" in out["gemm_ops"] and out["gemm_ok"], out


@needs_theano
def test_cudnn_op_refuses_to_compile_with_clear_message(lib_dir, compiledir):
    out = run_case(
        """
        img = T.ftensor4("img"); w = T.ftensor4("w")
        try:
            theano.function([img, w], T.nnet.conv2d(img, w))
            res = {"raised": False}
        except Exception as e:
            res = {"raised": True, "msg": str(e)}
        print("RESULT " + json.dumps(res))
    """,
        lib_dir,
        compiledir,
        profile={"cudnn": 7605},
    )
    assert out["raised"] and "analysis only" in out["msg"]


# --------------------------------------------------------------------------
# 5. memory


def test_mem_alloc_whole_profile_memory(lib_dir):
    # In a subprocess: the stub reads its profile from the environment.
    code = """
import ctypes, os, sys
lib = ctypes.CDLL(os.path.join(sys.argv[1], "libcuda.so"))
sz = ctypes.c_size_t
assert lib.cuInit(0) == 0
free, total = sz(), sz()
assert lib.cuMemGetInfo_v2(ctypes.byref(free), ctypes.byref(total)) == 0
res = [free.value, total.value]
p = ctypes.c_ulonglong()
res.append(lib.cuMemAlloc_v2(ctypes.byref(p), sz(16 << 30)))
lib.cuMemGetInfo_v2(ctypes.byref(free), ctypes.byref(total))
res += [free.value, total.value]
q = ctypes.c_ulonglong()
res.append(lib.cuMemAlloc_v2(ctypes.byref(q), sz(1)))          # out of memory
# touch both ends of the block: it is real, writable memory
lib.cuMemsetD8_v2(ctypes.c_ulonglong(p.value), ctypes.c_ubyte(7), sz(4096))
lib.cuMemsetD8_v2(ctypes.c_ulonglong(p.value + (16 << 30) - 4096), ctypes.c_ubyte(9), sz(4096))
res.append(ctypes.c_ubyte.from_address(p.value + 100).value)
res.append(ctypes.c_ubyte.from_address(p.value + (16 << 30) - 1).value)
res.append(lib.cuMemFree_v2(ctypes.c_ulonglong(p.value)))
lib.cuMemGetInfo_v2(ctypes.byref(free), ctypes.byref(total))
res.append(free.value)
print(res)
"""
    env = dict(os.environ)
    env.update(vcuda.environment(dict(vcuda.DEFAULT_PROFILE), lib_dir))
    r = subprocess.run(
        [sys.executable, "-c", code, lib_dir], env=env, stdout=subprocess.PIPE, universal_newlines=True, check=True
    )
    res = eval(r.stdout.strip())
    assert res == [16 * GiB, 16 * GiB, 0, 0, 16 * GiB, 2, 7, 9, 0, 16 * GiB]


@needs_theano
def test_8gib_pygpu_array_costs_no_rss(lib_dir, compiledir):
    out = run_case(
        """
        import pygpu
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        free0 = CTX.free_gmem
        r0 = rss()
        a = pygpu.empty((2 * 2 ** 30,), dtype="float32", context=CTX)   # 8 GiB
        res = {"rss_delta": rss() - r0, "free_delta": free0 - CTX.free_gmem,
               "total": CTX.total_gmem}
        # A copy to/from the device is real.
        b = pygpu.gpuarray.asarray(np.arange(10, dtype="float32"), context=CTX)
        res["roundtrip"] = np.asarray(b).tolist()
        print("RESULT " + json.dumps(res))
    """,
        lib_dir,
        compiledir,
    )
    assert out["free_delta"] >= 8 * GiB
    assert out["rss_delta"] < 64 * 2**20, out
    assert out["total"] == 16 * GiB
    assert out["roundtrip"] == list(range(10))


# --------------------------------------------------------------------------
# 6. constant folding of a GPU op is skipped, never wrong


@needs_theano
def test_gpu_constant_folding_is_skipped(lib_dir, compiledir):
    out = run_case(
        """
        from theano.gpuarray.basic_ops import as_gpuarray_variable, host_from_gpu
        from theano.gpuarray.elemwise import GpuElemwise
        from theano.gpuarray.type import GpuArrayConstant
        k = np.arange(6, dtype="float32").reshape(2, 3)
        gk = as_gpuarray_variable(k, None)
        y = host_from_gpu(GpuElemwise(theano.scalar.exp)(gk))
        x = T.fmatrix("x")
        fm = theano.compile.function_module.FunctionMaker(
            [theano.In(x)], [y + x], mode=theano.compile.mode.get_default_mode())
        consts = [np.asarray(v.data).tolist() for n in fm.fgraph.toposort()
                  for v in n.inputs if isinstance(v, GpuArrayConstant)]
        # exp must still be computed by a GPU node, on the original constant
        ops = [str(n.op) for n in fm.fgraph.toposort()]
        print("RESULT " + json.dumps({"consts": consts, "ops": ops,
              "refused": vcuda.refused_launches()}))
    """,
        lib_dir,
        compiledir,
        profile={"cudnn": None},
    )
    assert [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] in out["consts"], out
    assert any("exp" in o for o in out["ops"]), out["ops"]
    assert out["refused"] >= 1  # folding was attempted and refused, not faked


# --------------------------------------------------------------------------
# stub libraries on their own (fast, in-process where harmless)


@pytest.fixture(scope="module")
def cublas(lib_dir):
    return ctypes.CDLL(os.path.join(lib_dir, "libcublas.so"))


def _ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


@needs_cc
def test_cublas_sgemm_transposes(cublas):
    h = ctypes.c_void_p()
    assert cublas.cublasCreate_v2(ctypes.byref(h)) == 0
    rs = np.random.RandomState(0)
    for ta in (0, 1):
        for tb in (0, 1):
            m, n, k = 4, 3, 5
            # column-major storage == transposed row-major numpy arrays
            A = rs.rand(*((k, m) if ta else (m, k))).astype("float32")
            B = rs.rand(*((n, k) if tb else (k, n))).astype("float32")
            C = rs.rand(m, n).astype("float32")
            Af, Bf, Cf = (np.asfortranarray(M) for M in (A, B, C))
            alpha, beta = ctypes.c_float(1.5), ctypes.c_float(0.5)
            st = cublas.cublasSgemm_v2(
                h,
                ta,
                tb,
                m,
                n,
                k,
                ctypes.byref(alpha),
                _ptr(Af),
                Af.shape[0],
                _ptr(Bf),
                Bf.shape[0],
                ctypes.byref(beta),
                _ptr(Cf),
                m,
            )
            assert st == 0
            want = 1.5 * (A.T if ta else A).dot(B.T if tb else B) + 0.5 * C
            assert np.allclose(Cf, want, atol=1e-5)
    assert cublas.cublasDestroy_v2(h) == 0


@needs_cc
def test_cublas_level1_level2_and_half(cublas):
    h = ctypes.c_void_p()
    cublas.cublasCreate_v2(ctypes.byref(h))
    rs = np.random.RandomState(1)
    A = np.asfortranarray(rs.rand(4, 3))
    x, y = rs.rand(3), rs.rand(4)
    y0 = y.copy()
    one, half = ctypes.c_double(1.0), ctypes.c_double(0.5)
    assert (
        cublas.cublasDgemv_v2(h, 0, 4, 3, ctypes.byref(one), _ptr(A), 4, _ptr(x), 1, ctypes.byref(half), _ptr(y), 1)
        == 0
    )
    assert np.allclose(y, A.dot(x) + 0.5 * y0)
    xs, ys = rs.rand(4).astype("float32"), rs.rand(3).astype("float32")
    As = np.asfortranarray(rs.rand(4, 3).astype("float32"))
    A0 = As.copy()
    two = ctypes.c_float(2.0)
    assert cublas.cublasSger_v2(h, 4, 3, ctypes.byref(two), _ptr(xs), 1, _ptr(ys), 1, _ptr(As), 4) == 0
    assert np.allclose(As, A0 + 2 * np.outer(xs, ys), atol=1e-6)
    r = np.zeros(1, "float32")
    assert cublas.cublasSdot_v2(h, 4, _ptr(xs), 1, _ptr(xs), 1, _ptr(r)) == 0
    assert np.allclose(r[0], xs.dot(xs), atol=1e-6)
    # float16 gemm through cublasGemmEx (libgpuarray's path on CUDA >= 9)
    Ah = np.asfortranarray(rs.rand(3, 2).astype("float16"))
    Bh = np.asfortranarray(rs.rand(2, 4).astype("float16"))
    Ch = np.asfortranarray(np.zeros((3, 4), "float16"))
    a32, b32 = ctypes.c_float(1.0), ctypes.c_float(0.0)
    assert (
        cublas.cublasGemmEx(
            h,
            0,
            0,
            3,
            4,
            2,
            ctypes.byref(a32),
            _ptr(Ah),
            2,
            3,
            _ptr(Bh),
            2,
            2,
            ctypes.byref(b32),
            _ptr(Ch),
            2,
            3,
            0,
            99,
        )
        == 0
    )
    assert np.allclose(Ch.astype("float32"), Ah.astype("float32").dot(Bh.astype("float32")), atol=2e-3)
    cublas.cublasDestroy_v2(h)


@needs_cc
def test_launch_fails_with_analysis_only_message(lib_dir):
    code = """
import ctypes, os, sys
lib = ctypes.CDLL(os.path.join(sys.argv[1], "libcuda.so"))
nv = ctypes.CDLL(os.path.join(sys.argv[1], "libnvrtc.so"))
assert lib.cuInit(0) == 0
prog = ctypes.c_void_p()
assert nv.nvrtcCreateProgram(ctypes.byref(prog), b"__global__ void k(){}", None, 0, None, None) == 0
opts = (ctypes.c_char_p * 2)(b"-arch", b"compute_70")
assert nv.nvrtcCompileProgram(prog, 2, opts) == 0
n = ctypes.c_size_t()
nv.nvrtcGetPTXSize(prog, ctypes.byref(n))
ptx = ctypes.create_string_buffer(n.value)
assert nv.nvrtcGetPTX(prog, ptx) == 0
mod, fn = ctypes.c_void_p(), ctypes.c_void_p()
assert lib.cuModuleLoadData(ctypes.byref(mod), ptx) == 0
assert lib.cuModuleGetFunction(ctypes.byref(fn), mod, b"k") == 0
err = lib.cuLaunchKernel(fn, 1, 1, 1, 1, 1, 1, 0, None, None, None)
s, name = ctypes.c_char_p(), ctypes.c_char_p()
lib.cuGetErrorString(err, ctypes.byref(s)); lib.cuGetErrorName(err, ctypes.byref(name))
print(err, name.value.decode(), "|", s.value.decode())
"""
    r = subprocess.run(
        [sys.executable, "-c", code, lib_dir], stdout=subprocess.PIPE, universal_newlines=True, check=True
    )
    err, rest = r.stdout.split(" ", 1)
    assert int(err) != 0
    assert vcuda.NO_KERNELS_MESSAGE in rest and "analysis only" in rest


# --------------------------------------------------------------------------
# build / environment / detection


@needs_cc
def test_build_is_cached_and_race_safe(tmp_path):
    results, errors = [], []

    def go():
        try:
            results.append(vcuda.build(str(tmp_path)))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1
    d = results[0]
    assert sorted(os.listdir(d)) == ["libcublas.so", "libcuda.so", "libnvrtc.so"]
    assert [p for p in os.listdir(str(tmp_path)) if p.startswith(".vcuda-build-")] == []
    mtime = os.path.getmtime(os.path.join(d, "libcuda.so"))
    assert vcuda.build(str(tmp_path)) == d
    assert os.path.getmtime(os.path.join(d, "libcuda.so")) == mtime


def test_build_without_compiler_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("CC", "no-such-compiler")
    with pytest.raises(vcuda.VirtualDeviceError, match="C compiler"):
        vcuda.build(str(tmp_path / "cache"))


def test_environment_and_suffix(tmp_path):
    prof = dict(vcuda.DEFAULT_PROFILE, compute_capability="6.1", cudnn=None)
    env = vcuda.environment(prof, str(tmp_path))
    assert env["THEANOLINT_VCUDA_CC"] == "6.1"
    assert env["THEANOLINT_VCUDA_MEMORY"] == str(16 * GiB)
    assert env["THEANOLINT_VCUDA_DRIVER"] == str(vcuda.DEFAULT_PROFILE["driver"])
    assert env["THEANOLINT_VCUDA_CUDNN"] == "none"
    assert env["LD_LIBRARY_PATH"].split(os.pathsep)[0] == str(tmp_path)
    assert vcuda.compiledir_suffix(prof) == "vcuda-sm61"
    assert vcuda.compiledir_suffix(vcuda.DEFAULT_PROFILE) == "vcuda-sm70"
    with pytest.raises(vcuda.VirtualDeviceError):
        vcuda.compiledir_suffix({"compute_capability": "seven"})


@needs_cc
def test_real_cuda_usable_never_takes_the_stub(lib_dir, tmp_path, monkeypatch):
    # Even named libcuda.so.1 and first on the search path, the stub is no driver.
    fake = tmp_path / "fake"
    fake.mkdir()
    os.symlink(os.path.join(lib_dir, "libcuda.so"), str(fake / "libcuda.so.1"))
    monkeypatch.setenv("LD_LIBRARY_PATH", str(fake))
    assert vcuda.real_cuda_usable() is False
