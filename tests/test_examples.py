"""Every rule fires on its planted problem, on its line, and is quiet on the fix."""

import os

import pytest
from conftest import EXAMPLES, planted, theanolint

MODELS = {"mlp": "models/mlp.py", "lm": "models/lm.py"}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_each_planted_problem_is_reported_on_its_line(examples_run, model):
    path = MODELS[model]
    expected = {(line, code) for line, codes in planted(os.path.join(EXAMPLES, path)).items() for code in codes}
    assert expected, "the example must plant problems"
    found = {
        (f["line"], f["code"])
        for f in examples_run.findings
        if f["path"] == path and f["function"].startswith(f"{model}.train:")
    }
    assert expected <= found, f"missing: {sorted(expected - found)}"
    assert found <= expected, f"unexpected: {sorted(found - expected)}"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_fixed_variant_is_clean(examples_run, model):
    units = {u["name"] for u in examples_run.report["functions"]}
    assert f"{model}.train_fixed:train" in units
    assert [f for f in examples_run.findings if f["function"].startswith(f"{model}.train_fixed")] == []


def test_findings_carry_user_lines(examples_run):
    findings = examples_run.findings
    traced = [f for f in findings if f["data"]["traced"] and f["path"].startswith("models/")]
    assert len(traced) / len(findings) >= 0.95


def test_report_names_the_device_it_linted_on(examples_run):
    assert examples_run.report["device"]["kind"] == examples_run.target
    if examples_run.target == "cuda":
        assert "virtual CUDA device" in examples_run.report["target"]


@pytest.mark.parametrize("target", ["opencl", "cuda"])
def test_suggested_bias_fix_uses_the_atomic_variant(target):
    """TL401's suggestion, as lm.train_fixed writes it, really yields _dev20."""
    fixed = theanolint("graph", "lm.train_fixed:train", "--target", target, cwd=EXAMPLES)
    planted_run = theanolint("graph", "lm.train:train", "--target", target, cwd=EXAMPLES)
    assert fixed.code == 0 and planted_run.code == 0, fixed.stderr + planted_run.stderr
    assert "GpuAdvancedIncSubtensor1_dev20" in fixed.stdout
    assert "GpuAdvancedIncSubtensor1{" not in fixed.stdout
    assert "GpuAdvancedIncSubtensor1{" in planted_run.stdout


def test_scan_inner_graph_is_walked():
    run = theanolint("graph", "lm.train:train", "--target", "opencl", cwd=EXAMPLES)
    assert "== lm.train:train :: scan 'lstm'" in run.stdout
    assert "== lm.train:train :: scan 'grad_of_lstm'" in run.stdout


def test_every_function_has_a_memory_prediction_without_assumptions(examples_run):
    """The MLP's Print and the LM's constant reshape have shape rules: nothing assumed."""
    rows = {row["name"]: row for row in examples_run.report["memory"]}
    assert sorted(rows) == ["lm.train:train", "lm.train_fixed:train", "mlp.train:train", "mlp.train_fixed:train"]
    assert {name: row["assumptions"] for name, row in rows.items()} == {name: [] for name in rows}
