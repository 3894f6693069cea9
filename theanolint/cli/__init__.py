"""Command line: ``theanolint [check] [PATHS]``, ``rules``, ``explain CODE``, ``graph FUNCTION``,
``clean``, ``doctor``, ``init``; one module per command.

Exit codes: 0 no error-severity finding, 1 error-severity findings,
2 usage, configuration or environment error, 130 interrupted.
This process never imports Theano: the work runs in worker processes.
"""

import argparse
import os
import sys
from typing import List, Optional

from theanolint import __version__
from theanolint.builders import ShapeError
from theanolint.cli import check, clean, doctor, graph, init, options, rules
from theanolint.cli.options import EXIT_ERROR, EXIT_INTERRUPTED
from theanolint.config.loading import ConfigError
from theanolint.device.target import TargetError
from theanolint.triage.baseline import BaselineError
from theanolint.workers.pool import WorkerError

COMMANDS = {
    "check": check.run,
    "graph": graph.run,
    "clean": clean.run,
    "rules": rules.list_rules,
    "explain": rules.explain,
    "doctor": doctor.run,
    "init": init.run,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="theanolint",
        description="Lint Theano functions on the graph a GPU would really run.",
        epilog="Without a command: check. theanolint COMMAND --help describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"theanolint {__version__}")
    commands = parser.add_subparsers(dest="command")
    options.add_check(commands.add_parser("check", help="lint the project's functions (the default command)"))
    options.add_graph(commands.add_parser("graph", help="print a function's optimized graph"))
    clean_parser = commands.add_parser("clean", help="remove the result cache")
    clean_parser.add_argument("--config", help="config file (default: nearest .theanolint.yaml)")
    commands.add_parser("rules", help="list the rules")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    commands.add_parser("doctor", help="check every piece theanolint needs, and say what to install")
    commands.add_parser("init", help="write a starter .theanolint.yaml here, and print the pre-commit snippet")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "check")
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # ``theanolint explain TL101 | head -1``: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        return 1  # as Python's documentation of SIGPIPE recommends
    except (ConfigError, TargetError, ShapeError, WorkerError, BaselineError) as error:
        print(f"theanolint: error: {error}", file=sys.stderr)
        if isinstance(error, (TargetError, WorkerError)):  # the environment: say where to look
            print(
                "theanolint: `theanolint doctor` checks every piece it needs and says what to install", file=sys.stderr
            )
        return EXIT_ERROR
    except KeyboardInterrupt:  # the workers are already stopped (pool.run)
        print("theanolint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
