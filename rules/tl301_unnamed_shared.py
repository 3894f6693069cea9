"""A shared variable the user made has no name.

What it does: Reports shared variables used by a function that were created
without a name, at the line that created them: a ``theano.shared`` call in the
user's code, or a framework call that takes ``name=`` and was not given one
(Lasagne's ``add_param``, Keras's ``K.variable``).

Why is this bad: Profiles, debugprint output, memory reports and this
linter's own messages show unnamed shared variables as ``<GpuArrayType...>``,
so the expensive parameter cannot be found.

Example:
    W = theano.shared(np.zeros((784, 100), dtype="float32"))

Use instead:
    W = theano.shared(np.zeros((784, 100), dtype="float32"), name="W")

What it leaves out: state a framework or Theano makes without asking for a
name (Lasagne's and Keras's optimizer slots, the state of ``RandomStreams`` and
``MRG_RandomStreams``): the user cannot name it. Option ``frameworks: true``
reports those too.
"""

from theanolint.ruleset.helpers import shared_variables, static_shape

CODE = "TL301"
NAME = "unnamed-shared"
SEVERITY = "warning"


def check(function, options):
    for var in shared_variables(function):
        if var.name:
            continue
        origin = function.origin(var)
        nameable = origin.maker == "user" or (origin.maker == "framework" and origin.name_given is False)
        dtype = getattr(var.type, "dtype", type(var.type).__name__)  # RandomStateType has no dtype
        call = "theano.shared" if origin.maker == "user" else origin.call.rsplit(".", 1)[-1]
        if nameable:
            advice = f"pass name= to {call}"
        else:
            advice = f"made by {origin.made_by}, which takes no name"
        shape = static_shape(None, var) if hasattr(var.type, "ndim") else None  # type: ignore[arg-type]
        yield function.finding(
            var,
            f"shared variable ({dtype}{f', shape {shape}' if shape is not None else ''}) has no name; {advice}",
            key=f"{dtype}, {getattr(var.type, 'ndim', '?')}-D",
            framework=not nameable,
        )
