"""Probe: build a small TheanoLM 1.3.2 network with a sampling-based (NCE)
softmax output and its training function, using TheanoLM's own classes, and
print the optimized graph of every theano.function TheanoLM creates.

Run from the repo root:   .venv/bin/python tests/theanolm_probe/build_small.py
Options:  --compile  really compile (~30 s) and run one update. Compiling
                     works; running fails on OpenCL inside the LSTM Scan
                     (Python Scan.execute reads GpuArray.gpudata: "This is
                     for CUDA arrays"). Default: only optimize the graph.
          --cost nce|blackout|cross-entropy  --sharing none|seq|batch
          --optimizer sgd|adam|...
"""
import argparse
import io
import os
import sys
import traceback

ap = argparse.ArgumentParser()
ap.add_argument("--compile", action="store_true")
ap.add_argument("--cost", default="nce")
ap.add_argument("--sharing", default="none")
ap.add_argument("--optimizer", default="sgd")
ap.add_argument("--noise", default="unigram")
ap.add_argument("--device", default="opencl0:0")
args = ap.parse_args()

os.environ["THEANO_FLAGS"] = ",".join(
    f for f in ["device=" + args.device, "floatX=float32", "blas.ldflags=",
                os.environ.get("THEANO_FLAGS", "")] if f)

# Theano 1.0.5's pre-generated Cython scan_perform.c does not compile on
# Python 3.11 (longintrepr.h, PyCode_New, ...). A None entry in sys.modules
# makes "from . import scan_perform_ext" raise ImportError, which Scan catches
# and falls back to its pure-Python loop. Only matters with --compile.
sys.modules.setdefault("theano.scan_module.scan_perform_ext", None)

import numpy  # noqa: E402
import theano  # noqa: E402
import theano.compile.function_module as fm  # noqa: E402
# NB: "import theano.compile.pfunc as pfunc" would give the *function* pfunc
# (theano.compile re-exports it under the module's name); take the module.
pfunc = sys.modules["theano.compile.pfunc"]

if args.device.startswith(("opencl", "cuda")):
    ctx = theano.gpuarray.type.get_context(None)
    print("gpuarray context kind:", ctx.kind, "devname:", ctx.devname)
    assert ctx.kind in (b"opencl", b"cuda"), ctx.kind

CAPTURED = []  # (name, FunctionMaker)
REAL_ORIG_FUNCTION = pfunc.orig_function


def fake_orig_function(inputs, outputs, mode=None, accept_inplace=False,
                       name=None, profile=None, on_unused_input=None,
                       output_keys=None):
    # Who called theano.function? The frame just above theano.function().
    stack = traceback.extract_stack()
    idx = max((i for i, fr in enumerate(stack)
               if fr.filename.endswith(os.path.join("compile", "function.py"))
               and fr.name == "function"), default=None)
    caller = stack[idx - 1] if idx else None
    called_from_theanolm = (caller is not None and
                            os.sep + "theanolm" + os.sep in caller.filename)
    if not called_from_theanolm:
        # Theano-internal helper functions (e.g. MRG_RandomStreams'
        # multMatVect) must really be compiled and run.
        return REAL_ORIG_FUNCTION(inputs, outputs, mode=mode,
                                  accept_inplace=accept_inplace,
                                  profile=profile,
                                  on_unused_input=on_unused_input,
                                  output_keys=output_keys)
    mode = theano.compile.mode.get_mode(mode)
    maker = fm.FunctionMaker(inputs, outputs, mode,
                             accept_inplace=accept_inplace, profile=profile or None,
                             on_unused_input=on_unused_input,
                             output_keys=output_keys, name=name)
    CAPTURED.append(("%s (%s:%d)" % (name, caller.filename.split(
        os.sep + "site-packages" + os.sep)[-1], caller.lineno), maker))

    def dummy(*a, **k):
        raise RuntimeError("probe: function %r was not compiled" % name)
    dummy.maker = maker
    return dummy


if not args.compile:
    # theano.function -> pfunc.pfunc -> pfunc.orig_function (module global)
    pfunc.orig_function = fake_orig_function

from theanolm import Vocabulary, Architecture, Network  # noqa: E402
from theanolm.training import (create_optimizer, NCECost,  # noqa: E402
                               BlackoutCost, CrossEntropyCost)

# 1. vocabulary: 6 words, one class each (+ <s>, </s>, <unk> classes)
word_counts = {"a": 5, "b": 4, "c": 3, "d": 2, "e": 1, "f": 1}
vocabulary = Vocabulary.from_word_counts(word_counts)
print("num_classes:", vocabulary.num_classes())

# 2. architecture: projection 8 -> lstm 8 -> softmax (sampling-capable)
ARCH = """\
input type=class name=class_input
layer type=projection name=projection_layer input=class_input size=8
layer type=lstm name=hidden_layer input=projection_layer size=8
layer type=softmax name=output_layer input=hidden_layer
"""
architecture = Architecture.from_description(io.StringIO(ARCH))

# 3. network (class_prior_probs initializes output bias / unigram noise)
# theanolm.backend.get_default_device(None) (what `theanolm train` calls)
# fails on OpenCL: it reads context.unique_id, which pygpu does not support
# on OpenCL ("Can't get unique ID on OpenCL"). With device=opencl0:0 the
# default context is named None, which is what it would return anyway.
default_device = None
network = Network(architecture, vocabulary, vocabulary.get_class_probs(),
                  default_device=default_device)
sharing = None if args.sharing == "none" else args.sharing
network.set_sampling(args.noise, 0.5, sharing)

# 4. cost + optimizer (the optimizer constructor calls theano.function)
cost_cls = {"nce": NCECost, "blackout": BlackoutCost,
            "cross-entropy": CrossEntropyCost}[args.cost]
exclude_id = None
cost_function = cost_cls(network, exclude_id, None, None, 1e-6)
optimization_options = {
    "method": args.optimizer,
    "epsilon": 1e-6,
    "gradient_decay_rate": 0.9,
    "sqr_gradient_decay_rate": 0.999,
    "learning_rate": 0.1,
    "weights": numpy.ones(1, dtype=theano.config.floatX),
    "momentum": 0.9,
    "max_gradient_norm": 5.0,
    "num_noise_samples": 3,
    "noise_sharing": sharing,
}
optimizer = create_optimizer(optimization_options, network, cost_function,
                             profile=False)

# 5. report
def sandwiched_host_ops(fgraph):
    """Non-GPU nodes reading a HostFromGpu output and feeding a GpuFromHost."""
    out = []
    for node in fgraph.toposort():
        name = type(node.op).__name__
        if name.startswith("Gpu") or name in ("HostFromGpu", "GpuFromHost"):
            continue
        from_gpu = any(i.owner is not None and
                       type(i.owner.op).__name__ == "HostFromGpu"
                       for i in node.inputs)
        to_gpu = any(c != "output" and type(c.op).__name__ == "GpuFromHost"
                     for o in node.outputs for c, _ in fgraph.clients(o))
        if from_gpu and to_gpu:
            out.append(node)
    return out


def where(node):
    """First TheanoLM frame in the creation stack trace (tag.trace) of the
    node's outputs; Theano copies traces through its optimizations."""
    for o in node.outputs:
        for tr in getattr(o.tag, "trace", None) or []:
            for filename, lineno, func, text in reversed(tr):
                if os.sep + "theanolm" + os.sep in filename:
                    return "%s:%d %s | %s" % (
                        filename.split(os.sep + "site-packages" + os.sep)[-1],
                        lineno, func, text)
    return "(no TheanoLM frame in tag.trace)"


print("\n==== captured functions ====")
for name, maker in CAPTURED or [("update_function",
                                 optimizer.update_function.maker)]:
    fg = maker.fgraph
    print("\n######## function %r: %d apply nodes ########" %
          (name, len(fg.apply_nodes)))
    from theano.compile.sharedvalue import SharedVariable
    for v in fg.inputs:
        if isinstance(v, SharedVariable) and not v.name:
            print("UNNAMED SHARED:", v, v.type)
    ops = sorted({type(n.op).__name__ for n in fg.apply_nodes})
    print("op types:", ops)
    f64 = [n for n in fg.apply_nodes
           if any(getattr(o.type, "dtype", None) == "float64"
                  for o in n.outputs)]
    print("float64-output nodes:", len(f64))
    for n in f64:
        print("   ", n)
    print("host ops between HostFromGpu and GpuFromHost:")
    for n in sandwiched_host_ops(fg):
        print("   ", n.op, "<-", where(n))
    print("float64 ops:")
    for n in f64:
        print("   ", n.op, "<-", where(n))
    print("Advanced(Inc)Subtensor ops (gradient nodes point at the "
          "tensor.grad call; run with THEANO_FLAGS=traceback.limit=-1 for "
          "full traces):")
    for n in fg.toposort():
        if "Advanced" in type(n.op).__name__:
            print("   ", n.op, "<-", where(n))
    prints = [n for n in fg.apply_nodes
              if isinstance(n.op, theano.printing.Print)]
    print("Print ops:", len(prints))
    # (fg.outputs, not fg: TheanoLM passes profile=False, which debugprint(fg)
    # trips over)
    theano.printing.debugprint(fg.outputs, print_type=True)

if args.compile:
    # run one update on a tiny mini-batch to show it works
    word_ids = numpy.array([[0, 1], [3, 4], [5, 6], [1, 2]], dtype="int64")
    class_ids = numpy.array([[vocabulary.word_id_to_class_id[w] for w in row]
                             for row in word_ids], dtype="int64")
    mask = numpy.ones((3, 2), dtype="int8")
    file_ids = numpy.zeros((4, 2), dtype="int64")
    optimizer.update_minibatch(word_ids, class_ids, file_ids,
                               numpy.ones((4, 2), dtype="int8"))
    print("one update ran OK")
