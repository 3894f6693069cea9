"""What happens to the rules' findings before they are reported, in order:

1. given PATHS: keep only the functions those files affect (``filters``);
2. ``# theanolint: disable`` comments, then TL003 for the unused ones (``suppress``);
3. the config's ``per_file_ignores``;
4. the baseline: record the findings (``--write-baseline``) or drop the
   recorded ones (``baseline``).

What steps 2 and 4 drop is kept as ``waived`` (the HTML report shows it greyed).

Runs in the command-line process, so it never imports Theano.
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from theanolint import baseline, filters, per_file_ignores, ruleset, suppress
from theanolint.findings import Finding

DEFAULT_BASELINE = ".theanolint-baseline.json"


@dataclass
class Outcome:
    findings: List[Finding]
    baselined: int = 0                  # findings the baseline accounts for
    written: Optional[str] = None       # the baseline file written, if any
    recorded: int = 0
    notes: List[str] = field(default_factory=list)
    waived: List[Tuple[str, Finding]] = field(default_factory=list)   # ("inline"|"baseline", f)


def _run_codes(settings: Dict, select, ignore) -> List[str]:
    return [e.CODE for e in ruleset.catalog()
            if ruleset.effective(e.CODE, e.SEVERITY, settings, select, ignore)[0]]


def triage(result: Dict, config: Dict, paths: Optional[List[str]], select=(), ignore=(),
           baseline_path: Optional[str] = None, write_baseline: Optional[str] = None) -> Outcome:
    """``paths``: the given files when the run is narrowed to them, else None."""
    root = config["root"]
    linted = {u["name"] for u in result.get("units", [])}
    if paths:
        linted = filters.keep(result, paths)
    else:
        linted.add("")                  # function-less findings (TL003) were all judged
    comments = suppress.Suppressions(root)
    findings, suppressed = comments.split(result["findings"])
    enabled, severity, _ = ruleset.effective(suppress.UNUSED_CODE, "warning", config["rules"],
                                             select, ignore)
    if enabled:
        findings += comments.unused(filters.judged_paths(result, paths, root),
                                    _run_codes(config["rules"], select, ignore),
                                    ruleset.known_codes(), severity)
    ignores = config.get("per_file_ignores", {})
    findings = per_file_ignores.apply(findings, ignores)
    findings.sort(key=Finding.sort_key)
    waived = [("inline", f) for f in per_file_ignores.apply(suppressed, ignores)]
    if write_baseline:
        previous = baseline.load(write_baseline) if os.path.exists(write_baseline) else []
        recorded = baseline.write(write_baseline, findings, previous, linted)
        return Outcome(findings, written=write_baseline, recorded=recorded)
    if baseline_path:
        if not os.path.exists(baseline_path):
            raise baseline.BaselineError(f"{baseline_path}: no such baseline; "
                                         "write it with theanolint --write-baseline")
        new, recorded = baseline.split(findings, baseline.load(baseline_path))
        return Outcome(new, baselined=len(recorded),
                       waived=waived + [("baseline", f) for f in recorded])
    return Outcome(findings, waived=waived)


def baseline_file(config: Dict, given: Optional[str], write: Optional[object]) -> Optional[str]:
    """The baseline to read (``--baseline``, else the config's) or, for
    ``--write-baseline [FILE]``, to write (FILE, else the one read, else the default)."""
    reading = os.path.abspath(given) if given else config.get("baseline")
    if write is None:
        return reading
    if isinstance(write, str):
        return os.path.abspath(write)
    return reading or os.path.join(config["root"], DEFAULT_BASELINE)
