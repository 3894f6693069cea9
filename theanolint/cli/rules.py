"""``theanolint rules`` and ``theanolint explain CODE``."""

import argparse
import sys

from theanolint.cli.options import EXIT_CLEAN, EXIT_ERROR
from theanolint.ruleset.catalog import catalog


def list_rules(args: argparse.Namespace) -> int:
    for info in catalog():
        print(f"{info.code}  {info.name:<24} {info.severity:<8} {info.summary}")
    return EXIT_CLEAN


def explain(args: argparse.Namespace) -> int:
    for info in catalog():
        if info.code == args.code.upper():
            print(f"{info.code} ({info.name}, default severity {info.severity})\n")
            print(info.doc.strip())
            return EXIT_CLEAN
    print(f"theanolint: error: unknown rule code {args.code!r}", file=sys.stderr)
    return EXIT_ERROR
