"""Screenshots of the example project's HTML report, for the README (docs/images/).

    .venv/bin/python scripts/html_screenshots.py [OUTPUT_FOLDER]

Lints examples/ on the virtual CUDA device with ``theanolint --format html``,
opens the report in Debian's Chromium (offline, as the browser tests do) and
saves two PNGs: the overview, and the mlp.train:train section with its TL201
finding clicked (the finding's neighbourhood and the node's details).
"""

import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))
import report_browser  # noqa: E402


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "docs", "images")
    problem = report_browser.missing_browser()
    if problem:
        sys.exit(problem)
    os.makedirs(output, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="html-shots-") as scratch:
        path = os.path.join(scratch, "report.html")
        run = subprocess.run(
            [sys.executable, "-m", "theanolint", "--target", "cuda", "--format", "html", "-o", path],
            cwd=os.path.join(REPO, "examples"),
            capture_output=True,
            text=True,
        )
        if run.returncode not in (0, 1):
            sys.exit(run.stderr)
        with report_browser.chromium() as browser:
            with report_browser.report_page(browser, path, width=1280, height=760) as (page, problems):
                page.screenshot(path=os.path.join(output, "html-report-overview.png"))
                section = page.locator("section.function", has=page.locator("h2", has_text="mlp.train:train "))
                section.locator("li.finding", has_text="TL201").click()
                page.locator(".panel").first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -90)")
                page.wait_for_timeout(300)
                page.screenshot(path=os.path.join(output, "html-report-finding.png"))
                if not problems.none():
                    sys.exit(problems.describe())
    for name in ("html-report-overview.png", "html-report-finding.png"):
        print(os.path.relpath(os.path.join(output, name), REPO))


if __name__ == "__main__":
    main()
