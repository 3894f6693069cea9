"""Hand-made records for the fast tests: findings, function summaries, run results, reports.

Named ``unit_records`` (not ``records``) because pytest puts every test folder on
``sys.path``; a plain name could shadow a helper of another test folder.
"""

from typing import Optional, Sequence

from theanolint.findings import Finding
from theanolint.protocol import FunctionSummary, RunResult
from theanolint.report import Report


def finding(
    code: str = "TL101",
    message: str = "float64 constant 0.5 makes 2 op(s) compute float64",
    path: str = "models/mlp.py",
    line: int = 10,
    function: str = "mlp.train:train",
    severity: str = "error",
    name: str = "",
    scope: str = "",
    data: Optional[dict] = None,
) -> Finding:
    return Finding(
        code=code,
        message=message,
        path=path,
        line=line,
        function=function,
        severity=severity,
        name=name or _name(code),
        scope=scope,
        data=dict(data or {}),
    )


def _name(code: str) -> str:
    from theanolint.ruleset.catalog import rule

    try:
        return rule(code).name
    except KeyError:
        return "made-up"


def summary(
    name: str = "mlp.train:train", register: str = "models/mlp.py:5", files: Optional[Sequence[str]] = None, **fields
) -> FunctionSummary:
    return FunctionSummary(name=name, register=register, files=None if files is None else tuple(files), **fields)


def result(functions: Sequence[FunctionSummary] = (), findings: Sequence[Finding] = (), **fields) -> RunResult:
    return RunResult(functions=tuple(functions), findings=tuple(findings), **fields)


def report(
    findings: Sequence[Finding] = (),
    run: Optional[RunResult] = None,
    target: str = "opencl (opencl0:0)",
    root: str = "/project",
    **fields,
) -> Report:
    if run is None:
        run = result(functions=sorted({summary(f.function) for f in findings if f.function}, key=lambda s: s.name))
    return Report(findings=tuple(findings), result=run, target=target, root=root, **fields)


def memory_row(name: str = "mlp.train:train", fit=None, assumed=(), largest=None) -> dict:
    """One function's ``--memory`` document, as ``analysis.memory.check.summary`` makes it."""
    if largest is None:
        largest = [
            {
                "bytes": 3 * 2**20,
                "shape": [768, 1024],
                "dtype": "float32",
                "gpu": True,
                "op": "GpuDot22",
                "where": "models/mlp.py:40",
                "scope": "",
            },
            {
                "bytes": 4096,
                "shape": [1024],
                "dtype": "float32",
                "gpu": False,
                "op": "input",
                "where": "models/mlp.py:12",
                "scope": "scan 'step'",
            },
        ]
    return {
        "name": name,
        "budget": 16 * 2**30,
        "peak_gpu": 5 * 2**20,
        "peak_host": 2048,
        "resident_gpu": 2**30,
        "resident_host": 512,
        "total_gpu": 2**30 + 5 * 2**20,
        "total_host": 2560,
        "assumed": list(assumed),
        "largest": largest,
        "fit": fit,
    }


def unknown_memory_row(name: str = "lm.train:train", inputs=("x", "y")) -> dict:
    return {"name": name, "unknown_inputs": list(inputs)}
