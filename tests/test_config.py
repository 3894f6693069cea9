"""Bad configuration stops the run with exit 2 and the file:line of the mistake."""

import pytest
from conftest import theanolint

CASES = {
    "bad_yaml": ("target: cuda\nmodules: [a, b\n", 3, "invalid YAML"),
    "unknown_key": ("target: cuda\ntargets: opencl\n", 2, "'targets'"),
    "unknown_rule": ("target: cuda\nrules:\n  TL401: off\n  TL999: error\n", 4, "unknown rule code or prefix 'TL999'"),
    "bad_rule_key": ("rules:\n  E501: off\n", 2, "rules"),
    "wrong_type": ("target: cuda\nmodules: models.mlp\n", 2, "is not of type 'array'"),
    "bad_target": ("target: rocm\n", 1, "'rocm' is not one of"),
    "bad_severity": ("rules:\n  TL3: fatal\n", 2, "TL3"),
    "nested_wrong_type": ("cuda:\n  virtual: auto\n  memory: 16GiB\n", 3, "cuda.memory"),
    "duplicate_key": ("target: cuda\nfloatX: float32\ntarget: opencl\n", 3, "duplicate key 'target'"),
    "reserved_flag": ("theano_flags:\n  device: cpu\n", 2, "theano_flags"),
    "per_file_ignores_code": (
        'per_file_ignores:\n  "*.py": [TL101, TL999]\n',
        2,
        "per_file_ignores.*.py: unknown rule code or prefix 'TL999'",
    ),
    "select_code": ("target: cuda\nselect: [TL1,\n  TL999]\n", 3, "select: unknown rule code or prefix 'TL999'"),
    "extend_select_type": ("extend_select: TL402\n", 1, "extend_select"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_error_names_file_and_line(tmp_path, case):
    text, line, message = CASES[case]
    (tmp_path / ".theanolint.yaml").write_text(text)
    run = theanolint(cwd=tmp_path)
    assert run.code == 2
    assert f".theanolint.yaml:{line}: " in run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_python_tags_are_rejected(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: !!python/object/apply:os.system ['true']\n")
    run = theanolint(cwd=tmp_path)
    assert run.code == 2 and "invalid YAML" in run.stderr


def test_not_utf8(tmp_path):
    (tmp_path / ".theanolint.yaml").write_bytes(b"target: cuda\nmodules: [\xff]\n")
    run = theanolint(cwd=tmp_path)
    assert run.code == 2 and "not UTF-8" in run.stderr


def test_config_is_found_walking_up(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: cuda\nbogus: 1\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    run = theanolint(cwd=sub)
    assert run.code == 2 and ".theanolint.yaml:2: " in run.stderr


def test_explicit_config_file(tmp_path):
    (tmp_path / "lint.yaml").write_text("modules: 3\n")
    run = theanolint("--config", str(tmp_path / "lint.yaml"), cwd=tmp_path)
    assert run.code == 2 and "lint.yaml:1: modules" in run.stderr


def test_unknown_code_on_the_command_line(tmp_path):
    run = theanolint("--select", "TL9", cwd=tmp_path)
    assert run.code == 2 and "unknown rule code 'TL9'" in run.stderr


def test_rules_and_explain():
    listing = theanolint("rules")
    assert listing.code == 0
    assert "TL401  slow-inc-subtensor" in listing.stdout
    explain = theanolint("explain", "tl401")
    assert explain.code == 0
    for section in ("What it does:", "Why is this bad:", "Example:", "Use instead:"):
        assert section in explain.stdout
    assert theanolint("explain", "TL999").code == 2


def test_config_select_and_ignore_apply(tmp_path):
    """select: [TL1] leaves TL601 out; ignore wins over it; --extend-select adds TL3 back."""
    model = (
        "import numpy as np\nimport theano\nimport theano.tensor as T\n\nimport theanolint\n\n\n"
        '@theanolint.register(name="m.train")\ndef train():\n'
        '    x = T.dmatrix("x")\n'
        "    b = theano.shared(np.zeros(3, dtype=theano.config.floatX))\n"
        '    return theano.function([x], theano.printing.Print("p")(T.exp(x)).sum() + b.sum())\n'
    )
    (tmp_path / "model.py").write_text(model)
    (tmp_path / ".theanolint.yaml").write_text(
        "target: opencl\nmodules: [model]\nselect: [TL1, TL6]\nignore: [TL601]\n"
    )
    run = theanolint("--format", "json", "--no-cache", cwd=tmp_path)
    assert sorted({f["code"] for f in run.findings}) == ["TL101"], run.findings
    more = theanolint("--format", "json", "--no-cache", "--extend-select", "TL3", cwd=tmp_path)
    assert sorted({f["code"] for f in more.findings}) == ["TL101", "TL301"], more.findings
