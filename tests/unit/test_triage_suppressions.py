"""theanolint.triage.suppressions: ``# theanolint: disable`` comments and TL003."""

import textwrap

import pytest
from unit_records import finding

from theanolint.ruleset.catalog import known_codes
from theanolint.triage.suppressions import UNUSED_CODE, Comment, Suppressions, comments_in

SOURCE = textwrap.dedent("""\
    import numpy as np                                      # 1
    x = np.float64(1)  # theanolint: disable=TL101          # 2
    # theanolint: disable-next=TL101, tl202                 # 3
    y = np.float64(2)                                       # 4
    s = "# theanolint: disable=TL601"                       # 5: inside a string
    # theanolint: disable-file=TL3                          # 6
    z = 3  #theanolint:disable = TL9  # theanolint: disable-next=TL6   # 7
    """)


def _texts(comments):
    return [(c.line, c.kind, c.codes) for c in comments]


# --- comments_in --------------------------------------------------------------


def test_comments_in_reads_every_directive():
    assert _texts(comments_in(SOURCE, "m.py")) == [
        (2, "disable", ["TL101"]),
        (3, "disable-next", ["TL101", "TL202"]),  # spaces allowed, codes upper-cased
        (6, "disable-file", ["TL3"]),
        (7, "disable", ["TL9"]),  # two directives in one comment
        (7, "disable-next", ["TL6"]),
    ]
    assert all(c.path == "m.py" and c.used == set() for c in comments_in(SOURCE, "m.py"))


def test_comment_text():
    assert comments_in("# theanolint: disable-next=tl101 , TL2\n", "m.py")[0].text == "disable-next=TL101,TL2"


def test_strings_and_other_comments_do_not_count():
    text = 'a = """\n# theanolint: disable=TL101\n"""\nb = 1  # noqa: E501 theanolint disable=TL1\n'
    assert comments_in(text, "m.py") == []
    assert comments_in("", "m.py") == []


def test_noqa_with_tl_codes_counts_as_disable():
    text = "x = 1  # noqa: TL101\ny = 2  # noqa: E501, TL202 TL3\nz = 3  # noqa\nw = 4  # noqa: E501\n"
    comments = comments_in(text, "m.py")
    assert _texts(comments) == [(1, "disable", ["TL101"]), (2, "disable", ["TL202", "TL3"])]
    assert comments[1].text == "noqa: TL202, TL3"  # as TL003 names an unused one


def test_rule_names_stand_for_their_codes():
    text = "x = 1  # theanolint: disable=float64, slow-inc-subtensor,TL6\n"
    assert _texts(comments_in(text, "m.py")) == [(1, "disable", ["TL101", "TL401", "TL6"])]


def test_source_that_does_not_tokenize_falls_back_to_lines():
    text = 'x = 1  # theanolint: disable=TL101\ns = """never closed\n# theanolint: disable-next=TL2\n'
    assert _texts(comments_in(text, "m.py")) == [(1, "disable", ["TL101"]), (3, "disable-next", ["TL2"])]


# --- Comment.covers -----------------------------------------------------------


def test_covers_by_kind_and_line():
    same = Comment("m.py", 5, "disable", ["TL1", "TL601"])
    assert same.covers(finding("TL101", line=5)) == "TL1"
    assert same.covers(finding("TL601", line=5)) == "TL601"
    assert same.covers(finding("TL202", line=5)) is None
    assert same.covers(finding("TL101", line=6)) is None
    nxt = Comment("m.py", 5, "disable-next", ["TL101"])
    assert nxt.covers(finding("TL101", line=6)) == "TL101"
    assert nxt.covers(finding("TL101", line=5)) is None
    assert nxt.covers(finding("TL101", line=7)) is None
    whole = Comment("m.py", 5, "disable-file", ["TL2"])
    assert whole.covers(finding("TL201", line=1)) == "TL2"
    assert whole.covers(finding("TL202", line=900)) == "TL2"
    assert whole.covers(finding("TL101", line=5)) is None


# --- Suppressions.split -------------------------------------------------------


@pytest.fixture
def root(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "plain.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def test_split_drops_what_comments_name_and_marks_them_used(root):
    comments = Suppressions(str(root))
    findings = [
        finding("TL101", path="models/m.py", line=2),  # disable
        finding("TL601", path="models/m.py", line=2),  # not named there
        finding("TL202", path="models/m.py", line=4),  # disable-next
        finding("TL301", path="models/m.py", line=40),  # disable-file TL3
        finding("TL601", path="models/m.py", line=5),  # only inside a string
        finding("TL101", path="plain.py", line=2),
    ]
    kept, suppressed = comments.split(findings)
    assert kept == [findings[1], findings[4], findings[5]]
    assert suppressed == [findings[0], findings[2], findings[3]]
    used = {(c.line, c.kind): c.used for c in comments.of("models/m.py")}
    assert used == {
        (2, "disable"): {"TL101"},
        (3, "disable-next"): {"TL202"},
        (6, "disable-file"): {"TL3"},
        (7, "disable"): set(),
        (7, "disable-next"): set(),
    }


def test_split_reads_absolute_paths_and_skips_what_is_no_python_file(root):
    comments = Suppressions(str(root))
    absolute = str(root / "models" / "m.py")
    kept, suppressed = comments.split(
        [
            finding("TL101", path=absolute, line=2),
            finding("TL101", path="models.m", line=2),  # a module
            finding("TL101", path="gone.py", line=2),  # no file
            finding("TL101", path="models", line=2),
        ]
    )  # a folder
    assert [f.path for f in suppressed] == [absolute]
    assert [f.path for f in kept] == ["models.m", "gone.py", "models"]


def test_each_file_is_read_once(root):
    comments = Suppressions(str(root))
    assert len(comments.of("models/m.py")) == 5
    (root / "models" / "m.py").write_text("x = 1\n")
    assert len(comments.of("models/m.py")) == 5
    assert comments.of("models/m.py") is comments.of("models/m.py")


def test_undecodable_bytes_do_not_stop_the_reading(root):
    (root / "latin.py").write_bytes(b"s = '\xe9'  # theanolint: disable=TL101\n")
    assert _texts(Suppressions(str(root)).of("latin.py")) == [(1, "disable", ["TL101"])]


# --- Suppressions.unused ------------------------------------------------------


def _unused(comments, judged, run_codes=None, settings=None, select=(), ignore=()):
    return comments.unused(
        judged, list(known_codes()) if run_codes is None else run_codes, known_codes(), settings or {}, select, ignore
    )


def test_unused_reports_each_code_that_suppressed_nothing(root):
    comments = Suppressions(str(root))
    comments.split([finding("TL101", path="models/m.py", line=2)])
    found = _unused(comments, ["models/m.py"])
    assert [(f.line, f.message) for f in found] == [
        (3, "unused suppression 'disable-next=TL101,TL202': no TL101 finding to suppress"),
        (3, "unused suppression 'disable-next=TL101,TL202': no TL202 finding to suppress"),
        (6, "unused suppression 'disable-file=TL3': no TL3 finding to suppress"),
        (7, "'disable=TL9' names no rule: unknown code 'TL9'"),
        (7, "unused suppression 'disable-next=TL6': no TL6 finding to suppress"),
    ]
    for f in found:
        assert (f.code, f.name, f.severity, f.path, f.function) == (
            UNUSED_CODE,
            "unused-suppression",
            "warning",
            "models/m.py",
            "",
        )
    assert [f.data for f in found] == [
        {"key": "disable-next=TL101"},
        {"key": "disable-next=TL202"},
        {"key": "disable-file=TL3"},
        {"key": "disable=TL9"},
        {"key": "disable-next=TL6"},
    ]


def test_unused_judges_only_codes_of_rules_that_ran(root):
    comments = Suppressions(str(root))
    found = _unused(comments, ["models/m.py"], run_codes=["TL202", "TL601"])
    assert [(f.line, f.data["key"]) for f in found] == [
        (3, "disable-next=TL202"),
        (7, "disable=TL9"),
        (7, "disable-next=TL6"),
    ]  # unknown: always


def test_unused_judges_only_the_judged_paths(root):
    comments = Suppressions(str(root))
    assert _unused(comments, []) == []
    assert _unused(comments, ["plain.py", "gone.py", "models.m"]) == []
    assert len(_unused(comments, ["models/m.py", "models/m.py"])) == 6  # each path once


def test_a_comment_listing_tl003_is_never_reported(tmp_path):
    (tmp_path / "a.py").write_text(
        "x = 1  # theanolint: disable=TL101,TL003,TL999\n"
        "y = 2  # theanolint: disable=TL0,TL601\n"
        "z = 3  # theanolint: disable=TL601\n"
    )
    found = _unused(Suppressions(str(tmp_path)), ["a.py"])
    assert [(f.line, f.data["key"]) for f in found] == [(3, "disable=TL601")]


def test_unused_takes_the_severity_from_the_settings(root):
    comments = Suppressions(str(root))
    found = _unused(comments, ["models/m.py"], settings={"TL003": "error"})
    assert {f.severity for f in found} == {"error"}


def test_a_prefix_that_suppressed_something_is_used(tmp_path):
    (tmp_path / "a.py").write_text("# theanolint: disable-file=TL1,TL2\n")
    comments = Suppressions(str(tmp_path))
    kept, _ = comments.split([finding("TL101", path="a.py", line=9)])
    assert kept == []
    assert [f.data["key"] for f in _unused(comments, ["a.py"])] == ["disable-file=TL2"]
