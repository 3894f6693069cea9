"""theanolint.ruleset.naming on real Theano ops: short, bounded names for messages.

Theano is started by the ``harness`` fixture (on the virtual CUDA device) before
anything here imports it.
"""

import pytest

from theanolint.findings import shortened
from theanolint.ruleset import naming


@pytest.fixture
def theano(harness):
    import theano

    return theano


def _composite(scalar, build):
    a, b, c = scalar.float32("a"), scalar.float32("b"), scalar.int64("c")
    return scalar.Composite([a, b, c], [build(a, b, c)])


def test_elementwise_op_by_its_scalar_op(theano):
    from theano import scalar
    from theano.gpuarray.elemwise import GpuElemwise

    assert naming.op_name(GpuElemwise(scalar.mul)) == "GpuElemwise{mul}"
    assert naming.op_name(theano.tensor.Elemwise(scalar.Cast(scalar.float64))) == "Elemwise{Cast{float64}}"
    inplace = GpuElemwise(scalar.mul, {0: 0})
    assert str(inplace) == "GpuElemwise{mul}[(0, 0)]<gpuarray>" and naming.op_name(inplace) == "GpuElemwise{mul}"


def test_composite_by_the_scalar_ops_it_contains(theano):
    from theano import scalar
    from theano.gpuarray.elemwise import GpuElemwise

    fused = GpuElemwise(_composite(scalar, lambda a, b, c: scalar.exp(a * b)))
    assert str(fused).startswith("GpuElemwise{Composite{exp((i0 * i1))}}")
    assert naming.op_name(fused) == "GpuElemwise{Composite: exp, mul}"


def test_a_long_composite_is_named_by_a_few_ops_and_bounded(theano):
    """The shape arithmetic of a sliced mean: nested Composites of Switch, LT, ..."""
    from theano import scalar
    from theano.gpuarray.elemwise import GpuElemwise

    def build(a, b, c):
        n = c
        for _ in range(6):
            n = scalar.switch(scalar.lt(n, c), c + n, n - c)
        inner = scalar.Composite([c], [n])
        return a / scalar.Cast(scalar.float64)(inner(c)) + b

    fused = GpuElemwise(_composite(scalar, build))
    assert len(str(fused)) > 300
    name = naming.op_name(fused)
    assert name == "GpuElemwise{Composite: add, true_div, Cast{float64}, ...}"
    assert len(name) <= naming.MAX_LENGTH


def test_other_ops_by_their_text_when_short_else_their_class(theano):
    T = theano.tensor
    x = T.matrix("x")
    assert naming.node_name(T.dot(x, x).owner) == "dot"
    assert naming.op_name(T.elemwise.Sum(acc_dtype="float64")) == "Sum{acc_dtype=float64}"
    increment = T.subtensor.AdvancedIncSubtensor()
    assert len(str(increment)) > naming.MAX_LENGTH
    assert naming.op_name(increment) == "AdvancedIncSubtensor"


def test_several_ops_each_once_and_their_full_text_for_details(theano):
    T = theano.tensor
    x = T.matrix("x")
    nodes = [(x * 2).owner, (x * 3).owner, T.exp(x).owner, T.tanh(x).owner, T.sin(x).owner, T.cos(x).owner]
    assert naming.names(nodes, most=3) == "Elemwise{mul}, Elemwise{exp}, Elemwise{tanh}, ..."
    assert naming.details(nodes[:1]) == ["op: Elemwise{mul,no_inplace}"]


def test_shortened():
    assert shortened("x" * 10, 8) == "xxxxx..."
    assert shortened("short", 8) == "short"
