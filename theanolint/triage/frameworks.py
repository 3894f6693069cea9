"""Findings about what an installed framework (or Theano) made, which the user
cannot change in their own code: left out unless the rule's ``frameworks`` option
asks for them.

The worker marks such findings (``data["framework"]``) and keeps them, so a cached
result serves both settings and the report can say how many it left out.
"""

from typing import Any, Dict, Iterable, List, Tuple

from theanolint.findings import Finding
from theanolint.ruleset.selection import effective

OPTION = "frameworks"
NEVER_LEFT_OUT = "TL0"  # a builder that fails, a worker that crashes: always the user's business


def split(
    findings: Iterable[Finding], rules: Dict[str, Any], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> Tuple[List[Finding], List[Finding]]:
    """(shown, left out)."""
    select, ignore = list(select), list(ignore)
    shown: List[Finding] = []
    left_out: List[Finding] = []
    for finding in findings:
        wanted = (
            finding.code.startswith(NEVER_LEFT_OUT)
            or not finding.data.get("framework")
            or effective(finding.code, rules, select, ignore).options.get(OPTION, False)
        )
        (shown if wanted else left_out).append(finding)
    return shown, left_out
