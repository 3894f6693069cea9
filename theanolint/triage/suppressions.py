"""``# theanolint: disable=...`` comments: drop the findings they name, report unused ones.

Runs in the command-line process after the worker, on the findings of all
rules together: only then is it known whether a comment suppressed
anything.  The unused ones become TL003 findings (``rules/tl003_unused_suppression.py``
holds that rule's metadata and documentation).

    x = T.dmatrix("x")  # theanolint: disable=TL101        this line
    x = T.dmatrix("x")  # noqa: TL101                       this line (ruff's and flake8's way)
    # theanolint: disable-next=TL101,TL202                 the next line
    # theanolint: disable-file=TL3                          the whole file

Codes may be prefixes (TL3), as in the config, or rule names (``disable=float64``).
A ``# noqa:`` counts with the TL codes it names (``# noqa: E501, TL101``: TL101); a
bare ``# noqa`` is another linter's and does not.  Comments are read with
``tokenize``, so the text inside strings never counts.
"""

import io
import os
import re
import tokenize
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple, cast

from theanolint.findings import Finding
from theanolint.ruleset.selection import made_finding, matches, matches_any

DIRECTIVE = re.compile(
    r"#\s*theanolint:\s*(disable-file|disable-next|disable)\s*=\s*"
    r"([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)"
)
NOQA = re.compile(r"#\s*noqa\s*:\s*([A-Za-z0-9]+(?:[\s,]+[A-Za-z0-9]+)*)", re.IGNORECASE)
UNUSED_CODE = "TL003"


@dataclass
class Comment:
    path: str  # as findings name the file
    line: int  # where the comment is
    kind: str  # disable, disable-next or disable-file
    codes: List[str]
    used: Set[str] = field(default_factory=set)
    written: str = ""  # how a noqa comment was written, for messages

    @property
    def text(self) -> str:
        return self.written or f"{self.kind}={','.join(self.codes)}"

    def covers(self, finding: Finding) -> Optional[str]:
        """The code of this comment that suppresses ``finding``, if any."""
        if self.kind == "disable" and finding.line != self.line:
            return None
        if self.kind == "disable-next" and finding.line != self.line + 1:
            return None
        return next((c for c in self.codes if matches(finding.code, c)), None)


def comments_in(text: str, path: str) -> List[Comment]:
    """Every theanolint directive in the comments of one Python source."""
    found = []
    try:
        comments = [
            (tok.start[0], tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        comments = [(n, line[line.index("#") :]) for n, line in enumerate(text.splitlines(), 1) if "#" in line]
    for line, comment in comments:
        for match in DIRECTIVE.finditer(comment):
            codes = [_code(c.strip()) for c in match.group(2).split(",") if c.strip()]
            found.append(Comment(path, line, match.group(1), codes))
        for match in NOQA.finditer(comment):
            codes = [c.upper() for c in re.split(r"[\s,]+", match.group(1)) if c.upper().startswith("TL")]
            if codes:
                found.append(Comment(path, line, "disable", codes, written=f"noqa: {', '.join(codes)}"))
    return found


def _code(word: str) -> str:
    """A code or prefix as written, or the code of the rule of that name (``float64``)."""
    from theanolint.ruleset.catalog import catalog

    names = {info.name: info.code for info in catalog()}
    return names.get(word.lower(), word.upper())


class Suppressions:
    """The directives of the files findings point at, read once per file."""

    def __init__(self, root: str):
        self.root = root
        self._by_path: Dict[str, List[Comment]] = {}

    def of(self, path: str) -> List[Comment]:
        if path not in self._by_path:
            filename = path if os.path.isabs(path) else os.path.join(self.root, path)
            self._by_path[path] = []
            if filename.endswith(".py") and os.path.isfile(filename):  # findings may name
                try:  # a module, or a file
                    with open(filename, encoding="utf-8", errors="replace") as handle:
                        self._by_path[path] = comments_in(handle.read(), path)
                except OSError:  # that is gone
                    pass
        return self._by_path[path]

    def split(self, findings: Iterable[Finding]) -> Tuple[List[Finding], List[Finding]]:
        """(kept, suppressed): the findings no comment suppresses, and the others;
        marks the comments that were used."""
        kept: List[Finding] = []
        suppressed: List[Finding] = []
        for finding in findings:
            hits = [(c, c.covers(finding)) for c in self.of(finding.path)]
            hits = [(c, code) for c, code in hits if code]
            for comment, code in hits:
                comment.used.add(cast(str, code))  # hits keeps only the truthy codes
            (suppressed if hits else kept).append(finding)
        return kept, suppressed

    def unused(
        self,
        judged_paths: Iterable[str],
        run_codes: List[str],
        known_codes: Iterable[str],
        settings: Dict[str, Any],
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> List[Finding]:
        """TL003 findings for the directives in ``judged_paths`` that matched nothing.

        A code is judged only if a rule it names ran; a comment that lists
        TL003 is never reported.
        """
        found = []
        for path in sorted(set(judged_paths)):
            for comment in self.of(path):
                if matches_any(UNUSED_CODE, comment.codes):
                    continue
                for code in comment.codes:
                    if not any(matches(k, code) for k in known_codes):
                        message = f"'{comment.text}' names no rule: unknown code {code!r}"
                    elif code in comment.used or not any(matches(r, code) for r in run_codes):
                        continue
                    else:
                        message = f"unused suppression '{comment.text}': no {code} finding to suppress"
                    found.append(
                        made_finding(
                            UNUSED_CODE,
                            settings,
                            select,
                            ignore,
                            message=message,
                            path=path,
                            line=comment.line,
                            function="",
                            data={"key": f"{comment.kind}={code}"},
                        )
                    )
        return found  # type: ignore[return-value]  # BUG (latent): made_finding gives None when TL003 is off; only called when it is on
