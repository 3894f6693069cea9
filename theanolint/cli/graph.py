"""``theanolint graph FUNCTION | --all``: the optimized graph in a stable, diffable text form."""

import argparse
import json
import sys

from theanolint.cli.options import EXIT_CLEAN, EXIT_ERROR, load_config, target
from theanolint.workers import runner


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    device = target(args, config)
    files = runner.find_builder_files(args.paths)
    if args.paths and not files and not config["modules"]:
        print("theanolint: no registered builders in the given files", file=sys.stderr)
        return EXIT_CLEAN
    if bool(args.function) == args.all:
        print("theanolint: error: give one FUNCTION or --all", file=sys.stderr)
        return EXIT_ERROR
    wanted = ["*"] if args.all else [args.function]
    job = runner.make_job(device, config, files, only=() if args.all else wanted, graphs=wanted)
    result = runner.run(job)
    if not args.all and args.function not in result.graphs:
        names = ", ".join(f.name for f in result.functions) or "none"
        print(f"theanolint: error: no function {args.function!r} (functions: {names})", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        json.dump(
            {"target": device.describe(), "device": result.device, "graphs": result.graphs},
            sys.stdout,
            indent=1,
            sort_keys=True,
        )
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(result.graphs[name] for name in sorted(result.graphs)))
    return EXIT_CLEAN
