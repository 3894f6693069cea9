"""TL006 changed-global-state: a builder left Theano's flags, the working directory, ... changed."""

import os

RULES = ["TL006"]

BUILDER = """
    import os
    import sys

    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="lm.train")  # planted: TL006
    def train():
        {change}
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """

# Builders run in order of their names: the second one must not see the first's floatX.
ORDER = """
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="a.float64")  # planted: TL006
    def a():
        theano.config.floatX = "float64"
        x = T.matrix("x")  # planted: TL101
        return theano.function([x], T.exp(x))


    @theanolint.register(name="b.after")
    def b():
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """


def _finding(harness, change):
    [finding] = harness.assert_planted(BUILDER.format(change=change), rules=RULES)
    assert finding.severity == "error" and finding.function == "lm.train"
    assert finding.message.startswith("builder 'lm.train' changed ")
    assert finding.message.endswith("; theanolint restored it for the other builders, your program does not")
    return finding.message


def test_theano_flag(harness):
    import theano

    message = _finding(harness, 'theano.config.compute_test_value = "warn"')
    assert "changed theano.config.compute_test_value 'off' -> 'warn';" in message
    assert theano.config.compute_test_value == "off"


def test_working_directory(harness):
    cwd = os.getcwd()
    change = 'os.makedirs("data", exist_ok=True); os.chdir("data")'
    assert "the working directory (os.chdir to 'data')" in _finding(harness, change)
    assert os.getcwd() == cwd


def test_environment_variable(harness):
    message = _finding(harness, 'os.environ["THEANOLINT_RULE_TEST"] = "1"')
    assert "environment variable(s) THEANOLINT_RULE_TEST" in message
    assert "THEANOLINT_RULE_TEST" not in os.environ


def test_numpy_error_handling_and_recursion_limit(harness):
    message = _finding(harness, 'np.seterr(all="raise"); sys.setrecursionlimit(12345)')
    assert "numpy's error handling (np.seterr: " in message
    assert "the recursion limit (" in message and " -> 12345)" in message


def test_changes_inside_change_flags_are_quiet(harness):
    change = 'with theano.change_flags(compute_test_value="warn"): pass'
    harness.assert_quiet(BUILDER.format(change=change), rules=RULES)


def test_the_next_builder_is_built_with_the_projects_settings(harness):
    findings = harness.assert_planted(ORDER, rules=["TL006", "TL101"])
    assert [f.function for f in findings] == ["a.float64", "a.float64:0"]
    assert "theano.config.floatX 'float32' -> 'float64'" in findings[0].message
