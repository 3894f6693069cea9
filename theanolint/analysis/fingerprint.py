"""A stable hash of a captured function: what its lint result depends on.

Structure, op types and parameters, variable types, constants' contents,
shared variables' types and shapes (not their values: no rule reads them;
scalars excepted, whose values shapes may read), inputs' test-value shapes and
declared shapes (the memory prediction reads them),
the user source lines the graph was created on (findings carry them), and the
run's context (Theano flags, target profile, rule settings, versions).  Output
options are not part of it.
"""

import hashlib
import json
from typing import Any, Dict, List, Optional

import numpy as np
import theano

from theanolint.analysis import graph
from theanolint.cache import results as resultcache


def _leaf(var) -> str:
    if graph.is_shared(var):
        value = var.get_value(borrow=True, return_internal_type=True)
        scalar = f" = {value!r}" if getattr(var.type, "ndim", None) == 0 else ""
        return f"shared {var.name} {var.type} {tuple(getattr(value, 'shape', ()))}{scalar}"
    if graph.is_constant(var):
        data = np.asarray(var.data)
        return f"constant {var.type} {data.shape} {hashlib.sha1(data.tobytes()).hexdigest()}"
    test_value = getattr(var.tag, "test_value", None)
    tested = np.shape(test_value) if test_value is not None else None
    return f"input {var.name} {var.type} {tested} {getattr(var.tag, 'theanolint_shape', None)}"


def _traces(thing) -> str:
    stacks = getattr(getattr(thing, "tag", None), "trace", None) or ()
    return ";".join(f"{f}:{line}" for stack in stacks for f, line, *_ in stack)


def of_graph(record) -> str:
    """Structure and sources of the unoptimized graph a record describes."""
    outputs = record.outputs if isinstance(record.outputs, (list, tuple)) else [record.outputs]
    outputs = [getattr(o, "variable", o) for o in outputs if o is not None]
    inputs = [getattr(i, "variable", i) for i in record.inputs]
    updates = [i.update for i in record.inputs if getattr(i, "update", None) is not None]
    numbers: Dict[Any, int] = {}
    lines: List[str] = []

    def visit(var):
        if var in numbers:
            return numbers[var]
        if var.owner is None:
            numbers[var] = len(numbers)
            # Constants come from Theano's constant cache with the trace of whichever
            # graph made them first: the consuming op's trace carries the line.
            trace = "" if graph.is_constant(var) else _traces(var)
            lines.append(f"{numbers[var]} {_leaf(var)} @{trace}")
            return numbers[var]
        ins = [visit(i) for i in var.owner.inputs]
        for out in var.owner.outputs:
            numbers[out] = len(numbers)
        props: Dict[str, Any] = getattr(var.owner.op, "_props_dict", lambda: {})()
        lines.append(
            f"{[numbers[o] for o in var.owner.outputs]} = {type(var.owner.op).__name__}"
            f"{sorted(props.items(), key=str)!r}{ins} :: "
            f"{[str(o.type) for o in var.owner.outputs]} @{_traces(var)}"
        )
        return numbers[var]

    for var in inputs + outputs + updates:
        visit(var)
    lines.append(
        f"inputs {[numbers[v] for v in inputs]} outputs {[numbers[v] for v in outputs]} "
        f"updates {[numbers[v] for v in updates]} {record.name} {record.output_keys}"
    )
    return graph.without_addresses("\n".join(lines))


def _declared(record, shapes: Dict) -> List[str]:
    """``shapes=`` of the registration, a variable key by its position among the inputs."""
    inputs = [getattr(i, "variable", i) for i in record.inputs]
    named = []
    for key, shape in shapes.items():
        if not isinstance(key, (str, int)):
            key = f"variable #{next((n for n, v in enumerate(inputs) if v is key), None)}"
        named.append(f"{key!r}: {tuple(shape)!r}")
    return sorted(named)


def key(record, context: Dict, shapes: Optional[Dict] = None) -> str:
    """The cache key of one function's lint result."""
    material = json.dumps(
        {
            "graph": of_graph(record),
            "shapes": _declared(record, shapes or {}),
            "context": context,
            "theanolint": resultcache.code_version(),
            "theano": theano.__version__,
            "flags": _flags(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _flags() -> str:
    """The Theano flags that change optimization (THEANO_FLAGS as the worker got them)."""
    import os

    return os.environ.get("THEANO_FLAGS", "")
