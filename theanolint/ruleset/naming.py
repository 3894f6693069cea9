"""How a message names an op: short and bounded, never a Composite's full text.

A fused ``GpuElemwise{Composite{...}}`` prints the whole expression it computes,
which for the shape arithmetic of a sliced mean runs past a thousand characters;
a message names the op class and the few scalar ops it contains instead
(``GpuElemwise{Composite: exp, mul}``), and the full text goes into the finding's
data (``details``), which JSON, the HTML report and ``-v`` show.
"""

from typing import Iterable, List

from theanolint.findings import shortened

MAX_LENGTH = 60  # characters of a name in a message
MAX_SCALARS = 3  # scalar ops a Composite is named by


def _scalar_ops(scalar) -> List[str]:
    """The scalar ops of a (possibly nested) Composite, outermost first, each once."""
    fgraph = getattr(scalar, "fgraph", None)
    if fgraph is None:
        return [str(scalar)]
    names: List[str] = []
    for node in reversed(fgraph.toposort()):
        for name in _scalar_ops(node.op) if hasattr(node.op, "fgraph") else [str(node.op)]:
            if name not in names:
                names.append(name)
    return names


def scalar_name(scalar, most: int = MAX_SCALARS) -> str:
    """``mul``, ``Cast{float64}``, or ``Composite: exp, mul`` (``, ...`` past ``most``)."""
    if getattr(scalar, "fgraph", None) is None:
        return str(scalar)
    names = _scalar_ops(scalar)
    shown = names[:most] + (["..."] if len(names) > most else [])
    return "Composite: " + ", ".join(shown)


def _is_elemwise(op) -> bool:
    from theano.tensor.elemwise import Elemwise  # GpuElemwise is one too

    return isinstance(op, Elemwise)


def op_name(op, limit: int = MAX_LENGTH) -> str:
    """The op for a message: ``GpuElemwise{mul}``, ``GpuElemwise{Composite: exp, mul}``,
    ``dot``; an op whose text is long (many parameters) by its class."""
    if _is_elemwise(op):
        return shortened(f"{type(op).__name__}{{{scalar_name(op.scalar_op)}}}", limit)
    text = str(op)
    if len(text) > limit or "\n" in text:
        return shortened(type(op).__name__, limit)
    return text


def node_name(node, limit: int = MAX_LENGTH) -> str:
    return op_name(node.op, limit)


def names(nodes: Iterable, most: int = 4) -> str:
    """Several ops, each once, in order: ``dot, GpuElemwise{mul}, ... (7 ops)``."""
    nodes = list(nodes)
    seen: List[str] = []
    for node in nodes:
        name = node_name(node, 40)
        if name not in seen:
            seen.append(name)
    shown = ", ".join(seen[:most])
    return shown + (", ..." if len(seen) > most else "")


def details(nodes: Iterable) -> List[str]:
    """The full text of each op, for ``data["details"]`` (printed with ``-v``)."""
    return [f"op: {node.op}" for node in nodes]
