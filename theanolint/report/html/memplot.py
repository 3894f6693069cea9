"""The memory plot: predicted live GPU bytes over the schedule, the peak, the budget.

The live bytes include the resident ones (inputs and shared variables on the
GPU), drawn as a floor line, so the curve compares with the budget directly.

A step line is a few dozen lines of SVG, not worth a plotting library.  The
y axis is linear when the budget is within 10x of the peak and logarithmic
otherwise (a 10 MiB function against a 16 GiB budget would be a flat line).
Thousands of steps are reduced to the highest value per pixel column, which
keeps the peak and the shape of the curve.
"""

import html
import math
from typing import Dict, List, Optional

from theanolint.report.memory import size

WIDTH, HEIGHT = 760, 210
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 14, 30


def _scale(low: float, high: float, log: bool):
    def y(value: float) -> float:
        if log:
            value = math.log10(max(value, low))
            bottom, top = math.log10(low), math.log10(high)
        else:
            bottom, top = 0.0, high
        share = (value - bottom) / (top - bottom) if top > bottom else 0.0
        return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)

    return y


def _ticks(low: float, high: float, log: bool) -> List[float]:
    if log:  # 1 KiB, 32 KiB, 1 MiB, 32 MiB, ...
        first = math.floor(math.log(low, 32))
        return [32.0**k for k in range(first, math.ceil(math.log(high, 32)) + 1) if low <= 32.0**k <= high]
    step = 1024.0 ** max(0, math.floor(math.log(max(high, 1), 1024)))
    while high / step > 6:
        step *= 2
    while high / step < 2:
        step /= 2
    return [step * k for k in range(0, int(high / step) + 1)]


def _tick_text(value: float) -> str:
    return size(value, "g")


def _envelope(steps: List[Dict], columns: int) -> List[tuple]:
    """(step index, live) points, at most one (the highest) per pixel column."""
    if len(steps) <= columns:
        return [(index, step["live"]) for index, step in enumerate(steps)]
    points = []
    per = len(steps) / columns
    for column in range(columns):
        start, stop = int(column * per), max(int((column + 1) * per), int(column * per) + 1)
        index = max(range(start, min(stop, len(steps))), key=lambda i: steps[i]["live"])
        points.append((index, steps[index]["live"]))
    return points


def plot(memory: Dict, describe_node=None) -> str:
    """An inline <svg> of ``memory`` (the picture's "memory"); '' when it has no steps."""
    steps = memory.get("steps") or []
    if not steps:
        return ""
    budget = memory.get("budget") or 0
    peak = memory.get("peak") or {}
    peak_live = max(peak.get("live") or 0, max(s["live"] for s in steps))
    high = max(peak_live, budget, 1) * 1.08
    log = budget > 10 * max(peak_live, 1)
    low = max(1024.0, min((s["live"] for s in steps if s["live"] > 0), default=1024.0) / 2) if log else 0.0
    y = _scale(low, high, log)
    plot_width = WIDTH - LEFT - RIGHT

    def x(index: float) -> float:
        return LEFT + (index / max(len(steps) - 1, 1)) * plot_width

    parts = [
        f'<svg class="memplot" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" xmlns="http://www.w3.org/2000/svg">',
        f"<title>predicted live GPU bytes over {len(steps)} steps of the schedule</title>",
    ]
    for tick in _ticks(max(low, 1.0), high, log):
        ty = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 3:.1f}" text-anchor="end">'
            f"{html.escape(_tick_text(tick))}</text>"
        )
    points = _envelope(steps, plot_width)
    path = [f"M{x(points[0][0]):.1f},{y(0 if not log else low):.1f}"]
    for index, live in points:
        path.append(f"V{y(live):.1f}H{x(index + 1 if index + 1 < len(steps) else index):.1f}")
    parts.append(f'<path class="live" d="{"".join(path)}"/>')
    resident = memory.get("resident")
    if resident:
        ry = y(resident)
        parts.append(
            f'<line class="resident" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ry:.1f}" y2="{ry:.1f}">'
            f"<title>resident: inputs and shared variables on the GPU, {html.escape(size(resident))}"
            f'</title></line><text class="resident-label" x="{LEFT + 4}" y="{ry - 3:.1f}">'
            f"resident {html.escape(size(resident))}</text>"
        )
    if budget:
        by = y(budget)
        parts.append(
            f'<line class="budget" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{by:.1f}" y2="{by:.1f}">'
            f"<title>budget {html.escape(size(budget))}</title></line>"
            f'<text class="budget-label" x="{WIDTH - RIGHT - 4}" y="{by - 4:.1f}" text-anchor="end">'
            f"budget {html.escape(size(budget))}</text>"
        )
    if peak:
        index = min(max(peak.get("step") or 0, 0), len(steps) - 1)
        px, py = x(index), y(peak.get("live") or steps[index]["live"])
        what = describe_node(steps[index].get("node")) if describe_node else ""
        label = f"peak {size(peak.get('live') or 0)} at step {index}"
        parts.append(
            f'<line class="peak-line" x1="{px:.1f}" x2="{px:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<circle class="peak" cx="{px:.1f}" cy="{py:.1f}" r="4">'
            f"<title>{html.escape(label + (': ' + what if what else ''))}</title></circle>"
            f'<text class="peak-label" x="{min(px + 6, WIDTH - RIGHT - 150):.1f}" '
            f'y="{max(py - 6, TOP + 10):.1f}">{html.escape(label)}</text>'
        )
    parts.append(
        f'<text class="axis" x="{LEFT}" y="{HEIGHT - 8}">step 0</text>'
        f'<text class="axis" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
        f"step {len(steps) - 1} (schedule order){' · log scale' if log else ''}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def peak_buffers(memory: Dict) -> List[Dict]:
    return list((memory.get("peak") or {}).get("buffers") or [])


def over_budget(memory: Optional[Dict]) -> bool:
    if not memory or not memory.get("budget"):
        return False
    return (memory.get("peak") or {}).get("live", 0) > memory["budget"]
