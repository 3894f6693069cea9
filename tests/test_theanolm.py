"""A real TheanoLM 1.3.2 training function (NCE output) linted on both targets.

tests/projects/theanolm/lm_builder.py builds a small network through
TheanoLM's own classes; TheanoLM's optimizer calls ``theano.function`` from
site-packages/theanolm, which theanolint must capture (not compile).  TheanoLM
is an installed framework, so findings point at the builder's lines and name
TheanoLM's frame in the message.  Every finding here is about TheanoLM's own code
and state, which the user cannot change: by default they are left out and counted
(tests/test_precision.py), so these tests lint with the rules' ``frameworks`` option
(frameworks.theanolint.yaml).
"""

import os
import re
from collections import Counter

import pytest
from conftest import PROJECTS, theanolint

THEANOLM = os.path.join(PROJECTS, "theanolm")
UNIT = "theanolm.nce:update_function"

BUILDER = "lm_builder.py"
FRAMEWORKS = "frameworks.theanolint.yaml"

# (code, line in lm_builder.py, the TheanoLM frame named in the message) of every
# finding, with multiplicity.  TheanoLM is an installed framework: findings point
# at the line of the user's builder that reached it and name TheanoLM's frame.
EXPECTED = Counter(
    {
        # Gradient of bias[:, None] then bias[target_class_ids, 0], reached from the
        # Network (line 42) and from set_sampling (line 44): two host AdvancedIncSubtensor
        # between GPU ops.  Theano's trace of a gradient node points at T.grad;
        # theanolint reports the forward indexing.
        ("TL201", 42, "theanolm/network/samplingoutputlayer.py:180, _get_target_preact"): 1,
        ("TL201", 44, "theanolm/network/samplingoutputlayer.py:180, _get_target_preact"): 1,
        # MRG random state of the unigram noise sampler (choice(..., target='cpu')): unnamed,
        # and kept on the host, where the sampler's host op reads it for the GPU.
        ("TL301", 44, "theanolm/backend/classdistribution.py:203, sample"): 1,
        ("TL202", 44, "theanolm/backend/classdistribution.py:203, sample"): 1,
        # num_words = mask.sum() is int64: the cost and its gradient compute float64.
        ("TL101", 58, "theanolm/training/cost.py:87, get_tensor"): 1,
        ("TL101", 58, "theanolm/training/cost.py:86, get_tensor"): 1,
        # Shared scalars Theano's pfunc makes for the givens is_training=int8(1) and
        # num_noise_samples=int64(3) of TheanoLM's theano.function call; the int64 one
        # reaches the GPU through host arithmetic.
        ("TL301", 58, "theanolm/training/basicoptimizer.py:120, __init__"): 2,
        ("TL202", 58, "theanolm/training/basicoptimizer.py:120, __init__"): 1,
    }
)


def _key(finding):
    return finding["code"], finding["line"], finding["data"].get("via", "")


@pytest.fixture(scope="module")
def both():
    runs = {}
    for target in ("opencl", "cuda"):
        runs[target] = theanolint(
            "--config", FRAMEWORKS, "--target", target, "--format", "json", "--memory", cwd=THEANOLM
        )
        assert runs[target].code == 1, runs[target].stderr
    return runs


@pytest.fixture(scope="module")
def graphs():
    texts = {}
    for target in ("opencl", "cuda"):
        run = theanolint("graph", UNIT, "--target", target, cwd=THEANOLM)
        assert run.code == 0, run.stderr
        texts[target] = run.stdout
    return texts


def test_theanolm_function_is_captured_not_built_or_compiled(both):
    for target, run in both.items():
        assert run.report["device"]["kind"] == target
        assert not [f for f in run.findings if f["code"] in ("TL001", "TL002")], target
        units = run.report["functions"]
        assert [u["name"] for u in units] == [UNIT], target
        assert not units[0]["error"] and units[0]["gpu_nodes"] > 0, target


def test_findings_point_at_the_builder_and_name_theanolm(both):
    for target, run in both.items():
        assert Counter(_key(f) for f in run.findings) == EXPECTED, target
        for finding in run.findings:
            assert finding["path"] == BUILDER, finding
            assert finding["data"].get("traced") is True, finding
            assert finding["function"] == UNIT and finding["scope"] == "", finding


def test_messages(both):
    by_code = {}
    for finding in both["opencl"].findings:
        by_code.setdefault(finding["code"], []).append(finding)
    for chain in by_code["TL201"]:
        assert chain["message"].startswith("1 host op(s) between GPU ops (AdvancedIncSubtensor, "), chain
        assert "gradient of this line's GpuAdvancedSubtensor)" in chain["message"]
        assert "2 copy(ies) from the GPU, 1 back" in chain["message"]
        assert chain["severity"] == "error" and chain["data"]["ops"] == 1
    # the cost's division by num_words = mask.sum() (int64), in the cost and in its gradient
    for upcast in by_code["TL101"]:
        assert upcast["message"].startswith("a mean or sum of integers is float64"), upcast
        assert "pass dtype=theano.config.floatX to T.mean / T.sum" in upcast["message"], upcast
    shapes = sorted(re.search(r"\((int\d+), shape (\([^)]*\))\)", f["message"]).groups() for f in by_code["TL301"])
    assert shapes == [("int32", "(15360, 6)"), ("int64", "()"), ("int8", "()")]
    assert {f["severity"] for f in by_code["TL301"]} == {"warning"}


def test_bias_fix_avoids_the_slow_inc_subtensor(both, graphs):
    for target in ("opencl", "cuda"):
        assert not [f for f in both[target].findings if f["code"] == "TL401"], target
        assert "GpuAdvancedIncSubtensor1{" not in graphs[target], target
        assert "GpuAdvancedIncSubtensor1_dev20{" in graphs[target], target
        assert len(re.findall(r"= AdvancedIncSubtensor\{", graphs[target])) == 2, target


def test_cuda_and_opencl_report_the_same_findings(both):
    def full(run):
        return sorted((f["code"], f["path"], f["line"], f["severity"], f["message"]) for f in run.findings)

    assert full(both["cuda"]) == full(both["opencl"])
    transfers = {t: run.report["functions"][0]["transfers"] for t, run in both.items()}
    assert transfers["cuda"] == transfers["opencl"]


def test_cuda_reduces_with_cudnn_where_opencl_uses_gpureduce(graphs):
    """The one difference between the targets: the reductions' GPU ops."""
    assert "GpuDnnReduction{" in graphs["cuda"] and "GpuCAReduceCuda{" in graphs["cuda"]
    assert "GpuReduce{" not in graphs["cuda"]
    assert "GpuReduce{add}" in graphs["opencl"]
    assert "GpuDnn" not in graphs["opencl"] and "GpuCAReduceCuda" not in graphs["opencl"]
    for target in ("opencl", "cuda"):  # the noise sampler's MRG draws stay on the host
        assert "= mrg_uniform{" in graphs[target] and "GPUA_mrg_uniform" not in graphs[target]


def test_fit_batch_with_declared_shapes_agrees_with_a_replay(tmp_path):
    """TheanoLM's test values disagree with each other; the declared shapes win, and
    --fit batch answers the largest batch whose replay fits the budget."""
    config = tmp_path / "fit.theanolint.yaml"
    with open(os.path.join(THEANOLM, ".theanolint.yaml")) as handle:
        config.write_text(handle.read() + f"\nroot: {THEANOLM}\nbudget: {{opencl: 1MiB}}\n")

    def memory(*args):
        run = theanolint("--config", str(config), "--memory", "--format", "json", "--no-cache", *args, cwd=THEANOLM)
        assert run.code in (0, 1), run.stderr
        (row,) = run.report["memory"]
        assert row["assumptions"] == [] and len(row["notes"]) == 4, row
        return row

    fit = memory("--fit", "batch")["fit"]
    assert fit["dim"] == "batch" and fit["size"] > 4, fit
    assert memory("--dim", f"batch={fit['size']}")["total_gpu"] <= 2**20
    assert memory("--dim", f"batch={fit['size'] + 1}")["total_gpu"] > 2**20
