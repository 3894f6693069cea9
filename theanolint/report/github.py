"""GitHub Actions workflow commands: one annotation per finding."""

from typing import Any


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Any) -> str:
    lines = []
    for f in report.findings:
        level = "error" if f.severity == "error" else "warning"
        function = f" [{f.function}]" if f.function else ""
        lines.append(
            f"::{level} file={_escape_property(f.path)},line={max(1, f.line)},"
            f"title={_escape_property(f.code)}::{_escape_data(f.message + function)}"
        )
    return "".join(line + "\n" for line in lines)
