"""The check command's output options: format, file, statistics, quiet, baseline.

Kept apart from ``cli`` so the argument definitions and the choice of
renderer sit next to each other.
"""
import json
import os
import sys

from theanolint import report, sarif, terminal
from theanolint import __version__

FORMATS = ("text", "json", "sarif", "github", "html")


def add_arguments(sub) -> None:
    sub.add_argument("--format", choices=FORMATS, default="text",
                     help="text (default), json, sarif (SARIF 2.1.0), github (Actions annotations) "
                          "or html (one self-contained page: graph pictures, memory plots, "
                          "waived findings greyed)")
    sub.add_argument("--output-file", "-o", metavar="FILE",
                     help="write the report to FILE instead of stdout (never coloured)")
    sub.add_argument("--statistics", action="store_true",
                     help="print how many findings each rule has instead of the findings (text, json)")
    sub.add_argument("--quiet", "-q", action="store_true",
                     help="print the findings only: no summary line, no progress")
    sub.add_argument("--baseline", metavar="FILE",
                     help="report only findings not recorded in FILE (overrides the config's baseline)")
    sub.add_argument("--write-baseline", nargs="?", const=True, metavar="FILE",
                     help="record today's findings in FILE (default: the baseline in use, else "
                          ".theanolint-baseline.json at the project root) and exit 0")


def check_arguments(args) -> str:
    """A usage mistake in the output options, or ''."""
    if args.statistics and args.format not in ("text", "json"):
        return "--statistics works with --format text or json"
    if args.quiet and args.verbose:
        return "--quiet and --verbose exclude each other"
    return ""


def render(args, findings, result, target_text: str, root: str) -> str:
    color = not args.output_file and args.format == "text" and terminal.use_color(sys.stdout)
    if args.statistics:
        if args.format == "json":
            return json.dumps({"target": target_text,
                               "statistics": report.statistics_rows(findings)}, indent=2) + "\n"
        return report.statistics(findings, result, target_text, args.quiet)
    if args.format == "json":
        return report.as_json(findings, result, target_text)
    if args.format == "sarif":
        return sarif.as_sarif(findings, root, __version__)
    if args.format == "github":
        return report.github(findings)
    if args.format == "html":
        from theanolint import html       # graphviz: imported only for this format
        return html.render(report.html_input(findings, result, target_text, root, __version__))
    return report.text(findings, result, target_text, args.verbose, args.quiet, color)


def emit(args, text: str) -> None:
    if not args.output_file:
        sys.stdout.write(text)
        return
    folder = os.path.dirname(os.path.abspath(args.output_file))
    os.makedirs(folder, exist_ok=True)
    with open(args.output_file, "w", encoding="utf-8") as handle:
        handle.write(text)
