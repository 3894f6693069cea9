"""The command line, the config and the rules on the oldest Pythons setup.py admits.

The worker needs Theano 1.0.5 and pygpu, whose Debian build is for Python 3.11 (the
suite's); but the parent process imports neither, so theanolint installs and reports
configuration errors, the rule catalog and ``doctor`` on 3.9 and 3.10 (pyenv's, on the
test machines).  Each version gets a virtualenv with theanolint's own dependencies of
the command line (PyYAML, jsonschema) and theanolint itself, ``--no-deps``.
"""

import glob
import os
import shutil
import subprocess

import pytest
from conftest import REPO

VERSIONS = ["3.9", "3.10"]


def _interpreter(version):
    """pyenv's build of ``version`` (its shims fail unless the version is selected), else PATH's."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")))
    candidates += [p for p in [shutil.which(f"python{version}")] if p]
    for candidate in candidates:
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    pytest.skip(f"no python{version} on this machine (pyenv has it on the test machines)")


@pytest.fixture(scope="module", params=VERSIONS)
def bin_dir(request, tmp_path_factory):
    python = _interpreter(request.param)
    venv = tmp_path_factory.mktemp(f"py{request.param}") / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = str(venv / "bin" / "pip")
    for args in (["PyYAML", "jsonschema"], ["--no-deps", REPO]):
        done = subprocess.run([pip, "install", "-q", *args], capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def _run(bin_dir, *args, cwd=REPO):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin_dir / "theanolint"), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_version_rules_and_explain(bin_dir):
    assert _run(bin_dir, "--version").stdout.startswith("theanolint ")
    rules = _run(bin_dir, "rules")
    assert rules.returncode == 0 and "TL101  float64" in rules.stdout, rules.stderr
    explain = _run(bin_dir, "explain", "TL401")
    assert explain.returncode == 0 and "What it does" in explain.stdout


def test_config_errors_and_a_missing_config(bin_dir, tmp_path):
    project = tmp_path / "bad"
    project.mkdir()
    (project / ".theanolint.yaml").write_text("target: cuda\nmodules: [m]\nrules: {TL999: off}\n")
    bad = _run(bin_dir, cwd=project)
    assert bad.returncode == 2 and ".theanolint.yaml:3: rules.TL999: unknown rule code" in bad.stderr, bad.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = _run(bin_dir, cwd=empty)
    assert missing.returncode == 2 and "no .theanolint.yaml found" in missing.stderr
    assert "Traceback" not in bad.stderr + missing.stderr


def test_doctor_names_what_this_python_lacks(bin_dir):
    doctor = _run(bin_dir, "doctor")
    assert doctor.returncode == 2  # no Theano, numpy or pygpu installed here
    assert "Theano           MISSING" in doctor.stdout and "Python           ok" in doctor.stdout, doctor.stdout
