"""The text report: one line per finding, then the summary line."""

from typing import Any

from theanolint.findings import Finding

_RED, _YELLOW, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"


def _line(f: Finding, color: bool) -> str:
    where = f"{f.path}:{f.line}:0:"
    code = f.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_RED if f.severity == 'error' else _YELLOW}{code}{_RESET}"
    function = f" [{f.function}]" if f.function else ""
    return f"{where} {code} {f.message}{function}"


def summary(report: Any) -> str:
    findings = report.findings
    errors = sum(f.severity == "error" for f in findings)
    count = len(report.result.functions)
    hidden = f" ({report.baselined} finding(s) in the baseline not shown)" if report.baselined else ""
    if findings:
        return (
            f"Found {len(findings)} problem(s) ({errors} error(s), "
            f"{len(findings) - errors} warning(s)) in {count} function(s) "
            f"on {report.target}.{hidden}"
        )
    return f"All checks passed: {count} function(s) on {report.target}.{hidden}"


def render(report: Any) -> str:
    result = report.result
    lines = [_line(f, report.color) for f in report.findings]
    if report.verbose:
        lines.insert(0, f"target: {report.target}; device: {(result.device or {}).get('name', '?')}")
        if result.refused_launches:
            lines.insert(
                1,
                f"the virtual device refused {result.refused_launches} kernel "
                "launch(es): Theano could not fold those GPU constants, as logged",
            )
        if result.host_evaluations:
            lines.insert(
                1,
                f"{result.host_evaluations} function(s) the builders called while "
                "building ran on the host (not linted unless a builder made them)",
            )
        for function in result.functions:
            lines.append(
                f"  {function.name}: {function.nodes} nodes, {function.gpu_nodes} on the "
                f"GPU, {function.transfers} transfers, optimized in "
                f"{function.optimize_seconds:.2f} s"
            )
    if not report.quiet:
        line = summary(report)
        lines.append(f"{_BOLD}{line}{_RESET}" if report.color else line)
    return "".join(line + "\n" for line in lines)
