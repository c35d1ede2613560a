"""The built site in Debian's Chromium, through Playwright: search, a review page,
the archive filter and sort, with no console error, no failed request and no
request to any host but the local server; a review printed to PDF (read
back with pypdf) as a clean document. The search is also tried where
the README sends people: under a sub-path as on GitHub Pages, under
`pir serve`, and from disk, where it must say to use `pir serve`."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from browserhelp import RESULT, free_port, need_chromium, search_for, served, watched_page
from sitefixtures import AS_OF, SAMPLES, build_project, in_parts, make_project

pytestmark = pytest.mark.browser

TARGET = "INC-2024-0315-001"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    need_chromium("the browser test")
    root = make_project(tmp_path_factory.mktemp("browser") / "project", SAMPLES)
    return build_project(root)


@pytest.fixture(scope="module")
def server(built_site):
    """The sample site served on 127.0.0.1 in a thread; yields its base URL."""
    with served(built_site) as url:
        yield url


def test_search_review_page_and_archive_filter(server, browser_page):
    page, problems = browser_page

    # Home, then search an incident id and open the result.
    page.goto(server)
    page.wait_for_load_state("load")
    assert "Post-incident reviews" in page.title()
    results = search_for(page, TARGET)
    result = results.filter(has_text="Payment API database connection pool exhaustion").first
    result.wait_for(state="visible")
    assert result.get_attribute("href").startswith(f"/reviews/{TARGET}/?highlight=")
    result.click()
    page.wait_for_url(f"**/reviews/{TARGET}/**", timeout=15000)
    # The term searched is marked on the page the result opened.
    page.locator("article mark").first.wait_for(state="visible")
    assert page.locator("article mark").first.inner_text() == TARGET

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


@pytest.mark.parametrize("field,query", [
    ("id", TARGET),
    ("title", "exhaustion"),
    ("service", "checkout-service"),
    ("tag", "deployment"),
    ("summary", "ran out of database connections"),
    ("root cause", "halved"),
])
def test_search_finds_an_incident_by_each_field(server, browser_page, field, query):
    page, problems = browser_page
    page.goto(server + "playbooks/")
    results = search_for(page, query)
    mine = results.filter(has_text=f"{TARGET}: Payment API database connection pool exhaustion")
    mine.first.wait_for(state="visible")
    # The words found are marked in the excerpt.
    excerpt = page.locator(".pagefind-ui__result-excerpt").first
    assert excerpt.locator("mark").count() >= 1
    assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}


def test_search_finds_the_handwritten_pages(server, browser_page):
    page, problems = browser_page
    page.goto(server)
    results = search_for(page, "fishbone")
    results.first.wait_for(state="visible")
    assert results.count() == 1 and results.first.inner_text() == "RCA frameworks"
    results.first.click()
    page.wait_for_url("**/playbooks/rca-frameworks/**")
    assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}


def test_search_works_under_a_sub_path(built_site, tmp_path):
    """Published on GitHub Pages the site lives under /<repository>/."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "post-incident-reviews").symlink_to(built_site, target_is_directory=True)
    with served(www) as url, watched_page() as (page, problems):
        page.goto(url + "post-incident-reviews/reviews/")
        result = search_for(page, "indexer").first
        result.wait_for(state="visible")
        assert result.get_attribute("href").startswith("/post-incident-reviews/reviews/INC-2024-0402-002/")
        result.click()
        page.wait_for_url("**/post-incident-reviews/reviews/INC-2024-0402-002/**")
        assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}


def test_search_merges_the_parts_of_a_large_archive_index(tmp_path):
    """A large archive's index comes in parts; here one incident a part, published under a sub-path."""
    root = in_parts(make_project(tmp_path / "project", SAMPLES), 1)
    site_dir = build_project(root)
    parts = json.loads((site_dir / "pagefind" / "pir-parts.json").read_text(encoding="utf-8"))["parts"]
    assert parts == ["part1/", "part2/", "part3/"]
    www = tmp_path / "www"
    www.mkdir()
    (www / "post-incident-reviews").symlink_to(site_dir, target_is_directory=True)
    with served(www) as url, watched_page() as (page, problems):
        page.goto(url + "post-incident-reviews/")
        # Each incident is found, whichever part holds it (they are dealt in id order).
        for ident in ("INC-2023-1201-001", "INC-2024-0315-001", "INC-2024-0402-002", "INC-2024-0501-666"):
            found = search_for(page, ident).filter(has_text=ident)
            found.first.wait_for(state="visible")
            assert found.first.get_attribute("href").startswith(f"/post-incident-reviews/reviews/{ident}/?highlight=")
        # One list from two parts, and a hand-written page from the first part.
        results = search_for(page, "database")
        page.locator(".pagefind-ui__message").filter(has_text="2 results").wait_for(state="visible")
        assert sorted(link.inner_text().split(":")[0] for link in results.all()) == ["INC-2024-0315-001", "INC-2024-0402-002"]
        assert search_for(page, "fishbone").first.inner_text() == "RCA frameworks"
        # A result from a later part opens its page with the word marked.
        search_for(page, "indexer").filter(has_text="INC-2024-0402-002").first.click()
        page.wait_for_url("**/post-incident-reviews/reviews/INC-2024-0402-002/**")
        page.locator("article mark").first.wait_for(state="visible")
        assert page.locator("article mark").first.inner_text().lower() == "indexer"
        assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}


def test_search_from_disk_says_to_use_pir_serve(built_site):
    with watched_page(local_files=True) as (page, problems):
        page.goto((built_site / "index.html").as_uri())
        page.locator("details.pir-search > summary").click()
        note = page.locator('[data-pir-search-note="file"]')
        note.wait_for(state="visible")
        assert "pir serve" in note.inner_text()
        assert page.locator("input.pagefind-ui__search-input").count() == 0
        assert problems == {"dialog": [], "console": [], "failed": [], "foreign": [], "pageerror": []}


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pir serve exited with {process.returncode}: {process.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "pagefind/pagefind-entry.json", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"pir serve did not answer at {url} within {timeout_s} s")


def test_search_works_under_pir_serve(tmp_path):
    """mkdocs serve builds into a temporary folder; the plugin indexes that one too."""
    need_chromium("the pir serve search test")
    root = make_project(tmp_path / "project", SAMPLES)
    port = free_port()
    command = [sys.executable, "-m", "pir_reviews.cli", "serve", "--root", str(root), "--as-of", AS_OF.isoformat(),
               "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = f"http://127.0.0.1:{port}/"  # pir serve serves at the root, whatever path site_url has
        wait_until_up(url, process)
        with watched_page() as (page, problems):
            page.goto(url)
            result = search_for(page, "certificate").first
            result.wait_for(state="visible")
            assert "INC-2023-1201-001" in result.inner_text()
            result.click()
            page.wait_for_url("**/reviews/INC-2023-1201-001/**")
            assert problems["dialog"] == [] and problems["foreign"] == [] and problems["pageerror"] == []
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
