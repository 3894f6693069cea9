"""theanolint.triage.per_file_ignores: the config's glob -> codes."""

from unit_records import finding

from theanolint.triage.per_file_ignores import apply, matching_codes


def test_matching_codes_collects_every_matching_pattern():
    ignores = {"legacy/*": ["TL101", "TL3"], "legacy/old.py": ["TL601"], "models/*": ["TL2"]}
    assert matching_codes("legacy/old.py", ignores) == ["TL101", "TL3", "TL601"]
    assert matching_codes("legacy/new.py", ignores) == ["TL101", "TL3"]
    assert matching_codes("other.py", ignores) == []
    assert matching_codes("other.py", {}) == []


def test_star_crosses_folders():
    assert matching_codes("tests/a/b/c.py", {"tests/*": ["TL1"]}) == ["TL1"]
    assert matching_codes("tests/a/b/c.py", {"*.py": ["TL1"]}) == ["TL1"]
    assert matching_codes("src/tests/c.py", {"tests/*": ["TL1"]}) == []  # anchored at the start


def test_matching_is_case_sensitive_and_on_the_path_as_printed():
    assert matching_codes("Legacy/x.py", {"legacy/*": ["TL1"]}) == []
    assert matching_codes("/site-packages/keras/x.py", {"*/keras/*": ["TL1"]}) == ["TL1"]
    assert matching_codes("models/m.py", {"models/?.py": ["TL1"], "models/[mn].py": ["TL2"]}) == ["TL1", "TL2"]


def test_apply_drops_codes_and_prefixes_in_matching_files():
    findings = [
        finding("TL101", path="legacy/a.py"),
        finding("TL301", path="legacy/a.py"),
        finding("TL601", path="legacy/a.py"),
        finding("TL101", path="models/a.py"),
    ]
    kept = apply(findings, {"legacy/*": ["TL101", "TL3"]})
    assert [(f.code, f.path) for f in kept] == [("TL601", "legacy/a.py"), ("TL101", "models/a.py")]


def test_apply_without_ignores_copies_the_list():
    findings = [finding("TL101")]
    kept = apply(findings, {})
    assert kept == findings and kept is not findings
    assert apply((f for f in findings), {}) == findings


def test_apply_keeps_order_and_does_not_modify_its_input():
    findings = [finding("TL601", line=3), finding("TL101", line=1), finding("TL202", line=2)]
    before = list(findings)
    assert apply(findings, {"models/*": ["TL1"]}) == [findings[0], findings[2]]
    assert findings == before
