"""A function has no op on the GPU although the target is a GPU.

What it does: Reports functions whose optimized graph has host ops but not
a single GPU op under a GPU target.

Why is this bad: The function runs entirely on the CPU while the user
believes it runs on the GPU: usually float64 inputs, integer-only work, or
an optimizer flag that excluded the GPU optimizations.

Example:
    x = T.matrix("x")
    W = theano.shared(np.random.randn(784, 100))    # a float64 array
    f = theano.function([x], T.nnet.sigmoid(x.dot(W)))

Use instead:
    x = T.matrix("x")
    W = theano.shared(np.random.randn(784, 100).astype(theano.config.floatX))
    f = theano.function([x], T.nnet.sigmoid(x.dot(W)))

What it leaves out: functions with no apply node at all (they compute
nothing). A function whose every op is made inside a framework is reported:
the fix (a float64 input, an excluded optimization) is usually the user's.
"""

from theanolint.analysis import graph
from theanolint.ruleset import naming

CODE = "TL203"
NAME = "no-gpu-op"
SEVERITY = "error"


def check(function, options):
    nodes = [node for _, node in function.nodes()]
    host = [n for n in nodes if graph.is_host_node(n)]
    if host and not any(graph.is_gpu_node(n) for n in nodes):
        yield function.finding(
            function.call_site,
            f"no op of this function runs on the GPU ({len(host)} host op(s): {naming.names(host, most=3)}); "
            "check for float64 inputs and GPU optimizations excluded by flags",
            key="no GPU op",
            framework=False,  # see "What it leaves out"
            ops=len(host),
            details=naming.details(host),
        )
