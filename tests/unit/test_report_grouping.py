"""theanolint.report.grouping: one record per problem, with the functions it affects."""

import json
from dataclasses import replace

from unit_records import finding, report, result, summary

from theanolint.findings import Finding
from theanolint.report import grouping
from theanolint.triage import triage

KEY = {"key": "constant 0.5"}
TRAIN = finding(function="mnist.mlp:train", data=KEY)
VALID = finding(function="mnist.mlp:valid", data=KEY)
TEST = finding(function="mnist.mlp:test", data=KEY)


def test_the_same_key_on_the_same_line_is_one_problem():
    (problem,) = grouping.group(sorted([TRAIN, VALID, TEST], key=Finding.sort_key))
    assert problem.functions == ("mnist.mlp:test", "mnist.mlp:train", "mnist.mlp:valid")  # sorted
    assert problem.function == "mnist.mlp:test"  # the first, for compatibility
    assert problem.message == TEST.message and problem.data == KEY


def test_the_first_sorted_message_is_kept():
    # same key: the sizes in the message differ, the problem is the same
    big = finding(function="m:b", message="float64 constant 0.5 makes 9 op(s) compute float64", data=KEY)
    small = finding(function="m:a", data=KEY)
    (problem,) = grouping.group([big, small])
    assert problem.function == "m:a" and problem.message == small.message
    assert problem.functions == ("m:a", "m:b")


def test_the_same_printed_text_is_one_problem_without_a_key():
    (problem,) = grouping.group([finding(function="m:a"), finding(function="m:b")])
    assert problem.functions == ("m:a", "m:b")
    # the same text with different keys: one line printed twice would be the same line
    (same,) = grouping.group([finding(function="m:a", data={"key": "x"}), finding(function="m:b", data={"key": "y"})])
    assert same.functions == ("m:a", "m:b")


def test_what_differs_stays_apart():
    apart = [
        TRAIN,
        replace(VALID, line=11),  # another line
        replace(VALID, code="TL102"),  # another rule
        replace(VALID, path="models/lm.py"),  # another file
        replace(VALID, scope="scan 'step'", message="float64 constant 0.5 (inside scan 'step')"),
        replace(VALID, data={"key": "constant 0.25"}, message="float64 constant 0.25"),
    ]
    problems = grouping.group(apart)
    assert len(problems) == len(apart)
    assert [p.functions for p in problems] == [(f.function,) for f in apart]


def test_the_given_order_is_kept():
    first, second = finding(line=3, function="m:z"), finding(line=9, function="m:a")
    assert [p.line for p in grouping.group([first, second, replace(first, function="m:b")])] == [3, 9]


def test_one_function_twice_is_named_once():
    (problem,) = grouping.group([TRAIN, TRAIN, VALID])
    assert problem.functions == ("mnist.mlp:train", "mnist.mlp:valid")


def test_findings_of_no_function_name_none():
    unused = finding("TL003", function="", severity="warning", message="unused suppression", data={"key": "d"})
    (problem,) = grouping.group([unused, unused])
    assert problem.function == "" and problem.functions == ()


def test_an_error_anywhere_makes_the_problem_an_error():
    (problem,) = grouping.group([replace(TRAIN, severity="warning"), VALID])
    assert problem.severity == "error"


def test_nothing_to_group():
    assert grouping.group([]) == ()
    assert grouping.clusters([]) == []


def test_clusters_keep_each_functions_record():
    other = finding(line=40, function="mnist.mlp:train", message="another")
    assert grouping.clusters([TRAIN, other, VALID]) == [[TRAIN, VALID], [other]]


def test_waived_findings_are_grouped_among_their_kind():
    waived = [("inline", TRAIN), ("baseline", VALID), ("inline", TEST)]
    grouped = grouping.group_waived(waived)
    assert [(kind, p.functions) for kind, p in grouped] == [
        ("inline", ("mnist.mlp:test", "mnist.mlp:train")),
        ("baseline", ("mnist.mlp:valid",)),
    ]


def test_the_report_lists_problems_and_keeps_the_records():
    made = report([TRAIN, VALID], waived=(("inline", TEST), ("inline", replace(TEST, function="mnist.mlp:x"))))
    assert made.findings == (TRAIN, VALID)  # per function, as triage made them
    assert [p.functions for p in made.problems] == [("mnist.mlp:train", "mnist.mlp:valid")]
    assert [(k, p.functions) for k, p in made.waived_problems] == [("inline", ("mnist.mlp:test", "mnist.mlp:x"))]


# --- the record ---------------------------------------------------------------


def test_records_without_functions_still_read():
    """The result cache and older JSON hold findings written before ``functions``."""
    old = {k: v for k, v in TRAIN.to_dict().items() if k != "functions"}
    assert Finding.from_dict(old) == TRAIN and Finding.from_dict(old).functions == ()


def test_functions_survive_a_json_round_trip():
    (problem,) = grouping.group([TRAIN, VALID])
    record = json.loads(json.dumps(problem.to_dict()))
    assert record["functions"] == ["mnist.mlp:train", "mnist.mlp:valid"]
    assert Finding.from_dict(record) == problem


# --- triage runs first, per function ------------------------------------------

# Written by theanolint before grouping existed: one entry per function.
OLD_BASELINE = {
    "version": 2,
    "tool": "theanolint",
    "findings": [
        {
            "code": "TL101",
            "count": 1,
            "fingerprint": "6ea619f1afa3ade86ccd",
            "function": "mlp.train:train",
            "message": "float64 constant 0.5 makes 2 op(s) compute float64",
            "path": "models/mlp.py",
        },
        {
            "code": "TL101",
            "count": 1,
            "fingerprint": "5c762dcced8357316515",
            "function": "mlp.train:valid",
            "message": "float64 constant 0.5 makes 2 op(s) compute float64",
            "path": "models/mlp.py",
        },
    ],
}


def test_a_baseline_written_before_grouping_still_matches(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(OLD_BASELINE))
    found = [finding(function="mlp.train:train", data=KEY), finding(function="mlp.train:valid", data=KEY)]
    fresh = finding(function="mlp.train:test", data=KEY)
    run = result(functions=[summary(f.function) for f in found + [fresh]], findings=found + [fresh])
    config = {"root": str(tmp_path), "rules": {}}
    outcome = triage(run, config, None, baseline_path=str(path))
    assert outcome.baselined == 2  # each function's record matched its own entry
    assert outcome.findings == (fresh,)  # the function the baseline did not record is new
    made = report(outcome.findings, outcome.result, baselined=outcome.baselined, waived=outcome.waived)
    assert [p.functions for p in made.problems] == [("mlp.train:test",)]
    assert [(k, p.functions) for k, p in made.waived_problems] == [("baseline", ("mlp.train:train", "mlp.train:valid"))]
