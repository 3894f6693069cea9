"""Hypothesis strategy for random, valid Theano graphs, drawn as plain data.

A *spec* is JSON-able: a list of steps, each making one value (``v<i>``), the
outputs and the updates.  ``graph_source.render`` turns it into a builder
module, one line per step, so every variable of the graph has a line of its
own.  The strategy tracks each value's dtype and concrete shape (computed with
numpy on zeros, never with Theano: the pytest process does not import it),
so every drawn graph is one Theano builds, optimizes and could run.
"""

import numpy as np
from hypothesis import strategies as st

FLOATS = ["float32", "float16", "float64"]
INTS = ["int64", "int32", "int8"]
DTYPES = FLOATS + INTS  # float32 first: it is what shrinking lands on
SIZES = st.sampled_from([3, 2, 4])
SHARED_NAMES = st.one_of(st.none(), st.sampled_from(["w", "b", "w", "bias", "state"]))
OPS = [
    "binary",
    "unary",
    "dot",
    "gemm",
    "reduce",
    "subtensor",
    "advanced",
    "inc",
    "reshape",
    "dimshuffle",
    "scan",
    "ifelse",
    "cast",
    "print",
    "grad",
]
UNARY = ["exp", "tanh", "nnet.sigmoid", "neg", "abs_", "sqr"]
BINARY = ["add", "mul", "sub", "maximum", "true_div"]
REDUCE = ["sum", "max", "argmax", "mean"]


def upcast(*dtypes) -> str:
    """Theano's upcast of array dtypes (numpy's rules on 0-d arrays)."""
    return str(np.result_type(*[np.zeros((), dtype=d) for d in dtypes]))


def constant_dtype(form: str, value) -> str:
    """The dtype Theano gives a constant written in ``form`` (floatX is float32)."""
    if form == "python":
        return "float32" if isinstance(value, float) else "int8"
    return form


class _Graph:
    """The steps drawn so far and the (dtype, shape) of each value."""

    def __init__(self, draw):
        self.draw = draw
        self.steps, self.types = [], []

    def add(self, step, dtype, shape):
        step = dict(step, dtype=dtype, shape=list(shape))
        self.steps.append(step)
        self.types.append((dtype, tuple(shape)))
        return len(self.steps) - 1

    def pick(self, accept=lambda dtype, shape: True, kind=None):
        """A value that ``accept``s (of ``kind``), recent ones more likely; None if none."""
        candidates = [
            i for i, (d, s) in enumerate(self.types) if accept(d, s) and kind in (None, self.steps[i]["kind"])
        ]
        if not candidates:
            return None
        recent = candidates[::-1][:4]
        return self.draw(st.sampled_from(recent + candidates))

    def leaf(self, dtype=None, shape=None, kind=None, int_only=False):
        dtype = dtype or self.draw(st.sampled_from(INTS if int_only else DTYPES))
        if shape is None:
            shape = self.draw(st.lists(SIZES, min_size=0, max_size=3))
        kind = kind or self.draw(st.sampled_from(["input", "shared"]))
        step = {"kind": kind}
        if kind == "shared":
            step["name"] = self.draw(SHARED_NAMES)
        return self.add(step, dtype, shape)

    def shape(self, index):
        return self.types[index][1]

    def dtype(self, index):
        return self.types[index][0]


def _constant(draw, dtype_hint: str, shape=()):
    """An inline constant operand: a Python number, a numpy scalar or array."""
    form = draw(st.sampled_from(["python", "float64", "float32", "int64", "float16", "int32"]))
    if form == "python":
        value = draw(st.sampled_from([0.5, 2]))
    else:
        value = 2 if form.startswith("int") else 0.5
    if shape and form != "python" and draw(st.booleans()):
        return {"const": value, "form": form, "shape": list(shape)}
    return {"const": value, "form": form}


def _operand_dtype(graph, operand):
    if isinstance(operand, dict):
        return constant_dtype(operand["form"], operand["const"])
    return graph.dtype(operand)


def _binary(graph):
    x = graph.pick()
    shape = graph.shape(x)
    fn = graph.draw(st.sampled_from(BINARY))
    same = graph.pick(lambda d, s: s == shape or s == ())
    if same is None or graph.draw(st.booleans()):
        y = _constant(graph.draw, graph.dtype(x), shape)
    else:
        y = same
    dtype = upcast(graph.dtype(x), _operand_dtype(graph, y))
    if fn == "true_div" and dtype in INTS:
        dtype = "float64" if dtype in ("int32", "int64") else "float32"
    graph.add({"kind": "binary", "fn": fn, "x": x, "y": y}, dtype, shape)


def _unary(graph):
    x = graph.pick()
    fn = graph.draw(st.sampled_from(UNARY))
    dtype = graph.dtype(x)
    if fn in ("exp", "tanh", "nnet.sigmoid") and dtype in INTS:
        dtype = "float32" if dtype == "int8" else "float64"
    graph.add({"kind": "unary", "fn": fn, "x": x}, dtype, graph.shape(x))


def _cast(graph):
    x = graph.pick()
    dtype = graph.draw(st.sampled_from(DTYPES))
    graph.add({"kind": "cast", "x": x}, dtype, graph.shape(x))


def _matrix_or_vector(graph):
    x = graph.pick(lambda d, s: len(s) in (1, 2))
    return x if x is not None else graph.leaf(shape=graph.draw(st.lists(SIZES, min_size=1, max_size=2)))


def _dot_operand(graph, rows, ndim=None):
    """A value whose first dimension is ``rows`` (new shared weights if none)."""
    found = graph.pick(lambda d, s: len(s) in ((ndim,) if ndim else (1, 2)) and s[0] == rows)
    if found is not None and graph.draw(st.booleans()):
        return found
    columns = [] if ndim == 1 else [graph.draw(SIZES)]
    return graph.leaf(dtype=graph.draw(st.sampled_from(FLOATS)), shape=[rows] + columns, kind="shared")


def _dot(graph):
    x = _matrix_or_vector(graph)
    y = _dot_operand(graph, graph.shape(x)[-1])
    shape = graph.shape(x)[:-1] + graph.shape(y)[1:]
    graph.add({"kind": "dot", "x": x, "y": y}, upcast(graph.dtype(x), graph.dtype(y)), shape)


def _gemm(graph):
    x = graph.pick(lambda d, s: len(s) == 2)
    if x is None:
        x = graph.leaf(dtype="float32", shape=[graph.draw(SIZES), graph.draw(SIZES)], kind="input")
    y = _dot_operand(graph, graph.shape(x)[1], ndim=2)
    shape = (graph.shape(x)[0], graph.shape(y)[1])
    c = graph.pick(lambda d, s: s == shape)
    if c is None:
        c = graph.leaf(dtype=graph.draw(st.sampled_from(FLOATS)), shape=shape, kind="shared")
    alpha = graph.draw(
        st.sampled_from(
            [{"const": 0.5, "form": "python"}, {"const": 0.5, "form": "float64"}, {"const": 0.5, "form": "float32"}]
        )
    )
    dtype = upcast(graph.dtype(c), _operand_dtype(graph, alpha), graph.dtype(x), graph.dtype(y))
    graph.add({"kind": "gemm", "c": c, "x": x, "y": y, "alpha": alpha}, dtype, shape)


def _reduce(graph):
    x = graph.pick(lambda d, s: len(s) >= 1)
    if x is None:
        x = graph.leaf(shape=[graph.draw(SIZES)])
    shape = graph.shape(x)
    fn = graph.draw(st.sampled_from(REDUCE))
    axis = graph.draw(st.one_of(st.none(), st.integers(0, len(shape) - 1)))
    out = () if axis is None else shape[:axis] + shape[axis + 1 :]
    dtype = graph.dtype(x)
    if fn == "argmax":
        dtype = "int64"
    elif fn == "sum" and dtype in INTS:
        dtype = "int64"
    elif fn == "mean" and dtype in INTS:
        dtype = "float64"
    graph.add({"kind": "reduce", "fn": fn, "x": x, "axis": axis}, dtype, out)


def _basic_index(graph, shape):
    """A basic index (ints and slices) for a value of ``shape``, as JSON items."""
    count = graph.draw(st.integers(1, len(shape)))
    items = []
    for size in shape[:count]:
        if graph.draw(st.booleans()):
            items.append({"int": graph.draw(st.integers(-size, size - 1))})
        else:
            start = graph.draw(st.one_of(st.none(), st.integers(0, size - 1)))
            step = graph.draw(st.sampled_from([None, None, -1, 2]))
            items.append({"slice": [start, None, step]})
    return items


def index_key(items):
    """The numpy index the JSON items stand for."""
    return tuple(item["int"] if "int" in item else slice(*item["slice"]) for item in items)


def _subtensor(graph):
    x = graph.pick(lambda d, s: len(s) >= 1)
    if x is None:
        x = graph.leaf(shape=[graph.draw(SIZES), graph.draw(SIZES)])
    items = _basic_index(graph, graph.shape(x))
    shape = np.zeros(graph.shape(x))[index_key(items)].shape
    graph.add({"kind": "subtensor", "x": x, "index": items}, graph.dtype(x), shape)


def _int_index(graph, bound):
    """An integer index vector: a constant (values below ``bound``) or an int input."""
    if graph.draw(st.booleans()):
        values = graph.draw(st.lists(st.integers(0, bound - 1), min_size=1, max_size=4))
        return {"values": values, "dtype": graph.draw(st.sampled_from(["int64", "int32"]))}
    found = graph.pick(lambda d, s: d in ("int32", "int64") and len(s) == 1, kind="input")
    if found is not None and graph.draw(st.booleans()):
        return found
    dtype = graph.draw(st.sampled_from(["int64", "int32"]))
    return graph.leaf(dtype=dtype, shape=[graph.draw(SIZES)], kind="input")


def _index_length(graph, index):
    return len(index["values"]) if isinstance(index, dict) else graph.shape(index)[0]


def _advanced_index(graph):
    """(x, index description, shape of x[index]) for a 1-D or mixed advanced index."""
    x = graph.pick(lambda d, s: len(s) >= 1)
    if x is None:
        x = graph.leaf(shape=[graph.draw(SIZES), graph.draw(SIZES)])
    shape = graph.shape(x)
    index = _int_index(graph, shape[0])
    length = _index_length(graph, index)
    mixed = len(shape) >= 2 and graph.draw(st.booleans())
    if mixed:
        column = graph.draw(st.integers(0, shape[1] - 1))
        return x, {"ids": index, "column": column}, (length,) + tuple(shape[2:])
    return x, {"ids": index}, (length,) + tuple(shape[1:])


def _advanced(graph):
    x, index, shape = _advanced_index(graph)
    graph.add({"kind": "advanced", "x": x, "index": index}, graph.dtype(x), shape)


def _inc(graph):
    if graph.draw(st.booleans()):
        x, index, shape = _advanced_index(graph)
    else:
        x = graph.pick(lambda d, s: len(s) >= 1)
        if x is None:
            x = graph.leaf(shape=[graph.draw(SIZES)])
        index = {"basic": _basic_index(graph, graph.shape(x))}
        shape = np.zeros(graph.shape(x))[index_key(index["basic"])].shape
    y = graph.pick(lambda d, s: s == tuple(shape) or s == ())
    if y is None:
        y = _constant(graph.draw, graph.dtype(x))
    fn = graph.draw(st.sampled_from(["inc_subtensor", "set_subtensor"]))
    graph.add({"kind": "inc", "fn": fn, "x": x, "index": index, "y": y}, graph.dtype(x), graph.shape(x))


def _factorizations(size, parts):
    if parts == 1:
        return [[size]]
    return [
        [first] + rest
        for first in range(1, size + 1)
        if size % first == 0
        for rest in _factorizations(size // first, parts - 1)
    ]


def _reshape(graph):
    x = graph.pick(lambda d, s: len(s) >= 1)
    if x is None:
        x = graph.leaf(shape=[graph.draw(SIZES), graph.draw(SIZES)])
    size = int(np.prod(graph.shape(x)))
    choices = [s for parts in (1, 2, 3) for s in _factorizations(size, parts)]
    shape = graph.draw(st.sampled_from(choices))
    graph.add({"kind": "reshape", "x": x, "to": shape}, graph.dtype(x), shape)


def _dimshuffle(graph):
    x = graph.pick()
    ndim = len(graph.shape(x))
    order = list(graph.draw(st.permutations(list(range(ndim)))))
    for _ in range(graph.draw(st.integers(0 if ndim else 1, 1))):
        order.insert(graph.draw(st.integers(0, len(order))), "x")
    shape = [1 if o == "x" else graph.shape(x)[o] for o in order]
    graph.add({"kind": "dimshuffle", "x": x, "pattern": order}, graph.dtype(x), shape)


def _scan(graph):
    steps = graph.draw(st.sampled_from([1, 2]))
    seq = graph.pick(lambda d, s: len(s) >= 1 and s[0] >= steps)
    use_sequence = seq is not None and graph.draw(st.booleans())
    state_shape = (
        tuple(graph.shape(seq)[1:]) if use_sequence else tuple(graph.shape(graph.pick()) if graph.types else ())
    )
    init = graph.pick(lambda d, s: s == state_shape)
    if init is None:
        init = graph.leaf(shape=list(state_shape))
    body = graph.draw(st.sampled_from(["add", "tanh", "scale", "shared"]))
    step = {
        "kind": "scan",
        "steps": steps,
        "seq": seq if use_sequence else None,
        "init": init,
        "body": body,
        "state": graph.draw(st.sampled_from(FLOATS + ["int32"])),
        "last": graph.draw(st.booleans()),
    }
    if body == "scale":
        step["const"] = _constant(graph.draw, step["state"])
    if body == "shared":
        step["weight"] = graph.pick(lambda d, s: s in (state_shape, ()), kind="shared")
        if step["weight"] is None:
            step["weight"] = graph.leaf(
                dtype=graph.draw(st.sampled_from(FLOATS)), shape=list(state_shape), kind="shared"
            )
    shape = state_shape if step["last"] else (steps,) + state_shape
    graph.add(step, step["state"], shape)


def _ifelse(graph):
    a = graph.pick()
    shape = graph.shape(a)
    b = graph.pick(lambda d, s: s == shape)
    cond = graph.pick()
    dtype = graph.draw(st.sampled_from([graph.dtype(a), graph.dtype(b)]))
    graph.add({"kind": "ifelse", "cond": cond, "a": a, "b": b}, dtype, shape)


def _ancestors(graph, index):
    seen, todo = set(), [index]
    while todo:
        for used in _uses(graph.steps[todo.pop()]):
            if used not in seen:
                seen.add(used)
                todo.append(used)
    return seen


def _grad(graph):
    """The gradient of a value's sum with respect to a float leaf it depends on."""
    cost = graph.pick(lambda d, s: True)
    leaves = sorted(
        i for i in _ancestors(graph, cost) if graph.steps[i]["kind"] in ("input", "shared") and graph.dtype(i) in FLOATS
    )
    if not leaves:
        return _binary(graph)
    wrt = graph.draw(st.sampled_from(leaves))
    graph.add({"kind": "grad", "cost": cost, "wrt": wrt}, graph.dtype(wrt), graph.shape(wrt))


def _print(graph):
    x = graph.pick()
    graph.add({"kind": "print", "x": x}, graph.dtype(x), graph.shape(x))


_MAKERS = {
    "binary": _binary,
    "unary": _unary,
    "dot": _dot,
    "gemm": _gemm,
    "reduce": _reduce,
    "subtensor": _subtensor,
    "advanced": _advanced,
    "inc": _inc,
    "reshape": _reshape,
    "dimshuffle": _dimshuffle,
    "scan": _scan,
    "ifelse": _ifelse,
    "cast": _cast,
    "print": _print,
    "grad": _grad,
}


def _uses(step):
    """The values a step reads."""
    used = [step.get(key) for key in ("x", "y", "c", "seq", "init", "weight", "cond", "a", "b", "cost", "wrt")]
    index = step.get("index") or {}
    used.append(index.get("ids") if isinstance(index, dict) else None)
    return {u for u in used if isinstance(u, int)}


def _sinks(steps):
    """The ops nothing reads: the function's outputs, so that every op is used."""
    read = set().union(*(_uses(step) for step in steps))
    return [i for i, step in enumerate(steps) if i not in read and step["kind"] not in ("input", "shared")]


@st.composite
def graph_specs(draw, max_steps: int = 8):
    """A random builder: leaves, then up to ``max_steps`` ops, outputs and updates."""
    graph = _Graph(draw)
    for _ in range(draw(st.integers(1, 3))):
        graph.leaf()
    for op in draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=max_steps)):
        if op == "print" and not draw(st.integers(0, 3)) == 0:
            op = "binary"  # Print is rare in real code
        _MAKERS[op](graph)
    outputs = _sinks(graph.steps) or [len(graph.steps) - 1]
    updates = []
    for index, step in enumerate(graph.steps):
        if step["kind"] == "shared" and draw(st.integers(0, 3)) == 0:
            value = graph.pick(lambda d, s, wanted=graph.types[index][1]: s == wanted)
            if value is not None and value != index:
                updates.append([index, value])
    return {
        "steps": graph.steps,
        "outputs": outputs,
        "updates": updates,
        "declare_shapes": draw(st.booleans()),
        # Theano's default on_unused_input="raise": an input the outputs do not
        # use fails the function (a TL002 Theano itself would raise too)
        "strict_inputs": draw(st.integers(0, 9)) == 0,
    }
