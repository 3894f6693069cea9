"""theanolint.report.sarif: SARIF 2.1.0, valid against the OASIS schema."""

import dataclasses
import json
import os

import jsonschema
import pytest
from unit_records import finding, report

from theanolint import __version__, docs
from theanolint.report import FORMATTERS
from theanolint.report.sarif import SCHEMA_URI, render
from theanolint.ruleset.catalog import catalog
from theanolint.triage.baseline import fingerprint

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "..", "data", "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def validator():
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        schema = json.load(handle)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _log(validator, findings, root="/project", **kwargs):
    text = render(report(findings, root=root), **kwargs)
    assert text.endswith("\n")
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return log


FINDINGS = [
    finding("TL101", path="models/mlp.py", line=36),
    finding("TL601", path="models/my model.py", line=0, severity="warning", message="Print op"),
    finding(
        "TL201", path="/usr/lib/python3/site-packages/keras/core.py", line=7, scope="scan 'step'", message="host op"
    ),
    finding(
        "TL003",
        path="models/mlp.py",
        line=2,
        function="",
        severity="warning",
        message="unused",
        data={"key": "disable=TL101"},
    ),
]


def test_valid_against_the_schema(validator):
    log = _log(validator, FINDINGS)
    assert log["$schema"] == SCHEMA_URI and log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_a_known_column_is_the_regions_start(validator):
    at = dataclasses.replace(finding(line=36), column=23)
    (result,) = _log(validator, [at])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 36, "startColumn": 23}


def test_an_empty_run_is_valid(validator):
    log = _log(validator, [])
    assert log["runs"][0]["results"] == []


def test_driver_lists_every_rule(validator):
    driver = _log(validator, [])["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("theanolint", __version__)
    assert [r["id"] for r in driver["rules"]] == [info.code for info in catalog()]
    for rule, info in zip(driver["rules"], catalog()):
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"] == info.summary
        assert rule["fullDescription"]["text"] == rule["help"]["text"] == info.doc.strip()
        # the rule's section of docs/rules.md, which code scanning renders with the alert
        assert rule["help"]["markdown"] in docs.rules_markdown()
        assert rule["help"]["markdown"].startswith(f"## {info.code} {info.name}\n")
        assert rule["defaultConfiguration"]["level"] == info.severity
    assert _log(validator, [], version="9.9")["runs"][0]["tool"]["driver"]["version"] == "9.9"


def test_results(validator):
    results = _log(validator, FINDINGS)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["message"]["text"]) for r in results] == [
        ("TL101", "error", FINDINGS[0].message),
        ("TL601", "warning", "Print op"),
        ("TL201", "error", "host op"),
        ("TL003", "warning", "unused"),
    ]
    assert [r["partialFingerprints"]["theanolint/v2"] for r in results] == [fingerprint(f) for f in FINDINGS]
    assert results[0]["properties"] == {"function": "mlp.train:train", "functions": ["mlp.train:train"], "scope": ""}
    assert results[2]["properties"] == {
        "function": "mlp.train:train",
        "functions": ["mlp.train:train"],
        "scope": "scan 'step'",
    }
    assert "properties" not in results[3]  # TL003 belongs to no function


def test_rule_index_points_at_the_rule(validator):
    log = _log(validator, FINDINGS + [finding("TL999", message="a code of no rule")])
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    for result in results[:-1]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert "ruleIndex" not in results[-1]


def test_relative_paths_are_against_srcroot(validator):
    log = _log(validator, FINDINGS, root="/home/user/my project")
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///home/user/my%20project/"}}
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert locations[0]["artifactLocation"] == {"uri": "models/mlp.py", "uriBaseId": "%SRCROOT%"}
    assert locations[1]["artifactLocation"] == {"uri": "models/my%20model.py", "uriBaseId": "%SRCROOT%"}
    assert [loc["region"]["startLine"] for loc in locations] == [36, 1, 7, 2]  # at least 1


def test_absolute_paths_are_file_uris(validator):
    location = _log(validator, FINDINGS)["runs"][0]["results"][2]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///usr/lib/python3/site-packages/keras/core.py"}


def test_root_uri_ends_with_a_slash_and_is_absolute(validator, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    log = _log(validator, [], root="sub")
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{tmp_path}/sub/"


def test_formatter_table_uses_it():
    assert FORMATTERS["sarif"](report(FINDINGS)) == render(report(FINDINGS))


def test_the_schema_check_is_not_vacuous(validator):
    log = json.loads(render(report(FINDINGS)))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(log))) >= 2


def test_one_result_per_problem_fingerprinted_on_its_first_function(validator):
    key = {"key": "constant 0.5"}
    shared = [finding("TL101", line=36, function=f, data=key) for f in ("mlp.train:test", "mlp.train:train")]
    results = _log(validator, shared)["runs"][0]["results"]
    assert len(results) == 1
    assert results[0]["properties"] == {
        "function": "mlp.train:test",
        "functions": ["mlp.train:test", "mlp.train:train"],
        "scope": "",
    }
    # the fingerprint a one-result-per-function log gave the first function's result
    assert results[0]["partialFingerprints"] == {"theanolint/v2": fingerprint(shared[0])}
