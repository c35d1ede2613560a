"""A review page printed from Chromium: a clean document (the print stylesheet in pir.css).

The page is printed to PDF through Playwright and the PDF's text is read
back with pypdf; the print rules are also checked as computed styles under
print media emulation.
"""

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
    need_chromium("the print test")
    root = make_project(tmp_path_factory.mktemp("print") / "project", SAMPLES)
    with served(build_project(root)) as url:
        yield url


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
