"""One module per output format, and the ``FORMATTERS`` table the CLI picks from.

Every formatter takes one ``Report``: the triaged findings and the run's result.
The formats list ``problems`` (one record per problem, see ``report.grouping``);
the HTML report also draws each function's own records.
Text is plain unless the caller asks for colour (only on a terminal).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Dict, Tuple

from theanolint import paths
from theanolint.findings import Finding
from theanolint.protocol import RunResult
from theanolint.report import grouping


@dataclass(frozen=True)
class Report:
    findings: Tuple[Finding, ...]  # what is reported, after triage: one record per function
    result: RunResult
    target: str  # the target as the summary line names it
    root: str  # the project root
    baselined: int = 0  # findings the baseline accounts for
    waived: Tuple[Tuple[str, Finding], ...] = ()  # ("inline" | "baseline", finding)
    verbose: bool = False
    quiet: bool = False
    color: bool = False
    statistics: bool = False  # --statistics: counts per rule instead
    left_out: Tuple[Finding, ...] = ()  # about what frameworks made (triage.frameworks), not shown
    repository: str = ""  # the git work tree's top level (paths.repository_root); "" = the project root

    def repository_path(self, path: str) -> str:
        """``path`` as CI tools want it: relative to the repository, not the config's folder."""
        return paths.from_repository(path, self.root, self.repository or paths.real_path(self.root))

    @cached_property
    def problems(self) -> Tuple[Finding, ...]:
        """``findings`` grouped: one record per problem, with the functions it affects."""
        return grouping.group(self.findings)

    @cached_property
    def left_out_problems(self) -> int:
        return len(grouping.group(self.left_out))

    @cached_property
    def waived_problems(self) -> Tuple[Tuple[str, Finding], ...]:
        return grouping.group_waived(self.waived)


def _text(report: Report) -> str:
    from theanolint.report import statistics, text

    return statistics.text(report) if report.statistics else text.render(report)


def _json(report: Report) -> str:
    from theanolint.report import json_report, statistics

    return statistics.json_text(report) if report.statistics else json_report.render(report)


def _sarif(report: Report) -> str:
    from theanolint.report import sarif

    return sarif.render(report)


def _github(report: Report) -> str:
    from theanolint.report import github

    return github.render(report)


def _gitlab(report: Report) -> str:
    from theanolint.report import gitlab

    return gitlab.render(report)


def _html(report: Report) -> str:
    from theanolint.report import html  # graphviz: imported only for this format
    from theanolint.report.html_input import document

    return html.render(document(report))


FORMATTERS: Dict[str, Callable[[Report], str]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
    "html": _html,
}
