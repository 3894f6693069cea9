"""The commands' arguments, the exit codes, and what ``check`` and ``graph`` share:
the config, the target and the files they lint."""

import argparse
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from theanolint.config import loading as configuration
from theanolint.device.target import Target, from_config
from theanolint.report import FORMATTERS
from theanolint.ruleset.catalog import known_codes
from theanolint.ruleset.selection import enabled_codes, is_known

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def _add_common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--config", help="config file (default: nearest .theanolint.yaml)")
    sub.add_argument("--target", choices=["cuda", "opencl"], help="override the config's target")
    sub.add_argument(
        "--virtual",
        choices=["auto", "always", "never"],
        help="cuda target: use the virtual CUDA device (override cuda.virtual)",
    )
    sub.add_argument(
        "--cudnn",
        metavar="VERSION|none",
        help="cuda target: cuDNN version to emulate, e.g. 7.6.5 (override cuda.cudnn)",
    )
    sub.add_argument("--verbose", "-v", action="store_true")


def add_check(sub: argparse.ArgumentParser) -> None:
    _add_common(sub)
    sub.add_argument("paths", nargs="*", help="Python files or folders with registered builders")
    sub.add_argument(
        "--format",
        choices=sorted(FORMATTERS, key=list(FORMATTERS).index),
        default="text",
        help="text (default), json, sarif (SARIF 2.1.0), github (Actions annotations), "
        "gitlab (Code Quality report) or html (one self-contained page: graph pictures, "
        "memory plots, waived findings greyed)",
    )
    sub.add_argument(
        "--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout (never coloured)"
    )
    sub.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings each rule has instead of the findings (text, json)",
    )
    sub.add_argument("--quiet", "-q", action="store_true", help="print the findings only: no summary line, no progress")
    sub.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in FILE (overrides the config's baseline)"
    )
    sub.add_argument(
        "--write-baseline",
        nargs="?",
        const=True,
        metavar="FILE",
        help="record today's findings in FILE (default: the baseline in use, else "
        ".theanolint-baseline.json at the project root) and exit 0",
    )
    sub.add_argument("--select", default="", help="comma-separated codes or prefixes to check (replaces the config's)")
    sub.add_argument("--extend-select", default="", help="codes or prefixes to check besides the selected ones")
    sub.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
    sub.add_argument("--extend-ignore", default="", help="codes or prefixes to skip besides the config's")
    sub.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    sub.add_argument(
        "--allow-empty",
        action="store_true",
        help="exit 0 when the project registers no function (by default an error: a misconfigured "
        "project must not pass)",
    )
    sub.add_argument("--memory", action="store_true", help="print each function's predicted memory table")
    sub.add_argument(
        "--dim",
        action="append",
        default=[],
        metavar="NAME=SIZE",
        help="set a named dimension (overrides the config's dims)",
    )
    sub.add_argument("--fit", metavar="DIM", help="find the largest size of DIM whose prediction fits the budget")
    sub.add_argument(
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: the number of cores)"
    )
    sub.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="lint only the K-th of N deterministic shares (1-based), for CI matrices",
    )
    sub.add_argument("--no-cache", action="store_true", help="ignore and do not write the result cache")


def add_graph(sub: argparse.ArgumentParser) -> None:
    _add_common(sub)
    sub.add_argument("function", nargs="?", help="lint unit name, e.g. mlp.train:train")
    sub.add_argument("paths", nargs="*")
    sub.add_argument("--all", action="store_true", help="every function")
    sub.add_argument("--format", choices=["text", "json"], default="text")


def _shard(text: str) -> Tuple[int, int]:
    """``--shard 2/4`` -> (1, 4) (0-based share, count)."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r}: use K/N with 1 <= K <= N, e.g. 2/4")
    return int(k) - 1, int(n)


def codes(text: str) -> List[str]:
    """``--select`` / ``--ignore``: comma-separated codes or prefixes, each naming a rule."""
    found = [c.strip().upper() for c in text.split(",") if c.strip()]
    for code in found:
        if not is_known(code):
            raise configuration.ConfigError("--select/--ignore", None, f"unknown rule code {code!r}")
    return found


def selection(args: argparse.Namespace, config: Dict[str, Any]) -> Tuple[List[str], List[str]]:
    """(select, ignore) as ruff combines them: ``--select`` replaces the config's
    ``select``; ``extend_select`` (config, then command line) adds to the selection,
    or to the rules the config enables when nothing is selected; every ignore adds up
    and wins.  Empty ``select``: the config's rule settings decide."""
    select = codes(args.select) or list(config.get("select", []))
    extend = list(config.get("extend_select", [])) + codes(getattr(args, "extend_select", ""))
    if extend:
        select = (select or enabled_codes(config.get("rules", {}))) + extend
    ignore = list(config.get("ignore", [])) + codes(args.ignore) + codes(getattr(args, "extend_ignore", ""))
    return select, ignore


def load_config(path: Optional[str], paths: Sequence[str] = ()) -> Dict[str, Any]:
    """The config given, else the nearest ``.theanolint.yaml`` above the working
    directory, else above the given PATHS (pre-commit runs from the git root with a
    project in a subfolder).  None found is an error, never a silent pass."""
    path = path or configuration.find(os.getcwd())
    if path is None:
        folders = [p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in paths]
        found = [f for f in dict.fromkeys(configuration.find(folder) for folder in folders) if f is not None]
        if len(found) > 1:
            raise configuration.ConfigError(
                "command line",
                None,
                f"the given files belong to {len(found)} projects ({', '.join(found)}); run theanolint "
                "once per project (pre-commit: one hook entry per project, with args: [--config ...])",
            )
        path = found[0] if found else None
    if path is None:
        raise configuration.ConfigError("command line", None, configuration.missing(os.getcwd()))
    return configuration.load(path, known_codes())


def target(args: argparse.Namespace, config: Dict[str, Any]) -> Target:
    """The target of ``check`` and ``graph``: the config's, with the command line's overrides."""
    if args.virtual:
        config["cuda"]["virtual"] = args.virtual
    if args.cudnn:
        config["cuda"]["cudnn"] = configuration.check_value(("cuda", "cudnn"), args.cudnn, "--cudnn")
    return from_config(config, args.target or "")
