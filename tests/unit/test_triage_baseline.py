"""theanolint.triage.baseline: record today's findings, fail only on new ones."""

import json

import pytest
from unit_records import finding

from theanolint.triage.baseline import VERSION, BaselineError, fingerprint, load, split, write

# --- fingerprint --------------------------------------------------------------


def test_fingerprint_is_short_hex_and_stable():
    key = fingerprint(finding())
    assert len(key) == 20 and int(key, 16) >= 0
    assert fingerprint(finding()) == key


def test_fingerprint_ignores_the_line_and_numbers_in_the_message():
    base = finding(
        message="float64 shared variable 'W' makes 14 op(s) compute float64 "
        "(11 on the GPU, 0 on the host), shape (256, 10), 1.5e-05, -3, 0.25",
        line=36,
    )
    moved = finding(
        message="float64 shared variable 'W' makes 9 op(s) compute float64 "
        "(2 on the GPU, 7 on the host), shape (512, 3), 2e+07, +4, 12.75",
        line=99,
    )
    assert fingerprint(base) == fingerprint(moved)


def test_fingerprint_keeps_digits_that_are_part_of_words():
    assert fingerprint(finding(message="float64 op")) != fingerprint(finding(message="float32 op"))
    assert fingerprint(finding(message="shared 'W1'")) != fingerprint(finding(message="shared 'W2'"))
    assert fingerprint(finding(message="see TL101")) != fingerprint(finding(message="see TL102"))
    assert fingerprint(finding(message="layer_1 op")) != fingerprint(finding(message="layer_2 op"))


@pytest.mark.parametrize(
    "change",
    [
        dict(code="TL202"),
        dict(function="mlp.other:f"),
        dict(path="models/lm.py"),
        dict(scope="scan 'step'"),
        dict(message="another message"),
    ],
)
def test_fingerprint_depends_on_code_function_path_scope_and_text(change):
    assert fingerprint(finding(**change)) != fingerprint(finding())


def test_fingerprint_ignores_severity_name_and_other_data():
    same = finding(severity="warning", name="renamed", data={"ops": 3, "traced": True})
    assert fingerprint(same) == fingerprint(finding())


def test_a_stable_key_replaces_the_message():
    one = finding(message="unused suppression 'disable=TL101,TL202': no TL101", data={"key": "disable=TL101"})
    two = finding(message="an entirely different text", data={"key": "disable=TL101"})
    other = finding(message="an entirely different text", data={"key": "disable=TL202"})
    assert fingerprint(one) == fingerprint(two) != fingerprint(other)
    assert fingerprint(finding(data={"key": ""})) == fingerprint(finding())  # empty: the message


# --- split --------------------------------------------------------------------


def _entries(*findings, count=None):
    entries = [{"fingerprint": fingerprint(f)} for f in findings]
    if count is not None:
        for entry in entries:
            entry["count"] = count
    return entries


def test_split_separates_new_from_recorded():
    old, new = finding(), finding(code="TL601", message="Print op left in the graph")
    assert split([old, new], _entries(old)) == ([new], [old])
    assert split([old, new], []) == ([old, new], [])
    assert split([], _entries(old)) == ([], [])


def test_split_counts_duplicates():
    first, second = finding(line=3), finding(line=30)  # the same fingerprint
    assert split([first, second], _entries(first)) == ([second], [first])
    assert split([first, second], _entries(first, count=2)) == ([], [first, second])
    assert split([first, second], _entries(first) * 2) == ([], [first, second])
    assert split([first], _entries(first, count=5)) == ([], [first])


def test_split_matches_moved_findings():
    recorded = finding(line=10, message="makes 14 op(s) compute float64")
    moved = finding(line=12, message="makes 15 op(s) compute float64")
    assert split([moved], _entries(recorded)) == ([], [moved])


# --- write / load -------------------------------------------------------------


def test_write_load_round_trip(tmp_path):
    path = str(tmp_path / "deeper" / "baseline.json")
    findings = [
        finding(line=1),
        finding(line=2),
        finding("TL601", message="Print op", function="lm:f", path="models/lm.py"),
    ]
    assert write(path, findings, [], {"mlp.train:train", "lm:f"}) == 3
    entries = load(path)
    assert split(findings, entries) == ([], findings)
    assert split(findings + [finding(line=3)], entries)[0] == [finding(line=3)]
    assert not list(tmp_path.joinpath("deeper").glob("*.tmp"))


def test_written_file_format(tmp_path):
    path = tmp_path / "baseline.json"
    write(
        str(path),
        [
            finding("TL601", path="b.py", message="m 1"),
            finding(path="a.py", message="m 2"),
            finding(path="a.py", message="m 3", line=7),
        ],
        [],
        set(),
    )
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    data = json.loads(text)
    assert (data["version"], data["tool"]) == (VERSION, "theanolint")
    assert [(e["path"], e["code"], e["count"]) for e in data["findings"]] == [
        ("a.py", "TL101", 2),
        ("b.py", "TL601", 1),
    ]
    assert set(data["findings"][0]) == {"fingerprint", "code", "function", "path", "message", "count"}
    assert data["findings"][0]["message"] == "m 2"  # the first one's message


def test_write_replaces_entries_of_linted_functions_and_keeps_the_others(tmp_path):
    path = str(tmp_path / "baseline.json")
    fixed = finding(function="a:f", message="fixed since")
    kept = finding(function="b:g", message="not linted this time")
    write(path, [fixed, kept], [], {"a:f", "b:g"})
    still = finding(function="a:f", message="still there")
    assert write(path, [still], load(path), {"a:f"}) == 2
    assert split([fixed, kept, still], load(path)) == ([fixed], [kept, still])


def test_write_with_nothing_writes_an_empty_baseline(tmp_path):
    path = str(tmp_path / "baseline.json")
    assert write(path, [], [], set()) == 0
    assert load(path) == []


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        "{}",
        '{"version": 1}',
        '{"version": 3, "findings": []}',
        '{"findings": []}',
        '{"version": 1, "findings": 5}',
        '{"version": 1, "findings": [5]}',
        '{"version": 1, "findings": [{"code": "TL101"}]}',
        "\u00e9".encode("latin-1"),
    ],
)
def test_load_refuses_what_is_no_baseline(tmp_path, content):
    path = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=f"^{path}: cannot read the baseline: "):
        load(str(path))


def test_load_refuses_a_missing_file(tmp_path):
    with pytest.raises(BaselineError, match="cannot read the baseline"):
        load(str(tmp_path / "nowhere.json"))
    with pytest.raises(BaselineError):
        load(str(tmp_path))  # a folder
