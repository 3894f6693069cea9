"""theanolint.triage.frameworks: findings about what a framework made are left out unless
a rule's ``frameworks`` option asks for them, and the reports say how many were left out."""

import json

from unit_records import finding, report

from theanolint.report import json_report, text
from theanolint.triage import frameworks


def _framework(code="TL301", function="m:train", line=10):
    return finding(code=code, function=function, line=line, message="unnamed", data={"framework": True, "key": "k"})


def test_framework_findings_are_left_out_by_default():
    own = finding(code="TL301", data={"key": "k"})
    shown, left_out = frameworks.split([own, _framework()], {})
    assert shown == [own] and left_out == [_framework()]


def test_the_rule_option_brings_them_back_for_that_rule_only():
    rules = {"TL301": {"options": {"frameworks": True}}}
    shown, left_out = frameworks.split([_framework("TL301"), _framework("TL202")], rules)
    assert [f.code for f in shown] == ["TL301"] and [f.code for f in left_out] == ["TL202"]


def test_a_prefix_option_counts_for_the_rules_under_it():
    shown, _ = frameworks.split([_framework("TL301"), _framework("TL302")], {"TL3": {"options": {"frameworks": True}}})
    assert len(shown) == 2


def test_build_errors_are_never_left_out():
    shown, left_out = frameworks.split([_framework("TL001")], {})
    assert [f.code for f in shown] == ["TL001"] and not left_out


def test_the_summary_and_the_json_count_left_out_problems_not_functions():
    left_out = (_framework(function="m:train"), _framework(function="m:valid"), _framework(line=11))
    summary = text.summary(report([], left_out=left_out))
    assert summary.startswith("All checks passed")
    assert "(2 about what frameworks made not shown: a rule's option frameworks: true shows them)" in summary
    assert json.loads(json_report.render(report([], left_out=left_out)))["frameworks_left_out"] == 2


def test_nothing_left_out_says_nothing():
    assert "frameworks" not in text.summary(report([]))
