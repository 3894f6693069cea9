"""Assemble the one self-contained HTML file: overview, one section per function, pictures.

Everything is inline: the stylesheet and script (package data next to this
module), the memory plots, and every picture's SVG as a JSON string in an
inert <script type="application/json"> that the page's script inserts only
when a picture is shown, so a report with thousands of nodes loads quickly.
A Content-Security-Policy forbids every network request.  Every string from
the report is escaped: ``html.escape`` in markup, ``_script_json`` inside
<script> elements (no "</" or "<!" survives there).
"""

import html
import json
from importlib import resources
from typing import Dict, List, Optional

from theanolint.report.html import collapse, layout, memplot, plan
from theanolint.report.html.model import Function, build, location
from theanolint.report.memory import size

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
WAIVED = {"inline": "waived by a suppression comment in the source", "baseline": "waived: recorded in the baseline"}


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _script_json(value) -> str:
    """JSON that can sit inside a <script> element whatever strings it holds."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


def _static(name: str) -> str:
    return resources.files("theanolint.report.html").joinpath("static", name).read_text(encoding="utf-8")


def render(report: Dict, jobs: Optional[int] = None) -> str:
    """The HTML report of ``report`` (see the module ``theanolint.report.html``)."""
    functions, loose = build(report)
    plans = [plan.plan(function) for function in functions]
    layout.draw_all([picture for p in plans for picture in p.pictures], jobs)
    return "".join(_page(report, functions, loose, plans))


def _page(report: Dict, functions: List[Function], loose: List[Dict], plans) -> List[str]:
    root = report.get("root") or "project"
    out = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>theanolint report: {_e(root)}</title>",
        f"<style>\n{_static('report.css')}</style></head>\n<body>",
    ]
    out += _header(report, functions, loose)
    errors = sorted({picture.error for p in plans for picture in p.pictures if picture.error})
    if errors:
        out.append(f'<p class="banner">Some pictures were not drawn: {_e("; ".join(errors[:3]))}</p>')
    out += _overview(functions)
    if loose:
        out.append('<section id="other-findings"><h2>Findings outside any function</h2><ul class="findings">')
        out += [_finding_item(None, index, finding) for index, finding in enumerate(loose)]
        out.append("</ul></section>")
    for function, function_plan in zip(functions, plans):
        out += _section(function, function_plan)
    out.append('<div id="pictures" hidden>')
    for function_plan in plans:
        for picture in function_plan.pictures:
            if picture.svg:
                out.append(
                    f'<script type="application/json" id="pic-{_e(picture.key)}">{_script_json(picture.svg)}</script>\n'
                )
    out.append(f"</div>\n<script>\n{_static('report.js')}</script>\n</body></html>\n")
    return out


def _counts(report: Dict, functions: List[Function], loose: List[Dict]) -> Dict[str, int]:
    """Problems, as the other formats count them (a problem in 3 functions is 1), else findings."""
    if "problems" in report:
        return dict(report["problems"])
    counts = {"error": 0, "warning": 0, "waived": 0}
    for function in functions:
        for key, value in function.counts().items():
            counts[key] += value
    for finding in loose:
        counts["waived" if finding.get("waived") else "error" if finding.get("severity") == "error" else "warning"] += 1
    return counts


def _header(report: Dict, functions: List[Function], loose: List[Dict]) -> List[str]:
    counts = _counts(report, functions, loose)
    return [
        f'<header><h1>theanolint report <span class="root">{_e(report.get("root") or "")}</span></h1>',
        f'<p class="meta">{len(functions)} function(s) on {_e(report.get("target") or "?")} · '
        f'<span class="sev-error">{counts["error"]} error(s)</span> · '
        f'<span class="sev-warning">{counts["warning"]} warning(s)</span> · '
        f'<span class="waived">{counts["waived"]} waived</span> · '
        f"theanolint {_e(report.get('version') or '')}</p></header>",
    ]


def _cell(sort, text: str, klass: str = "") -> str:
    klass_attr = f' class="{klass}"' if klass else ""
    return f'<td data-sort="{_e("" if sort is None else sort)}"{klass_attr}>{text}</td>'


def _overview(functions: List[Function]) -> List[str]:
    out = [
        '<section id="overview"><h2>Functions</h2>',
        '<p class="hint">Click a column header to sort; click a name to go to its graph.</p>',
        '<table class="sortable" id="overview-table"><thead><tr>',
        "".join(
            f'<th data-type="{kind}" tabindex="0" title="sort">{_e(name)}</th>'
            for name, kind in (
                ("function", "text"),
                ("nodes", "number"),
                ("on the GPU", "number"),
                ("transfers / call", "number"),
                ("peak memory / budget", "number"),
                ("errors", "number"),
                ("warnings", "number"),
                ("waived", "number"),
            )
        ),
        "</tr></thead><tbody>",
    ]
    for function in functions:
        share = function.gpu_share()
        transfers = function.transfers()
        peak = function.peak()
        counts = function.counts()
        moved = f" · {_e(size(transfers['bytes']))}" if transfers.get("bytes") is not None else ""
        if peak["live"] is None:
            memory, ratio = "unknown", None
        else:
            ratio = peak["live"] / peak["budget"] if peak["budget"] else None
            used = "<0.1%" if ratio is not None and ratio < 0.001 else f"{ratio:.1%}" if ratio is not None else ""
            memory = f"{_e(size(peak['live']))}" + (
                f" / {_e(size(peak['budget']))} ({used})" if ratio is not None else ""
            )
        name = f'<a href="#{function.anchor}">{_e(function.name)}</a>'
        if function.summary.get("error"):
            name += ' <span class="badge sev-error">build failed</span>'
        out.append(
            "<tr>"
            + "".join(
                [
                    _cell(function.name, name),
                    _cell(function.summary.get("nodes"), _e(function.summary.get("nodes", "—"))),
                    _cell(share, f"{share:.0%}" if share is not None else "—"),
                    _cell(
                        transfers.get("count"),
                        ("≥ " if transfers.get("exact") is False else "") + f"{_e(transfers.get('count', '—'))}{moved}",
                    ),
                    _cell(
                        ratio if ratio is not None else peak["live"],
                        memory,
                        "over" if ratio is not None and ratio > 1 else "",
                    ),
                    _cell(counts["error"], str(counts["error"]), "sev-error" if counts["error"] else ""),
                    _cell(counts["warning"], str(counts["warning"]), "sev-warning" if counts["warning"] else ""),
                    _cell(counts["waived"], str(counts["waived"]), "waived" if counts["waived"] else ""),
                ]
            )
            + "</tr>"
        )
    out.append("</tbody></table></section>")
    return out


def _finding_item(function: Optional[Function], index: int, finding: Dict, focus: str = "") -> str:
    waived = finding.get("waived")
    classes = ["finding", f"sev-{finding.get('severity', 'warning')}"] + (["waived"] if waived else [])
    attrs = f' data-finding="{index}"' + (f' data-focus="{_e(focus)}" tabindex="0"' if focus else "")
    inside = f' <span class="scope">(inside {_e(finding["scope"])})</span>' if finding.get("scope") else ""
    reason = f' <span class="reason">{_e(WAIVED.get(waived, "waived: " + str(waived)))}</span>' if waived else ""
    show = ' <span class="show">show in graph ▸</span>' if focus else ""
    return (
        f'<li class="{" ".join(classes)}"{attrs}><span class="code">{_e(finding.get("code"))}</span> '
        f'<span class="where">{_e(location(finding))}</span> '
        f'<span class="message">{_e(finding.get("message"))}</span>{inside}{reason}{show}</li>'
    )


def _section(function: Function, function_plan) -> List[str]:
    summary = function.summary
    out = [
        f'<section class="function" id="{function.anchor}" data-fn="{function.index}">',
        f"<h2>{_e(function.name)} <small>registered at {_e(summary.get('register', '?'))}</small></h2>",
        f'<p class="meta">{_e(summary.get("nodes", "?"))} nodes, {_e(summary.get("gpu_nodes", "?"))} on '
        f"the GPU, {_e(function.transfers().get('count', '?'))} transfer(s) per call</p>",
    ]
    if function.findings:
        out.append('<h3>Findings</h3><ul class="findings">')
        out += [
            _finding_item(function, f.index, f.data, function_plan.focus.get(f.index, "")) for f in function.findings
        ]
        out.append("</ul>")
    out += _memory(function)
    out += _graph(function, function_plan)
    out.append(f'<script type="application/json" class="fn-data">{_script_json(function_plan.data())}</script>')
    out.append("</section>")
    return out


def _memory(function: Function) -> List[str]:
    exported = (function.picture or {}).get("memory")
    out = ["<h3>Memory</h3>"]
    if exported and exported.get("steps"):

        def describe(node_id):
            item = function.items.get(node_id, {})
            return f"after {item.get('op', '?')} ({location(item) or 'no source line'})"

        out.append(f'<div class="memory">{memplot.plot(exported, describe)}')
        buffers = memplot.peak_buffers(exported)
        if buffers:
            out.append(
                '<table class="buffers"><caption>The largest buffers live at the peak</caption>'
                "<thead><tr><th>bytes</th><th>made by</th><th>source line</th></tr></thead><tbody>"
            )
            for buffer in buffers:
                item = function.items.get(buffer.get("node"), {})  # type: ignore[arg-type]  # None finds {}
                what = item.get("op", buffer.get("node"))
                if buffer.get("transient"):
                    what = f"working set of one step of {what}"
                out.append(
                    f'<tr data-node="{_e(buffer.get("node"))}"><td>{_e(size(buffer.get("bytes") or 0))}</td>'
                    f'<td class="op" title="{_e(what)}">{_e(what)}</td>'
                    f"<td>{_e(location(buffer) or '—')}</td></tr>"
                )
            out.append("</tbody></table>")
        out.append("</div>")
    elif function.memory and "peak_gpu" in function.memory:
        out.append(
            f"<p>Predicted peak GPU working set {_e(size(function.memory['peak_gpu']))} "
            f"(budget {_e(size(function.memory.get('budget') or 0))}); no schedule exported.</p>"
        )
    else:
        out.append(
            '<p class="none">No prediction: the input shapes are unknown (declare shapes= at '
            "registration or give the inputs test values).</p>"
        )
    return out


def _graph(function: Function, function_plan) -> List[str]:
    out = ["<h3>Optimized graph</h3>"]
    if not function.scopes:
        out.append('<p class="none">No graph: the function was not optimized.</p>')
        return out
    outer = next(iter(function.scopes.values()))
    if outer.id in function_plan.collapsed:
        out.append(
            f'<p class="hint">{len(outer.nodes)} nodes: drawn collapsed, one box per source line '
            f"(a line with more than {collapse.BOX_MAX} ops in several). Click a box to expand "
            "it.</p>"
        )
    inner = [scope for scope in function.scopes.values() if scope.parent]
    if inner:
        out.append(
            '<p class="inner-list">Inner graphs: '
            + " ".join(
                f'<button type="button" class="open-picture" data-picture="{_e(function_plan.main[s.id])}">'
                f"{_e(s.label)}</button>"
                for s in inner
            )
            + "</p>"
        )
    out.append(_LEGEND)
    main = function_plan.main[outer.id]
    error = next((p.error for p in function_plan.pictures if p.key == main and p.error), "")
    out.append(
        '<div class="graph-area"><div class="pictures"><div class="panels"></div>'
        f'<div class="frame main"><div class="picture lazy" data-picture="{_e(main)}">'
        f"{'not drawn: ' + _e(error) if error else 'drawing…'}</div></div></div>"
        '<aside class="info" aria-live="polite"><p class="hint">Click a node to see its op, '
        "source line and findings.</p></aside></div>"
    )
    return out


_LEGEND = (
    '<p class="legend"><span class="swatch k-gpu">GPU op</span><span class="swatch k-host">host op</span>'
    '<span class="swatch k-transfer">transfer</span><span class="swatch f64">float64</span>'
    '<span class="swatch sev-error">error finding</span><span class="swatch sev-warning">warning'
    '</span><span class="swatch waived">waived</span></p>'
)
