"""Numeric shapes of every variable of an optimized graph, without running it.

Theano's ShapeFeature (``fgraph.shape_feature``) already holds each
variable's shape as a small symbolic graph over the shapes of the graph's
inputs.  We evaluate those graphs on the host with each op's own Python
``perform``: nothing is allocated on the device.  Input shapes come from test
values, shapes declared at registration (named dims resolved from the
config) and the real values of shared variables.  A dimension that cannot be
known (data-dependent, e.g. nonzero) takes an explicit assumption that is
recorded, never 0.
"""

from typing import Dict, List, Optional, Sequence, Set, Tuple

import numpy as np
from theano.compile.ops import Shape, Shape_i
from theano.gof.graph import Constant

from theanolint.analysis import graph
from theanolint.analysis.memory import op_shapes
from theanolint.builders import ShapeError


class _Unknown(Exception):
    pass


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


def input_shapes(fgraph, declared: Dict[str, Sequence], dims: Dict[str, int]) -> Dict[object, tuple]:
    """Known shapes of the graph's inputs, in the order of the issue's sources."""
    known = {}
    for var in fgraph.inputs:
        if graph.is_shared(var):
            known[var] = shared_shape(var)
            continue
        test_value = getattr(var.tag, "test_value", None)
        if test_value is not None:
            known[var] = tuple(int(d) for d in np.shape(test_value))
        elif var.name in declared:
            known[var] = declared_shape(var.name, declared[var.name], dims)
        else:
            continue
        if len(known[var]) != var.ndim:
            raise ShapeError(
                f"shape of {var.name!r} has rank {len(known[var])}, but the input is {var.ndim}-D ({var.type})"
            )
    return known


def _is_own_shape(dim, var) -> bool:
    """ShapeFeature's placeholder ``Shape_i(var)`` for a shape it could not infer."""
    return dim.owner is not None and isinstance(dim.owner.op, Shape_i) and dim.owner.inputs[0] is var


class ShapeEvaluator:
    """Evaluates ``shape_feature.shape_of`` for one function graph."""

    def __init__(self, fgraph, known: Dict[object, tuple], unknown_dim: int, inner=None):
        self.inner = inner or {}  # scan node -> its optimized inner function graph
        if not hasattr(fgraph, "shape_feature"):  # modes without ShapeOpt (FAST_COMPILE)
            from theano.tensor.opt import ShapeFeature

            fgraph.attach_feature(ShapeFeature())
        self.feature = fgraph.shape_feature
        self.known = dict(known)
        self.unknown_dim = unknown_dim
        self.assumed: List[object] = []  # variables with an assumed dimension
        self.values: Dict[object, object] = {}
        self._busy: Set[object] = set()

    def for_inner(self, fgraph, known: Dict[object, tuple]) -> "ShapeEvaluator":
        """An evaluator of an inner graph (a scan's), with this one's settings."""
        return ShapeEvaluator(fgraph, known, self.unknown_dim, self.inner)

    def shape(self, var) -> Optional[tuple]:
        """The numeric shape of ``var``; assumed dims are recorded in ``assumed``."""
        if var in self.known:
            return self.known[var]
        if graph.is_constant(var):
            return tuple(np.shape(var.data))
        if graph.is_shared(var):
            return shared_shape(var)
        if getattr(var.type, "ndim", None) is None:
            return None
        symbolic = self.feature.shape_of.get(var)
        if symbolic is None:
            return None
        try:
            self.known[var] = self._exact(var)
            return self.known[var]
        except _Unknown:
            pass
        dims = []
        for dim in symbolic:
            try:
                dims.append(int(self.value(dim)))
            except _Unknown:
                dims.append(self.unknown_dim)
                if var not in self.assumed:
                    self.assumed.append(var)
        self.known[var] = tuple(dims)
        return self.known[var]

    def _exact(self, var) -> tuple:
        """The shape from ShapeFeature, or from a rule for ops it cannot see through."""
        if var in self.known:
            return self.known[var]
        if graph.is_shared(var):
            return shared_shape(var)
        symbolic = self.feature.shape_of.get(var)
        if var in self._busy or (symbolic is None and var.owner is None):
            raise _Unknown()
        if var.owner is not None and (
            symbolic is None  # made by a later rewrite
            or any(_is_own_shape(dim, var) for dim in symbolic)
            or type(var.owner.op).__name__ in op_shapes.OP_SHAPES
        ):
            return self._from_inputs(var)
        return tuple(int(self.value(dim)) for dim in symbolic)

    def _from_inputs(self, var) -> tuple:
        """Shape of ``var`` from its inputs' shapes: a rule, else the op's infer_shape."""
        node = var.owner
        self._busy.add(var)
        try:
            shapes = [self._exact(i) if getattr(i.type, "ndim", None) is not None else () for i in node.inputs]
            outs = op_shapes.output_shapes(node, shapes, self)
            if outs is None and hasattr(node.op, "infer_shape"):
                outs = node.op.infer_shape(node, shapes)
        except Exception:
            raise _Unknown() from None
        finally:
            self._busy.discard(var)
        out = outs[node.outputs.index(var)] if outs is not None else None
        if out is None:
            raise _Unknown()
        return tuple(int(d if isinstance(d, (int, np.integer)) else self.value(d)) for d in out)

    def value(self, var):
        """The value of a scalar or vector of the shape graph."""
        if isinstance(var, Constant):
            return var.data
        if var in self.values:
            return self.values[var]
        if var.owner is None or var in self._busy:
            raise _Unknown()
        node = var.owner
        self._busy.add(var)
        try:
            if isinstance(node.op, (Shape_i, Shape)):
                shape = self._shape_of_input(node.inputs[0])
                value = np.int64(shape[node.op.i]) if isinstance(node.op, Shape_i) else np.asarray(shape, dtype="int64")
            else:
                value = self._perform(node, [self.value(i) for i in node.inputs])[node.outputs.index(var)]
        finally:
            self._busy.discard(var)
        self.values[var] = value
        return value

    def known_value(self, var):
        """``value(var)``, or None where it cannot be known."""
        try:
            return self.value(var)
        except _Unknown:
            return None

    def _shape_of_input(self, var):
        return self._exact(var)

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
            raise _Unknown() from None
        return [storage[v][0] for v in node.outputs]
