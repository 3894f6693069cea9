"""The ``--memory`` table: predicted memory per function, largest buffers first."""

from typing import Any, Dict, List

from theanolint.builders import ShapeError


def parse_dims(items: List[str]) -> Dict[str, int]:
    """``["batch=256"]`` from ``--dim`` into ``{"batch": 256}``."""
    dims = {}
    for item in items:
        name, _, size = item.partition("=")
        if not name.isidentifier() or not size.isdigit():
            raise ShapeError(f"--dim {item!r}: use NAME=SIZE, e.g. --dim batch=256")
        dims[name] = int(size)
    return dims


def size(count: float, spec: str = ".2f") -> str:
    """``count`` bytes in the largest binary unit it reaches, its number formatted by ``spec``."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:{spec}} {unit}"
    return f"{count:g} B"


ASSUMPTIONS_SHOWN = 5  # lines of assumed sizes the table shows per function

FIT_WHY = {
    "none fits": "no size of {dim} fits the budget",
    "independent": "the prediction does not depend on {dim}: no shape of this function uses it",
    "assumed": "no size of {dim} can be chosen: the prediction rests on assumed sizes",
}


def _fit_verdict(fit: Dict[str, Any]) -> str:
    if fit["size"] is not None:
        return f"largest {fit['dim']} that fits: {fit['size']}"
    return FIT_WHY[fit.get("why", "none fits")].format(dim=fit["dim"])


def render(functions: List[Dict[str, Any]]) -> str:
    lines = []
    for entry in functions:
        lines.append(f"\nmemory of {entry['name']}:")
        if "total_gpu" not in entry:
            lines.append(
                "  no prediction: input shapes unknown for "
                f"{', '.join(entry['unknown_inputs'])} (declare shapes= at registration "
                "or give the inputs test values)"
            )
            continue
        lines.append(
            f"  GPU: peak working set {size(entry['peak_gpu'])} + resident "
            f"{size(entry['resident_gpu'])} = {size(entry['total_gpu'])} "
            f"(budget {size(entry['budget'])})"
        )
        lines.append(
            f"  host: peak working set {size(entry['peak_host'])} + resident "
            f"{size(entry['resident_host'])} = {size(entry['total_host'])}"
        )
        for note in entry.get("notes", ()):
            lines.append(f"  note: {note}")
        assumptions = entry.get("assumptions") or [{"where": where, "why": ""} for where in entry["assumed"]]
        if assumptions:
            lines.append("  assumed sizes (no TL501/TL502 rests on them):")
            lines.extend(f"    {a['where']}: {a['why']}".rstrip(": ") for a in assumptions[:ASSUMPTIONS_SHOWN])
            if len(assumptions) > ASSUMPTIONS_SHOWN:
                lines.append(f"    ... and {len(assumptions) - ASSUMPTIONS_SHOWN} more (--format json lists them)")
        if entry.get("fit"):
            lines.append(f"  {_fit_verdict(entry['fit'])}")
        for buffer in entry["largest"]:
            where = f"{buffer['where']}" + (f" (inside {buffer['scope']})" if buffer["scope"] else "")
            lines.append(
                f"  {size(buffer['bytes']):>12}  {'GPU ' if buffer['gpu'] else 'host'} "
                f"{buffer['dtype']}{tuple(buffer['shape'])}  {buffer['op'][:50]}  {where}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
