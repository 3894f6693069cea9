"""What happens to the rules' findings before they are reported, in order:

1. given PATHS: keep only the functions those files affect (``triage.paths``),
   and leave out what frameworks made unless asked for (``frameworks``);
2. ``# theanolint: disable`` comments, then TL003 for the unused ones (``suppressions``);
3. the config's ``per_file_ignores``;
4. the baseline: record the findings (``--write-baseline``) or drop the
   recorded ones (``baseline``).

What steps 2 and 4 drop is kept as ``waived`` (the HTML report shows it greyed).

Runs in the command-line process, so it never imports Theano.
"""

import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from theanolint.findings import Finding
from theanolint.protocol import RunResult
from theanolint.ruleset.catalog import known_codes
from theanolint.ruleset.selection import effective, enabled_codes
from theanolint.triage import baseline, frameworks, per_file_ignores, suppressions
from theanolint.triage import paths as filters

DEFAULT_BASELINE = ".theanolint-baseline.json"


@dataclass(frozen=True)
class Outcome:
    result: RunResult  # narrowed to the functions the given PATHS affect
    findings: Tuple[Finding, ...]  # what is reported
    baselined: int = 0  # findings the baseline accounts for
    written: Optional[str] = None  # the baseline file written, if any
    recorded: int = 0
    waived: Tuple[Tuple[str, Finding], ...] = ()  # ("inline" | "baseline", finding)
    left_out: Tuple[Finding, ...] = ()  # about what frameworks made, not asked for (``frameworks``)


def triage(
    result: RunResult,
    config: Dict[str, Any],
    paths: Optional[List[str]],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    baseline_path: Optional[str] = None,
    write_baseline: Optional[str] = None,
) -> Outcome:
    """``paths``: the given files when the run is narrowed to them, else None."""
    root = config["root"]
    if paths:
        linted = filters.affected(result, paths)
        result = result.narrowed(linted)
    else:
        linted = {f.name for f in result.functions}
        linted.add("")  # function-less findings (TL003) were all judged
    shown, left_out = frameworks.split(result.findings, config["rules"], select, ignore)
    comments = suppressions.Suppressions(root)
    findings, suppressed = comments.split(shown)
    if effective(suppressions.UNUSED_CODE, config["rules"], select, ignore).enabled:
        findings += comments.unused(
            filters.judged_paths(result, paths, root),
            enabled_codes(config["rules"], select, ignore),
            known_codes(),
            config["rules"],
            select,
            ignore,
        )
    ignores = config.get("per_file_ignores", {})
    findings = per_file_ignores.apply(findings, ignores)
    findings.sort(key=Finding.sort_key)
    waived = tuple(("inline", f) for f in per_file_ignores.apply(suppressed, ignores))
    if write_baseline:
        previous = baseline.load(write_baseline) if os.path.exists(write_baseline) else []
        recorded = baseline.write(write_baseline, findings, previous, linted)
        return Outcome(result, tuple(findings), written=write_baseline, recorded=recorded, left_out=tuple(left_out))
    if baseline_path:
        if not os.path.exists(baseline_path):
            raise baseline.BaselineError(
                f"{baseline_path}: no such baseline; write it with theanolint --write-baseline"
            )
        new, recorded_findings = baseline.split(findings, baseline.load(baseline_path))
        return Outcome(
            result,
            tuple(new),
            baselined=len(recorded_findings),
            waived=waived + tuple(("baseline", f) for f in recorded_findings),
            left_out=tuple(left_out),
        )
    return Outcome(result, tuple(findings), waived=waived, left_out=tuple(left_out))


def baseline_file(config: Dict[str, Any], given: Optional[str], write: Optional[object]) -> Optional[str]:
    """The baseline to read (``--baseline``, else the config's) or, for
    ``--write-baseline [FILE]``, to write (FILE, else the one read, else the default)."""
    reading = os.path.abspath(given) if given else config.get("baseline")
    if write is None:
        return reading
    if isinstance(write, str):
        return os.path.abspath(write)
    return reading or os.path.join(config["root"], DEFAULT_BASELINE)
