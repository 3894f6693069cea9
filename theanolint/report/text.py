"""The text report: one line per problem, then the summary line.

A problem in several functions names them once: ``[mnist.mlp: train, val, test]``
when they share the builder, else ``[in 3 functions: a:f, b:g, c:h]``; a long list
ends with "and N more".  With ``-v`` the strings in a finding's ``data["details"]``
(the full op text, a traceback) follow it as indented lines.
"""

from typing import Any, List, Sequence

from theanolint.findings import Finding

_RED, _YELLOW, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"
SHOWN = 4  # functions named before "and N more"
DETAIL_INDENT = "    "


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def functions_label(f: Finding) -> str:
    """`` [builder:fn]``, the list of the functions a problem affects, or ''."""
    functions = list(f.functions) or ([f.function] if f.function else [])
    if len(functions) <= 1:
        return f" [{functions[0]}]" if functions else ""
    builders = {name.rpartition(":")[0] for name in functions}
    builder = builders.pop() if len(builders) == 1 else ""
    if builder:
        return f" [{builder}: {_names([name[len(builder) + 1 :] for name in functions])}]"
    return f" [in {len(functions)} functions: {_names(functions)}]"


def _line(f: Finding, color: bool) -> str:
    where = f"{f.path}:{f.line}:{f.column}:"  # column 0: not known
    code = f.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_RED if f.severity == 'error' else _YELLOW}{code}{_RESET}"
    return f"{where} {code} {f.message}{functions_label(f)}"


def details(f: Finding) -> List[str]:
    """``data["details"]``, indented, one line per line of each string."""
    given = f.data.get("details") if isinstance(f.data, dict) else None
    if isinstance(given, str):
        given = [given]
    return [DETAIL_INDENT + line for text in given or () for line in str(text).splitlines()]


def summary(report: Any) -> str:
    problems = report.problems
    errors = sum(f.severity == "error" for f in problems)
    count = len(report.result.functions)
    hidden = f" ({report.baselined} finding(s) in the baseline not shown)" if report.baselined else ""
    if report.left_out_problems:
        hidden += (
            f" ({report.left_out_problems} about what frameworks made not shown: "
            "a rule's option frameworks: true shows them)"
        )
    if problems:
        return (
            f"Found {len(problems)} problem(s) ({errors} error(s), "
            f"{len(problems) - errors} warning(s)) in {count} function(s) "
            f"on {report.target}.{hidden}"
        )
    return f"All checks passed: {count} function(s) on {report.target}.{hidden}"


def render(report: Any) -> str:
    result = report.result
    lines = []
    for problem in report.problems:
        lines.append(_line(problem, report.color))
        if report.verbose:
            lines += details(problem)
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
