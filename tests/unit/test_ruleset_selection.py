"""theanolint.ruleset.selection: which rules run, at what severity, with what options."""

import pytest

from theanolint.ruleset import selection
from theanolint.ruleset.catalog import known_codes, rule
from theanolint.ruleset.selection import effective, enabled_codes, is_known, made_finding, matches, matches_any

# --- the matcher ------------------------------------------------------------


@pytest.mark.parametrize(
    "selector, expected",
    [
        ("TL401", True),
        ("TL40", True),
        ("TL4", True),
        ("TL", True),
        ("TL402", False),
        ("TL41", False),
        ("TL5", False),
        ("TL4010", False),
    ],
)
def test_matches_code_or_prefix(selector, expected):
    assert matches("TL401", selector) is expected


def test_matches_any():
    assert matches_any("TL401", ["TL1", "TL4"])
    assert not matches_any("TL401", ["TL1", "TL3"])
    assert not matches_any("TL401", [])
    assert matches_any("TL401", iter(["TL401"]))  # any iterable


@pytest.mark.parametrize("selector", ["TL101", "TL1", "TL10", "TL0", "TL", "TL60", "TL601"])
def test_is_known(selector):
    assert is_known(selector)


@pytest.mark.parametrize("selector", ["TL999", "TL9", "TL7", "TL1010", "XX", "tl101"])
def test_is_not_known(selector):
    assert not is_known(selector)


# --- effective: config settings ---------------------------------------------


def test_no_settings_means_the_rule_default():
    for code in known_codes():
        setting = effective(code, {})
        assert setting == selection.Effective(True, rule(code).severity, {})


@pytest.mark.parametrize(
    "value, enabled, severity",
    [
        (False, False, "error"),
        (True, True, "error"),
        ("off", False, "error"),
        ("warning", True, "warning"),
        ("error", True, "error"),
        ({"enabled": False}, False, "error"),
        ({"severity": "warning"}, True, "warning"),
        ({"enabled": True, "severity": "warning"}, True, "warning"),
        ({}, True, "error"),
    ],
)
def test_setting_forms(value, enabled, severity):
    setting = effective("TL101", {"TL101": value})  # TL101 defaults to error
    assert (setting.enabled, setting.severity) == (enabled, severity)


def test_severity_of_a_rule_turned_off_stays_its_own():
    assert effective("TL601", {"TL601": "off"}).severity == "warning"
    assert effective("TL601", {"TL601": False}).severity == "warning"


def test_prefix_applies_to_every_code_it_names():
    settings = {"TL3": "error"}
    for code in known_codes():
        expected = "error" if code.startswith("TL3") else rule(code).severity
        assert effective(code, settings).severity == expected


def test_most_specific_setting_wins_in_any_order():
    for settings in (
        {"TL4": "off", "TL40": "warning", "TL401": "error"},
        {"TL401": "error", "TL40": "warning", "TL4": "off"},
    ):
        assert effective("TL401", settings) == selection.Effective(True, "error", {})
        assert effective("TL402", settings) == selection.Effective(True, "warning", {})
    assert not effective("TL401", {"TL4": "error", "TL401": "off"}).enabled
    assert effective("TL401", {"TL4": "off", "TL401": True}).enabled


def test_less_specific_keys_fill_in_what_the_specific_one_leaves_out():
    settings = {"TL4": {"severity": "error"}, "TL401": {"enabled": True}}
    assert effective("TL401", settings) == selection.Effective(True, "error", {})
    settings = {"TL4": False, "TL401": {"severity": "error"}}
    assert effective("TL401", settings).enabled is False  # only the severity was overridden
    assert effective("TL401", settings).severity == "error"


def test_options_merge_most_specific_last():
    settings = {"TL1": {"options": {"a": 1, "b": 1}}, "TL101": {"options": {"b": 2, "c": 2}}}
    assert effective("TL101", settings).options == {"a": 1, "b": 2, "c": 2}
    assert effective("TL101", {}).options == {}
    assert effective("TL101", {"TL101": "warning"}).options == {}


def test_settings_are_not_modified():
    settings = {"TL1": {"options": {"a": 1}}, "TL101": {"enabled": True, "options": {"b": 2}}}
    before = repr(settings)
    effective("TL101", settings)
    effective("TL101", settings)
    assert repr(settings) == before


# --- effective: --select / --ignore -----------------------------------------


def test_select_runs_only_what_it_names():
    assert effective("TL101", {}, select=["TL1"]).enabled
    assert not effective("TL601", {}, select=["TL1"]).enabled


def test_select_overrides_the_config_turning_a_rule_off():
    setting = effective(
        "TL601", {"TL601": {"enabled": False, "severity": "error", "options": {"x": 1}}}, select=["TL601"]
    )
    assert setting == selection.Effective(True, "error", {"x": 1})  # severity and options apply
    assert effective("TL601", {"TL6": "off"}, select=["TL6"]).enabled


def test_ignore_wins_over_config_and_select():
    assert not effective("TL101", {"TL101": "error"}, ignore=["TL1"]).enabled
    assert not effective("TL101", {}, select=["TL101"], ignore=["TL101"]).enabled
    assert not effective("TL101", {}, select=["TL101"], ignore=["TL1"]).enabled
    assert effective("TL201", {}, ignore=["TL10"]).enabled  # a prefix names only its codes


def test_select_and_ignore_accept_any_iterable():
    assert effective("TL101", {}, select=iter(["TL1"]), ignore=iter(["TL2"])).enabled
    assert effective("TL101", {}, select=("TL1",), ignore=()).enabled


# --- enabled_codes ------------------------------------------------------------


def test_enabled_codes_default_is_every_rule_in_catalog_order():
    assert enabled_codes({}) == list(known_codes())


def test_enabled_codes_follow_settings_select_and_ignore():
    assert "TL601" not in enabled_codes({"TL601": "off"})
    assert enabled_codes({}, select=["TL4"]) == ["TL401", "TL402"]
    assert enabled_codes({}, select=["TL4"], ignore=["TL402"]) == ["TL401"]
    assert enabled_codes({"TL4": "off"}, select=["TL401"]) == ["TL401"]
    assert enabled_codes({}, ignore=["TL"]) == []
    assert set(enabled_codes({"TL3": False})) == set(known_codes()) - {"TL301", "TL302"}


# --- made_finding -------------------------------------------------------------


def test_made_finding_takes_name_and_severity_from_the_registry():
    found = made_finding(
        "TL004", {}, message="the worker died", path="m.py", line=3, function="m.build:f", data={"traced": True}
    )
    assert (found.code, found.name, found.severity) == ("TL004", "worker-crashed", "error")
    assert (found.message, found.path, found.line, found.function) == ("the worker died", "m.py", 3, "m.build:f")
    assert found.data == {"traced": True}


def test_made_finding_uses_the_effective_severity():
    found = made_finding("TL003", {"TL0": "error"}, message="x", path="a.py", line=1, function="")
    assert (found.name, found.severity) == ("unused-suppression", "error")
    found = made_finding("TL005", {"TL005": {"severity": "warning"}}, message="x", path="a.py", line=1, function="f")
    assert found.severity == "warning"


def test_made_finding_is_none_when_the_rule_is_off():
    fields = dict(message="x", path="a.py", line=1, function="f")
    assert made_finding("TL003", {"TL003": "off"}, **fields) is None
    assert made_finding("TL003", {}, ignore=["TL0"], **fields) is None
    assert made_finding("TL003", {}, select=["TL1"], **fields) is None
    assert made_finding("TL003", {"TL003": "off"}, select=["TL003"], **fields) is not None
