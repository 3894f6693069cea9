"""The known shapes of a function's inputs: declared at registration, test values,
shared variables' values.

A declaration names its input by name, by position among the function's own
inputs, or by the variable itself (also ``theanolint.declare_shape`` in the
builder); it wins over a test value, because frameworks put test values of any
shape on their inputs.
"""

from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from theanolint.analysis import graph
from theanolint.builders import ShapeError


def declared_shape(name: str, declaration: Sequence, dims: Dict[str, int]) -> Tuple[int, ...]:
    """Resolve ``("batch", 784)`` with ``dims={"batch": 64}``."""
    shape = []
    for dim in declaration:
        if isinstance(dim, str):
            if dim not in dims:
                raise ShapeError(
                    f"shape of {name!r} uses dimension {dim!r}, which has no size "
                    f"(set it in the config's dims: or with --dim {dim}=N)"
                )
            shape.append(int(dims[dim]))
        elif isinstance(dim, int) and dim >= 0:
            shape.append(dim)
        else:
            raise ShapeError(f"shape of {name!r} has {dim!r}; use a size or a dimension name")
    return tuple(shape)


def shared_shape(var) -> Tuple[int, ...]:
    """The shape of a shared variable's value; ``()`` for state that is no array.

    RandomStreams keeps a numpy ``RandomState`` (``RandomStateType``: no ndim,
    no dtype) in a shared variable; it has no shape and no bytes to predict.
    """
    if getattr(var.type, "ndim", None) is None:
        return ()
    value = var.get_value(borrow=True, return_internal_type=True)
    return tuple(int(d) for d in value.shape)


def _label(key) -> str:
    """How a declaration names its input, for messages."""
    if isinstance(key, int):
        return f"input #{key}"
    if isinstance(key, str):
        return repr(key)
    return f"variable {getattr(key, 'name', None) or key}"


def resolve_declarations(fgraph, declared: Dict, originals: Sequence = ()) -> Dict[object, Tuple[object, Sequence]]:
    """Which graph input each declaration is for: by name, by position among the
    function's own inputs, or by the variable the builder passed to
    ``theano.function`` (``originals``, aligned with ``fgraph.inputs``).  A
    ``theanolint.declare_shape`` on the variable counts as a declaration too.
    Declarations that match no input of this function are skipped (the builder
    may make several functions); a name two inputs share is an error."""
    own = [var for var in fgraph.inputs if not graph.is_shared(var)]
    resolved: Dict[object, Tuple[object, Sequence]] = {}
    for key, declaration in declared.items():
        if isinstance(key, bool) or not isinstance(key, (int, str)) and not hasattr(key, "type"):
            raise ShapeError(f"shapes= key {key!r}: use an input's name, its position or the variable itself")
        if isinstance(key, str):
            matches = [var for var in own if var.name == key]
            if len(matches) > 1:
                raise ShapeError(
                    f"{len(matches)} inputs are named {key!r}; declare them by position "
                    f"(shapes={{0: ...}}) or by variable instead"
                )
        elif isinstance(key, int):
            matches = own[key : key + 1] if key >= 0 else []
        else:
            matches = [var for var, original in zip(fgraph.inputs, originals) if original is key]
        for var in matches:
            resolved[var] = (key, declaration)
    for var, original in zip(fgraph.inputs, list(originals) or fgraph.inputs):
        tagged = getattr(original.tag, "theanolint_shape", None) or getattr(var.tag, "theanolint_shape", None)
        if tagged is not None and var not in resolved:
            resolved[var] = (original, tagged)
    return resolved


def input_shapes(
    fgraph, declared: Dict, dims: Dict[str, int], originals: Sequence = (), notes: Optional[List[str]] = None
) -> Dict[object, tuple]:
    """Known shapes of the graph's inputs.

    Shared variables have their value's shape; a declared shape wins over a
    test value (frameworks put test values of arbitrary shapes on inputs), and a
    disagreement between them is added to ``notes``; scalars need neither.
    """
    declarations = resolve_declarations(fgraph, declared, originals)
    known = {}
    for var in fgraph.inputs:
        if graph.is_shared(var):
            known[var] = shared_shape(var)
            continue
        test_value = getattr(var.tag, "test_value", None)
        tested = tuple(int(d) for d in np.shape(test_value)) if test_value is not None else None
        if var in declarations:
            key, declaration = declarations[var]
            name = var.name or _label(key)
            known[var] = declared_shape(name, declaration, dims)
            if tested is not None and tested != known[var]:
                if notes is not None:
                    notes.append(f"{name}: declared shape {known[var]} used, not its test value's {tested}")
        elif tested is not None:
            known[var] = tested
        elif getattr(var.type, "ndim", None) == 0:
            known[var] = ()
        else:
            continue
        if len(known[var]) != var.ndim:
            raise ShapeError(
                f"shape of {var.name or 'input'!r} has rank {len(known[var])}, "
                f"but the input is {var.ndim}-D ({var.type})"
            )
    return known
