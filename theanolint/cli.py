"""Command line: ``theanolint [check] [PATHS]``, ``rules``, ``explain CODE``, ``graph FUNCTION``.

Exit codes: 0 no error-severity finding, 1 error-severity findings,
2 usage, configuration or environment error.
"""
import argparse
import json
import os
import sys
from typing import List, Optional

from theanolint import config as configuration
from theanolint import memory_report, pool, resultcache, ruleset, runner
from theanolint import baseline, filters, outputs, terminal, triage
from theanolint.registry import ShapeError
from theanolint.target import TargetError, from_config

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
COMMANDS = ("check", "rules", "explain", "graph", "clean")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="theanolint", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    for name in ("check", "graph"):
        sub = commands.add_parser(name)
        sub.add_argument("--config", help="config file (default: nearest .theanolint.yaml)")
        sub.add_argument("--target", choices=["cuda", "opencl"], help="override the config's target")
        sub.add_argument("--virtual", choices=["auto", "always", "never"],
                         help="cuda target: use the virtual CUDA device (override cuda.virtual)")
        sub.add_argument("--cudnn", metavar="VERSION|none",
                         help="cuda target: cuDNN version to emulate, e.g. 7.6.5 (override cuda.cudnn)")
        sub.add_argument("--verbose", "-v", action="store_true")
        if name == "check":
            sub.add_argument("paths", nargs="*", help="Python files or folders with registered builders")
            outputs.add_arguments(sub)
            sub.add_argument("--select", default="", help="comma-separated codes or prefixes to check")
            sub.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
            sub.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
            sub.add_argument("--memory", action="store_true",
                             help="print each function's predicted memory table")
            sub.add_argument("--dim", action="append", default=[], metavar="NAME=SIZE",
                             help="set a named dimension (overrides the config's dims)")
            sub.add_argument("--fit", metavar="DIM",
                             help="find the largest size of DIM whose prediction fits the budget")
            sub.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                             help="worker processes (default: the number of cores)")
            sub.add_argument("--shard", type=_shard, metavar="K/N",
                             help="lint only the K-th of N deterministic shares (1-based), for CI matrices")
            sub.add_argument("--no-cache", action="store_true", help="ignore and do not write the result cache")
        else:
            sub.add_argument("function", nargs="?", help="lint unit name, e.g. mlp.train:train")
            sub.add_argument("paths", nargs="*")
            sub.add_argument("--all", action="store_true", help="every function")
            sub.add_argument("--format", choices=["text", "json"], default="text")
    clean = commands.add_parser("clean", help="remove the result cache")
    clean.add_argument("--config", help="config file (default: nearest .theanolint.yaml)")
    commands.add_parser("rules", help="list the rules")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "check")
    args = _parser().parse_args(argv)
    try:
        if args.command == "rules":
            return _rules()
        if args.command == "clean":
            return _clean(args)
        if args.command == "explain":
            return _explain(args.code)
        return _lint(args)
    except (configuration.ConfigError, TargetError, ShapeError, pool.WorkerError,
            baseline.BaselineError) as error:
        print(f"theanolint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:              # the workers are already stopped (pool.run)
        print("theanolint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _rules() -> int:
    for module in ruleset.catalog():
        summary = (module.__doc__ or "").strip().splitlines()[0]
        print(f"{module.CODE}  {module.NAME:<24} {module.SEVERITY:<8} {summary}")
    return EXIT_CLEAN


def _explain(code: str) -> int:
    for module in ruleset.catalog():
        if module.CODE == code.upper():
            print(f"{module.CODE} ({module.NAME}, default severity {module.SEVERITY})\n")
            print((module.__doc__ or "").strip())
            return EXIT_CLEAN
    print(f"theanolint: error: unknown rule code {code!r}", file=sys.stderr)
    return EXIT_ERROR


def _load_config(path: Optional[str]):
    codes = ruleset.known_codes()
    path = path or configuration.find(os.getcwd())
    if path is None:
        config = configuration.defaults()
        config.update(root=os.getcwd(), path=None)
        return config
    return configuration.load(path, codes)


def _graph(args, target, config, files) -> int:
    if bool(args.function) == args.all:
        print("theanolint: error: give one FUNCTION or --all", file=sys.stderr)
        return EXIT_ERROR
    wanted = ["*"] if args.all else [args.function]
    result = runner.run(target, config, files, only=None if args.all else wanted, graph=wanted)
    if not args.all and args.function not in result["graphs"]:
        names = ", ".join(u["name"] for u in result["units"]) or "none"
        print(f"theanolint: error: no function {args.function!r} (functions: {names})", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        json.dump({"target": target.describe(), "device": result.get("device"),
                   "graphs": result["graphs"]}, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(result["graphs"][name] for name in sorted(result["graphs"])))
    return EXIT_CLEAN


def _shard(text: str) -> List[int]:
    """``--shard 2/4`` -> [1, 4] (0-based share, count)."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r}: use K/N with 1 <= K <= N, e.g. 2/4")
    return [int(k) - 1, int(n)]


def _clean(args) -> int:
    config = _load_config(args.config)
    folder = runner.cache_dir(config, True)
    if os.path.isdir(folder) and not resultcache.clean(folder):
        print(f"theanolint: error: {folder} is not a theanolint cache; left alone", file=sys.stderr)
        return EXIT_ERROR
    print(f"theanolint: removed the cache {folder}", file=sys.stderr)
    return EXIT_CLEAN


def _split(text: str) -> List[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


def _lint(args) -> int:
    config = _load_config(args.config)
    for code in _split(getattr(args, "select", "")) + _split(getattr(args, "ignore", "")):
        if not any(known.startswith(code) for known in ruleset.known_codes()):
            raise configuration.ConfigError("--select/--ignore", None, f"unknown rule code {code!r}")
    if args.virtual:
        config["cuda"]["virtual"] = args.virtual
    if args.cudnn:
        config["cuda"]["cudnn"] = configuration.check_value(("cuda", "cudnn"), args.cudnn, "--cudnn")
    target = from_config(config, args.target or "")
    scope = filters.EVERYTHING
    if args.command == "check":
        problem = outputs.check_arguments(args)
        if problem:
            raise configuration.ConfigError("command line", None, problem)
        baseline_path = triage.baseline_file(config, args.baseline, args.write_baseline)
        scope = filters.decide(args.paths, config["root"], [config.get("path"), baseline_path])
        if scope == filters.NOTHING:
            return EXIT_CLEAN          # no given file can change a linted function
    files = runner.find_builder_files(args.paths)
    if args.paths and not files and not config["modules"]:
        print("theanolint: no registered builders in the given files", file=sys.stderr)
        return EXIT_CLEAN
    if args.command == "graph":
        return _graph(args, target, config, files)
    with terminal.Progress(sys.stderr, f"theanolint: linting on {target.describe()}",
                           enabled=not args.quiet):
        result = runner.run(target, config, files, select=_split(args.select), ignore=_split(args.ignore),
                            jobs=max(1, args.jobs), shard=args.shard, cache=not args.no_cache,
                            memory=args.memory, dims=memory_report.parse_dims(args.dim), fit=args.fit,
                            pictures=args.format == "html")
    if args.verbose and result.get("log"):
        sys.stderr.write(result["log"])
    for problem in result["internal_errors"]:
        print(f"theanolint: internal error: {problem}", file=sys.stderr)
    outcome = triage.triage(result, config, args.paths if scope == filters.FILTER else None,
                            _split(args.select), _split(args.ignore),
                            None if args.write_baseline else baseline_path,
                            baseline_path if args.write_baseline else None)
    findings, result["baselined"], result["waived"] = outcome.findings, outcome.baselined, outcome.waived
    if outcome.written:
        print(f"theanolint: recorded {outcome.recorded} finding(s) in {outcome.written}", file=sys.stderr)
        return EXIT_ERROR if result["internal_errors"] else EXIT_CLEAN
    outputs.emit(args, outputs.render(args, findings, result, target.describe(), config["root"]))
    if (args.memory or args.fit) and args.format == "text":    # json carries it as "memory"
        sys.stdout.write(memory_report.render(result.get("memory", [])))
    if result["internal_errors"]:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
