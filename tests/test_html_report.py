"""The HTML report in a real browser: Debian's Chromium, offline, the report opened from disk.

Reports are made by the real CLI (``theanolint --format html -o FILE``) on real
projects: the example project on the virtual CUDA device (as the README
shows), a generated 40-layer MLP whose graph is big enough to be drawn
collapsed, and a small project with hostile names, an inline suppression and
a baseline.  Every test also checks that the page made no request but the
file itself, logged no JavaScript error and opened no dialog.
"""

import json
import re
import textwrap

import pytest
import report_browser
from conftest import EXAMPLES, theanolint

from theanolint.report.html import collapse

DEEP_MODEL = textwrap.dedent("""\
    import numpy as np
    import theano
    import theano.tensor as T

    import theanolint

    LAYERS = 40


    @theanolint.register(name="deep.mlp", shapes={"x": ("batch", 32), "y": ("batch",)})
    def deep_mlp():
        x = T.matrix("x")
        y = T.ivector("y")
        h, params = x, []
        for index in range(LAYERS):
            W = theano.shared(np.full((32, 32), 0.01, dtype="float32"), name=f"layer{index}/W")
            b = theano.shared(np.zeros(32, dtype="float32"), name=f"layer{index}/b")
            h = T.tanh(T.dot(h, W) + b)
            if index == LAYERS // 2:
                h = T.sort(h, axis=1)              # a host op deep inside: TL201
            params += [W, b]
        cost = T.nnet.categorical_crossentropy(T.nnet.softmax(h), y).mean()
        grads = T.grad(cost, params)
        updates = [(p, p - np.float32(0.01) * g) for p, g in zip(params, grads)]
        return theano.function([x, y], cost, updates=updates, name="train")
    """)

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_FUNCTION = "</script><script>alert(2)</script>"
HOSTILE_REGISTER = "hostile<b>bold</b>"
HOSTILE_MODEL = textwrap.dedent("""\
    import numpy as np
    import theano
    import theano.tensor as T

    import theanolint


    @theanolint.register(name="plain")
    def plain():
        x = T.fmatrix("x")
        return theano.function([x], T.exp(x).sum() * np.float64(2.0), name="f")
    """)
HOSTILE_EXTRA = textwrap.dedent(f"""\


    @theanolint.register(name={HOSTILE_REGISTER!r})
    def hostile():
        x = T.fmatrix("x")
        weights = theano.shared(np.ones(3, dtype="float64"), name={HOSTILE_NAME!r})
        scale = theano.shared(np.float32(1.0))  # theanolint: disable=TL301
        return theano.function([x], (x * weights).sum() * scale, name={HOSTILE_FUNCTION!r})
    """)


@pytest.fixture(scope="session")
def browser():
    problem = report_browser.missing_browser()
    if problem:
        pytest.fail(f"the browser tests need a browser: {problem}", pytrace=False)
    with report_browser.chromium() as chromium:
        yield chromium


def _html(cwd, out, *args):
    run = theanolint("--format", "html", "-o", str(out), *args, cwd=cwd)
    assert run.code in (0, 1), run.stderr
    assert out.exists(), run.stderr
    return out


@pytest.fixture(scope="session")
def example_report(tmp_path_factory):
    """The example project's report on the virtual CUDA device, and its JSON report."""
    out = _html(EXAMPLES, tmp_path_factory.mktemp("example") / "report.html", "--target", "cuda")
    run = theanolint("--target", "cuda", "--format", "json", cwd=EXAMPLES)
    return out, run.report


@pytest.fixture(scope="session")
def deep_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("deep")
    (root / "model.py").write_text(DEEP_MODEL)
    (root / ".theanolint.yaml").write_text("target: cuda\nmodules: [model]\ndims: {batch: 64}\n")
    return _html(root, root / "report.html")


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """Hostile names; 'plain' recorded in a baseline, a TL301 suppressed inline."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "model.py").write_text(HOSTILE_MODEL)
    (root / ".theanolint.yaml").write_text("target: cuda\nmodules: [model]\nbaseline: baseline.json\n")
    assert theanolint("--write-baseline", cwd=root).code == 0
    (root / "model.py").write_text(HOSTILE_MODEL + HOSTILE_EXTRA)
    return _html(root, root / "report.html")


def _open(browser, path):
    return report_browser.report_page(browser, path)


def _section(page, name):
    return page.locator("section.function").filter(
        has=page.locator("h2", has_text=re.compile("^" + re.escape(name) + " "))
    )


def _titles(locator):
    return locator.evaluate_all("gs => gs.map(g => (g.querySelector(':scope > title') || {}).textContent || '')")


def test_overview_lists_every_function_and_sorts(browser, example_report):
    path, report = example_report
    names = sorted(f["name"] for f in report["functions"])
    with _open(browser, path) as (page, problems):
        rows = page.locator("#overview-table tbody tr")
        assert sorted(rows.locator("td:first-child a").all_inner_texts()) == names
        for function in report["functions"]:
            row = rows.filter(has=page.get_by_role("link", name=function["name"], exact=True))
            assert row.locator("td").nth(1).inner_text() == str(function["nodes"])
            errors = sum(f["function"] == function["name"] and f["severity"] == "error" for f in report["findings"])
            assert row.locator("td").nth(5).inner_text() == str(errors)
        header = page.locator("#overview-table th", has_text="nodes")
        header.click()
        ascending = [int(t) for t in rows.locator("td:nth-child(2)").all_inner_texts()]
        assert ascending == sorted(ascending)
        header.click()
        assert [int(t) for t in rows.locator("td:nth-child(2)").all_inner_texts()] == sorted(ascending)[::-1]
        page.get_by_role("link", name="mlp.train:train", exact=True).click()
        assert page.evaluate("location.hash") == "#" + _section(page, "mlp.train:train").get_attribute("id")
        expect_visible = _section(page, "mlp.train:train").locator("h2")
        assert expect_visible.is_visible()
        report_browser.show_everything(page)
        assert page.locator(".picture svg").count() >= len(names)
        assert problems.none(), problems.describe()


def test_clicking_a_finding_shows_its_highlighted_node(browser, example_report):
    path, _ = example_report
    with _open(browser, path) as (page, problems):
        section = _section(page, "mlp.train:train")
        finding = section.locator("li.finding", has_text="TL201")
        finding.click()
        panel = section.locator(".panel").first
        assert "TL201 at models/mlp.py:53" in panel.locator(".panel-title").inner_text()
        primary = panel.locator("g.node.hl-primary")
        assert primary.count() == 1 and primary.is_visible()
        title = _titles(primary)[0]
        assert title.startswith("ArgSortOp") and "models/mlp.py:53" in title
        assert "TL201" in primary.locator("text").all_text_contents()
        assert section.locator(".frame.main g.node.hl-primary").count() == 1  # the whole graph too
        info = section.locator("aside.info")
        assert "ArgSortOp" in info.inner_text() and "1 host op(s) between GPU ops" in info.inner_text()
        assert problems.none(), problems.describe()


def test_nodes_are_coloured_by_device_and_tell_their_source_line(browser, example_report):
    path, _ = example_report
    with _open(browser, path) as (page, problems):
        section = _section(page, "mlp.train:train")
        section.locator(".frame.main").scroll_into_view_if_needed()
        main = section.locator(".frame.main svg")
        main.wait_for()
        fills = {
            kind: set(
                main.locator(f"g.node.k-{kind} > :is(polygon, path)").evaluate_all(
                    "shapes => shapes.map(s => s.getAttribute('fill'))"
                )
            )
            - {"none"}
            for kind in ("gpu", "host", "transfer")
        }
        assert fills == {"gpu": {"#cdebd0"}, "host": {"#fdd9ae"}, "transfer": {"#dccbf2"}}
        assert main.locator("g.node.f64").count() >= 5  # the float64 path from 'temperature'
        titles = _titles(main.locator("g.node.op"))
        lines = [t.split("\n")[2] for t in titles]
        assert all(re.fullmatch(r"models/mlp\.py:\d+( \(via .*\))?|no source line", line) for line in lines)
        assert sum(line.startswith("models/mlp.py:") for line in lines) > len(lines) * 0.8
        main.locator("g.node.k-host", has_text="ArgSortOp").click()
        assert "source line\nmodels/mlp.py:53" in section.locator("aside.info").inner_text()
        assert problems.none(), problems.describe()


def test_inner_graphs_open_from_their_outer_node(browser, example_report):
    path, report = example_report
    with _open(browser, path) as (page, problems):
        section = _section(page, "lm.train:train")
        section.locator(".frame.main").scroll_into_view_if_needed()
        outer = section.locator(".frame.main svg g.node.inner")
        assert outer.count() == 2  # the LSTM's scan and its gradient's
        outer.first.click()
        panel = section.locator(".panel").first
        assert re.search(r"scan '\w+', inner graph of ", panel.locator(".panel-title").inner_text())
        assert panel.locator("svg g.node.op").count() > 3
        assert problems.none(), problems.describe()


def test_memory_plot_marks_the_peak_its_buffers_and_the_budget(browser, example_report):
    path, _ = example_report
    with _open(browser, path) as (page, problems):
        section = _section(page, "mlp.train:train")
        plot = section.locator("svg.memplot")
        assert plot.locator("path.live").count() == 1
        assert "budget 16.00 GiB" in plot.locator("text.budget-label").text_content()
        assert plot.locator("circle.peak").count() == 1
        assert plot.locator("text.peak-label").text_content().startswith("peak ")
        rows = section.locator("table.buffers tbody tr")
        assert rows.count() > 0
        assert all(re.fullmatch(r"models/mlp\.py:\d+", t) for t in rows.locator("td:nth-child(3)").all_inner_texts())
        rows.first.click()
        node = rows.first.get_attribute("data-node")
        assert section.locator(f".frame.main g.node.n_{node}.hl-primary").count() == 1
        assert problems.none(), problems.describe()


def test_a_big_graph_is_collapsed_and_a_box_expands(browser, deep_report):
    with _open(browser, deep_report) as (page, problems):
        section = _section(page, "deep.mlp:train")
        nodes = int(section.locator("p.meta").inner_text().split()[0])
        assert nodes > collapse.COLLAPSE_ABOVE
        main = section.locator(".frame.main")
        main.scroll_into_view_if_needed()
        boxes = main.locator("svg g.box")
        assert boxes.count() >= 5 and main.locator("svg g.node.op").count() == 0
        box = boxes.filter(has_text="model.py:23").first  # the gradient's line, in several parts
        label = " ".join(box.locator("text").all_text_contents())
        ops = int(re.search(r"(\d+) ops", label).group(1))
        assert 0 < ops <= collapse.BOX_MAX
        box.click()
        panel = section.locator(".panel").first
        assert panel.locator("svg g.node.op").count() == ops
        assert "expanded" in box.get_attribute("class")
        stub = panel.locator("svg g.stub").first  # a neighbouring box opens from a stub
        stub.click()
        assert section.locator(".panel").count() == 2
        assert problems.none(), problems.describe()


def test_a_finding_inside_a_collapsed_graph_has_its_own_picture(browser, deep_report):
    with _open(browser, deep_report) as (page, problems):
        section = _section(page, "deep.mlp:train")
        section.locator("li.finding", has_text="TL201").click()
        primary = section.locator(".panel g.node.hl-primary")
        assert primary.count() == 1 and _titles(primary)[0].startswith("SortOp")
        box = section.locator(".frame.main svg g.box.hl-primary")  # the box of its primary node
        assert box.count() == 1 and "model.py:20" in " ".join(box.locator("text").all_text_contents())
        for index in range(section.locator("svg g.box").count()):  # every box's picture is there
            section.locator(".frame.main svg g.box").nth(index).click()
        assert section.locator(".panel svg").count() == section.locator(".frame.main svg g.box").count() + 1
        assert problems.none(), problems.describe()


def test_waived_findings_are_greyed_with_the_reason(browser, hostile_report):
    with _open(browser, hostile_report) as (page, problems):
        waived = page.locator("li.finding.waived")
        reasons = sorted(waived.locator(".reason").all_inner_texts())
        assert reasons == ["waived by a suppression comment in the source", "waived: recorded in the baseline"]
        for index in range(waived.count()):
            color = waived.nth(index).locator(".message").evaluate("e => getComputedStyle(e).color")
            assert color == "rgb(158, 158, 158)"
        plain = page.locator("#overview-table tbody tr", has_text="plain:f")
        assert plain.locator("td").nth(7).inner_text() == "1" and plain.locator("td").nth(5).inner_text() == "0"
        assert problems.none(), problems.describe()


def test_hostile_strings_are_shown_as_text_never_run(browser, hostile_report):
    function = f"{HOSTILE_REGISTER}:{HOSTILE_FUNCTION}"
    with _open(browser, hostile_report) as (page, problems):
        report_browser.show_everything(page)
        assert page.title() == f"theanolint report: {hostile_report.parent.name}"
        assert page.get_by_role("link", name=function, exact=True).count() == 1
        section = _section(page, function)
        messages = section.locator("li.finding .message").all_inner_texts()
        assert any(f"'{HOSTILE_NAME}'" in m for m in messages), messages
        for finding in section.locator("li.finding[data-focus]").all():
            finding.click()
        svg_text = " ".join(section.locator("svg text").all_text_contents())
        assert HOSTILE_NAME in svg_text
        assert page.locator("img, b, iframe, object, embed").count() == 0
        scripts = page.locator("script").evaluate_all("ss => ss.map(s => s.type)")
        assert scripts.count("") == 1 and set(scripts) == {"", "application/json"}
        assert json.loads(page.locator("section.function script.fn-data").first.text_content())
        assert problems.none(), problems.describe()
