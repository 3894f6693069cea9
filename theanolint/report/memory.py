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
        if entry["assumed"]:
            lines.append(f"  assumed size for data-dependent dimensions at: {', '.join(entry['assumed'])}")
        if entry.get("fit"):
            fit = entry["fit"]
            verdict = (
                f"largest {fit['dim']} that fits: {fit['size']}"
                if fit["size"] is not None
                else f"no size of {fit['dim']} fits (or its shapes do not use it)"
            )
            lines.append(f"  {verdict}")
        for buffer in entry["largest"]:
            where = f"{buffer['where']}" + (f" (inside {buffer['scope']})" if buffer["scope"] else "")
            lines.append(
                f"  {size(buffer['bytes']):>12}  {'GPU ' if buffer['gpu'] else 'host'} "
                f"{buffer['dtype']}{tuple(buffer['shape'])}  {buffer['op'][:50]}  {where}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
