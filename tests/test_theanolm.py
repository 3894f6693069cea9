"""A real TheanoLM 1.3.2 training function (NCE output) linted on both targets.

tests/projects/theanolm/lm_builder.py builds a small network through
TheanoLM's own classes; TheanoLM's optimizer calls ``theano.function`` from
site-packages/theanolm, which theanolint must capture (not compile) and whose
findings must point into TheanoLM's sources, printed as absolute paths.
"""
import os
import re
from collections import Counter

import pytest

from conftest import PROJECTS, theanolint

THEANOLM = os.path.join(PROJECTS, "theanolm")
UNIT = "theanolm.nce:update_function"

COST = "theanolm/training/cost.py"
OPTIMIZER = "theanolm/training/basicoptimizer.py"
SAMPLER = "theanolm/backend/classdistribution.py"
OUTPUT = "theanolm/network/samplingoutputlayer.py"

# (code, path suffix, line) of every finding, with multiplicity.
EXPECTED = Counter({
    # num_words = mask.sum() is int64; the gradient of -logprobs.sum() / num_words
    # computes inv(int64) in float64 inside a fused op before casting back.
    ("TL101", COST, 86): 1,
    # cost = -logprobs.sum() / num_words: float32 / int64 upcasts to float64.
    ("TL101", COST, 87): 1,
    # Gradient of bias[:, None] then bias[target_class_ids, 0] (line 180), reached
    # twice: two host AdvancedIncSubtensor between GPU ops.  Theano's trace of the
    # gradient node points at the tensor.grad call; theanolint reports the line
    # of the forward indexing.
    ("TL201", OUTPUT, 180): 2,
    # MRG random state of the unigram noise sampler (choice(..., target='cpu')),
    # created by theano/sandbox/rng_mrg.py for TheanoLM's call.  It stays on the
    # host with the host mrg_uniform op, so it is not copied (no TL202).
    ("TL301", SAMPLER, 203): 1,
    # Shared scalars pfunc makes for the givens is_training=int8(1) and
    # num_noise_samples=int64(3) of theano.function(...).
    ("TL301", OPTIMIZER, 120): 2,
})


def _suffix(path):
    for suffix in (COST, OPTIMIZER, SAMPLER, OUTPUT):
        if path.endswith("/" + suffix):
            return suffix
    return path


def _key(finding):
    return finding["code"], _suffix(finding["path"]), finding["line"]


@pytest.fixture(scope="module")
def both():
    runs = {}
    for target in ("opencl", "cuda"):
        runs[target] = theanolint("--target", target, "--format", "json", cwd=THEANOLM)
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


def test_exact_findings_point_into_theanolm(both):
    for target, run in both.items():
        assert Counter(_key(f) for f in run.findings) == EXPECTED, target
        for finding in run.findings:
            assert os.path.isabs(finding["path"]), finding
            assert finding["data"].get("traced") is True, finding
            assert finding["function"] == UNIT and finding["scope"] == "", finding


def test_messages(both):
    findings = both["opencl"].findings
    by_key = {}
    for finding in findings:
        by_key.setdefault(_key(finding), []).append(finding)
    for chain in by_key[("TL201", OUTPUT, 180)]:
        assert chain["message"].startswith(
            "1 host op(s) between GPU ops (AdvancedIncSubtensor{inplace=False,"), chain
        assert "the gradient of the indexing GpuAdvancedSubtensor on this line" in chain["message"]
        assert "2 copy(ies) from the GPU, 1 back" in chain["message"]
        assert chain["severity"] == "error" and chain["data"]["ops"] == 1
    upcast, = by_key[("TL101", COST, 87)]
    assert "Cast{float64}" in upcast["message"] and "casts float32, int64 to float64" in upcast["message"]
    inverse, = by_key[("TL101", COST, 86)]
    assert "Cast{float32}(inv(i0))" in inverse["message"]
    assert "computes in float64 inside from int64" in inverse["message"]
    state, = by_key[("TL301", SAMPLER, 203)]
    assert "(int32, shape (15360, 6))" in state["message"]
    assert sorted(re.search(r"\((int\d+), shape \(\)\)", f["message"]).group(1)
                  for f in by_key[("TL301", OPTIMIZER, 120)]) == ["int64", "int8"]
    assert {f["severity"] for f in findings if f["code"] == "TL301"} == {"warning"}


def test_bias_fix_avoids_the_slow_inc_subtensor(both, graphs):
    for target in ("opencl", "cuda"):
        assert not [f for f in both[target].findings if f["code"] == "TL401"], target
        assert "GpuAdvancedIncSubtensor1{" not in graphs[target], target
        assert "GpuAdvancedIncSubtensor1_dev20{" in graphs[target], target
        assert len(re.findall(r"= AdvancedIncSubtensor\{", graphs[target])) == 2, target


def test_cuda_and_opencl_report_the_same_findings(both):
    def full(run):
        return sorted((f["code"], f["path"], f["line"], f["severity"], f["message"])
                      for f in run.findings)
    assert full(both["cuda"]) == full(both["opencl"])
    transfers = {t: run.report["functions"][0]["transfers"] for t, run in both.items()}
    assert transfers["cuda"] == transfers["opencl"]


def test_cuda_reduces_with_cudnn_where_opencl_uses_gpureduce(graphs):
    """The one difference between the targets: the reductions' GPU ops."""
    assert "GpuDnnReduction{" in graphs["cuda"] and "GpuCAReduceCuda{" in graphs["cuda"]
    assert "GpuReduce{" not in graphs["cuda"]
    assert "GpuReduce{add}" in graphs["opencl"]
    assert "GpuDnn" not in graphs["opencl"] and "GpuCAReduceCuda" not in graphs["opencl"]
    for target in ("opencl", "cuda"):   # the noise sampler's MRG draws stay on the host
        assert "= mrg_uniform{" in graphs[target] and "GPUA_mrg_uniform" not in graphs[target]
