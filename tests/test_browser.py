"""The built site in Debian's Chromium, through Playwright: search, a review page,
the archive filter and sort, with no console error, no failed request and no
request to any host but the local server."""

from __future__ import annotations

import pytest

from browserhelp import need_chromium, served
from sitefixtures import SAMPLES, build_project, make_project

pytestmark = pytest.mark.browser

TARGET = "INC-2024-0315-001"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The sample site served on 127.0.0.1 in a thread; yields its base URL."""
    need_chromium("the browser test")
    root = make_project(tmp_path_factory.mktemp("browser") / "project", SAMPLES)
    site_dir = build_project(root)
    with served(site_dir) as url:
        yield url


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

    assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}
