"""A misconfigured project never passes silently: no config, a config nobody reads, a
project that registers nothing; and the polish around it (--version, a closed pipe,
the cache folder git leaves alone)."""

import os
import subprocess
import sys

import pytest
from conftest import REPO, theanolint

FLOAT64 = """\
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="m.train")
def train():
    x = T.dmatrix("x")
    return theano.function([x], T.exp(x).sum())
"""


def _project(folder, config="target: opencl\nmodules: [model]\n"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".theanolint.yaml").write_text(config)
    (folder / "model.py").write_text(FLOAT64)
    return folder


def test_no_config_is_an_error_not_a_pass(tmp_path):
    run = theanolint(cwd=tmp_path)
    assert run.code == 2
    expected = f"no .theanolint.yaml found from {tmp_path} upwards; create one (theanolint init) or pass --config"
    assert expected in run.stderr


@pytest.mark.parametrize(
    "name, text, hint",
    [
        (".theanolint.yml", "modules: [model]\n", "the config must be named .theanolint.yaml"),
        ("pyproject.toml", "[tool.theanolint]\nmodules = ['model']\n", "has [tool.theanolint], which theanolint"),
    ],
)
def test_a_config_theanolint_does_not_read_is_named(tmp_path, name, text, hint):
    (tmp_path / name).write_text(text)
    run = theanolint(cwd=tmp_path)
    assert run.code == 2 and hint in run.stderr, run.stderr


def test_pre_commit_from_the_git_root_finds_the_projects_config(tmp_path):
    """The hook runs at the repository root and passes the changed files."""
    _project(tmp_path / "models")
    run = theanolint("--format", "json", os.path.join("models", "model.py"), cwd=tmp_path)
    assert run.code == 1, run.stderr
    assert [f["code"] for f in run.findings] == ["TL101"]


def test_files_of_two_projects_are_refused(tmp_path):
    _project(tmp_path / "a")
    _project(tmp_path / "b")
    run = theanolint(os.path.join("a", "model.py"), os.path.join("b", "model.py"), cwd=tmp_path)
    assert run.code == 2 and "the given files belong to 2 projects" in run.stderr, run.stderr


def test_a_project_that_registers_nothing_is_an_error(tmp_path):
    project = _project(tmp_path, "target: opencl\nmodules: [empty]\n")
    (project / "empty.py").write_text("import theano\n")
    run = theanolint(cwd=project)
    assert run.code == 2
    assert "no function to lint: the config's modules (empty) register no builder" in run.stderr, run.stderr
    allowed = theanolint("--allow-empty", cwd=project)
    assert allowed.code == 0, allowed.stderr


def test_version():
    run = theanolint("--version")
    assert run.code == 0 and run.stdout.startswith("theanolint ")


def test_a_closed_pipe_is_no_traceback():
    command = f"{sys.executable} -m theanolint explain TL101 | head -1"
    process = subprocess.run(command, shell=True, cwd=REPO, capture_output=True, text=True)
    assert process.stdout.startswith("TL101")
    assert "Traceback" not in process.stderr and "BrokenPipe" not in process.stderr, process.stderr


def test_the_cache_folder_tells_git_to_leave_it_out(tmp_path):
    project = _project(tmp_path)
    assert theanolint(cwd=project).code == 1
    assert (project / ".theanolint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_init_writes_a_starter_config_that_lints(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "__init__.py").write_text("")
    (tmp_path / "models" / "mlp.py").write_text(FLOAT64)
    (tmp_path / "models" / "legacy.py").write_text("import theano\nf = theano.function([], [])\n")
    run = theanolint("init", cwd=tmp_path)
    assert run.code == 0, run.stderr
    config = (tmp_path / ".theanolint.yaml").read_text()
    assert "modules: [models.mlp]" in config and "#   models.legacy" in config, config
    assert "language: system" in run.stdout  # the pre-commit snippet
    lint = theanolint("--target", "opencl", "--format", "json", "--no-cache", cwd=tmp_path)
    assert lint.code == 1 and [f["code"] for f in lint.findings] == ["TL101"], lint.stderr
    again = theanolint("init", cwd=tmp_path)
    assert again.code == 2 and "never overwrites" in again.stderr
