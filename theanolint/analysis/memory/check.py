"""Worker side of memory prediction: shapes per function, the budget, ``--fit``.

Functions whose input shapes are not all known (no test value, no declared
shape) get no prediction: a guess there would only produce noise.  They are
listed as such in the memory report.
"""

from typing import Dict, List, Optional

from theanolint.analysis import graph
from theanolint.analysis.memory import prediction as memory
from theanolint.analysis.memory.shapes import input_shapes
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

    The names come from the captured ``theano.function`` calls, so a function
    Theano's optimizer refused (TL002) or whose result is cached still counts.
    """
    made = [unit.record for unit in units if unit.record is not None]
    names = {getattr(i, "variable", i).name for record in made for i in record.inputs} - {None}
    for name in registration.shapes:
        if made and name not in names:
            raise ShapeError(
                f"shapes of {registration.name!r}: no input is named {name!r} "
                f"(inputs: {', '.join(sorted(names)) or 'none'})"
            )


def predict(unit, dims: Dict[str, int], settings: Dict, timeline: bool = False) -> Optional[memory.Prediction]:
    if unit.root is None:
        return None
    known = input_shapes(unit.root.fgraph, unit.declared_shapes, dims)
    prediction = memory.predict(unit.root, known, settings["unknown_dim"], timeline=timeline)
    return None if prediction.unknown_inputs else prediction


def unknown_inputs(unit) -> List[str]:
    return (
        [
            v.name or str(v.type)
            for v in unit.root.fgraph.inputs
            if not hasattr(v.tag, "test_value")
            and v.name not in unit.declared_shapes
            and not v.owner
            and not graph.is_shared(v)
        ]
        if unit.root is not None
        else []
    )


def fit(unit, dims: Dict[str, int], dim: str, limit: int, settings: Dict) -> Optional[int]:
    """The largest size of ``dim`` whose predicted GPU total fits ``limit``."""

    def fits(size):
        prediction = predict(unit, {**dims, dim: size}, settings)
        return prediction is not None and prediction.total_gpu <= limit

    if not any(dim in shape for shape in unit.declared_shapes.values()) or not fits(1):
        return None
    low, high = 1, 2
    while fits(high):
        low, high = high, high * 2
        if high > 2**40:
            return low
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


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
        "assumed": [str(unit.where(v)) for v in prediction.assumed],
        "largest": largest,
        "fit": unit.fit,
    }
