"""Rules and build failures that the example project does not plant."""

import os

import pytest
from conftest import PROJECTS, planted, theanolint

MISC = os.path.join(PROJECTS, "misc")
DETERMINISTIC = os.path.join(PROJECTS, "deterministic")


@pytest.fixture(scope="module")
def misc():
    run = theanolint("--format", "json", cwd=MISC)
    assert run.code == 1, run.stderr
    return run


def test_every_planted_problem_and_nothing_else(misc):
    expected = {(line, code) for line, codes in planted(os.path.join(MISC, "builders.py")).items() for code in codes}
    found = {(f["line"], f["code"]) for f in misc.findings}
    assert found == expected


def test_builder_that_raises_is_one_finding_and_others_still_lint(misc):
    raised = [f for f in misc.findings if f["function"] == "raises"]
    assert len(raised) == 1 and "KeyError" in raised[0]["message"]
    assert {"distinct_names:0", "two_functions:train", "two_functions:valid"} <= {
        u["name"] for u in misc.report["functions"]
    }


def test_unnamed_functions_are_numbered_and_named_ones_keep_their_name(misc):
    names = {u["name"] for u in misc.report["functions"]}
    assert "duplicate_names:0" in names and "two_functions:valid" in names


def test_finding_inside_scan_says_so(misc):
    inner = [f for f in misc.findings if f["function"] == "scan_float64:0"]
    assert [f["scope"] for f in inner] == ["scan 'accumulate'"]
    assert "(inside scan 'accumulate')" in inner[0]["message"]


def test_mixed_index_gradient_runs_on_the_host(misc):
    """TheanoLM's bias[:, None][ids, 0] makes a host AdvancedIncSubtensor in 1.0.5."""
    chain = [f for f in misc.findings if f["function"] == "mixed_index:0"]
    assert len(chain) == 1 and "(AdvancedIncSubtensor, gradient of this line's" in chain[0]["message"]


def test_deterministic_more_is_reported():
    run = theanolint("--format", "json", cwd=DETERMINISTIC)
    expected = {
        (line, code) for line, codes in planted(os.path.join(DETERMINISTIC, "embedding.py")).items() for code in codes
    }
    assert {(f["line"], f["code"]) for f in run.findings} == expected


def test_without_deterministic_more_the_atomic_variant_runs():
    run = theanolint("graph", "embedding:0", "--config", "default.yaml", cwd=DETERMINISTIC)
    assert run.code == 0, run.stderr
    assert "GpuAdvancedIncSubtensor1_dev20" in run.stdout
    quiet = theanolint("--config", "default.yaml", cwd=DETERMINISTIC)
    assert quiet.code == 0 and "All checks passed" in quiet.stdout
