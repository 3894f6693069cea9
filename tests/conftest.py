"""Helpers shared by the tests: run theanolint as users do, in a subprocess.

Every lint runs the real CLI, which starts a real worker that imports Theano
on a real device (OpenCL via PoCL here, or the virtual CUDA device).
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from typing import Dict, List

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO, "examples")
PROJECTS = os.path.join(REPO, "tests", "projects")


# A small registered function with one float64 constant (TL101); ``{name}``, ``{scale}``.
SMALL_MODEL = textwrap.dedent("""\
    import numpy as np
    import theano
    import theano.tensor as T
    import theanolint


    @theanolint.register(name="{name}")
    def build():
        x = T.matrix("x")
        W = theano.shared(np.ones((3, 3), dtype="float32"), name="W")
        return theano.function([x], T.exp(x.dot(W)) * np.float64({scale}))
    """)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> Dict:
        return json.loads(self.stdout)

    @property
    def findings(self) -> List[Dict]:
        return self.report["findings"]


def theanolint(*args, cwd=REPO, env=None, python=sys.executable, timeout=900) -> Run:
    full_env = dict(os.environ)
    full_env.update(env or {})
    process = subprocess.run(
        [python, "-m", "theanolint", *args],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(process.returncode, process.stdout, process.stderr)


def planted(path: str) -> Dict[int, List[str]]:
    """``# planted: CODE ...`` markers of a source file, by line number."""
    marks = {}
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            match = re.search(r"# planted: ((?:TL\d{3} ?)+)$", line.rstrip())
            if match:
                marks[number] = match.group(1).split()
    return marks


@pytest.fixture(scope="session", params=["opencl", "cuda"])
def examples_run(request) -> Run:
    """The example project linted on each target (cuda: the virtual device here)."""
    run = theanolint("--target", request.param, "--format", "json", cwd=EXAMPLES)
    assert run.code == 1, run.stderr
    run.target = request.param
    return run
