"""TL006 changed-global-state: a builder left Theano's flags, the working directory, ... changed,
or a project module changed them when it was imported."""

import os
import sys

import numpy as np

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
    assert "numpy's error handling (np.seterr: all='raise')" in message
    assert "the recursion limit (" in message and " -> 12345)" in message


def test_numpy_names_only_what_changed(harness):
    assert "numpy's error handling (np.seterr: over='raise');" in _finding(harness, 'np.seterr(over="raise")')


def test_many_changes_keep_the_message_short(harness):
    change = "; ".join(f'os.environ["THEANOLINT_RULE_TEST_{n}_{"X" * 30}"] = "1"' for n in range(6))
    change += '; np.seterr(all="raise"); theano.config.compute_test_value = "warn"'
    [finding] = harness.assert_planted(BUILDER.format(change=change), rules=RULES)
    assert len(finding.message) < 200 and " more change(s); theanolint restored it" in finding.message
    assert len(finding.data["changes"]) == 3 and finding.data["details"] == finding.data["changes"]


def test_changes_inside_change_flags_are_quiet(harness):
    change = 'with theano.change_flags(compute_test_value="warn"): pass'
    harness.assert_quiet(BUILDER.format(change=change), rules=RULES)


def test_the_next_builder_is_built_with_the_projects_settings(harness):
    findings = harness.assert_planted(ORDER, rules=["TL006", "TL101"])
    assert [f.function for f in findings] == ["a.float64", "a.float64:0"]
    assert "theano.config.floatX 'float32' -> 'float64'" in findings[0].message


# --- at import -------------------------------------------------------------

# A tutorial module's module-level settings; the builder fails (TL001) unless it runs
# with the state from before the import.
AT_IMPORT = """
    import sys

    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint

    sys.setrecursionlimit(1500){planted}
    np.seterr(all="raise")


    def deep():
        sys.setrecursionlimit(50000)  # not run at import


    @theanolint.register(name="tutorial.train")
    def train():
        assert sys.getrecursionlimit() == {limit}, sys.getrecursionlimit()
        assert np.geterr() == {numpy}, np.geterr()
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """


def _at_import(**changes):
    values = dict(planted="  # planted: TL006", limit=sys.getrecursionlimit(), numpy=np.geterr())
    return AT_IMPORT.format(**dict(values, **changes))


def test_state_changed_at_import_is_reported_at_the_statement(harness):
    limit, numpy = sys.getrecursionlimit(), np.geterr()
    [finding] = harness.assert_planted(_at_import(), rules=["TL001", "TL006"])  # no TL001: the builder's asserts hold
    assert finding.function == f"import {finding.path[: -len('.py')]}" and finding.severity == "error"
    assert finding.message == (
        f"importing {finding.path} changed the recursion limit ({limit} -> 1500); "
        "numpy's error handling (np.seterr: all='raise'); "
        "every builder runs with it: set and restore it where needed, or not at all"
    )
    assert len(finding.message) < 200 and finding.data["at_import"] is True
    assert finding.data["changes"] == [
        f"the recursion limit ({limit} -> 1500)",
        "numpy's error handling (np.seterr: all='raise')",
    ]
    assert (sys.getrecursionlimit(), np.geterr()) == (limit, numpy)  # put back after the import


def test_import_that_changes_nothing_is_quiet(harness):
    source = _at_import(planted="").replace("sys.setrecursionlimit(1500)\n", "").replace('np.seterr(all="raise")\n', "")
    assert "setrecursionlimit(1500)" not in source
    harness.assert_quiet(source, rules=RULES)


def test_change_made_indirectly_is_reported_at_line_1(harness):
    source = """
        import importlib  # planted: TL006

        import theano
        import theano.tensor as T
        import theanolint

        getattr(importlib.import_module("os"), "ch" + "dir")("..")


        @theanolint.register(name="indirect")
        def indirect():
            x = T.matrix("x")
            return theano.function([x], T.exp(x))
        """
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.message.startswith(f"importing {finding.path} changed the working directory (os.chdir to ")


def test_environment_set_at_import_stays_and_is_quiet(harness):
    """Setting KERAS_BACKEND at import configures what is imported after it (in a builder too)."""
    source = _at_import(planted="").replace(
        'np.seterr(all="raise")', 'os.environ["THEANOLINT_IMPORT_TEST"] = "set at import"'
    )
    source = source.replace("sys.setrecursionlimit(1500)\n", "import os\n")
    assert "seterr(all" not in source and "setrecursionlimit(1500)" not in source
    try:
        harness.assert_quiet(source, rules=RULES)
        assert os.environ["THEANOLINT_IMPORT_TEST"] == "set at import"
    finally:
        os.environ.pop("THEANOLINT_IMPORT_TEST", None)
