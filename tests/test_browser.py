"""The built site in Debian's Chromium, through Playwright: search, a review page,
the archive filter and sort, with no console error, no failed request and no
request to any host but the local server; and a review printed to PDF (read
back with pypdf) as a clean document."""

from __future__ import annotations

import io
import re

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


# ---- print: a review page printed to PDF (the print stylesheet in pir.css) --------


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_review_prints_without_navigation_and_with_link_targets(server, browser_page):
    page, problems = browser_page
    page.goto(f"{server}reviews/{TARGET}/")
    on_screen = page.evaluate("getComputedStyle(document.querySelector('.md-header')).display")
    assert on_screen != "none"  # the rules below are print-only

    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer', '.md-search']
        .map(sel => [sel, document.querySelector(sel) ? getComputedStyle(document.querySelector(sel)).display : 'absent'])""")
    assert all(display in ("none", "absent") for _, display in hidden), hidden
    assert any(display == "none" for _, display in hidden)
    row = page.evaluate("getComputedStyle(document.querySelector('.md-typeset table tr')).breakInside")
    assert row == "avoid"
    after = page.evaluate("""() => {
        const a = [...document.querySelectorAll('.md-typeset a[href^="https://"]')][0];
        return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert after[0].rstrip('/') in after[1]

    text = pdf_text(page.pdf(format="A4", print_background=False))
    assert f"{TARGET}: Payment API database connection pool exhaustion" in text
    assert "Executive summary" in text
    flat = re.sub(r"\s+", "", text)
    assert "(https://tracker.example.com/OPS-123)" in flat  # the link's target, printed after it
    assert text.startswith(f"{TARGET}: Payment API"), text[:200]  # no header, tabs or navigation before the title
    for chrome in ("Playbooks", "Made with", "Insights"):
        assert chrome not in text, chrome
    assert not problems["foreign"] and not problems["pageerror"], problems
