"""theanolint.report.github: GitHub Actions workflow commands, one per finding."""

import dataclasses

from unit_records import finding, report

from theanolint.report import FORMATTERS
from theanolint.report.github import _escape_data, _escape_property, render


def test_one_annotation_per_finding():
    text = render(
        report(
            [
                finding("TL101", path="models/mlp.py", line=36, message="float64 here"),
                finding("TL601", severity="warning", line=41, message="Print op"),
            ]
        )
    )
    assert text == (
        "::error file=models/mlp.py,line=36,title=TL101::float64 here [mlp.train:train]\n"
        "::warning file=models/mlp.py,line=41,title=TL601::Print op [mlp.train:train]\n"
    )


def test_a_known_column_is_annotated():
    at = dataclasses.replace(finding(line=36, message="float64 here"), column=23)
    assert render(report([at])).startswith("::error file=models/mlp.py,line=36,col=23,title=TL101::")


def test_no_findings_no_output():
    assert render(report([])) == ""


def test_function_less_findings_and_line_zero():
    text = render(report([finding("TL003", function="", line=0, severity="warning", message="unused")]))
    assert text == "::warning file=models/mlp.py,line=1,title=TL003::unused\n"


def test_data_escaping():
    assert _escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert _escape_data("a:b,c") == "a:b,c"  # only properties escape : and ,
    assert _escape_data("%0A") == "%250A"  # % first, so escapes stay readable


def test_property_escaping():
    assert _escape_property("C:\\dir,x\ny%") == "C%3A\\dir%2Cx%0Ay%25"


def test_escaping_in_a_rendered_annotation():
    f = finding(path="odd:dir/a,b%.py", message="50% of ops\nsecond line: a, b", function="m:f,g")
    line = render(report([f]))
    assert line == (
        "::error file=odd%3Adir/a%2Cb%25.py,line=10,title=TL101::50%25 of ops%0Asecond line: a, b [m:f,g]\n"
    )
    assert line.count("\n") == 1 and line.count("::") == 2


def test_formatter_table_uses_it():
    assert FORMATTERS["github"](report([finding()])) == render(report([finding()]))


def test_one_annotation_per_problem():
    shared = [finding("TL101", line=36, message="float64 here", function=f) for f in ("mlp:train", "mlp:valid")]
    expected = "::error file=models/mlp.py,line=36,title=TL101::float64 here [mlp: train, valid]\n"
    assert render(report(shared)) == expected
