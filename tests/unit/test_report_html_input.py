"""theanolint.report.html_input: each function keeps its own records (its picture
highlights them); the overview counts problems, as the other formats do."""

from unit_records import finding, report

from theanolint.report.html import page
from theanolint.report.html_input import document

KEY = {"key": "constant 0.5"}


def _in(*functions, **fields):
    return [finding(function=f, data=dict(KEY, nodes=[f"n-{f}"]), **fields) for f in functions]


def test_each_function_keeps_its_own_record():
    made = report(_in("mlp:test", "mlp:train", "mlp:valid"))
    records = document(made, version="0")["findings"]
    assert [r["function"] for r in records] == ["mlp:test", "mlp:train", "mlp:valid"]
    assert [r["data"]["nodes"] for r in records] == [["n-mlp:test"], ["n-mlp:train"], ["n-mlp:valid"]]
    assert all(r["functions"] == ["mlp:test", "mlp:train", "mlp:valid"] for r in records)
    assert all(r["waived"] is None for r in records)


def test_the_overview_counts_problems():
    waived = tuple(("inline", f) for f in _in("lm:a", "lm:b", line=50)) + (("baseline", _in("lm:a", line=60)[0]),)
    made = report(_in("mlp:a", "mlp:b") + _in("mlp:a", line=20, severity="warning"), waived=waived)
    built = document(made, version="0")
    assert built["problems"] == {"error": 1, "warning": 1, "waived": 2}
    assert len(built["findings"]) == 6  # the records: 3 reported, 3 waived
    waived_records = [r for r in built["findings"] if r["waived"]]
    assert [(r["waived"], r["functions"]) for r in waived_records] == [
        ("inline", ["lm:a", "lm:b"]),
        ("inline", ["lm:a", "lm:b"]),
        ("baseline", ["lm:a"]),
    ]
    assert page._counts(built, [], []) == {"error": 1, "warning": 1, "waived": 2}


def test_a_document_without_problems_counts_its_findings():
    assert page._counts({"findings": []}, [], [{"severity": "error"}, {"waived": "inline"}]) == {
        "error": 1,
        "warning": 0,
        "waived": 1,
    }
