"""The orders in which Theano's VMs run an optimized graph.

The C VM (``linker=cvm``, the default) runs ``fgraph.toposort()``.  The Stack VM,
which Theano uses whenever a function is profiled for memory (``profile_memory``:
"CVM does not support memory profile, using Stack VM") and where no C compiler is
available, runs nodes as their outputs are demanded: a stack seeded with the
outputs' owners, inputs pushed after the node that needs them.  The two orders
free buffers at different times, so their peaks differ (by a few KB to tens of
percent on scan graphs); the prediction takes the larger.
"""

from dataclasses import dataclass
from typing import Dict, List


def demand_order(fgraph) -> List:
    """The Stack VM's order (theano/gof/vm.py ``Stack.__call__``, non-lazy case):
    pop a node; run it when its inputs and destroy dependencies are computed, else
    push it back and the owners of all of them after it."""
    orderings = fgraph.orderings()  # node -> nodes that must run before it (destroy_map)
    destroy: Dict = {
        node: [v for before in orderings.get(node, ()) for v in before.outputs] for node in fgraph.apply_nodes
    }
    done: set = set()
    order: List = []
    stack = [out.owner for out in fgraph.outputs if out.owner is not None]
    while stack:
        node = stack.pop()
        needed = list(node.inputs) + destroy[node]
        ready = all(v.owner is None or v in done for v in needed)
        if ready and not all(v in done for v in node.outputs):
            order.append(node)
            done.update(node.outputs)
        elif not ready:
            stack.append(node)
            stack.extend(v.owner for v in needed if v.owner is not None)
    return order


@dataclass
class Run:
    """One way the graph runs: its nodes, in order."""

    order: List


def runs(fgraph, toposort: List) -> List[Run]:
    """The runs the prediction replays: the C VM's and the Stack VM's order.

    Both evaluate an IfElse lazily (only the branch its condition picks runs), but
    which branch is a value known only at run time (Keras's learning phase): every
    branch is counted, an upper bound.  (Replaying each choice of branches alone
    fell below Theano's measurement on a Keras CNN: the VM runs more of the graph
    than the taken branch's ancestors; not understood yet.)
    """
    return [Run(toposort), Run(demand_order(fgraph))]  # toposort: the caller's, computed once
