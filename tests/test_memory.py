"""Memory prediction: exact bytes on graphs worked out by hand, the budget rules, --fit.

tests/projects/memory/functions.py has the functions; batch is 100, float32.
"""

import os

import pytest
from conftest import PROJECTS, theanolint

MEMORY = os.path.join(PROJECTS, "memory")


@pytest.fixture(scope="module")
def predicted():
    run = theanolint("--memory", "--format", "json", cwd=MEMORY)
    assert run.code == 0, run.stderr
    return {entry["name"]: entry for entry in run.report["memory"]}


def test_elementwise_chain_is_inplace(predicted):
    # GpuFromHost(x): 100*50*4 = 20000 B; exp(x) + 1 runs inplace on that copy.
    chain = predicted["chain:0"]
    assert (chain["peak_gpu"], chain["resident_gpu"]) == (20000, 0)
    assert (chain["peak_host"], chain["resident_host"]) == (20000, 20000)


def test_transposed_view_is_copied_by_gpucontiguous(predicted):
    # The copy (20000) and the transposed view's base (20000) are alive together;
    # the (100,) sum is freed-to-be; the view itself allocates nothing.
    assert predicted["views:0"]["peak_gpu"] == 40000


def test_dot_frees_its_input_after_use(predicted):
    # x on the GPU (80000) + x.dot(W) (100*300*4 = 120000); tanh is inplace.
    dot = predicted["dot:0"]
    assert dot["peak_gpu"] == 200000
    assert dot["resident_gpu"] == 200 * 300 * 4  # the shared weight W
    assert dot["largest"][0]["shape"] == [100, 300] and dot["largest"][0]["where"].endswith(":27")


def test_scan_buffers_and_inner_step(predicted):
    # x on the GPU (7*100*10*4 = 28000) + the output buffer (7, 100, 10) = 28000
    # + one step's inner tanh (100*10*4 = 4000) while the scan runs.
    scan = predicted["scan:0"]
    assert scan["peak_gpu"] == 60000
    assert any(b["scope"] == "scan 'accumulate'" and b["bytes"] == 4000 for b in scan["largest"])


def test_shapes_from_test_values(predicted):
    assert predicted["test_value:0"]["peak_gpu"] == 30 * 40 * 4


def test_unknown_input_shapes_give_no_prediction(predicted):
    assert predicted["undeclared:0"] == {"name": "undeclared:0", "unknown_inputs": ["x"]}


def test_seed_out_of_memory_with_exact_bytes():
    run = theanolint("--format", "json", "--config", "seed.yaml", cwd=MEMORY)
    assert run.code == 1, run.stderr
    seed = [f for f in run.findings if f["function"] == "seed:0"]
    (buffer,) = [f for f in seed if f["code"] == "TL502"]
    assert buffer["data"]["bytes"] == 482112 * 4000 * 4 == 7_713_792_000
    assert "7,713,792,000 bytes" in buffer["message"] and "(482112, 4000)" in buffer["message"]
    (total,) = [f for f in seed if f["code"] == "TL501"]
    assert total["data"]["bytes"] == 482112 * 200 * 4 + 482112 * 4000 * 4 + 200 * 4000 * 4
    assert total["data"]["budget"] == 4 * 2**30
    assert not [f for f in run.findings if f["function"] != "seed:0"]


def test_memory_table_and_fit():
    run = theanolint("--memory", "--fit", "batch", "--dim", "batch=1000", cwd=MEMORY)
    assert run.code == 0, run.stderr
    assert "memory of dot:0:" in run.stdout
    assert "GPU: peak working set" in run.stdout
    assert "input shapes unknown for x" in run.stdout
    # dot: 16 GiB budget - W (240000 B) over (200 + 300) * 4 bytes per row.
    expected = (16 * 2**30 - 240000) // 2000
    assert f"largest batch that fits: {expected}" in run.stdout
    # test_value:0 has its shape from a test value: no size of batch changes it.
    assert "the prediction does not depend on batch: no shape of this function uses it" in run.stdout


@pytest.mark.parametrize(
    "shapes,message",
    [
        ('{"x": ("bogus", 5)}', "uses dimension 'bogus', which has no size"),
        ('{"x": ("batch",)}', "has rank 1, but the input is 2-D"),
        ('{"y": ("batch", 5)}', "no input is 'y'"),
        ('{7: ("batch", 5)}', "no input is 7"),
    ],
)
def test_bad_shape_declarations(tmp_path, shapes, message):
    (tmp_path / ".theanolint.yaml").write_text("target: cuda\nmodules: [bad]\ndims: {batch: 4}\n")
    (tmp_path / "bad.py").write_text(
        "import theano, theano.tensor as T\nimport theanolint\n\n"
        f"@theanolint.register(name='bad', shapes={shapes})\n"
        "def bad():\n    x = T.matrix('x')\n    return theano.function([x], T.exp(x))\n"
    )
    run = theanolint("--memory", cwd=tmp_path)
    assert run.code == 2
    assert message in run.stderr and "bad.py:4" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_dim_option():
    run = theanolint("--memory", "--dim", "batch", cwd=MEMORY)
    assert run.code == 2 and "use NAME=SIZE" in run.stderr


DECLARED = """
import theano
import theano.tensor as T
import theanolint

X = T.matrix()  # a module-level input, declared by the variable itself


@theanolint.register(name="by_variable", shapes={X: ("batch", 5)})
def by_variable():
    return theano.function([X], T.exp(X))


@theanolint.register(name="by_position", shapes={0: ("batch", 5), 1: ("batch", 5)})
def by_position():
    a, b = T.matrix("input"), T.matrix("input")  # two layers named alike
    return theano.function([a, b], T.exp(a) + b)


@theanolint.register(name="in_the_builder")
def in_the_builder():
    x = theanolint.declare_shape(T.matrix(), ("batch", 5))
    return theano.function([x], T.exp(x))
"""


def test_inputs_declared_by_variable_position_or_in_the_builder(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: cuda\nmodules: [declared]\ndims: {batch: 4}\n")
    (tmp_path / "declared.py").write_text(DECLARED)
    run = theanolint("--memory", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    rows = {row["name"]: row for row in run.report["memory"]}
    assert sorted(rows) == ["by_position:0", "by_variable:0", "in_the_builder:0"]
    for row in rows.values():
        assert row["assumptions"] == [] and row["resident_host"] >= 4 * 5 * 4, row
    assert rows["by_position:0"]["resident_host"] == 2 * 4 * 5 * 4


def test_a_name_two_inputs_share_must_be_declared_by_position(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: cuda\nmodules: [declared]\ndims: {batch: 4}\n")
    (tmp_path / "declared.py").write_text(
        DECLARED.replace('shapes={0: ("batch", 5), 1: ("batch", 5)}', 'shapes={"input": ("batch", 5)}')
    )
    run = theanolint("--memory", cwd=tmp_path)
    assert run.code == 2
    assert "2 inputs are named 'input'; declare them by position" in run.stderr, run.stderr
    assert "declared.py:" in run.stderr and str(tmp_path) not in run.stderr  # the project's own path
    assert "Traceback" not in run.stderr
