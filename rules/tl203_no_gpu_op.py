"""A function has no op on the GPU although the target is a GPU.

What it does: Reports functions whose optimized graph has host ops but not
a single GPU op under a GPU target.

Why is this bad: The function runs entirely on the CPU while the user
believes it runs on the GPU: usually float64 inputs, integer-only work, or
an optimizer flag that excluded the GPU optimizations.

Example:
    x = T.dmatrix("x")                 # float64 input
    f = theano.function([x], T.exp(x))

Use instead:
    x = T.matrix("x")                  # floatX (float32)
    f = theano.function([x], T.exp(x))
"""

from theanolint.analysis import graph

CODE = "TL203"
NAME = "no-gpu-op"
SEVERITY = "error"


def check(function, options):
    nodes = [node for _, node in function.nodes()]
    host = [n for n in nodes if graph.is_host_node(n)]
    if host and not any(graph.is_gpu_node(n) for n in nodes):
        yield function.finding(
            function.call_site,
            f"no op of this function runs on the GPU "
            f"({len(host)} host op(s)); check for float64 inputs and GPU "
            "optimizations excluded by flags",
            key="no GPU op",
        )
