"""theanolint.ruleset.catalog: every rule's metadata, read from its source without Theano."""

import ast
import importlib.util
import subprocess
import sys
import textwrap

import pytest

from theanolint.findings import SEVERITIES
from theanolint.ruleset import catalog as catalog_module
from theanolint.ruleset.catalog import (
    CODE_PATTERN,
    DOC_SECTIONS,
    KNOWN_NEEDS,
    RuleInfo,
    _problem,
    _read,
    catalog,
    known_codes,
    rule,
)

GOOD_DOC = textwrap.dedent("""\
    A summary line.

    What it does: Reports something.

    Why is this bad: Because.

    Example:
        x = 1

    Use instead:
        x = 2

    What it leaves out: nothing.
    """)


def _source_tree(info: RuleInfo) -> ast.Module:
    with open(importlib.util.find_spec(info.module).origin, encoding="utf-8") as handle:
        return ast.parse(handle.read())


def test_catalog_is_read_without_importing_theano():
    code = (
        "import sys\n"
        "from theanolint.ruleset.catalog import catalog\n"
        "rules = catalog()\n"
        "assert len(rules) > 10, rules\n"
        "bad = sorted(m for m in sys.modules if m == 'theano' or m.startswith(('theano.', "
        "'theanolint.rules.', 'pygpu')))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_codes_are_unique_sorted_and_well_formed():
    codes = known_codes()
    assert len(codes) == len(set(codes))
    assert list(codes) == sorted(codes)
    assert all(CODE_PATTERN.match(c) for c in codes)
    assert codes == tuple(info.code for info in catalog())


def test_catalog_is_read_once():
    assert catalog() is catalog()


def test_every_rule_is_complete():
    names = [info.name for info in catalog()]
    assert len(names) == len(set(names))
    for info in catalog():
        assert info.severity in SEVERITIES
        assert info.needs <= KNOWN_NEEDS
        assert info.module.startswith("theanolint.rules.tl" + info.code[2:])
        for section in DOC_SECTIONS:
            assert f"{section}:" in info.doc, (info.code, section)


def test_rule_metadata_matches_its_module_source():
    for info in catalog():
        values = {}
        for statement in _source_tree(info).body:
            if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                if statement.targets[0].id in ("CODE", "NAME", "SEVERITY"):
                    values[statement.targets[0].id] = ast.literal_eval(statement.value)
        assert values == {"CODE": info.code, "NAME": info.name, "SEVERITY": info.severity}


def test_summary_is_the_first_docstring_line():
    for info in catalog():
        assert info.summary == info.doc.strip().splitlines()[0]
        assert info.summary and "\n" not in info.summary
    made = RuleInfo("TL999", "x", "error", "\n  First line.\n\nWhat it does: ...", "m", frozenset())
    assert made.summary == "First line."


def test_known_rules():
    assert rule("TL601").name == "print-left-in"
    assert rule("TL601").severity == "warning"
    assert rule("TL101").severity == "error"
    assert rule("TL501").needs == frozenset({"memory"})
    assert rule("TL502").needs == frozenset({"memory"})
    assert rule("TL101").needs == frozenset()
    with pytest.raises(KeyError):
        rule("TL999")
    with pytest.raises(KeyError):
        rule("TL1")  # prefixes are not codes here


def test_reported_by_rules_have_no_check():
    reported = {info.code: info.reported_by for info in catalog() if info.reported_by}
    assert reported == {"TL003": "triage", "TL004": "pool", "TL005": "pool"}
    for info in catalog():
        functions = {s.name for s in _source_tree(info).body if isinstance(s, ast.FunctionDef)}
        assert ("check" in functions) is info.checks_functions, info.code
        assert info.checks_functions is (not info.reported_by)


# --- _problem: what makes a rule module bad ---------------------------------


def _values(**changes):
    values = {"CODE": "TL999", "NAME": "made-up", "SEVERITY": "warning"}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_a_good_module_has_no_problem():
    assert _problem(_values(), True, GOOD_DOC) is None
    assert _problem(_values(REPORTED_BY="triage"), False, GOOD_DOC) is None
    assert _problem(_values(NEEDS={"memory"}), True, GOOD_DOC) is None


@pytest.mark.parametrize("missing", ["CODE", "NAME", "SEVERITY"])
def test_missing_literal(missing):
    assert _problem(_values(**{missing: None}), True, GOOD_DOC) == f"missing {missing}"


@pytest.mark.parametrize("code", ["TL99", "TL9999", "XX101", "tl101", " TL101"])
def test_bad_code(code):
    assert _problem(_values(CODE=code), True, GOOD_DOC) == f"bad code {code!r}"


@pytest.mark.parametrize("severity", ["info", "Error", "off", ""])
def test_bad_severity(severity):
    assert _problem(_values(SEVERITY=severity), True, GOOD_DOC) == f"bad severity {severity!r}"


def test_check_xor_reported_by():
    both = _problem(_values(REPORTED_BY="pool"), True, GOOD_DOC)
    neither = _problem(_values(), False, GOOD_DOC)
    assert both == neither == "needs either check() or REPORTED_BY, not both"
    assert _problem(_values(REPORTED_BY=""), False, GOOD_DOC) == neither


def test_unknown_needs():
    assert _problem(_values(NEEDS={"memory", "gpu", "cpu"}), True, GOOD_DOC) == "unknown NEEDS ['cpu', 'gpu']"


def test_missing_docstring_sections():
    assert _problem(_values(), True, "") == "docstring lacks " + ", ".join(DOC_SECTIONS)
    doc = GOOD_DOC.replace("Why is this bad:", "Why:").replace("Use instead:", "Instead:")
    assert _problem(_values(), True, doc) == "docstring lacks Why is this bad, Use instead"


# --- _read: a rule module on disk -------------------------------------------


def _module(tmp_path, monkeypatch, name, source):
    (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return name


def test_read_a_module_without_importing_it(tmp_path, monkeypatch):
    name = _module(
        tmp_path,
        monkeypatch,
        "unit_rule_good",
        f'"""{GOOD_DOC}"""\n'
        + textwrap.dedent("""\
        import this_module_does_not_exist_anywhere

        CODE = "TL998"
        NAME = "made-up"
        SEVERITY = "warning"
        NEEDS = {"memory"}


        def check(function, options):
            yield from ()
        """),
    )
    info = _read(name)
    assert info == RuleInfo("TL998", "made-up", "warning", info.doc, name, frozenset({"memory"}), "")
    assert info.summary == "A summary line."
    assert name not in sys.modules


@pytest.mark.parametrize(
    "number, body, problem",
    [
        (i, *case)
        for i, case in enumerate(
            [
                ('NAME = "x"\nSEVERITY = "error"\n\ndef check(f, o): pass\n', "missing CODE"),
                ('CODE = "TL998"\nNAME = "x"\nSEVERITY = "fatal"\n\ndef check(f, o): pass\n', "bad severity"),
                (
                    'CODE = "TL998"\nNAME = "x"\nSEVERITY = "error"\nREPORTED_BY = "pool"\n\ndef check(f, o): pass\n',
                    "not both",
                ),
                ('CODE = "TL998"\nNAME = "x"\nSEVERITY = "error"\n', "not both"),
                (
                    'CODE = "TL998"\nNAME = "x"\nSEVERITY = "error"\nNEEDS = {"time"}\n\ndef check(f, o): pass\n',
                    "unknown NEEDS",
                ),
            ]
        )
    ],
)
def test_read_rejects_bad_modules(tmp_path, monkeypatch, number, body, problem):
    name = _module(tmp_path, monkeypatch, f"unit_rule_bad_{number}", f'"""{GOOD_DOC}"""\n{body}')
    with pytest.raises(RuntimeError, match=f"rule module {name}: .*{problem}"):
        _read(name)


def test_read_rejects_a_module_without_doc_sections(tmp_path, monkeypatch):
    name = _module(
        tmp_path,
        monkeypatch,
        "unit_rule_nodoc",
        textwrap.dedent('''\
        """Only a summary."""
        CODE = "TL998"
        NAME = "x"
        SEVERITY = "error"


        def check(function, options):
            return ()
        '''),
    )
    with pytest.raises(RuntimeError, match="docstring lacks What it does"):
        _read(name)


def test_module_names_are_the_rules_package():
    names = catalog_module._module_names()
    assert set(names) == {info.module for info in catalog()}
    assert all(not n.rsplit(".", 1)[1].startswith("_") for n in names)
