"""Environment problems stop the run with exit 2 and say what to do."""

import os
import subprocess
import sys
import sysconfig

from conftest import EXAMPLES, theanolint


def _venv_without_pygpu(tmp_path) -> str:
    """A real virtual environment with every package of ours except pygpu."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    ours = sysconfig.get_paths()["purelib"]
    theirs = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for entry in os.listdir(ours):
        if entry != "pygpu":
            os.symlink(os.path.join(ours, entry), os.path.join(theirs, entry))
    return str(venv / "bin" / "python")


def test_missing_pygpu(tmp_path):
    python = _venv_without_pygpu(tmp_path)
    check = subprocess.run([python, "-c", "import pygpu"], capture_output=True)
    assert check.returncode != 0, "the environment must really lack pygpu"
    run = theanolint("--target", "opencl", cwd=EXAMPLES, python=python)
    assert run.code == 2
    assert "pygpu cannot be imported" in run.stderr and "python3-pygpu" in run.stderr
    assert "Traceback" not in run.stderr


def test_opencl_device_that_does_not_exist(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nopencl: {device: 'opencl7:0'}\n")
    run = theanolint(cwd=tmp_path)
    assert run.code == 2
    assert "did not start on opencl7:0" in run.stderr and "OpenCL driver" in run.stderr


def test_real_cuda_without_a_gpu_is_refused_not_linted_on_the_cpu(tmp_path):
    from theanolint.device import vcuda

    (tmp_path / ".theanolint.yaml").write_text("target: cuda\ncuda: {virtual: never}\n")
    run = theanolint(cwd=tmp_path)
    if vcuda.real_cuda_usable():
        assert run.code == 0, run.stderr
    else:
        assert run.code == 2
        assert "did not start on cuda0" in run.stderr and "virtual CUDA device" in run.stderr


def test_worker_that_dies_in_a_builder_is_that_builders_finding(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [dies]\n")
    (tmp_path / "dies.py").write_text(
        "import os\nimport theanolint\n\n@theanolint.register(name='dies')\ndef dies():\n    os._exit(3)\n"
    )
    run = theanolint(cwd=tmp_path)
    assert run.code == 1
    assert "dies.py:4:0: TL004 the worker died while running builder 'dies' (exit code 3)" in run.stdout


def test_builder_output_never_reaches_stdout(tmp_path):
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [noisy]\n")
    (tmp_path / "noisy.py").write_text(
        "import theano, theano.tensor as T\nimport theanolint\nprint('importing')\n\n"
        "@theanolint.register(name='noisy')\ndef noisy():\n    print('building')\n"
        "    x = T.matrix('x')\n    return theano.function([x], T.exp(x))\n"
    )
    run = theanolint("--format", "json", cwd=tmp_path)
    assert run.code == 0, run.stderr  # TL007 is a warning
    # stdout is the JSON report alone; both prints are findings: at the import's print, and
    # at the builder's @register line
    assert [(f["code"], f["line"]) for f in run.report["findings"]] == [("TL007", 3), ("TL007", 5)]
    assert "'importing'" in run.report["findings"][0]["message"]
    assert "'building'" in run.report["findings"][1]["message"]
