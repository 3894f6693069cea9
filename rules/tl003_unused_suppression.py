"""A ``# theanolint: disable`` comment suppresses nothing.

What it does: Reports ``# theanolint: disable=CODE``,
``disable-next=CODE`` and ``disable-file=CODE`` comments (and single codes
in them) that matched no finding in this run, and codes in them that name
no rule.  Only codes of rules that ran are judged, so ``--select`` or a
rule turned off in the config never makes a comment look unused.

Why is this bad: A stale suppression hides the next real problem on that
line, and readers believe the line still has the problem it names.

Example:
    W = theano.shared(w.astype(floatX), name="W")  # theanolint: disable=TL101

Use instead:
    W = theano.shared(w.astype(floatX), name="W")

A comment that lists TL003 itself is never reported.  Suppressions are
applied after all rules ran, in the command-line process, so this rule's
findings come from that pass, not from a check of each function.

What it leaves out: codes of rules that did not run (--select, --ignore, a
rule turned off), so narrowing a run never makes a comment look unused;
comments that list TL003 itself.
"""

CODE = "TL003"
NAME = "unused-suppression"
SEVERITY = "warning"
REPORTED_BY = "triage"  # theanolint.triage.suppressions
