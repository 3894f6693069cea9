"""GitHub Actions workflow commands: one annotation per problem."""

from typing import Any

from theanolint.report.text import functions_label


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Any) -> str:
    lines = []
    for f in report.problems:
        level = "error" if f.severity == "error" else "warning"
        function = functions_label(f)
        column = f"col={f.column}," if f.column > 0 else ""
        lines.append(
            f"::{level} file={_escape_property(report.repository_path(f.path))},line={max(1, f.line)},{column}"
            f"title={_escape_property(f.code)}::{_escape_data(f.message + function)}"
        )
    return "".join(line + "\n" for line in lines)
