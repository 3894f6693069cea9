"""Open HTML reports in Debian's Chromium, driven by Playwright, with networking off.

Shared by tests/test_html_report.py, benchmarks/html_browser.py and
scripts/html_screenshots.py.  Playwright's own browser download is never
used: the browser is /usr/bin/chromium from Debian (``./scripts/dev test``
installs it).  Every page records what a person's browser would show as a
problem: requests other than the report file itself, uncaught JavaScript
errors, console errors, and dialogs (an ``alert`` a hostile string made).
"""

import contextlib
import importlib.util
import os
import pathlib
from dataclasses import dataclass, field
from typing import List

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_browser() -> str:
    """Why the browser cannot start, or ''."""
    if not os.path.exists(CHROMIUM):
        return (
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(./scripts/dev test does); Playwright's own browser download is not used"
        )
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is missing: pip install -r requirements/test.txt"
    return ""


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium, for the duration of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Problems:
    url: str
    requests: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    dialogs: List[str] = field(default_factory=list)

    def foreign_requests(self) -> List[str]:
        return [r for r in self.requests if r != self.url]

    def describe(self) -> str:
        return (
            f"requests other than the report: {self.foreign_requests()}; "
            f"JavaScript errors: {self.errors}; dialogs: {self.dialogs}"
        )

    def none(self) -> bool:
        return not (self.foreign_requests() or self.errors or self.dialogs)


@contextlib.contextmanager
def report_page(browser, path, width: int = 1400, height: int = 1000):
    """The report at ``path`` opened from disk in an offline context: (page, problems)."""
    url = pathlib.Path(path).resolve().as_uri()
    context = browser.new_context(offline=True, viewport={"width": width, "height": height})
    # The panels are laid out in the page's script on a click; on CI's two loaded
    # cores that took longer than Playwright's 30 s default once, so wait longer.
    context.set_default_timeout(120_000)
    page = context.new_page()
    problems = Problems(url)
    page.on("request", lambda request: problems.requests.append(request.url))
    page.on("pageerror", lambda error: problems.errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: problems.errors.append(f"console: {message.text}") if message.type == "error" else None,
    )

    def dialog(d):
        problems.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    try:
        page.goto(url, wait_until="load")
        yield page, problems
    finally:
        context.close()


def show_everything(page) -> None:
    """Scroll through the whole page, so every lazily drawn picture is inserted."""
    page.evaluate("""async () => {
        for (let y = 0; y <= document.body.scrollHeight; y += window.innerHeight / 2) {
            window.scrollTo(0, y);
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        }
        window.scrollTo(0, 0);
    }""")
