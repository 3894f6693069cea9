"""A shared variable has no name.

What it does: Reports shared variables used by a function that were created
without ``name=``, at the ``theano.shared`` call.

Why is this bad: Profiles, debugprint output, memory reports and this
linter's own messages show unnamed shared variables as ``<GpuArrayType...>``,
so the expensive parameter cannot be found.

Example:
    W = theano.shared(np.zeros((784, 100), dtype="float32"))

Use instead:
    W = theano.shared(np.zeros((784, 100), dtype="float32"), name="W")
"""

from theanolint.ruleset.helpers import shared_variables, static_shape

CODE = "TL301"
NAME = "unnamed-shared"
SEVERITY = "warning"


def check(function, options):
    for var in shared_variables(function):
        if not var.name:
            shape = static_shape(None, var)  # type: ignore[arg-type]  # a shared variable's shape needs no scope
            yield function.finding(
                var,
                f"shared variable ({var.type.dtype}, shape {shape}) has no name; pass name= to theano.shared",
                key=f"{var.type.dtype}, {var.ndim}-D",
            )
