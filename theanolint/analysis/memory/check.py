"""Worker side of memory prediction: shapes per function, the budget, ``--fit``.

Functions whose input shapes are not all known (no test value, no declared
shape) get no prediction: a guess there would only produce noise.  They are
listed as such in the memory report.
"""

from typing import Dict, List, Optional

from theanolint.analysis import graph
from theanolint.analysis.memory import prediction as memory
from theanolint.analysis.memory.inputs import input_shapes, resolve_declarations
from theanolint.builders import ShapeError
from theanolint.config.sizes import parse_size
from theanolint.protocol import Job


def budget(job: Job, context) -> int:
    """The configured budget for the target, else the device's memory."""
    configured = job.config.get("budget", {}).get(job.target.kind)
    if configured is not None:
        return parse_size(configured)
    if job.target.virtual:
        return int(job.target.profile["memory"])
    return int(context.total_gmem)


def declared_names_check(units, registration) -> None:
    """A shape declared for an input no function of the builder has is a mistake.

    The inputs come from the captured ``theano.function`` calls, so a function
    Theano's optimizer refused (TL002) or whose result is cached still counts.
    Names, positions and variables are checked alike.
    """
    made = [unit.record for unit in units if unit.record is not None]
    if not made:
        return
    inputs = [[getattr(i, "variable", i) for i in record.inputs] for record in made]
    own = [[v for v in variables if not graph.is_shared(v)] for variables in inputs]
    names = {v.name for variables in own for v in variables} - {None}
    for key in registration.shapes:
        if isinstance(key, str):
            found = key in names
        elif isinstance(key, int) and not isinstance(key, bool):
            found = any(0 <= key < len(variables) for variables in own)
        else:
            found = any(key is v for variables in inputs for v in variables)
        if not found:
            label = repr(key) if isinstance(key, (str, int)) else f"variable {getattr(key, 'name', None) or key}"
            raise ShapeError(
                f"shapes of {registration.name!r}: no input is {label} "
                f"(inputs: {', '.join(sorted(names)) or 'none'}; "
                f"positions 0-{max(len(v) for v in own) - 1})"
            )


def _originals(unit) -> List:
    return [getattr(i, "variable", i) for i in unit.record.inputs] if unit.record is not None else []


def predict(unit, dims: Dict[str, int], settings: Dict, timeline: bool = False) -> Optional[memory.Prediction]:
    if unit.root is None:
        return None
    notes: List[str] = []
    known = input_shapes(unit.root.fgraph, unit.declared_shapes, dims, _originals(unit), notes)
    prediction = memory.predict(unit.root, known, settings["unknown_dim"], timeline=timeline)
    prediction.notes = notes
    return None if prediction.unknown_inputs else prediction


def unknown_inputs(unit) -> List[str]:
    if unit.root is None:
        return []
    fgraph = unit.root.fgraph
    declared = resolve_declarations(fgraph, unit.declared_shapes, _originals(unit))
    return [
        v.name or f"input #{position}"
        for position, v in enumerate(v for v in fgraph.inputs if not graph.is_shared(v))
        if not hasattr(v.tag, "test_value") and v not in declared and v.ndim != 0
    ]


def fit(unit, dims: Dict[str, int], dim: str, limit: int, settings: Dict) -> Dict:
    """The largest size of ``dim`` whose predicted GPU total fits ``limit``, or why
    there is none: no size fits, the function does not depend on ``dim``, or the
    prediction rests on an assumed size."""

    def total(size):
        prediction = predict(unit, {**dims, dim: size}, settings)
        if prediction is None or prediction.assumed:
            return None
        return prediction.total_gpu

    result: Dict = {"dim": dim, "size": None}
    small, large = total(1), total(2)
    if small is None or large is None:
        return {**result, "why": "assumed"}
    if small == large:
        return {**result, "why": "independent"}
    if small > limit:
        return {**result, "why": "none fits"}
    low, high = 1, 2
    while total(high) <= limit:
        low, high = high, high * 2
        if high > 2**40:
            return {**result, "size": low}
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if total(middle) <= limit else (low, middle)
    return {**result, "size": low}


def summary(unit, top: int) -> Dict:
    """What the memory report prints for one function (JSON-ready)."""
    prediction = unit.memory
    if prediction is None:
        return {"name": unit.name, "unknown_inputs": unknown_inputs(unit)}
    largest = []
    for buffer in prediction.largest(top):
        where = unit.where(buffer.var)
        largest.append(
            {
                "bytes": buffer.nbytes,
                "shape": list(buffer.shape),
                "dtype": buffer.var.type.dtype,
                "gpu": buffer.on_gpu,
                "op": str(buffer.var.owner.op) if buffer.var.owner else "input",
                "where": str(where),
                "scope": buffer.scope,
            }
        )
    return {
        "name": unit.name,
        "budget": unit.budget,
        "peak_gpu": prediction.peak[memory.GPU],
        "peak_host": prediction.peak[memory.HOST],
        "resident_gpu": prediction.resident[memory.GPU],
        "resident_host": prediction.resident[memory.HOST],
        "total_gpu": prediction.total_gpu,
        "total_host": prediction.total_host,
        "assumed": list(dict.fromkeys(a["where"] for a in _assumptions(unit, prediction))),
        "assumptions": _assumptions(unit, prediction),
        "notes": list(prediction.notes),
        "largest": largest,
        "fit": unit.fit,
    }


def _assumptions(unit, prediction) -> List[Dict[str, str]]:
    """Where a size was assumed and why, once per line and reason."""
    seen: Dict = {}
    for var, why in prediction.assumed.items():
        seen.setdefault((str(unit.where(var)), why), None)
    return [{"where": where, "why": why} for where, why in seen]
