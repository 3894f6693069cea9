"""The HTML report of a ~6,000-node function in a real browser: load time, time to expand a box.

    .venv/bin/python benchmarks/html_browser.py [--blocks 38] [--repeat 5] [--report FILE]

Makes the report the way a user does (``theanolint --format html -o FILE``, cold,
``--no-cache --jobs 1``, run in this process) for the ResNet-style Keras model of
benchmarks/html_report.py (``--blocks`` residual blocks; 38 give about 6,000
optimized nodes), times the renderer alone on that report's input with one dot
process at a time and with one per core (median of up to 3), or takes ``--report
FILE`` instead; then opens the report from disk in Debian's Chromium (offline, as
the browser tests do; tests/report_browser.py).  Prints, as medians of ``--repeat``
fresh pages:

- load: navigation start to the load event, and to the DOM being ready;
- first picture: navigation start until the big function's collapsed graph, scrolled
  into view after the load event, is in the page and painted;
- expand a box: a click on a box until its picture is in the page and painted,
  for the box with the largest picture and for a typical one (the median size);
- a finding: a click on a finding until its neighbourhood picture is painted;
- the page's size: the HTML file, the DOM elements after load and after all boxes
  of the function are expanded.

The times are the browser's own clock (``performance.now()``), so they exclude
Playwright's round trips.  Chromium runs headless with --disable-gpu: software
rendering, as on a CI machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
import benchutil  # noqa: E402
import report_browser  # noqa: E402

PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

TIME_CLICK = """async ([selector, index, panels]) => {
    const section = [...document.querySelectorAll("section.function")]
        .sort((a, b) => b.querySelectorAll("svg g.box").length - a.querySelectorAll("svg g.box").length)[0];
    const target = section.querySelectorAll(selector)[index];
    const start = performance.now();
    target.dispatchEvent(new MouseEvent("click", {bubbles: true}));
    if (section.querySelectorAll(".panel svg").length < panels) throw new Error("no picture opened");
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - start;
}"""

FIRST_PICTURE = """async () => {
    const sections = [...document.querySelectorAll("section.function")];
    const section = sections.sort((a, b) => b.querySelector("p.meta").textContent.split(" ")[0]
                                         - a.querySelector("p.meta").textContent.split(" ")[0])[0];
    const picture = section.querySelector(".frame.main .picture");
    picture.scrollIntoView();
    while (!picture.querySelector("svg")) await new Promise(r => setTimeout(r, 1));
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return [performance.now(), section.querySelector("h2").firstChild.textContent.trim(),
            section.querySelector("p.meta").textContent];
}"""

BOX_SIZES = """() => {
    const section = [...document.querySelectorAll("section.function")]
        .sort((a, b) => b.querySelectorAll("svg g.box").length - a.querySelectorAll("svg g.box").length)[0];
    const data = JSON.parse(section.querySelector("script.fn-data").textContent);
    return [...section.querySelectorAll(".frame.main svg g.box")].map(g => {
        const id = [...g.classList].find(c => c.startsWith("b_")).slice(2);
        const script = document.getElementById("pic-" + data.boxes[id].key);
        return script ? script.textContent.length : 0;
    });
}"""


def make_report(blocks: int, folder: str):
    """The report made by ``theanolint --format html`` in this process, and the renderer's input."""
    import html_report  # the project html_report.py measures the worker on

    import theanolint.report.html as html
    from theanolint import cli

    project = os.path.join(folder, "project")
    os.mkdir(project)
    os.environ["KERAS_HOME"] = os.path.join(folder, "keras-home")
    html_report.make_project(project, blocks, "cuda")
    path = os.path.join(project, "report.html")
    seen, real = {}, html.render

    def keep(report, *args, **kwargs):
        seen["report"] = report
        return real(report, *args, **kwargs)

    html.render, cwd = keep, os.getcwd()
    os.chdir(project)
    try:
        started = time.perf_counter()
        code = cli.main(["check", "--no-cache", "--jobs", "1", "--quiet", "--format", "html", "-o", path])
        wall = time.perf_counter() - started
    finally:
        html.render = real
        os.chdir(cwd)
    if code not in (0, 1):
        sys.exit(f"theanolint --format html failed (exit {code})")
    print(f"theanolint --format html (cold, -j 1), {blocks} residual blocks: {wall:.1f} s")
    return path, seen["report"]


def time_renderer(report, repeat: int) -> None:
    """The renderer alone, dot run one picture at a time and on every core: does the pool pay?"""
    from theanolint.report.html import render

    times = {}
    for jobs in (1, os.cpu_count() or 1):
        values = []
        for _ in range(repeat):
            started = time.perf_counter()
            render(report, jobs=jobs)
            values.append(time.perf_counter() - started)
        times[jobs] = values
        print(f"  {'renderer, ' + str(jobs) + ' dot process(es) at a time':52} {benchutil.fmt(values)}")
    serial, parallel = (statistics.median(v) for v in times.values())
    print(f"  {'speed-up of the parallel layout':52} {serial / parallel:8.2f} x")


def measure(browser, path: str) -> dict:
    with report_browser.report_page(browser, path) as (page, problems):
        timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        first, name, meta = page.evaluate(FIRST_PICTURE)
        sizes = page.evaluate(BOX_SIZES)
        order = sorted(range(len(sizes)), key=sizes.__getitem__)
        largest, typical = order[-1], order[len(order) // 2]
        elements = page.evaluate("() => document.getElementsByTagName('*').length")
        result = {
            "load": timing["loadEventEnd"],
            "dom": timing["domContentLoadedEventEnd"],
            "first": first,
            "name": name,
            "meta": meta,
            "boxes": len(sizes),
            "elements": elements,
            "largest": page.evaluate(TIME_CLICK, [".frame.main svg g.box", largest, 1]),
            "typical": page.evaluate(TIME_CLICK, [".frame.main svg g.box", typical, 2]),
            "finding": page.evaluate(TIME_CLICK, ["li.finding[data-focus]", 0, 3]),
        }
        for index in range(len(sizes)):
            page.evaluate(TIME_CLICK, [".frame.main svg g.box", index, 1])
        result["elements_open"] = page.evaluate("() => document.getElementsByTagName('*').length")
        if not problems.none():
            sys.exit(f"the page had problems: {problems.describe()}")
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=38)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--report", help="an existing HTML report instead of making one")
    args = parser.parse_args()
    problem = report_browser.missing_browser()
    if problem:
        sys.exit(problem)
    print(f"machine: {benchutil.machine()}")
    with tempfile.TemporaryDirectory(prefix="html-browser-") as scratch:
        path = args.report
        if not path:
            path, report = make_report(args.blocks, scratch)
            time_renderer(report, min(args.repeat, 3))
        size = os.path.getsize(path)
        with report_browser.chromium() as browser:
            print(f"browser: {browser.version} (headless, software rendering)")
            started = time.perf_counter()
            runs = [measure(browser, path) for _ in range(args.repeat)]
            wall = time.perf_counter() - started
    first = runs[0]
    print(
        f"report: {size / 1e6:.2f} MB; function {first['name']}: {first['meta']}; "
        f"{first['boxes']} boxes; median of {args.repeat} fresh pages ({wall:.0f} s in all)"
    )

    def row(label, key, unit="ms"):
        values = [r[key] for r in runs]
        print(f"  {label:52} {statistics.median(values):8.0f} {unit} (spread {100 * benchutil.spread(values):.0f}%)")

    row("load event (navigation start -> load)", "load")
    row("DOM ready (navigation start -> DOMContentLoaded)", "dom")
    row("navigation start -> collapsed graph painted", "first")
    row("click on the box with the largest picture -> painted", "largest")
    row("click on a typical box (median picture) -> painted", "typical")
    row("click on a finding -> its picture painted", "finding")
    row("DOM elements after load", "elements", "")
    row("DOM elements with every box expanded", "elements_open", "")


if __name__ == "__main__":
    main()
