"""Host ops sit between GPU ops, forcing copies off and back onto the GPU.

What it does: Finds chains of host (CPU) ops whose inputs come from the GPU
through ``HostFromGpu`` (directly, or through other host ops) and whose
results go back through ``GpuFromHost``.  Chains and ops with mixed inputs
count, which Theano's ``assert_no_cpu_op`` misses.  One finding per chain,
with the bytes copied per call where shapes are known.

Why is this bad: Each crossing synchronises the GPU and copies the tensor
over PCIe; an op without a GPU version in the middle of a layer can cost
more than the layer.

Example:
    h = T.tanh(x.dot(W))
    m = T.max(h, axis=1)       # on OpenCL: no GPU version, runs on the CPU
    y = T.nnet.softmax(m.dimshuffle(0, "x") * h)

Use instead: Replace the op with one that has a GPU version (the message
names it), or move it out of the per-batch graph.

What it leaves out: host ops made deep inside a framework's own code (Keras's
gradient of a softmax on OpenCL, TheanoLM's output-layer gradient): the user
cannot move them. A framework function the user calls as a thin wrapper of one
Theano op (K.dot) counts as the user's own expression. Option frameworks: true
reports them, at the user's call into the framework.
"""

from typing import Any, Dict, List, cast

from theanolint.analysis import graph
from theanolint.report.memory import size
from theanolint.ruleset import naming
from theanolint.ruleset.helpers import forward_gather, host_chain_sets, nbytes

CODE = "TL201"
NAME = "cpu-between-gpu"
SEVERITY = "error"


def _chains(nodes, scope):
    """Connected groups of sandwiched host ops, in topological order."""
    chains: List[Any] = []
    owner: Dict[Any, Any] = {}
    for node in nodes:
        linked = {owner[v.owner] for v in node.inputs if v.owner in owner}
        chain = [node]
        for index in sorted(linked):
            chain = chains[index] + chain
            chains[index] = []
        chains.append(chain)
        for member in chain:
            owner[member] = len(chains) - 1
    return [c for c in chains if c]


def check(function, options):
    for scope in function.scopes():
        fed, feeds = host_chain_sets(scope)
        sandwiched = [n for n in scope.nodes if n in fed and n in feeds]
        for chain in _chains(sandwiched, scope):
            members = set(chain)
            copies_in = {
                v for n in chain for v in n.inputs if v.owner is not None and isinstance(v.owner.op, graph.HostFromGpu)
            }
            copies_out = {
                out
                for n in chain
                for out in n.outputs
                if any(isinstance(c.op, graph.GpuFromHost) for c in scope.clients(out))
            }
            sizes = [nbytes(scope, v) for v in copies_in | copies_out]
            moved = f"; {size(sum(cast(List[int], sizes)))} copied per call" if sizes and None not in sizes else ""
            ops = naming.names(chain, most=3)
            gather = forward_gather(scope, chain[0])
            # For the HTML report's picture: the host ops, then the copies around them.
            subjects = (
                chain
                + [
                    v.owner
                    for n in chain
                    for v in n.inputs
                    if v.owner is not None and isinstance(v.owner.op, graph.HostFromGpu)
                ]
                + [
                    c
                    for n in chain
                    for out in n.outputs
                    for c in scope.clients(out)
                    if isinstance(c.op, graph.GpuFromHost)
                ]
            )
            if gather is not None:
                ops += f", gradient of this line's {naming.node_name(gather, 40)}"
                subjects.append(gather)
            yield function.finding(
                gather or chain[0],
                f"{len(chain)} host op(s) between GPU ops ({ops}): "
                f"{len(copies_in)} copy(ies) from the GPU, {len(copies_out)} back"
                f"{moved}",
                scope,
                subjects=subjects,
                ops=len(members),
                bytes=sum(cast(List[int], sizes)) if sizes and None not in sizes else None,
                key=", ".join(type(n.op).__name__ for n in chain),
                op=str(chain[0].op),
                details=naming.details(chain + ([gather] if gather is not None else [])),
            )
