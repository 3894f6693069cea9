"""Installing into a user's own environment, as the README's install section says.

A fresh virtualenv made the way one is made today (``--upgrade-deps``: current pip and
setuptools, so no ``pkg_resources``), theanolint pip-installed from this checkout with
its declared dependencies, Debian's pygpu made importable, and a small project with a
float64 bug linted: exit 1 with TL101.  The commands are read from the README, so the
section cannot drift from what works.  ``theanolint doctor`` in that venv names each
missing piece: pygpu (its link removed), Mako (uninstalled), g++ (not on PATH).
"""

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

FLOAT64 = """\
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="m.train")
def train():
    x = T.dmatrix("x")
    return theano.function([x], T.exp(x).sum())
"""


def readme_install_commands():
    """The shell lines of the README's Debian install block, but apt-get (the test
    machine's set-up installs those packages), with this checkout for ``./theanolint``."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    block = re.search(r"<!-- install-debian:.*?-->\n```sh\n(.*?)```", text, re.S).group(1)
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "sudo apt-get"))]
    python = shutil.which("python3.11") or sys.executable
    return [line.replace("./theanolint", REPO).replace("python3.11 ", f"{python} ", 1) for line in lines]


def test_the_readme_block_is_what_this_test_runs():
    commands = readme_install_commands()
    assert any("-m venv --upgrade-deps .venv" in c for c in commands), commands
    assert any(c.startswith("pip install ") and REPO in c for c in commands), commands
    assert commands[-1] == "theanolint --version"


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """The README's install commands run once in a fresh folder: its .venv/bin."""
    folder = tmp_path_factory.mktemp("user")
    script = "set -e\n" + "\n".join(readme_install_commands()) + "\n"
    process = subprocess.run(
        ["bash", "-c", script], cwd=folder, capture_output=True, text=True, timeout=900, env=_clean_env()
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    assert process.stdout.strip().splitlines()[-1].startswith("theanolint ")
    return folder / ".venv" / "bin"


def test_fresh_virtualenv_installs_and_lints(venv, tmp_path):
    no_pkg_resources = subprocess.run([str(venv / "python"), "-c", "import pkg_resources"], capture_output=True)
    assert no_pkg_resources.returncode != 0, "the venv still has pkg_resources: not the case under test"
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    (tmp_path / "model.py").write_text(FLOAT64)
    run = subprocess.run(
        [str(venv / "theanolint"), "--format", "json", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=_clean_env(),
    )
    assert run.returncode == 1, run.stderr
    assert '"code": "TL101"' in run.stdout


def _doctor(venv, env=None):
    """Exit code, each check's first line by its name (``C/C++`` for the compiler), all output."""
    process = subprocess.run(
        [str(venv / "theanolint"), "doctor"], capture_output=True, text=True, timeout=300, env=env or _clean_env()
    )
    lines = {}
    for line in process.stdout.splitlines():
        if line.strip() and not line.startswith(" "):
            lines[line.split()[0]] = line
    return process.returncode, lines, process.stdout


def test_doctor_in_the_fresh_venv_finds_everything(venv):
    code, lines, out = _doctor(venv)
    assert code == 0, out
    assert "no pkg_resources: theanolint stands in for it" in lines["pkg_resources"], out


def test_doctor_names_a_missing_pygpu_then_a_missing_mako(venv):
    site = subprocess.run(
        [str(venv / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    link = os.path.join(site, "pygpu")
    target = os.readlink(link)
    os.remove(link)
    try:
        code, lines, out = _doctor(venv)
        assert code == 2 and "MISSING" in lines["pygpu"] and "No module named 'pygpu'" in lines["pygpu"], out
        assert "apt-get install python3-pygpu" in out
    finally:
        os.symlink(target, link)
    subprocess.run([str(venv / "pip"), "uninstall", "-q", "-y", "Mako"], check=True, capture_output=True)
    try:
        code, lines, out = _doctor(venv)
        assert code == 2 and "MISSING" in lines["Mako"] and "mako" in lines["pygpu"].lower(), out
        assert "install: pip install Mako" in out
    finally:
        subprocess.run([str(venv / "pip"), "install", "-q", "Mako"], check=True, capture_output=True)


def test_doctor_names_a_missing_cxx_compiler(venv, tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    os.symlink(shutil.which("gcc"), tools / "gcc")  # gcc, but no g++
    env = dict(_clean_env(), PATH=os.pathsep.join([str(venv), str(tools)]))
    code, lines, out = _doctor(venv, env)
    assert code == 2 and "no g++" in lines["C/C++"], out
    assert "apt-get install gcc g++" in out


def _clean_env():
    """The user's shell: none of this test run's virtualenv or Theano flags."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "THEANO_FLAGS")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    return env
