"""Script injection in a real browser: the hostile fixtures, built and served
locally, opened in Debian's Chromium through Playwright.

Every payload calls alert(), so any script that ran from incident text shows
up as a dialog. The test also fails on a request to any host but the local
server (a remote image, a leaked link prefetch), a console error, a page
error or a failed request, and it checks that the payloads are on the page as
visible text, including in the search results (Pagefind's interface inserts
each excerpt as HTML) and in the terms the search marks on the page it opens.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from urllib.parse import quote

from browserhelp import need_chromium, search_for, served
from sitefixtures import PAYMENT, build_project, in_parts, make_project

pytestmark = pytest.mark.browser

HOSTILE_DIR = Path(__file__).resolve().parent / "fixtures" / "hostile"
HOSTILE_IDS = sorted(path.stem for path in HOSTILE_DIR.glob("*.yaml"))
SCRIPT = "<script>alert(1)</script>"
# Time for a late handler (onerror of an image, a deferred script) to fire.
SETTLE_MS = 300


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The hostile site served on 127.0.0.1 in a thread; yields its base URL."""
    need_chromium("the hostile browser test")
    incidents = {f"incidents/hostile/{p.name}": p.read_text(encoding="utf-8") for p in sorted(HOSTILE_DIR.glob("*.yaml"))}
    incidents["incidents/2024/INC-2024-0315-001.yaml"] = PAYMENT
    # One incident a part, so the hostile text also reaches the result list from merged parts of the index.
    project = in_parts(make_project(tmp_path_factory.mktemp("hostile-browser") / "project", incidents), 1)
    site_dir = build_project(project)
    parts = json.loads((site_dir / "pagefind" / "pir-parts.json").read_text(encoding="utf-8"))["parts"]
    assert len(parts) == len(incidents) - 1
    with served(site_dir) as url:
        yield url


def open_page(page, url: str) -> str:
    """Load a page, let late handlers fire, return the visible text of its article."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS)
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    return page.locator("article").first.inner_text()


def test_hostile_pages_show_payloads_as_text_and_run_nothing(server, browser_page):
    page, problems = browser_page

    for ident in HOSTILE_IDS:
        text = open_page(page, f"{server}reviews/{ident}/")
        assert SCRIPT in text, ident
        assert "{{ 7*7 }}" in text and '--8<-- "mkdocs.yml"' in text, ident
        assert page.get_by_text("Text after the style tag must stay visible.").first.is_visible(), ident
        assert page.get_by_text("Comment opener <!-- and the rest of the page must not vanish.").first.is_visible(), ident
        assert page.locator("article script, article iframe, article img, article object, article embed").count() == 0
        assert ident in page.title()
    assert page.title().startswith("HOSTILE-003: ")
    first = open_page(page, f"{server}reviews/HOSTILE-001/")
    assert page.title() == "HOSTILE-001: <script>alert(1)</script> <img src=x onerror=alert(2)> - Post-incident reviews"
    assert "Entities &lt;script&gt;alert(7)&lt;/script&gt; must stay as typed." in first

    reviews = open_page(page, f"{server}reviews/")
    assert "<script>alert(1)</script> <img src=x onerror=alert(2)>" in reviews
    # The archive filter matches the text as written, markup included.
    page.locator("input.pir-archive-filter").fill("<img src=x")
    visible = page.locator("table[data-pir-archive] tbody tr:not([hidden])")
    assert visible.count() == 1 and "HOSTILE-001" in visible.first.inner_text()

    items = open_page(page, f"{server}action-items/")
    assert SCRIPT in items and '"><svg onload=alert(11)>' in items

    assert problems == {"dialog": [], "foreign": [], "console": [], "pageerror": [], "failed": []}


@pytest.mark.parametrize("query,shown", [
    ("danger", '!!! danger "Admonition injection"'),
    ("onerror", "<img src=x onerror=alert(2)>"),
    ("HOSTILE-001", "HOSTILE-001: <script>alert(1)</script> <img src=x onerror=alert(2)>"),
    ("Entities", "Entities &lt;script&gt;alert(7)&lt;/script&gt; must stay as typed."),
    ("script", "<script>alert(1)</script>"),
])
def test_search_results_render_payloads_as_text(server, browser_page, query, shown):
    page, problems = browser_page
    open_page(page, server)
    results = search_for(page, query)
    results.first.wait_for(state="visible")
    page.wait_for_timeout(SETTLE_MS)
    listing = page.locator(".pagefind-ui__results")
    assert shown in listing.inner_text(), listing.inner_text()
    assert listing.locator("script, img, iframe, object, embed, style, svg, [onload], [onerror]").count() == 0
    assert page.evaluate(
        "[...document.querySelectorAll('.pir-search__panel *')]"
        ".filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
    ) == 0
    assert problems == {"dialog": [], "foreign": [], "console": [], "pageerror": [], "failed": []}


def test_a_query_with_markup_is_shown_as_typed(server, browser_page):
    page, problems = browser_page
    open_page(page, server)
    query = "<img src=x onerror=alert(31)>"
    search_for(page, query)
    page.wait_for_timeout(SETTLE_MS)
    assert query in page.locator(".pagefind-ui__message").inner_text()
    assert page.locator(".pir-search__panel img").count() == 0
    assert problems == {"dialog": [], "foreign": [], "console": [], "pageerror": [], "failed": []}


def test_a_result_opens_its_page_and_marks_the_terms_as_text(server, browser_page):
    page, problems = browser_page
    open_page(page, server)
    result = search_for(page, "onerror").filter(has_text="HOSTILE-001").first
    result.wait_for(state="visible")
    result.click()
    page.wait_for_url("**/reviews/HOSTILE-001/**")
    page.locator("article mark").first.wait_for(state="visible")
    page.wait_for_timeout(SETTLE_MS)
    assert {m.lower() for m in page.locator("article mark").all_inner_texts()} == {"onerror"}
    assert SCRIPT in page.locator("article").first.inner_text()
    # Terms in the address are only searched for, never inserted as markup.
    text = open_page(page, f"{server}reviews/HOSTILE-001/?highlight={quote('<img src=x onerror=alert(2)>')}")
    assert "<img src=x onerror=alert(2)>" in text
    assert page.locator("article img, article script").count() == 0
    assert problems == {"dialog": [], "foreign": [], "console": [], "pageerror": [], "failed": []}
