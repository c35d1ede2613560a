"""The built site in Debian's Chromium, through Playwright: search, a review page,
the archive filter and sort, with no console error, no failed request and no
request to any host but the local server."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitefixtures import SAMPLES, build_project, make_project

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TARGET = "INC-2024-0315-001"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The sample site served on 127.0.0.1 in a thread; yields its base URL."""
    if not CHROMIUM.exists():
        print(f"skipping the browser test: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    root = make_project(tmp_path_factory.mktemp("browser") / "project", SAMPLES)
    site_dir = build_project(root)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def browser_page(server):
    """A Chromium page that records console errors, failed requests and foreign hosts."""
    from playwright.sync_api import sync_playwright

    problems: dict[str, list[str]] = {"console": [], "failed": [], "foreign": [], "pageerror": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()

            def guard(route):
                host = urlsplit(route.request.url).hostname
                if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                    route.continue_()
                else:
                    problems["foreign"].append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.set_default_timeout(15000)
            page.on("console", lambda msg: problems["console"].append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda err: problems["pageerror"].append(str(err)))
            page.on("requestfailed", lambda req: problems["failed"].append(f"{req.url}: {req.failure}"))
            yield page, problems
        finally:
            browser.close()


def test_search_review_page_and_archive_filter(server, browser_page):
    page, problems = browser_page

    # Home, then search an incident id and open the result.
    page.goto(server)
    page.wait_for_load_state("load")
    assert "Post-incident reviews" in page.title()
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(TARGET)
    result = page.locator(f'a.md-search-result__link[href*="reviews/{TARGET}/"]').first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    page.wait_for_url(f"**/reviews/{TARGET}/**", timeout=15000)

    # The review page: title, badges, phase bar, overdue action item.
    heading = page.locator("article h1").first.inner_text()
    assert heading.startswith(f"{TARGET}: Payment API database connection pool exhaustion")
    assert page.locator(".pir-badge.pir-sev--sev2").first.is_visible()
    assert page.locator(".pir-phases__bar .pir-phase").count() >= 3
    assert "overdue" in page.locator("article").inner_text()

    # The hostile review: its title is text, in the page and in the tab.
    page.goto(server + "reviews/INC-2024-0501-666/")
    assert "<script>alert('t')</script>" in page.title()
    assert "<script>alert('t')</script>" in page.locator("article h1").first.inner_text()

    # The archive: filter by a word, then sort by date, oldest first.
    page.goto(server + "reviews/")
    rows = page.locator("table[data-pir-archive] tbody tr")
    assert rows.count() == 4
    box = page.locator("input.pir-archive-filter")
    box.fill("indexer")
    visible = page.locator("table[data-pir-archive] tbody tr:not([hidden])")
    assert visible.count() == 1
    assert "INC-2024-0402-002" in visible.first.inner_text()
    assert page.locator(".pir-archive-count").inner_text() == "1 of 4 reviews shown"
    box.fill("")
    assert visible.count() == 4
    page.locator("table[data-pir-archive] thead button", has_text="Date").click()
    assert "INC-2023-1201-001" in rows.first.inner_text()
    page.locator("table[data-pir-archive] thead button", has_text="Date").click()
    assert "INC-2024-0501-666" in rows.first.inner_text()
    page.locator("table[data-pir-archive] thead button", has_text="Severity").click()
    assert "INC-2023-1201-001" in rows.first.inner_text()  # the only SEV1

    assert problems == {"console": [], "failed": [], "foreign": [], "pageerror": []}
