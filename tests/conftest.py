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
    run = Run(process.returncode, process.stdout, process.stderr)
    check_report_text(args, run.stdout)
    return run


MAX_MESSAGE = 200  # characters of a finding's message in the default text output
FINDING_LINE = re.compile(r"^(?P<where>\S+:\d+:\d+:) (?P<code>TL\d{3}) (?P<message>.*?)(?: \[[^\[\]]+\])?$")


# Why a size may be assumed in the suite's projects: an op without a shape rule is a gap.
NO_SHAPE_RULE = re.compile(r"has no shape rule|'s shape failed")


def check_report_text(args, stdout: str) -> None:
    """What every report of the whole suite must be, whatever the project: no
    message over MAX_MESSAGE characters, no two identical lines of a text report,
    and (with ``--memory``) no op of any optimized graph without a shape rule:
    neither Theano's ``infer_shape`` nor one of theanolint's."""
    fmt = args[args.index("--format") + 1] if "--format" in args else "text"
    if fmt == "json" and stdout.lstrip().startswith("{"):
        try:
            report = json.loads(stdout)
        except ValueError:
            return
        findings = report.get("findings", [])
        gaps = [
            f"{row['name']}: {a['where']}: {a['why']}"
            for row in report.get("memory") or []
            for a in row.get("assumptions", [])
            if NO_SHAPE_RULE.search(a["why"])
        ]
        assert not gaps, "ops without a shape rule:\n" + "\n".join(gaps)
        messages = [f.get("message", "") for f in findings if isinstance(f, dict)]
    elif fmt == "text" and "graph" not in args[:1] and "explain" not in args[:1] and "rules" not in args[:1]:
        lines = [line for line in stdout.splitlines() if FINDING_LINE.match(line)]
        repeated = sorted({line for line in lines if lines.count(line) > 1})
        assert not repeated, "identical lines in a text report:\n" + "\n".join(repeated)
        messages = [FINDING_LINE.match(line).group("message") for line in lines]
    else:
        return
    long = [m for m in messages if len(m) >= MAX_MESSAGE]
    assert not long, f"messages of {MAX_MESSAGE} characters or more:\n" + "\n".join(long)


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
    run = theanolint("--target", request.param, "--format", "json", "--memory", cwd=EXAMPLES)
    assert run.code == 1, run.stderr
    run.target = request.param
    return run
