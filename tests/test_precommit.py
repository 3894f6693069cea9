"""End to end with the real pre-commit: a commit that adds a float64 op is refused.

A temporary git repository holds a small model whose layer code lives in a
second file; the hook lints only the functions the staged files affect.
pre-commit never reaches the network: the hooks are `repo: local` or
`try-repo` of this checkout (a local path).
"""

import os
import subprocess
import sys

import pytest
from conftest import REPO

BIN = os.path.dirname(sys.executable)

LAYERS = """\
import numpy as np
import theano
import theano.tensor as T

floatX = theano.config.floatX


def dense(x, n_in, n_out, name):
    W = theano.shared(np.ones((n_in, n_out), dtype=floatX), name=name + ".W")
    return T.tanh(x.dot(W) * np.float32(0.5)), [W]
"""
# The constant is made by the product it is an operand of: the finding's column.
FLOAT64_COLUMN = LAYERS.splitlines()[9].index("x.dot(W) *") + 1

MODEL = """\
import theano
import theano.tensor as T

import theanolint
from layers import dense


@theanolint.register(name="model.train")
def train():
    x = T.matrix("x")
    h, params = dense(x, 4, 3, "hidden")
    cost = h.sum()
    updates = [(p, p - 0.1 * g) for p, g in zip(params, T.grad(cost, params))]
    return theano.function([x], cost, updates=updates, name="train")
"""

LOCAL_HOOK = """\
repos:
- repo: local
  hooks:
  - id: theanolint
    name: theanolint
    entry: theanolint
    language: system
    types_or: [python, yaml, json]
    require_serial: true
"""


def _git(cwd, *args, env=None, check=True):
    process = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600
    )
    if check:
        assert process.returncode == 0, process.stdout + process.stderr
    return process


@pytest.fixture
def project(tmp_path):
    env = dict(
        os.environ,
        PATH=BIN + os.pathsep + os.environ["PATH"],
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    env.pop("PYTHONPATH", None)
    root = tmp_path / "project"
    root.mkdir()
    (root / "layers.py").write_text(LAYERS)
    (root / "model.py").write_text(MODEL)
    (root / "notes.txt").write_text("notes\n")
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    (root / ".pre-commit-config.yaml").write_text(LOCAL_HOOK)
    _git(root, "init", "-q", "-b", "main", env=env)
    return root, env


def _commit(root, env, message, *files):
    _git(root, "add", *files, env=env)
    process = _git(root, "commit", "-m", message, env=env, check=False)
    process.output = process.stdout + process.stderr  # git prints hook output on stderr
    return process


PRE_COMMIT_3 = "pre-commit==3.8.0"  # the 3.x line (Debian 12 ships 3.0.4); 4.x is the test environment's


@pytest.fixture(scope="module")
def pre_commit_3(tmp_path_factory):
    """pre-commit 3.x in a virtualenv of its own, installed from PyPI."""
    venv = tmp_path_factory.mktemp("pre-commit-3") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", PRE_COMMIT_3], capture_output=True, text=True, timeout=600
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return [str(venv / "bin" / "pre-commit")]


@pytest.mark.parametrize("release", ["4.x", "3.x"])
def test_commit_with_float64_is_refused_then_fixed_passes(project, release, request):
    root, env = project
    pre_commit = [sys.executable, "-m", "pre_commit"] if release == "4.x" else request.getfixturevalue("pre_commit_3")
    install = subprocess.run([*pre_commit, "install"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    first = _commit(root, env, "clean model", ".")
    assert first.returncode == 0, first.output
    assert "theanolint" in first.output and "Passed" in first.output

    (root / "layers.py").write_text(LAYERS.replace("np.float32(0.5)", "np.float64(0.5)"))
    refused = _commit(root, env, "float64 sneaks in", "layers.py")
    assert refused.returncode != 0
    assert "Failed" in refused.output
    assert f"layers.py:10:{FLOAT64_COLUMN}: TL101 float64 constant [[0.5]]" in refused.output
    assert _git(root, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"

    (root / "layers.py").write_text(LAYERS.replace("np.float32(0.5)", "np.asarray(0.5, dtype=floatX)"))
    fixed = _commit(root, env, "float32 again", "layers.py")
    assert fixed.returncode == 0, fixed.output
    assert "Passed" in fixed.output

    (root / "notes.txt").write_text("more notes\n")
    unrelated = _commit(root, env, "notes only", "notes.txt")
    assert unrelated.returncode == 0
    assert "(no files to check)Skipped" in unrelated.output


def test_try_repo_runs_the_published_hook(project):
    """The hook as this checkout's .pre-commit-hooks.yaml publishes it."""
    root, env = project
    (root / "layers.py").write_text(LAYERS.replace("np.float32(0.5)", "np.float64(0.5)"))
    _git(root, "add", ".", env=env)
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", REPO, "theanolint", "--files", "layers.py", "notes.txt"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"layers.py:10:{FLOAT64_COLUMN}: TL101 float64 constant" in run.stdout


def test_manifest_runs_on_every_pre_commit_since_2_9():
    """Checked with pre-commit's own manifest schema: language system (pre-commit 3.x
    and 4.x both run it; 4.4 renamed it "unsupported" and kept the old name), and no
    language: python hook, whose virtualenv could not get pygpu."""
    import yaml
    from pre_commit.clientlib import load_manifest

    with open(os.path.join(REPO, ".pre-commit-hooks.yaml")) as handle:
        assert [hook["language"] for hook in yaml.safe_load(handle)] == ["system"]  # as written
    hooks = {h["id"]: h for h in load_manifest(os.path.join(REPO, ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"theanolint"}
    assert hooks["theanolint"]["language"] == "unsupported"  # pre-commit 4.4+ reads system so
    assert hooks["theanolint"]["minimum_pre_commit_version"] == "2.9.0"
    assert hooks["theanolint"]["require_serial"] and hooks["theanolint"]["entry"] == "theanolint"


def test_the_projects_own_config_is_valid_and_its_hooks_exist():
    """.pre-commit-config.yaml (theanolint's own ruff, mypy and docs hooks), by pre-commit's schema."""
    import cfgv
    import yaml
    from pre_commit.clientlib import CONFIG_SCHEMA

    with open(os.path.join(REPO, ".pre-commit-config.yaml")) as handle:
        config = cfgv.validate(yaml.safe_load(handle), CONFIG_SCHEMA)
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "mypy", "docs"}
    pinned = {dep for hook in hooks.values() for dep in hook.get("additional_dependencies", [])}
    with open(os.path.join(REPO, "requirements", "test.txt")) as handle:
        assert {"ruff==0.17.6", "mypy==2.4.1"} <= pinned & set(handle.read().split())
