"""Numeric shapes of every variable of an optimized graph, without running it.

Theano's ShapeFeature (``fgraph.shape_feature``) already holds each
variable's shape as a small symbolic graph over the shapes of the graph's
inputs.  We evaluate those graphs on the host with each op's own Python
``perform``: nothing is allocated on the device.  Input shapes come from
shapes declared at registration (named dims resolved from the config), test
values and the real values of shared variables; shape graphs also read the
values of shared scalars (a ``givens`` batch size, a sample count).

A dimension that cannot be known takes an explicit assumption
(``memory.unknown_dim``), never 0, and the assumption is contagious: every
shape or value computed from it is marked too, with the reason (the op whose
shape could not be computed), so that no verdict rests on a guess.  An integer
scalar input (a minibatch index) has no value before a run: shapes that read
one are computed for two values of it and count as known only where both agree
(``x[i * bs:(i + 1) * bs]`` has ``bs`` rows whatever ``i``).
"""

from typing import Callable, Dict, FrozenSet, Optional, Set, Tuple

import numpy as np
from theano.compile.ops import Shape, Shape_i
from theano.gof.graph import Constant

from theanolint.analysis import graph
from theanolint.analysis.memory import op_shapes
from theanolint.analysis.memory.inputs import shared_shape
from theanolint.analysis.memory.unknown import Unknown

PROBES = (0, 1)  # values an integer scalar input takes while its shapes are checked
NO_REASONS: FrozenSet[str] = frozenset()


def _is_own_shape(dim, var) -> bool:
    """ShapeFeature's placeholder ``Shape_i(var)`` for a shape it could not infer."""
    return dim.owner is not None and isinstance(dim.owner.op, Shape_i) and dim.owner.inputs[0] is var


def _op_name(var) -> str:
    return type(var.owner.op).__name__ if var.owner is not None else "an input"


def _is_index(var) -> bool:
    """An integer scalar input: a minibatch index, a step count."""
    return (
        var.owner is None and getattr(var.type, "ndim", None) == 0 and str(var.type.dtype).startswith(("int", "uint"))
    )


class ShapeEvaluator:
    """Evaluates ``shape_feature.shape_of`` for one function graph.

    ``assumed`` maps each variable whose shape rests on ``unknown_dim`` to
    why; ``probed`` holds those whose shape read an index input's value.
    """

    def __init__(
        self,
        fgraph,
        known: Dict[object, tuple],
        unknown_dim: int,
        inner=None,
        probe: int = PROBES[0],
        assumed_inputs: Optional[Dict[object, str]] = None,
    ):
        self.inner = inner or {}  # scan node -> its optimized inner function graph
        if not hasattr(fgraph, "shape_feature"):  # modes without ShapeOpt (FAST_COMPILE)
            from theano.tensor.opt import ShapeFeature

            fgraph.attach_feature(ShapeFeature())
        self.fgraph = fgraph
        self.feature = fgraph.shape_feature
        self.given = dict(known)
        self.unknown_dim = unknown_dim
        self.probe = probe
        self.assumed: Dict[object, str] = {}
        self.probed: Set[object] = set()
        self._shapes: Dict[object, tuple] = dict(known)
        self._values: Dict[object, object] = {}
        self._taint: Dict[Tuple[str, object], FrozenSet[str]] = {}  # cache entry -> reasons it rests on
        self.assumed_inputs = dict(assumed_inputs or {})  # an inner graph's inputs of assumed outer shapes
        for var, why in self.assumed_inputs.items():
            self._taint[("shape", var)] = frozenset([why])
        self._reasons: Set[str] = set()  # of the computation under way
        self._busy: Set[object] = set()

    def for_inner(self, fgraph, known: Dict[object, tuple], assumed: Optional[Dict[object, str]] = None):
        """An evaluator of an inner graph (a scan's), with this one's settings;
        ``assumed``: its inputs whose outer shapes are assumed, and why."""
        return ShapeEvaluator(fgraph, known, self.unknown_dim, self.inner, self.probe, assumed)

    def with_probe(self, probe: int) -> "ShapeEvaluator":
        """The same graph evaluated with index inputs set to ``probe``."""
        return ShapeEvaluator(self.fgraph, self.given, self.unknown_dim, self.inner, probe, self.assumed_inputs)

    # --- the cache: every entry remembers the guesses it rests on ---

    def _cached(self, kind: str, cache: Dict, var, compute: Callable[[], object]):
        if var in cache:
            self._reasons |= self._taint.get((kind, var), NO_REASONS)
            return cache[var]
        outer, self._reasons = self._reasons, set()
        try:
            result = compute()
            cache[var] = result
            if self._reasons:
                self._taint[(kind, var)] = frozenset(self._reasons)
            return result
        finally:
            self._reasons = outer | self._reasons

    def _guess(self, why: str) -> int:
        self._reasons.add(why)
        return self.unknown_dim

    # --- shapes ---

    def shape(self, var) -> Optional[tuple]:
        """The numeric shape of ``var`` (dims that cannot be known take ``unknown_dim``)."""
        if getattr(var.type, "ndim", None) is None and not graph.is_shared(var):
            return None
        if var not in self._shapes and var.owner is not None and self.feature.shape_of.get(var) is None:
            if self._try(lambda: self._exact(var)) is None:
                return None  # no symbolic shape and no rule: nothing to predict
        outer, self._reasons = self._reasons, set()
        try:
            result = self._cached("shape", self._shapes, var, lambda: self._best(var))
            reasons = set(self._reasons)
        finally:
            self._reasons = outer | self._reasons  # a rule that asked (a scan's) rests on it too
        guesses = sorted(r for r in reasons if not r.startswith("value of"))
        if guesses:
            self.assumed.setdefault(var, guesses[0])
        elif reasons:
            self.probed.add(var)
        return result

    def _try(self, compute):
        outer = set(self._reasons)
        try:
            return compute()
        except Unknown:
            return None
        finally:
            self._reasons = outer

    def _best(self, var) -> tuple:
        """The exact shape, else ShapeFeature's dims with the unknown ones guessed."""
        try:
            return self._exact(var)
        except Unknown as unknown:
            why = unknown.why
        symbolic = self.feature.shape_of.get(var)
        if symbolic is None:
            return tuple(self._guess(why) for _ in range(var.ndim))
        dims = []
        for dim in symbolic:
            try:
                dims.append(int(self.value(dim)))
            except Unknown as unknown:
                dims.append(self._guess(unknown.why if not _is_own_shape(dim, var) else why))
        return tuple(dims)

    def _exact(self, var) -> tuple:
        """The shape from ShapeFeature, or from a rule for ops it cannot see through."""
        if var in self._shapes:
            return self._cached("shape", self._shapes, var, lambda: None)  # reads the taint too
        if graph.is_constant(var):
            return tuple(int(d) for d in np.shape(var.data))
        if graph.is_shared(var):
            return shared_shape(var)
        if getattr(var.type, "ndim", None) == 0:
            return ()
        symbolic = self.feature.shape_of.get(var)
        if var in self._busy or var.owner is None:
            raise Unknown(f"the shape of input {var.name or var.type}")
        if (
            symbolic is None  # made by a later rewrite
            or any(_is_own_shape(dim, var) for dim in symbolic)
            or type(var.owner.op).__name__ in op_shapes.OP_SHAPES
        ):
            return self._cached("shape", self._shapes, var, lambda: self._from_inputs(var))
        return self._cached("shape", self._shapes, var, lambda: tuple(int(self.value(dim)) for dim in symbolic))

    def _from_inputs(self, var) -> tuple:
        """Shape of ``var`` from its inputs' shapes: a rule, else the op's infer_shape."""
        node = var.owner
        self._busy.add(var)
        try:
            shapes = [self._exact(i) if getattr(i.type, "ndim", None) is not None else () for i in node.inputs]
            index = node.outputs.index(var)
            outs = op_shapes.output_shapes(node, shapes, self)
            if (outs is None or outs[index] is None) and hasattr(node.op, "infer_shape"):
                outs = node.op.infer_shape(node, shapes)  # also a scan a rewrite replaced
            out = outs[index] if outs is not None else None
            if out is None:
                raise Unknown(f"{_op_name(var)} has no shape rule")
            return tuple(int(d if isinstance(d, (int, np.integer)) else self.value(d)) for d in out)
        except Unknown:
            raise
        except Exception as error:
            raise Unknown(f"{_op_name(var)}'s shape failed ({type(error).__name__})") from None
        finally:
            self._busy.discard(var)

    # --- values of the shape graph ---

    def value(self, var):
        """The value of a scalar or vector of the shape graph."""
        if isinstance(var, Constant):
            return var.data
        if graph.is_shared(var):
            return var.get_value(borrow=True)
        if var in self._busy:
            raise Unknown(f"a shape that depends on itself ({_op_name(var)})")
        if var.owner is None:
            if _is_index(var):
                self._reasons.add(f"value of {var.name or 'an index input'}")
                return np.asarray(self.probe, dtype=var.type.dtype)
            raise Unknown(f"the value of input {var.name or var.type}, known only when it runs")
        return self._cached("value", self._values, var, lambda: self._compute(var))

    def _compute(self, var):
        node = var.owner
        self._busy.add(var)
        try:
            if isinstance(node.op, (Shape_i, Shape)):
                shape = self._exact(node.inputs[0])
                return np.int64(shape[node.op.i]) if isinstance(node.op, Shape_i) else np.asarray(shape, dtype="int64")
            if type(node.op).__name__ == "IfElse":
                return self._either(node, var)
            return self._perform(node, [self.value(i) for i in node.inputs])[node.outputs.index(var)]
        finally:
            self._busy.discard(var)

    def _either(self, node, var):
        """An IfElse of the shape graph: its condition is known only at run time,
        but branches of equal value (a shape either way) have that value."""
        index, count = node.outputs.index(var), len(node.outputs)
        then, otherwise = self.value(node.inputs[1 + index]), self.value(node.inputs[1 + count + index])
        if np.shape(then) != np.shape(otherwise) or not np.array_equal(then, otherwise):
            raise Unknown(op_shapes.IFELSE_DIFFERS)
        return then

    def known_value(self, var):
        """``value(var)``, or None where it cannot be known."""
        try:
            return self.value(var)
        except Unknown:
            return None

    @staticmethod
    def _perform(node, values):
        # Copies as arrays: shape graphs hold inplace ops (Elemwise{Mul}[(0, 0)]),
        # which would overwrite cached values, and perform wants ndarrays.
        storage = {v: [np.array(value)] for v, value in zip(node.inputs, values)}
        storage.update({v: [None] for v in node.outputs})
        compute = {v: [True] for v in node.inputs}
        compute.update({v: [False] for v in node.outputs})
        try:
            thunk = node.op.make_py_thunk(node, storage, compute, [])
            thunk()
        except Exception:
            raise Unknown(f"the value computed by {type(node.op).__name__}") from None
        return [storage[v][0] for v in node.outputs]
