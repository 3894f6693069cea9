"""Keras 2.3.1 models (Theano backend) linted on both targets.

tests/projects/keras/keras_models.py builds three models through Keras's own
classes: a Sequential MLP with Dropout, a small CNN (Conv2D, BatchNormalization,
MaxPooling2D, Dense) and an Embedding -> LSTM model.  Keras creates every weight
with ``Variable.eval()`` of a random initializer while the builder runs (run on
the host, not linted) and makes its functions with ``theano.function`` from
site-packages/keras (captured and linted).  Keras is an installed framework, so
findings point at the builder's lines and name Keras's frame in the message.
Everything these three models get is about what Keras made (its optimizer
hyperparameters, the Dropout's random state, its gradient code), which the user
cannot change, so it is reported only with the rules' ``frameworks`` option:
these tests lint them with frameworks.theanolint.yaml.  The default run, where
only the user's custom layer is reported, is tests/test_precision.py's.

Every run passes --no-cache: the tests lint real graphs, and the random-value
probe's builder must run to write its file.
"""

import os
import re
import subprocess
import sys
from collections import Counter

import numpy
import pytest
from conftest import PROJECTS, REPO, theanolint

KERAS = os.path.join(PROJECTS, "keras")
MODELS = "keras_models.py"
FRAMEWORKS = "frameworks.theanolint.yaml"  # keras_models alone, what Keras made reported too
TARGETS = ("opencl", "cuda")

# Lines of keras_models.py (asserted against the file below).
DROPOUT, SGD, MLP_TRAIN = 19, 21, 23
ADAM, CNN_TRAIN = 37, 38
RMSPROP = 49
SOURCE = {
    DROPOUT: "model.add(layers.Dropout(0.5))",
    SGD: "model.compile(optimizer=optimizers.SGD(lr=0.01, momentum=0.9),",
    MLP_TRAIN: "model._make_train_function()",
    ADAM: 'model.compile(optimizer=optimizers.Adam(lr=0.001), loss="categorical_crossentropy")',
    CNN_TRAIN: "model._make_train_function()",
    RMSPROP: 'model.compile(optimizer=optimizers.RMSprop(lr=0.001), loss="binary_crossentropy")',
}

VARIABLE = "keras/backend/theano_backend.py:148, variable"  # K.variable -> theano.shared
DROPOUT_RNG = "keras/backend/theano_backend.py:1917, dropout"  # RandomStreams(seed) state
GRADIENTS = "keras/backend/theano_backend.py:1458, gradients"  # T.grad

# (code, function, line in keras_models.py, the Keras frame named in the message)
# of every finding on both targets, with multiplicity.
COMMON = Counter(
    {
        # The Dropout layer's MRG random state: an int32 shared variable Theano's
        # MRG_RandomStreams makes without a name; in the predict function too, which
        # takes Keras's learning phase as an input.
        ("TL301", "keras.mlp:train_function", DROPOUT, DROPOUT_RNG): 1,
        ("TL301", "keras.mlp:predict_function", DROPOUT, DROPOUT_RNG): 1,
        # Optimizer hyperparameters are K.variable scalars: Theano keeps 0-d shared
        # variables on the host, so each call copies them to the GPU.
        ("TL202", "keras.mlp:train_function", SGD, VARIABLE): 2,  # learning_rate, momentum
        ("TL202", "keras.cnn:train_function", ADAM, VARIABLE): 4,  # beta_1, beta_2, iterations, lr
        ("TL202", "keras.lstm:train_function", RMSPROP, VARIABLE): 2,  # learning_rate, rho
    }
)
# The gradient of the softmax: gpuarray has no SoftmaxGrad but cuDNN's, so on
# OpenCL it runs on the host between GPU ops; on CUDA it is GpuDnnSoftmaxGrad.
OPENCL_ONLY = Counter(
    {
        ("TL201", "keras.mlp:train_function", MLP_TRAIN, GRADIENTS): 1,
        ("TL201", "keras.cnn:train_function", CNN_TRAIN, GRADIENTS): 1,
    }
)
EXPECTED = {"opencl": COMMON + OPENCL_ONLY, "cuda": COMMON}

UNITS = {
    f"keras.{model}:{function}{suffix}"
    for model in ("mlp", "cnn", "lstm")
    for function in ("train_function", "predict_function")
    for suffix in ("", "_metrics")
}


@pytest.fixture(scope="session")
def keras_env(tmp_path_factory):
    """Keras's config dir (it writes keras.json) out of the home directory."""
    return {"KERAS_HOME": str(tmp_path_factory.mktemp("keras-home"))}


@pytest.fixture(scope="module")
def both(keras_env):
    runs = {}
    for target in TARGETS:
        runs[target] = theanolint(
            "--config",
            FRAMEWORKS,
            "--target",
            target,
            "--format",
            "json",
            "--no-cache",
            "--memory",
            cwd=KERAS,
            env=keras_env,
        )
        assert runs[target].code == (1 if target == "opencl" else 0), runs[target].stderr
    return runs


@pytest.fixture(scope="module")
def graphs(keras_env):
    """The optimized graphs by target, unit and scope ("outer graph", "scan 'scan_fn'")."""
    texts = {}
    for target in TARGETS:
        run = theanolint("graph", "--all", "--config", FRAMEWORKS, "--target", target, cwd=KERAS, env=keras_env)
        assert run.code == 0, run.stderr
        sections = re.split(r"^== (\S+) :: (.+)$", run.stdout, flags=re.M)
        texts[target] = {
            (unit, scope): text for unit, scope, text in zip(sections[1::3], sections[2::3], sections[3::3])
        }
    return texts


def _keys(finding):
    """One key per function the finding affects (a problem is one record for all of them)."""
    for function in finding["functions"]:
        yield finding["code"], function, finding["line"], finding["data"].get("via", "")


def _ops(text):
    return Counter(re.findall(r"^v\d+ :: .*? = (\w+)", text, flags=re.M))


def test_model_file_lines():
    with open(os.path.join(KERAS, MODELS)) as handle:
        lines = handle.read().splitlines()
    for number, text in SOURCE.items():
        assert lines[number - 1].strip() == text, number


def test_keras_functions_are_the_lint_units(both):
    """K.function makes the function and, for stateful metrics, a second one
    named ``<name>_metrics`` (no outputs here): both are Keras's, so both are
    linted; Variable.eval() of the initializers is Theano's own and is not."""
    for target, run in both.items():
        assert run.report["device"]["kind"] == target
        units = {u["name"]: u for u in run.report["functions"]}
        assert set(units) == UNITS, target
        for name, unit in units.items():
            assert not unit["error"], (target, name)
            assert unit["register"].startswith(MODELS + ":"), unit
            if name.endswith("_metrics"):
                assert unit["nodes"] == 0, (target, name)
            else:
                assert unit["gpu_nodes"] > 0, (target, name)
        assert not [f for f in run.findings if f["code"] in ("TL001", "TL002")], target


def test_findings_point_at_the_model_file_and_name_keras(both):
    for target, run in both.items():
        assert Counter(key for f in run.findings for key in _keys(f)) == EXPECTED[target], target
        assert run.report["frameworks_left_out"] == 0, target
        for finding in run.findings:
            assert finding["data"].get("framework") is True, finding
            assert finding["path"] == MODELS and finding["line"] in SOURCE, finding
            assert finding["message"].endswith(")") and "(in keras/" in finding["message"], finding
            assert finding["data"].get("traced") is True, finding
            assert finding["scope"] == "", finding


def test_messages(both):
    for _target, run in both.items():
        shared = sorted(
            re.search(r"shared variable '([^']+)' \((\w+), (\d+) B\)", f["message"]).groups()
            for f in run.findings
            if f["code"] == "TL202"
        )
        assert shared == [
            ("Adam/beta_1", "float32", "4"),
            ("Adam/beta_2", "float32", "4"),
            ("Adam/iterations", "int64", "8"),
            ("Adam/learning_rate", "float32", "4"),
            ("RMSprop/learning_rate", "float32", "4"),
            ("RMSprop/rho", "float32", "4"),
            ("SGD/learning_rate", "float32", "4"),
            ("SGD/momentum", "float32", "4"),
        ]
        for finding in run.findings:
            if finding["code"] == "TL301":
                assert finding["message"].startswith("shared variable (int32, shape (15360, 6)) has no name"), finding
                assert finding["severity"] == "warning"
    chains = [f for f in both["opencl"].findings if f["code"] == "TL201"]
    assert len(chains) == 2
    for chain in chains:
        assert chain["message"].startswith(
            "1 host op(s) between GPU ops (SoftmaxGrad): 2 copy(ies) from the GPU, 1 back"
        ), chain
        assert chain["severity"] == "error" and chain["data"]["ops"] == 1


def test_cuda_and_opencl_agree_except_the_softmax_gradient(both):
    def full(run):
        return Counter(
            (f["code"], f["function"], f["line"], f["severity"], f["message"])
            for f in run.findings
            if f["code"] != "TL201"
        )

    assert full(both["cuda"]) == full(both["opencl"])
    assert not [f for f in both["cuda"].findings if f["code"] == "TL201"]


def test_cuda_uses_cudnn_where_opencl_uses_gpuarray_kernels(graphs):
    """Convolution, pooling, softmax gradient and reductions differ by target."""
    ocl, cuda = graphs["opencl"], graphs["cuda"]
    outer = "outer graph"
    expect = {
        # unit: (ops only on OpenCL, ops only on CUDA)
        "keras.cnn:train_function": (
            {"GpuCorrMM", "GpuCorrMM_gradWeights", "GpuPool", "GpuMaxPoolGrad", "SoftmaxGrad", "GpuReduce"},
            {
                "GpuDnnConv",
                "GpuDnnConvGradW",
                "GpuDnnConvDesc",
                "GpuDnnPool",
                "GpuDnnPoolGrad",
                "GpuDnnSoftmaxGrad",
                "GpuDnnReduction",
                "GpuCAReduceCuda",
            },
        ),
        "keras.cnn:predict_function": (
            {"GpuCorrMM", "GpuPool", "GpuReduce"},
            {"GpuDnnConv", "GpuDnnConvDesc", "GpuDnnPool", "GpuDnnReduction"},
        ),
        "keras.mlp:train_function": ({"SoftmaxGrad", "GpuReduce"}, {"GpuDnnSoftmaxGrad", "GpuDnnReduction"}),
        "keras.lstm:train_function": ({"GpuReduce"}, {"GpuDnnReduction"}),
    }
    for unit, (only_ocl, only_cuda) in expect.items():
        a, b = set(_ops(ocl[unit, outer])), set(_ops(cuda[unit, outer]))
        assert only_ocl <= a and not only_ocl & b, unit
        assert only_cuda <= b and not only_cuda & a, unit
    # On OpenCL the softmax gradient is the host op SoftmaxGrad (the TL201 findings).
    assert "= SoftmaxGrad(" in ocl["keras.mlp:train_function", outer]
    # The LSTM's gradient scan reduces with cuDNN too; its forward step is the same.
    assert "GpuReduce{" in ocl["keras.lstm:train_function", "scan 'grad_of_scan_fn'"]
    assert "GpuDnnReduction{" in cuda["keras.lstm:train_function", "scan 'grad_of_scan_fn'"]
    for unit in ("keras.lstm:train_function", "keras.lstm:predict_function"):
        assert _ops(ocl[unit, "scan 'scan_fn'"]) == _ops(cuda[unit, "scan 'scan_fn'"]), unit
    # The virtual CUDA device refuses kernel launches, so Theano cannot fold GPU
    # constants there (docs/virtual-device.md): the exponent 3 of the BatchNorm
    # gradient stays a GpuElemwise cast of an int8 constant; PoCL runs the cast and
    # folds it into the float32 constant 3.0, as a real GPU would.
    cnn = "keras.cnn:train_function", outer
    folded = re.search(r"^(v\d+) = constant gpuarray\.array\(\[\[\[\[3\]\]\]\], dtype=int8\)", cuda[cnn], flags=re.M)
    assert folded and f"= GpuElemwise{{Cast{{float32}}}}[]<gpuarray>({folded.group(1)})" in cuda[cnn]
    assert "constant gpuarray.array([[[[3.]]]], dtype=float32)" in ocl[cnn]
    assert "dtype=int8)" not in ocl[cnn]
    # The MLP's forward pass has no reduction, convolution or pooling: the same ops.
    unit = "keras.mlp:predict_function"
    assert _ops(ocl[unit, outer]) == _ops(cuda[unit, outer])


def test_graph_choices_shared_by_both_targets(graphs):
    for target, units in graphs.items():
        cnn = units["keras.cnn:train_function", "outer graph"]
        # Keras's channels_last BatchNormalization normalizes over axes (0, 1, 2):
        # neither cuDNN mode (per-activation (0,), spatial (0, 2, 3)), so the
        # batch norm is expanded into elementwise ops and reductions on both.
        assert "BatchNorm" not in cnn and "GpuDnnBatchNorm" not in cnn, target
        # Dropout draws on the GPU; the embedding's gradient is the atomic kernel.
        mlp = units["keras.mlp:train_function", "outer graph"]
        assert "= GPUA_mrg_uniform{" in mlp and "= mrg_uniform{" not in mlp, target
        lstm = units["keras.lstm:train_function", "outer graph"]
        assert "GpuAdvancedIncSubtensor1_dev20{" in lstm, target
        assert "GpuAdvancedIncSubtensor1{" not in lstm, target
        assert "forall_inplace,gpu,scan_fn}" in lstm and "forall_inplace,gpu,grad_of_scan_fn}" in lstm
        for unit in UNITS:
            if unit.endswith("_metrics"):
                assert units[unit, "outer graph"].split() == ["outputs:"], (target, unit)


# --- Random initial values evaluated while building ------------------------------

CPU_RUN = """
import sys
sys.path.insert(0, {project!r})
import rng_probe
rng_probe.rng_probe()
"""


def test_initializer_values_match_theanos_cpu_device(keras_env, tmp_path):
    """Keras's glorot_uniform through K.variable(...).eval() and a plain
    MRG_RandomStreams(seed).uniform(...).eval(), with fixed seeds, give under
    theanolint on either target exactly what Theano's CPU device gives."""
    env = dict(os.environ, **keras_env)
    env["THEANO_FLAGS"] = "device=cpu,floatX=float32,blas.ldflags=,base_compiledir=" + str(tmp_path / "compiledir")
    env["RNG_PROBE_OUT"] = str(tmp_path / "cpu.npz")
    cpu = subprocess.run(
        [sys.executable, "-c", CPU_RUN.format(project=KERAS)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert cpu.returncode == 0, cpu.stderr
    expected = numpy.load(tmp_path / "cpu.npz")
    assert expected["glorot"].shape == (6, 5) and expected["uniform"].shape == (4, 3)
    limit = numpy.sqrt(6 / (6 + 5))
    assert 0 < numpy.abs(expected["glorot"]).max() <= limit
    assert len(numpy.unique(expected["uniform"])) == 12
    for target in TARGETS:
        out = tmp_path / f"{target}.npz"
        run = theanolint(
            "--config",
            "rng.theanolint.yaml",
            "--target",
            target,
            "--format",
            "json",
            "--no-cache",
            cwd=KERAS,
            env=dict(keras_env, RNG_PROBE_OUT=str(out)),
        )
        assert run.code == 0, run.stderr
        assert [u["name"] for u in run.report["functions"]] == ["keras.rng_probe:project"]
        assert run.findings == [], target
        values = numpy.load(out)
        for name in ("glorot", "uniform"):
            assert values[name].dtype == expected[name].dtype == numpy.float32
            assert numpy.allclose(values[name], expected[name], rtol=0, atol=0), (target, name)


# --- A deep model ----------------------------------------------------------------


def test_deep_residual_model_lints_on_cuda(keras_env):
    """50 weight layers (the builder asserts it): Theano's gradient and optimizer
    recurse over the graph; the worker's recursion limit and stack carry it."""
    run = theanolint(
        "--config",
        "deep.theanolint.yaml",
        "--target",
        "cuda",
        "--format",
        "json",
        "--no-cache",
        cwd=KERAS,
        env=keras_env,
        timeout=600,
    )
    assert run.code == 0, run.stderr
    units = {u["name"]: u for u in run.report["functions"]}
    assert set(units) == {"keras.resnet:train_function", "keras.resnet:train_function_metrics"}
    train = units["keras.resnet:train_function"]
    assert not train["error"] and train["nodes"] > 3000 and train["gpu_nodes"] > 1500, train
    # SGD's hyperparameters on the host (TL202) are Keras's: left out, counted
    assert run.findings == [] and run.report["frameworks_left_out"] == 2
