"""Lay pictures out with Graphviz's dot, several at once, and trim the SVG for inlining.

Each picture is an independent dot process, so a thread pool runs as many as
there are cores; the biggest start first so the pool does not wait on one
late giant.  A picture dot cannot draw (dot missing, dot failing on one
graph) keeps its error text; the page shows that text in its place.
"""

import html
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional

import graphviz

from theanolint.report.html.style import Picture

_BEFORE_SVG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_AUTO_ID = re.compile(r' id="(?:graph\d+|node\d+|edge\d+|a_[^"]*)"')
_TITLE = re.compile(r"<title>([^<]*)</title>\n?")


def clean_svg(svg: str, tooltips: Dict[str, str]) -> str:
    """dot's SVG without the XML prologue, comments and ids, with our hover texts as <title>.

    dot names every element after the graph's node names; the names are our
    own ids, and their <title> becomes the text a browser shows on hover.
    """
    svg = _BEFORE_SVG.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = _AUTO_ID.sub("", svg)

    def title(match):
        text = tooltips.get(html.unescape(match.group(1)))
        return f"<title>{html.escape(text, quote=False)}</title>\n" if text else ""

    return _TITLE.sub(title, svg)


def _draw(picture: Picture) -> Picture:
    try:
        svg = picture.graph.pipe(format="svg", encoding="utf-8")
        picture.svg = clean_svg(svg, picture.tooltips)
    except graphviz.ExecutableNotFound:
        picture.error = "Graphviz's dot program is not installed (Debian package graphviz)"
    except graphviz.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        picture.error = "dot failed" + (f" ({detail[-1]})" if detail else "")
    return picture


def draw_all(pictures: List[Picture], jobs: Optional[int] = None) -> List[Picture]:
    """Lay every picture out, ``jobs`` dot processes at a time (default: the cores)."""
    order = sorted(pictures, key=lambda p: -p.size)
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(order) < 2:
        for picture in order:
            _draw(picture)
    else:
        with ThreadPoolExecutor(max_workers=min(jobs, len(order))) as pool:
            list(pool.map(_draw, order))
    return pictures
