"""Probe: which GPU op does the gradient of different bias-indexing patterns
become with Theano 1.0.5's gpuarray backend (OpenCL on the CPU via PoCL)?

  A  bias[ids]                 1-D advanced index
  B  bias[:, None][ids, 0]     mixed advanced index (TheanoLM 1.3.2 pattern)
  C  bias[:, None][ids][:, 0]  proposed fix: 1 advanced index on a matrix
  D  bias[:, None][ids][..., 0]  same, correct for N-D ids too

Each variant is tried with a 1-D `ids` vector and a 3-D `ids` tensor (TheanoLM
uses target_class_ids[:, :, None]). Only the optimized graph is built (no C
compilation): FunctionMaker(...).fgraph.

Run from the repo root:  .venv/bin/python tests/theanolm_probe/bias_index_variants.py
"""
import os
import sys

os.environ["THEANO_FLAGS"] = ",".join(
    f for f in ["device=opencl0:0", "floatX=float32", "blas.ldflags=",
                os.environ.get("THEANO_FLAGS", "")] if f)

import numpy  # noqa: E402
import theano  # noqa: E402
import theano.tensor as T  # noqa: E402
from theano.compile.function_module import FunctionMaker  # noqa: E402

# theano.function -> pfunc -> orig_function: build only the FunctionMaker
# (graph optimization, no C compilation) and hand back the maker.
_pfunc_module = sys.modules["theano.compile.pfunc"]


def _maker_only(inputs, outputs, mode=None, accept_inplace=False, name=None,
                profile=None, on_unused_input=None, output_keys=None):
    return FunctionMaker(inputs, outputs, theano.compile.mode.get_mode(mode),
                         accept_inplace=accept_inplace, profile=None,
                         on_unused_input=on_unused_input,
                         output_keys=output_keys, name=name)


_pfunc_module.orig_function = _maker_only

assert theano.gpuarray.type.get_context(None).kind == b"opencl"

VARIANTS = {
    "A bias[ids]": lambda b, ids: b[ids],
    "B bias[:, None][ids, 0]": lambda b, ids: b[:, None][ids, 0],
    "C bias[:, None][ids][:, 0]": lambda b, ids: b[:, None][ids][:, 0],
    # C is only right for 1-D ids; for N-D ids the trailing axis must go:
    "D bias[:, None][ids][..., 0]": lambda b, ids: b[:, None][ids][..., 0],
}


def sandwiched_host_ops(fgraph):
    """Non-GPU apply nodes that read a HostFromGpu output and feed a
    GpuFromHost: computation bounced to the host in the middle of GPU work."""
    out = []
    for node in fgraph.toposort():
        name = type(node.op).__name__
        if name.startswith("Gpu") or name in ("HostFromGpu", "GpuFromHost"):
            continue
        from_gpu = any(i.owner is not None and
                       type(i.owner.op).__name__ == "HostFromGpu"
                       for i in node.inputs)
        to_gpu = any(type(c.op).__name__ == "GpuFromHost"
                     for o in node.outputs for c, _ in fgraph.clients(o)
                     if c != "output")
        if from_gpu and to_gpu:
            out.append(node)
    return out


def build(label, make, ids_ndim):
    rng = numpy.random.RandomState(0)
    bias = theano.shared(rng.rand(10).astype("float32"), name="bias")
    ids = T.TensorType("int64", (False,) * ids_ndim)("ids")
    picked = make(bias, ids)
    cost = picked.sum()
    g = theano.grad(cost, bias)
    maker = theano.function([ids], [cost, g])  # a FunctionMaker, see above
    fg = maker.fgraph
    ops = sorted({type(n.op).__name__ for n in fg.apply_nodes})
    inc_ops = [str(n.op) for n in fg.toposort() if "IncSubtensor" in
               type(n.op).__name__]
    print("=" * 78)
    print("%s   ids.ndim=%d" % (label, ids_ndim))
    nb = numpy.arange(10, dtype="float32")
    shape = (4,) if ids_ndim == 1 else (2, 3, 1)
    nids = (numpy.arange(int(numpy.prod(shape))) * 3 % 10).reshape(shape)
    same = make(nb, nids)
    print("output ndim %d (want %d); numpy semantics equal to bias[ids]: %s"
          % (picked.ndim, ids_ndim, same.shape == nb[nids].shape
             and bool((same == nb[nids]).all())))
    print("IncSubtensor ops:", inc_ops)
    print("host ops between HostFromGpu and GpuFromHost:",
          [str(n.op) for n in sandwiched_host_ops(fg)])
    print("all op types:", ops)
    print("-- debugprint of the gradient output --")
    theano.printing.debugprint(fg.outputs[1], print_type=True)
    sys.stdout.flush()


for ids_ndim in (1, 3):
    for label, make in VARIANTS.items():
        build(label, make, ids_ndim)
