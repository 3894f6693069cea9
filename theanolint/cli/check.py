"""``theanolint [check] [PATHS]``: lint, triage, report, and the exit code."""

import argparse
import os
import sys
from typing import Optional

from theanolint import paths
from theanolint.cli import terminal
from theanolint.cli.options import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, codes, load_config, selection, target
from theanolint.config.loading import ConfigError
from theanolint.report import FORMATTERS, Report
from theanolint.report import memory as memory_report
from theanolint.triage import baseline_file, triage
from theanolint.triage import paths as filters
from theanolint.workers import runner


def _usage_problem(args: argparse.Namespace) -> str:
    """A usage mistake in the output options, or ''."""
    if args.statistics and args.format not in ("text", "json"):
        return "--statistics works with --format text or json"
    if args.quiet and args.verbose:
        return "--quiet and --verbose exclude each other"
    return ""


def run(args: argparse.Namespace) -> int:
    codes(args.select), codes(args.ignore)  # a usage error before a config one
    config = load_config(args.config, args.paths)
    select, ignore = selection(args, config)
    device = target(args, config)
    problem = _usage_problem(args)
    if problem:
        raise ConfigError("command line", None, problem)
    baseline_path = baseline_file(config, args.baseline, args.write_baseline)
    scope = filters.decide(args.paths, config["root"], [config.get("path"), baseline_path])
    if scope == filters.NOTHING:
        return EXIT_CLEAN  # no given file can change a linted function
    files = runner.find_builder_files(args.paths)
    if args.paths and not files and not config["modules"]:
        print("theanolint: no registered builders in the given files", file=sys.stderr)
        return EXIT_CLEAN
    job = runner.make_job(
        device,
        config,
        files,
        select=select,
        ignore=ignore,
        cache=not args.no_cache,
        memory=args.memory,
        dims=memory_report.parse_dims(args.dim),
        fit=args.fit,
        pictures=args.format == "html",
    )
    with terminal.Progress(sys.stderr, f"theanolint: linting on {device.describe()}", enabled=not args.quiet):
        result = runner.run(job, jobs=max(1, args.jobs), shard=args.shard)
    if args.verbose and result.log:
        sys.stderr.write(result.log)
    for problem in result.internal_errors:
        print(f"theanolint: internal error: {problem}", file=sys.stderr)
    if not result.functions and not result.internal_errors and not (args.paths or args.shard or args.allow_empty):
        modules = ", ".join(config["modules"]) or "none"
        raise ConfigError(
            config.get("path") or "command line",
            None,
            f"no function to lint: the config's modules ({modules}) register no builder with "
            "@theanolint.register (pass --allow-empty to accept that)",
        )
    outcome = triage(
        result,
        config,
        args.paths if scope == filters.FILTER else None,
        select,
        ignore,
        None if args.write_baseline else baseline_path,
        baseline_path if args.write_baseline else None,
    )
    if outcome.written:
        print(f"theanolint: recorded {outcome.recorded} finding(s) in {outcome.written}", file=sys.stderr)
        return EXIT_ERROR if result.internal_errors else EXIT_CLEAN
    color = not args.output_file and args.format == "text" and terminal.use_color(sys.stdout)
    report = Report(  # per-function records; the formats list report.problems (report.grouping)
        findings=outcome.findings,
        result=outcome.result,
        target=device.describe(),
        root=config["root"],
        baselined=outcome.baselined,
        waived=outcome.waived,
        verbose=args.verbose,
        quiet=args.quiet,
        color=color,
        statistics=args.statistics,
        left_out=outcome.left_out,
        repository=paths.repository_root(config["root"]),
    )
    _emit(args.output_file, FORMATTERS[args.format](report))
    if (args.memory or args.fit) and args.format == "text":  # json carries it as "memory"
        sys.stdout.write(memory_report.render(list(result.memory or ())))
    if result.internal_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity == "error" for f in report.problems) else EXIT_CLEAN


def _emit(output_file: Optional[str], text: str) -> None:
    if not output_file:
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(output_file)), exist_ok=True)
    with open(output_file, "w", encoding="utf-8") as handle:
        handle.write(text)
