"""theanolint.report.statistics: ``--statistics``, per rule how many findings (text and json)."""

import json
from importlib import resources

import jsonschema
from unit_records import finding, report, result, summary

from theanolint.report import statistics

ERROR = finding("TL101", path="models/mlp.py", line=36, message="float64 shared variable 'T'")
WARNING = finding("TL601", path="models/mlp.py", line=41, severity="warning", message="Print op left")
UNUSED = finding("TL003", path="models/lm.py", line=2, severity="warning", function="", message="unused suppression")


def _run(count):
    return result(functions=[summary(f"f{i}:g") for i in range(count)])


def test_statistics_rows_most_frequent_first():
    findings = [WARNING, ERROR, ERROR, UNUSED, WARNING, WARNING]
    assert statistics.rows(findings) == [
        {"code": "TL601", "name": "print-left-in", "severity": "warning", "count": 3},
        {"code": "TL101", "name": "float64", "severity": "error", "count": 2},
        {"code": "TL003", "name": "unused-suppression", "severity": "warning", "count": 1},
    ]
    assert statistics.rows([]) == []


def test_statistics_ties_are_sorted_by_code():
    rows = statistics.rows([WARNING, UNUSED, ERROR])
    assert [r["code"] for r in rows] == ["TL003", "TL101", "TL601"]


def test_statistics_split_a_code_by_severity():
    rows = statistics.rows([ERROR, finding("TL101", severity="warning")])
    assert [(r["code"], r["severity"], r["count"]) for r in rows] == [("TL101", "error", 1), ("TL101", "warning", 1)]


def test_statistics_text():
    findings = [finding("TL101", line=line) for line in range(12)] + [WARNING]
    out = statistics.text(report(findings, _run(2), target="cuda"))
    assert out == (
        "12  TL101  float64                  error\n"
        " 1  TL601  print-left-in            warning\n"
        "Found 13 problem(s) (12 error(s), 1 warning(s)) in 2 function(s) on cuda.\n"
    )
    assert statistics.text(report(findings, _run(2), quiet=True)).splitlines()[-1].startswith(" 1  TL601")
    assert statistics.text(report([], _run(2), target="cuda")) == "All checks passed: 2 function(s) on cuda.\n"
    assert statistics.text(report([], _run(2), quiet=True)) == ""


def test_statistics_json_is_valid_against_the_report_schema():
    schema = json.loads(resources.files("theanolint.report").joinpath("schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    findings = [ERROR, UNUSED, finding("TL501", data={"bytes": 1}), finding("TL101", line=37)]
    text = statistics.json_text(report(findings, _run(1), target="cuda"))
    assert text.endswith("\n")
    document = json.loads(text)
    assert not list(validator.iter_errors(document))
    assert document == {
        "target": "cuda",
        "statistics": [
            {"code": "TL101", "name": "float64", "severity": "error", "count": 2},
            {"code": "TL003", "name": "unused-suppression", "severity": "warning", "count": 1},
            {"code": "TL501", "name": "memory-over-budget", "severity": "error", "count": 1},
        ],
    }
    empty = json.loads(statistics.json_text(report([], result(), target="cuda")))
    assert empty == {"target": "cuda", "statistics": []}
    assert not list(validator.iter_errors(empty))


def test_statistics_count_problems_not_functions():
    shared = [finding("TL101", line=36, function=f) for f in ("mlp:train", "mlp:valid", "mlp:test")]
    run = _run(3)
    assert statistics.rows(report(shared, run).problems) == [
        {"code": "TL101", "name": "float64", "severity": "error", "count": 1}
    ]
    assert statistics.text(report(shared, run, target="cuda")) == (
        "1  TL101  float64                  error\n"
        "Found 1 problem(s) (1 error(s), 0 warning(s)) in 3 function(s) on cuda.\n"
    )
    assert json.loads(statistics.json_text(report(shared, run)))["statistics"][0]["count"] == 1
