"""theanolint lints the graph theano.function really builds, op for op and edge for edge.

Each check compiles the functions for real (C code and GPU kernels), so the
comparison runs once per target in its own process.  Real compilation of
cuDNN ops and of scan's Cython loop is not possible here (no cuDNN library;
Theano 1.0.5's scan_perform does not build on Python 3.11), so these
functions avoid scan and the CUDA run emulates a machine without cuDNN.
"""

import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, PROJECTS

SCRIPT = os.path.join(os.path.dirname(__file__), "scripts", "graph_identity.py")
CASES = [
    ("opencl", os.path.join(PROJECTS, "identity"), ["functions"]),
    ("cuda-nocudnn", os.path.join(PROJECTS, "identity"), ["functions"]),
    ("cuda-nocudnn", EXAMPLES, ["models.mlp"]),
]


@pytest.mark.parametrize("target,project,modules", CASES, ids=[f"{c[0]}-{os.path.basename(c[1])}" for c in CASES])
def test_linted_graph_equals_compiled_graph(target, project, modules):
    env = dict(os.environ)
    env.pop("THEANO_FLAGS", None)
    process = subprocess.run(
        [sys.executable, SCRIPT, target, project, *modules], env=env, capture_output=True, text=True, timeout=1800
    )
    assert process.returncode == 0, process.stderr[-3000:]
    results = json.loads(process.stdout)
    assert results
    for name, result in results.items():
        assert result["functions"] >= 1
        assert any("Gpu" in text for text in result["linted"]), name
        assert result["linted"] == result["compiled"], name
