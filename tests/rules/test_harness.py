"""theanolint.testing itself: one start, real device, cases that leave nothing behind."""

import os
import subprocess
import sys

import pytest

from theanolint import builders, testing
from theanolint.testing import HarnessError, line_of, normalize, planted

FLOAT64 = """
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="scaled")
    def scaled():
        x = T.matrix("x")
        {blank}
        return theano.function([x], T.exp(x) * np.float64(0.5))  # planted: TL101
    """


def test_importing_the_harness_does_not_import_theano():
    code = (
        "import sys, theanolint.testing\n"
        "bad = sorted(m for m in sys.modules if m == 'theano' or m.startswith(('theano.', 'pygpu')))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_one_harness_on_the_virtual_cuda_device(harness):
    assert testing.harness() is harness and testing.started()
    assert harness.context.kind == b"cuda"
    assert harness.target.virtual and harness.kind == testing.TARGET == "cuda"
    with pytest.raises(HarnessError, match="cannot also start on opencl"):
        testing.harness("opencl")


def test_the_environment_is_put_back_after_the_start(harness):
    assert os.environ.get("THEANO_FLAGS") != harness.target.theano_flags()
    assert not [name for name in os.environ if name.startswith("THEANOLINT_VCUDA")]


def test_lines_are_those_of_the_dedented_source(harness):
    source = FLOAT64.format(blank="")
    assert normalize(source).startswith("import numpy as np\n")
    [finding] = harness.lint_source(source, rules=["TL101"])
    assert (finding.line, finding.code) == (line_of(source, "np.float64(0.5)"), "TL101") == (11, "TL101")
    assert planted(source) == {(11, "TL101")}


def test_cases_leave_nothing_behind(harness):
    path, cwd, modules = list(sys.path), os.getcwd(), set(sys.modules)
    collected = builders._collected
    result = harness.lint(FLOAT64.format(blank=""), rules=["TL101"], name="leaves")
    assert result.path.startswith("leaves_") and result.path[:-3] not in sys.modules
    assert sys.path == path and os.getcwd() == cwd and builders._collected is collected
    assert not {m for m in set(sys.modules) - modules if m.startswith("leaves")}


def test_each_case_is_its_own_module(harness):
    """Same name, other source: no stale module, byte code or cached constant."""
    first = harness.lint_source(FLOAT64.format(blank=""), rules=["TL101"], name="same")
    second = harness.lint_source(FLOAT64.format(blank="x = x + 0\n        "), rules=["TL101"], name="same")
    assert [(f.line, f.code) for f in first] == [(11, "TL101")]
    assert [(f.line, f.code) for f in second] == [(12, "TL101")]
    assert first[0].path != second[0].path


def test_a_source_without_builders_is_an_error(harness):
    with pytest.raises(HarnessError, match="registers no builder"):
        harness.lint_source("import theano\n", rules=["TL101"])


def test_config_is_checked_against_the_schema(harness):
    with pytest.raises(HarnessError, match="config: budget.cuda"):
        harness.lint_source(FLOAT64.format(blank=""), config={"budget": {"cuda": "lots"}})
    with pytest.raises(HarnessError, match="'target' is the harness's"):
        harness.lint_source(FLOAT64.format(blank=""), config={"target": "opencl"})


def test_flags_fixed_at_start_up_are_refused(harness):
    with pytest.raises(HarnessError, match="cannot be set at run time"):
        harness.lint_source(FLOAT64.format(blank=""), flags={"device": "cpu"})


def test_rule_options_reach_the_config(harness):
    config = harness._config({}, {"TL101": {"frameworks": True}}, root="project")
    assert config["rules"]["TL101"] == {"options": {"frameworks": True}}
    assert config["root"] == "project" and config["dims"] == {}


def test_an_unknown_rule_option_is_refused(harness):
    with pytest.raises(HarnessError, match="'limit' was unexpected"):
        harness._config({}, {"TL101": {"limit": 3}}, root="project")


def test_module_functions_use_the_process_harness(harness):
    assert testing.lint_source(FLOAT64.format(blank=""), rules=["TL1"])[0].code == "TL101"
