"""Two shared variables of one function have the same name.

What it does: Reports shared variables that share a name with another shared
variable of the same function.

Why is this bad: Profiles and saved parameter dictionaries key on names;
two ``W``s make the profile ambiguous and can make a checkpoint overwrite one
parameter with the other.

Example:
    W1 = theano.shared(w_init(784, 100), name="W")
    W2 = theano.shared(w_init(100, 10), name="W")

Use instead:
    W1 = theano.shared(w_init(784, 100), name="hidden.W")
    W2 = theano.shared(w_init(100, 10), name="output.W")
"""

from typing import Any, Dict

from theanolint.ruleset.helpers import shared_variables

CODE = "TL302"
NAME = "duplicate-shared-name"
SEVERITY = "warning"


def check(function, options):
    first: Dict[str, Any] = {}
    for var in shared_variables(function):
        if not var.name:
            continue
        if var.name in first:
            yield function.finding(
                var,
                f"shared variable name {var.name!r} is also used by the "
                f"shared variable at {function.where(first[var.name])}",
                key=var.name,
            )
        else:
            first[var.name] = var
