"""Shapes of the ops Theano's ShapeFeature cannot see through, in exact bytes, and
that a guessed size never reaches a TL501/TL502 verdict.

Each case declares its inputs (``batch`` is 64, float32) and reads the memory
summary ``--memory --format json`` would print: the buffers the op's output makes
(or the first buffer computed from it), and no assumed size.
"""

import textwrap

import pytest

RULES = ["TL501", "TL502"]
CONFIG = {"dims": {"batch": 64}}

HEADER = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint
    from theano.ifelse import ifelse
    from theano.sandbox.rng_mrg import MRG_RandomStreams

    floatX = theano.config.floatX
    W = theano.shared(np.zeros((100, 30), dtype=floatX), name="W")


    @theanolint.register(name="case", shapes={shapes})
    def case():
        x = T.matrix("x")
{body}
"""


def _source(body, shapes='{"x": ("batch", 100)}'):
    return HEADER.format(body=textwrap.indent(textwrap.dedent(body).strip(), " " * 8), shapes=shapes)


def _memory(harness, body, config=CONFIG, shapes='{"x": ("batch", 100)}'):
    return harness.lint(_source(body, shapes), rules=RULES, config=config).memory()


def _buffers(memory, op):
    return [(tuple(b["shape"]), b["bytes"]) for b in memory["largest"] if b["op"].startswith(op)]


def _exact(memory):
    assert memory["assumptions"] == [], memory["assumptions"]
    return memory


@pytest.fixture
def large():
    """Room for every buffer in the table."""
    return {**CONFIG, "memory": {"top": 100}}


def test_print_is_a_view_of_its_input(harness, large):
    memory = _exact(
        _memory(
            harness,
            """
            shown = theano.printing.Print("shown")(T.tanh(x))
            return theano.function([x], shown.dot(W))
            """,
            large,
        )
    )
    assert _buffers(memory, "GpuDot22") == [((64, 30), 64 * 30 * 4)]


def test_deep_copy_of_an_input_returned_as_output(harness, large):
    memory = _exact(_memory(harness, "return theano.function([x], x)", large))
    assert _buffers(memory, "DeepCopyOp") == [((64, 100), 64 * 100 * 4)]


def test_ifelse_with_branches_of_one_shape(harness, large):
    memory = _exact(
        _memory(
            harness,
            """
            training = T.bscalar("training")
            dropped = ifelse(training, x * 0.5, x)
            return theano.function([x, training], dropped.dot(W))
            """,
            large,
        )
    )
    assert _buffers(memory, "GpuDot22") == [((64, 30), 64 * 30 * 4)]


def test_mrg_uniform_size_from_a_shared_scalars_value(harness, large):
    """The sample count of TheanoLM's noise: a shared scalar, read for its value."""
    source = _source(
        """
        samples = theano.shared(np.int64(7), name="samples")
        noise = MRG_RandomStreams(1).uniform((samples, 100))
        host = theano.compile.get_default_mode().excluding("gpuarray")
        on_gpu = theano.function([x], x.dot(W) + noise.dot(W).sum())
        return on_gpu, theano.function([x], noise.sum() + x.sum(), mode=host)
        """
    )
    result = harness.lint(source, rules=RULES, config=large)
    on_gpu, on_host = _exact(result.memory("case:0")), _exact(result.memory("case:1"))
    assert _buffers(on_gpu, "GPUA_mrg_uniform") == [((7, 100), 7 * 100 * 4)]
    assert ((7, 100), 7 * 100 * 4) in _buffers(on_host, "mrg_uniform")


def test_advanced_subtensor_with_two_index_vectors(harness, large):
    memory = _exact(
        _memory(
            harness,
            """
            rows, cols = T.ivector("rows"), T.ivector("cols")
            theanolint.declare_shape(rows, (10,))
            theanolint.declare_shape(cols, (10,))
            return theano.function([x, rows, cols], T.exp(x)[rows, cols] * 2)
            """,
            large,
        )
    )
    assert ((10,), 10 * 4) in _buffers(memory, "GpuAdvancedSubtensor")


def test_multinomial_and_choice_without_replacement(harness, large):
    memory = _exact(
        _memory(
            harness,
            """
            p = T.nnet.softmax(x.dot(W))
            streams = MRG_RandomStreams(1)
            counts = streams.multinomial(pvals=p, dtype="float32")
            picks = streams.choice(size=3, replace=False, p=p)
            return theano.function([x], [counts * 2, picks * 2])
            """,
            large,
        )
    )
    assert _buffers(memory, "GPUAMultinomialFromUniform") == [((30, 64), 30 * 64 * 4)]
    assert _buffers(memory, "GPUAChoiceFromUniform") == [((3, 64), 3 * 64 * 8)]


CONVOLUTION = """
import theano.tensor.signal.pool
images = T.tensor4("images")
theanolint.declare_shape(images, ("batch", 3, 16, 16))
kernels = theano.shared(np.zeros((8, 3, 3, 3), dtype=floatX), name="kernels")
features = T.nnet.conv2d(images, kernels, border_mode="valid")
pooled = T.signal.pool.pool_2d(T.nnet.relu(features), ws=(2, 2), ignore_border=True)
cost = pooled.sum() + x.sum()
return theano.function([x, images], [cost] + T.grad(cost, [images, kernels]), mode={mode})
"""
EXCLUDING_CUDNN = 'theano.compile.get_default_mode().excluding("cudnn")'


@pytest.mark.parametrize(
    "mode, ops",
    [
        (EXCLUDING_CUDNN, ("GpuCorrMM{", "GpuCorrMM_gradWeights", "GpuCorrMM_gradInputs")),
        ("None", ("GpuAllocEmpty",) * 3),  # cuDNN writes into a GpuAllocEmpty, in place
    ],
    ids=["corrmm", "cudnn"],
)
def test_convolution_and_its_gradients(harness, large, mode, ops):
    memory = _exact(_memory(harness, CONVOLUTION.format(mode=mode), large))
    forward, weights, inputs = ops
    assert ((64, 8, 14, 14), 64 * 8 * 14 * 14 * 4) in _buffers(memory, forward)
    assert ((8, 3, 3, 3), 8 * 3 * 3 * 3 * 4) in _buffers(memory, weights)
    assert ((64, 3, 16, 16), 64 * 3 * 16 * 16 * 4) in _buffers(memory, inputs)
    pools = [b for b in memory["largest"] if "Pool" in b["op"]]
    assert pools and all(tuple(b["shape"]) in ((64, 8, 7, 7), (64, 8, 14, 14)) for b in pools), pools


def test_reshape_to_a_constant_shape(harness, large):
    memory = _exact(_memory(harness, "return theano.function([x], T.tanh(x).reshape((-1, 50)) * 2)", large))
    assert ((128, 50), 128 * 50 * 4) in [(tuple(b["shape"]), b["bytes"]) for b in memory["largest"]]


def test_minibatch_slice_through_givens_has_batch_size_rows(harness, large):
    """The tutorials' idiom: a shared dataset sliced by an index input."""
    memory = _exact(
        _memory(
            harness,
            """
            data = theano.shared(np.zeros((1000, 100), dtype=floatX), name="data")
            index = T.lscalar("index")
            return theano.function([index], T.tanh(x).dot(W), givens={x: data[index * 20:(index + 1) * 20]})
            """,
            large,
            shapes="{}",
        )
    )
    assert _buffers(memory, "GpuDot22") == [((20, 30), 20 * 30 * 4)]


def test_a_slice_as_long_as_the_index_is_assumed(harness, large):
    memory = _memory(
        harness,
        """
        data = theano.shared(np.zeros((1000, 100), dtype=floatX), name="data")
        index = T.lscalar("index")
        return theano.function([index], T.tanh(x).dot(W), givens={x: data[:index]})
        """,
        large,
        shapes="{}",
    )
    reasons = {a["why"] for a in memory["assumptions"]}
    assert "its size depends on the value of an index input" in reasons, memory["assumptions"]


GUESSED = """
training = T.bscalar("training")
rows = ifelse(training, x, x[:1])  # a shape known only when it runs
wide = theano.shared(np.zeros((100, 5000), dtype=floatX), name="wide")
return theano.function([x, training], T.exp(rows.dot(wide)).sum())
"""


def test_a_guessed_size_never_gives_tl501_or_tl502(harness):
    """unknown_dim far beyond the budget: every buffer computed from the guess is
    marked assumed, with the reason, and neither rule fires."""
    config = {**CONFIG, "budget": {"cuda": "1MiB"}, "memory": {"unknown_dim": 10**6, "top": 100}}
    result = harness.lint(_source(GUESSED), rules=RULES, config=config)
    assert result.findings == ()
    memory = result.memory()
    assert memory["total_gpu"] > 2**30  # what the guess predicts
    reasons = {a["why"] for a in memory["assumptions"]}
    assert reasons == {"an IfElse whose branches differ in shape (its condition is known only when it runs)"}
    guessed = [b for b in memory["largest"] if b["bytes"] > 2**20]
    assert guessed and all(b["where"] in memory["assumed"] for b in guessed), (guessed, memory["assumed"])


def test_the_same_graph_with_a_size_that_is_known_is_reported(harness):
    config = {**CONFIG, "budget": {"cuda": "1MiB"}}
    source = _source(GUESSED.replace("x[:1]", "x * 2"))
    assert {f.code for f in harness.lint_source(source, rules=RULES, config=config)} == {"TL501", "TL502"}


def test_declared_shape_wins_over_a_test_value_and_says_so(harness, large):
    memory = _memory(
        harness,
        """
        x.tag.test_value = np.zeros((2, 100), dtype=floatX)
        return theano.function([x], T.tanh(x).dot(W))
        """,
        large,
    )
    assert _buffers(memory, "GpuDot22") == [((64, 30), 64 * 30 * 4)]
    assert memory["notes"] == ["x: declared shape (64, 100) used, not its test value's (2, 100)"]


def test_demand_order_is_the_stack_vms_own(harness):
    """The Stack VM (what profile_memory runs) executes nodes as outputs demand them;
    schedules.demand_order replays exactly the order it records."""
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.gof.vm import VM_Linker

    from theanolint.analysis.memory import schedules

    x = T.matrix("x")
    W = theano.shared(np.ones((3, 3), dtype="float32"), name="W")
    h = T.tanh(x.dot(W))
    outputs = [(h * 2).sum(), T.exp(h).max(), (x + 1).sum()]
    mode = theano.compile.Mode(
        linker=VM_Linker(allow_gc=True, callback=lambda *args, **kwargs: None), optimizer="fast_run"
    ).excluding("gpuarray")
    function = theano.function([x], outputs, mode=mode)
    function(np.ones((2, 3), dtype="float32"))
    executed = list(function.fn.node_executed_order)
    assert executed and schedules.demand_order(function.maker.fgraph) == executed
    assert executed != function.maker.fgraph.toposort()  # the two orders differ here


def test_3d_convolution_and_its_gradients_without_cudnn(harness, large):
    body = """
        volumes = T.TensorType(floatX, (False,) * 5)("volumes")
        theanolint.declare_shape(volumes, ("batch", 2, 8, 8, 8))
        kernels = theano.shared(np.zeros((4, 2, 3, 3, 3), dtype=floatX), name="kernels")
        cost = T.nnet.conv3d(volumes, kernels).sum() + x.sum()
        return theano.function([x, volumes], [cost] + T.grad(cost, [volumes, kernels]), mode={mode})
        """.format(mode=EXCLUDING_CUDNN)
    memory = _exact(_memory(harness, body, large))
    assert ((64, 4, 6, 6, 6), 64 * 4 * 6**3 * 4) in _buffers(memory, "GpuCorr3dMM{")
    assert ((4, 2, 3, 3, 3), 4 * 2 * 27 * 4) in _buffers(memory, "GpuCorr3dMM_gradWeights")
    assert ((64, 2, 8, 8, 8), 64 * 2 * 8**3 * 4) in _buffers(memory, "GpuCorr3dMM_gradInputs")


def test_advanced_subtensor_with_slices_in_numpys_order(harness, large):
    """Index arrays apart (a slice between): their shape comes first, as in NumPy."""
    body = """
        volume = T.tensor3("volume")
        rows, cols = T.ivector("rows"), T.ivector("cols")
        for var, shape in ((volume, ("batch", 5, 6)), (rows, (10,)), (cols, (10,))):
            theanolint.declare_shape(var, shape)
        apart = T.exp(volume)[rows, 1:4, cols]
        together = T.exp(volume)[2:7, rows, cols]
        return theano.function([x, volume, rows, cols], [apart * 2, together * 3, x.sum()])
        """
    memory = _exact(_memory(harness, body, large))
    shapes = {shape for shape, _ in _buffers(memory, "GpuAdvancedSubtensor")}
    assert shapes == {(10, 3), (5, 10)}, memory["largest"]
