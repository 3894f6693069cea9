"""The HTML report (``theanolint --format html``): one self-contained file that shows
each function's optimized graph with its findings, and its predicted memory over time.

``render(report) -> str``; the modules: ``model`` (the report's data indexed),
``collapse`` (boxes for big graphs, a finding's neighbourhood), ``drawing`` (the
Graphviz graphs), ``layout`` (dot in parallel, SVG trimmed for inlining),
``memplot`` (the memory plot), ``plan`` (the pictures of a function), ``page``
(the HTML), and ``static/`` (its stylesheet and script).
"""

from theanolint.report.html.page import render

__all__ = ["render"]
