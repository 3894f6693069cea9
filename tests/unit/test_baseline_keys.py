"""The baseline matches findings by their rules' stable keys, not by the message's wording."""

import json

from theanolint.findings import Finding
from theanolint.triage import baseline


def _finding(message: str, key: str, line: int = 10) -> Finding:
    return Finding(
        code="TL101",
        message=message,
        path="models/mlp.py",
        line=line,
        function="mlp.train:train",
        data={"traced": True, "key": key},
    )


def test_rewording_a_message_keeps_a_baseline_valid(tmp_path):
    path = str(tmp_path / "baseline.json")
    baseline.write(
        path,
        [_finding("float64 constant 0.0001 makes 2 op(s) compute float64", "constant 0.0001")],
        [],
        {"mlp.train:train"},
    )
    reworded = _finding("the constant 0.0001 is float64: 2 ops follow it; use np.float32", "constant 0.0001", line=12)
    new, recorded = baseline.split([reworded], baseline.load(path))
    assert (new, recorded) == ([], [reworded])


def test_a_different_key_is_a_new_finding(tmp_path):
    path = str(tmp_path / "baseline.json")
    baseline.write(path, [_finding("float64 constant 0.0001", "constant 0.0001")], [], {"mlp.train:train"})
    other = _finding("float64 constant 0.0001", "constant 0.5")
    assert baseline.split([other], baseline.load(path)) == ([other], [])


def _format_1_baseline(tmp_path, finding: Finding) -> str:
    """A baseline as theanolint wrote it before every rule gave a key."""
    entry = {
        "fingerprint": baseline.fingerprint(finding, version=1),
        "code": finding.code,
        "function": finding.function,
        "path": finding.path,
        "message": finding.message,
        "count": 1,
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"version": 1, "tool": "theanolint", "findings": [entry]}))
    return str(path)


def test_a_format_1_baseline_is_still_honoured(tmp_path):
    """Matched by the message without its numbers, as it was written."""
    path = _format_1_baseline(
        tmp_path, _finding("float64 constant 0.0001 makes 2 op(s) compute float64", "constant 0.0001")
    )
    moved = _finding("float64 constant 0.0001 makes 3 op(s) compute float64", "constant 0.0001", line=40)
    assert baseline.split([moved], baseline.load(path)) == ([], [moved])


def test_rewriting_keeps_old_entries_of_functions_not_linted(tmp_path):
    old = _finding("float64 constant 0.0001", "constant 0.0001")
    path = _format_1_baseline(tmp_path, old)
    baseline.write(path, [], baseline.load(path), {"other:function"})
    with open(path) as handle:
        written = json.load(handle)
    assert written["version"] == baseline.VERSION
    assert written["findings"][0]["fingerprint_version"] == 1
    assert baseline.split([old], baseline.load(path)) == ([], [old])
