"""A stable hash of a captured function: what its lint result depends on.

Structure, op types and parameters, variable types, constants' contents,
shared variables' types and shapes (not their values: no rule reads them;
scalars excepted, whose values shapes may read), inputs' test-value shapes and
declared shapes (the memory prediction reads them),
the user source the graph was created on, by file and line *text*, not number
(findings carry the lines, re-derived on a hit: ``positions``, ``cache.moved``),
and the run's context (Theano flags, target profile, rule settings, versions).
Output options are not part of it.
"""

import hashlib
import json
import linecache
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import theano

from theanolint.analysis import graph, sources
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


Position = Tuple[str, int]  # (file, line) of one frame


def _frames(stack, positions: List[Position]) -> str:
    """A stack as its files and line texts (a line moved by an edit above it hashes the
    same); each frame's position is appended to ``positions``, in the hashed order."""
    texts = []
    for frame in stack:
        filename, line = frame[0], frame[1]
        text = frame[3] if len(frame) > 3 and frame[3] else linecache.getline(filename, line).strip()
        positions.append((filename, line))
        texts.append(f"{filename}:{text}")
    return ";".join(texts)


def _traces(thing, positions: List[Position]) -> str:
    stacks = getattr(getattr(thing, "tag", None), "trace", None) or ()
    return ";".join(_frames(stack, positions) for stack in stacks)


def _inner_graph(op) -> Optional[Tuple[list, list]]:
    """The inner graph of a scan or OpFromGraph (neither has ``__props__``)."""
    inputs, outputs = getattr(op, "inputs", None), getattr(op, "outputs", None)
    if isinstance(inputs, list) and isinstance(outputs, list) and all(hasattr(v, "owner") for v in outputs):
        return inputs, outputs
    return None


def _parameters(op) -> str:
    """An op's parameters: ``__props__``, or a scan's ``info`` (its plain values)."""
    props: Dict[str, Any] = getattr(op, "_props_dict", lambda: {})()
    info = getattr(op, "info", None)
    if not props and isinstance(info, dict):
        props = {k: v for k, v in info.items() if isinstance(v, (bool, int, float, str, type(None), tuple, list))}
    return repr(sorted(props.items(), key=str))


def _visitor(numbers: Dict[Any, int], lines: List[str], where: List[Position]):
    """``visit(var)``: appends the lines of ``var``'s graph (inner graphs included,
    indented) to ``lines``; returns its number."""

    def visit(var):
        if var in numbers:
            return numbers[var]
        if var.owner is None:
            numbers[var] = len(numbers)
            # Constants come from Theano's constant cache with the trace of whichever
            # graph made them first: the consuming op's trace carries the line.
            trace = "" if graph.is_constant(var) else _traces(var, where)
            lines.append(f"{numbers[var]} {_leaf(var)} @{trace}")
            return numbers[var]
        ins = [visit(i) for i in var.owner.inputs]
        for out in var.owner.outputs:
            numbers[out] = len(numbers)
        op = var.owner.op
        lines.append(
            f"{[numbers[o] for o in var.owner.outputs]} = {type(op).__name__}"
            f"{_parameters(op)}{ins} :: "
            f"{[str(o.type) for o in var.owner.outputs]} @{_traces(var, where)}"
        )
        inner = _inner_graph(op)
        if inner is not None:
            inner_numbers: Dict[Any, int] = {}
            inner_lines: List[str] = []
            inner_visit = _visitor(inner_numbers, inner_lines, where)
            for each in list(inner[0]) + list(inner[1]):
                inner_visit(each)
            outs = [inner_numbers[o] for o in inner[1]]
            lines.extend(["  " + line for line in inner_lines] + [f"  inner outputs {outs}"])
        return numbers[var]

    return visit


def _walk(record) -> Tuple[str, List[Position]]:
    """Structure and sources of the unoptimized graph a record describes, and the source
    positions it hashed by text, in its order: two records of one key give position
    lists of the same length, whose pairs say where each line moved."""
    outputs = record.outputs if isinstance(record.outputs, (list, tuple)) else [record.outputs]
    outputs = [getattr(o, "variable", o) for o in outputs if o is not None]
    inputs = [getattr(i, "variable", i) for i in record.inputs]
    updates = [i.update for i in record.inputs if getattr(i, "update", None) is not None]
    numbers: Dict[Any, int] = {}
    lines: List[str] = []
    where: List[Position] = []
    visit = _visitor(numbers, lines, where)
    for var in inputs + outputs + updates:
        visit(var)
    lines.append(
        f"inputs {[numbers[v] for v in inputs]} outputs {[numbers[v] for v in outputs]} "
        f"updates {[numbers[v] for v in updates]} {record.name} {record.output_keys}"
    )
    # where theano.function was called (the line of findings with no traced node),
    # outside theanolint, Theano and the standard library (the worker's own frames)
    called = [f for f in getattr(record, "call_stack", None) or () if not sources.is_library_file(f[0])]
    lines.append(f"called from {_frames(called, where)}")
    return graph.without_addresses("\n".join(lines)), where


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
    return keyed(record, context, shapes)[0]


def keyed(record, context: Dict, shapes: Optional[Dict] = None) -> Tuple[str, List[Position]]:
    """The cache key and the source positions it hashed (one walk of the graph)."""
    text, where = _walk(record)
    material = json.dumps(
        {
            "graph": text,
            "shapes": _declared(record, shapes or {}),
            "context": context,
            "theanolint": resultcache.code_version(),
            "theano": theano.__version__,
            "flags": _flags(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest(), where


def _flags() -> str:
    """The Theano flags that change optimization (THEANO_FLAGS as the worker got them)."""
    import os

    return os.environ.get("THEANO_FLAGS", "")
