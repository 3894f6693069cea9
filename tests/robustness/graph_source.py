"""Turn a graph spec (see ``graph_spec``) into the source of a builder module.

Each step of the spec is one line ``v<i> = ...`` of the module's ``graph()``,
so each variable Theano traces has a line of its own; ``register`` wraps it in
a registered builder that calls ``theano.function`` once.  Pure text: neither
this module nor the pytest process imports Theano.
"""

from typing import Dict, List

HEADER = '''"""A random graph drawn by tests/robustness/test_random_graphs.py."""
import numpy as np
import theano
import theano.tensor as T
from theano.ifelse import ifelse

import theanolint


def graph():
'''

BUILDER = """

@theanolint.register(name={name!r}{shapes})
def build():
    inputs, outputs, updates = graph()
    return theano.function(inputs, outputs, updates=updates, name="f"{unused})
"""


def _operand(operand) -> str:
    if isinstance(operand, int):
        return f"v{operand}"
    value, form = operand["const"], operand["form"]
    if form == "python":
        return repr(value)
    if "shape" in operand:
        return f"np.full({tuple(operand['shape'])!r}, {value!r}, dtype={form!r})"
    return f"np.{form}({value!r})"


def _fix(expression: str, dtype: str, ndim: int) -> str:
    """``expression`` cast to ``dtype`` and with no broadcastable dimension, so two
    branches (ifelse), a state and its step (scan), or a shared variable and its
    update have the same Theano type."""
    cast = f"T.cast({expression}, {dtype!r})"
    if ndim == 0:
        return cast
    return f"T.unbroadcast({cast}, {', '.join(str(a) for a in range(ndim))})"


def _basic(items: List[Dict]) -> str:
    parts = []
    for item in items:
        if "int" in item:
            parts.append(str(item["int"]))
            continue
        start, _stop, step = item["slice"]
        text = ("" if start is None else str(start)) + ":"
        parts.append(text + (f":{step}" if step is not None else ""))
    return ", ".join(parts)


def _ids(ids) -> str:
    if isinstance(ids, int):
        return f"v{ids}"
    return f"np.array({ids['values']!r}, dtype={ids['dtype']!r})"


def _index(index: Dict) -> str:
    if "basic" in index:
        return _basic(index["basic"])
    if "column" in index:
        return f"{_ids(index['ids'])}, {index['column']}"
    return _ids(index["ids"])


def _scan(i: int, step: Dict, steps: List[Dict]) -> str:
    state, ndim = step["state"], len(steps[step["init"]]["shape"])
    base = "s + h" if step["seq"] is not None else "h + h"
    body = {
        "add": base,
        "tanh": f"T.tanh({base})",
        "scale": f"({base}) * {_operand(step.get('const', 0))}",
        "shared": f"{base} + v{step.get('weight')}",
    }[step["body"]]
    params = "s, h" if step["seq"] is not None else "h"
    sequences = f"sequences=[v{step['seq']}[:{step['steps']}]], " if step["seq"] is not None else ""
    init = _fix(f"v{step['init']}", state, ndim)
    text = (
        f"theano.scan(lambda {params}: {_fix(body, state, ndim)}, {sequences}"
        f"outputs_info=[{init}], n_steps={step['steps']}, name='step{i}')[0]"
    )
    return text + ("[-1]" if step["last"] else "")


def expression(i: int, step: Dict, steps: List[Dict]) -> str:
    """The right-hand side of the line that makes value ``i``."""
    kind = step["kind"]
    if kind == "input":
        broadcastable = tuple(False for _ in step["shape"])
        return f"T.tensor({step['dtype']!r}, {broadcastable!r}, name='x{i}')"
    if kind == "shared":
        name = f", name={step['name']!r}" if step["name"] else ""
        fill = 0.5 if step["dtype"].startswith("float") else 1
        return f"theano.shared(np.full({tuple(step['shape'])!r}, {fill}, dtype={step['dtype']!r}){name})"
    if kind == "binary":
        return f"T.{step['fn']}(v{step['x']}, {_operand(step['y'])})"
    if kind == "unary":
        return f"T.{step['fn']}(v{step['x']})"
    if kind == "cast":
        return f"T.cast(v{step['x']}, {step['dtype']!r})"
    if kind == "dot":
        return f"T.dot(v{step['x']}, v{step['y']})"
    if kind == "gemm":
        return f"v{step['c']} + {_operand(step['alpha'])} * T.dot(v{step['x']}, v{step['y']})"
    if kind == "reduce":
        return f"T.{step['fn']}(v{step['x']}, axis={step['axis']!r})"
    if kind == "subtensor":
        return f"v{step['x']}[{_basic(step['index'])}]"
    if kind == "advanced":
        return f"v{step['x']}[{_index(step['index'])}]"
    if kind == "inc":
        x = steps[step["x"]]
        return f"T.{step['fn']}(v{step['x']}[{_index(step['index'])}], T.cast({_operand(step['y'])}, {x['dtype']!r}))"
    if kind == "reshape":
        return f"v{step['x']}.reshape({tuple(step['to'])!r})"
    if kind == "dimshuffle":
        return f"v{step['x']}.dimshuffle({', '.join(repr(p) for p in step['pattern'])})"
    if kind == "scan":
        return _scan(i, step, steps)
    if kind == "ifelse":
        ndim = len(step["shape"])
        a, b = (_fix(f"v{step[branch]}", step["dtype"], ndim) for branch in ("a", "b"))
        return f"ifelse(T.gt(T.sum(v{step['cond']}), 0), {a}, {b})"
    if kind == "grad":
        cost = f"v{step['cost']}"
        if not steps[step["cost"]]["dtype"].startswith("float"):
            cost = f"T.cast({cost}, 'float32')"
        return f"T.grad(T.sum({cost}), v{step['wrt']}, disconnected_inputs='ignore')"
    if kind == "print":
        return f"theano.printing.Print('v{step['x']}')(v{step['x']})"
    raise ValueError(f"unknown step kind {kind!r}")


def render(spec: Dict, name: str) -> str:
    """The builder module of ``spec``, registered as ``name``."""
    steps = spec["steps"]
    lines = [f"    v{i} = {expression(i, step, steps)}" for i, step in enumerate(steps)]
    updates = []
    for number, (shared, value) in enumerate(spec["updates"]):
        target = steps[shared]
        lines.append(f"    u{number} = {_fix(f'v{value}', target['dtype'], len(target['shape']))}")
        updates.append(f"(v{shared}, u{number})")
    inputs = [f"v{i}" for i, step in enumerate(steps) if step["kind"] == "input"]
    outputs = [f"v{i}" for i in spec["outputs"]]
    lines.append(f"    return [{', '.join(inputs)}], [{', '.join(outputs)}], [{', '.join(updates)}]")
    shapes = ""
    if spec.get("declare_shapes"):  # memory prediction needs every input's shape
        declared = {f"x{i}": tuple(step["shape"]) for i, step in enumerate(steps) if step["kind"] == "input"}
        shapes = f", shapes={declared!r}" if declared else ""
    unused = "" if spec.get("strict_inputs") else ', on_unused_input="ignore"'
    return HEADER + "\n".join(lines) + "\n" + BUILDER.format(name=name, shapes=shapes, unused=unused)
