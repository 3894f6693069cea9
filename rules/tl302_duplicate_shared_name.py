"""Two shared variables of one function have the same name.

What it does: Reports names the user gave to more than one shared variable
of the same function: at the second variable, or once at the line that made
them all when a loop made them.

Why is this bad: Profiles and saved parameter dictionaries key on names;
two ``W``s make the profile ambiguous and can make a checkpoint overwrite one
parameter with the other.

Example:
    W1 = theano.shared(w_init(784, 100), name="W")
    W2 = theano.shared(w_init(100, 10), name="W")

Use instead:
    W1 = theano.shared(w_init(784, 100), name="hidden.W")
    W2 = theano.shared(w_init(100, 10), name="output.W")

What it leaves out: default names a framework gives (every unnamed Lasagne
layer's ``W`` and ``b``, the state of Theano's random streams): the user did
not choose them. A name the user passed (``name=`` in their own code, or to the
framework call that made the variable) counts. Option ``frameworks: true``
reports default names too.
"""

from collections import defaultdict
from typing import Any, Dict, List, Tuple

from theanolint.ruleset.helpers import shared_variables

CODE = "TL302"
NAME = "duplicate-shared-name"
SEVERITY = "warning"
SHOWN = 3  # names a message lists; the key has them all


def check(function, options):
    named: Dict[str, List[Any]] = defaultdict(list)
    for var in shared_variables(function):
        if var.name:
            named[var.name].append(var)
    # (line of a later variable, line of the first) -> names: a layer named twice is one
    # finding for its W and b
    pairs: Dict[Tuple[Any, Any], List[Tuple[str, Any, bool]]] = defaultdict(list)
    for name, variables in named.items():
        if len(variables) < 2:
            continue
        framework = not any(function.origin(var).user_named for var in variables)
        places = [function.where(var) for var in variables]
        if len(set(places)) == 1:
            yield function.finding(
                variables[0],
                f"shared variable name {name!r} is given {len(variables)} times by this line (a loop?); "
                "make it unique, e.g. with the layer's index",
                key=name,
                framework=framework,
            )
            continue
        for var, place in zip(variables[1:], places[1:]):
            if place != places[0] and all(name != n for n, _, _ in pairs[place, places[0]]):
                pairs[place, places[0]].append((name, var, framework))
    for (_place, first), duplicates in pairs.items():
        names = ", ".join(repr(name) for name, _, _ in duplicates[:SHOWN])
        if len(duplicates) > SHOWN:
            names += f" and {len(duplicates) - SHOWN} more"
        yield function.finding(
            duplicates[0][1],
            f"shared variable name{'s' if len(duplicates) > 1 else ''} {names} "
            f"{'are' if len(duplicates) > 1 else 'is'} also used by the shared variable at {first}",
            key=", ".join(name for name, _, _ in duplicates),
            framework=all(framework for _, _, framework in duplicates),
        )
