"""The hand-off of pre-rendered HTML bodies to MkDocs (site/html_bodies.py, render/prerendered.py).

Real builds: a hand-written page that links into a review by anchor, a
review page's table of contents and links as MkDocs built them, and a
generated page that links to a page that does not exist, which must fail
the strict build exactly as a broken Markdown link does.
"""

from __future__ import annotations

import re

import pytest

from pir_reviews.core.errors import BuildFailed
from pir_reviews.render import prerendered
from pir_reviews.render.headings import slug, unique_id
from pir_reviews.site.html_bodies import toc_tokens, trim_whitespace
from sitefixtures import SAMPLES, build_project, make_project, page


def test_headings_are_python_markdowns_ids():
    assert slug("INC-2024-0315-001: Payment API — pool <exhaustion> & 50%") == "inc-2024-0315-001-payment-api-pool-exhaustion-50"
    assert slug("Where we got lucky") == "where-we-got-lucky"
    assert unique_id("timeline", {"timeline"}) == "timeline_1"
    assert unique_id("timeline", {"timeline", "timeline_1"}) == "timeline_2"
    assert unique_id("", set()) == "_1"


def test_toc_nests_second_level_under_the_title_and_skips_deeper_headings():
    body = (
        '<h1 id="t">A &amp; B<a class="headerlink" href="#t">&para;</a></h1>'
        '<h2 id="one">One<a class="headerlink" href="#one">&para;</a></h2>'
        '<h3 id="deep">Deep<a class="headerlink" href="#deep">&para;</a></h3>'
        '<h2 id="two">Two<a class="headerlink" href="#two">&para;</a></h2>'
    )
    tokens = toc_tokens(body)
    assert [(t["id"], t["name"]) for t in tokens] == [("t", "A &amp; B")]
    assert [c["id"] for c in tokens[0]["children"]] == ["one", "two"]


def test_trim_whitespace_keeps_pre_script_textarea_and_style_exactly():
    kept = "<pre>  a\n\n    b</pre>\n<script>\n  if (x) {\n    y();\n  }\n</script>\n<textarea>\n  t\n</textarea><style>\n  p { }\n</style>"
    text = "<div>\n    <p>one\n\n\n     two</p>\n  </div>\n" + kept + "\n   <b>x</b>"
    out = trim_whitespace(text)
    assert "<div>\n<p>one\ntwo</p>\n</div>\n" in out
    for block in ("<pre>  a\n\n    b</pre>", "<script>\n  if (x) {\n    y();\n  }\n</script>",
                  "<textarea>\n  t\n</textarea>", "<style>\n  p { }\n</style>"):
        assert block in out
    assert out.endswith("\n<b>x</b>")


def test_the_page_format_carries_the_flag_and_a_safe_title():
    text = prerendered.page('a "title"\n---\nhide: x', "<p>x</p>", edit_url="https://example.com/e")
    head, body = text[4:].split("\n---\n", 1)
    assert head.splitlines() == ['title: "a \\"title\\"\\n---\\nhide: x"', "pir_generated: true", "pir_html: true",
                                 'pir_edit_url: "https://example.com/e"']
    assert body == "<p>x</p>"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    link = "See [the timeline](reviews/INC-2024-0315-001.md#timeline) of the payment outage.\n"
    root = make_project(tmp_path_factory.mktemp("html"), SAMPLES, extra={"docs/notes.md": "# Notes\n\n" + link})
    return build_project(root)


def test_review_links_and_toc_come_out_as_site_urls(built):
    html = page(built, "reviews/INC-2024-0315-001/index.html")
    article = html[html.index("<article"):html.index("</article>")]
    assert 'href="../"' in article  # All reviews: reviews/index.md
    assert ".md\"" not in article and ".md#" not in article
    related = re.findall(r'<a href="\.\./(INC-[0-9-]+)/">', article)
    assert related, "no link to another review was rewritten"
    for other in related:
        assert (built / "reviews" / other / "index.html").is_file()
    sidebar = html[html.index("md-sidebar--secondary"):html.index("<article")]
    toc = re.findall(r'href="#([a-z0-9_-]+)"', sidebar)
    assert toc[:3] == ["phases", "executive-summary", "overview"]
    assert "lead-up" not in toc and "detection" not in toc  # phase headings stay out of the sidebar
    assert 'id="lead-up"' in article or 'id="detection"' in article


def test_a_hand_written_page_links_into_a_review_by_anchor(built):
    html = page(built, "notes/index.html")
    assert 'href="../reviews/INC-2024-0315-001/#timeline"' in html


def test_generated_pages_lose_the_indentation_and_hand_written_pages_keep_it(built):
    review = page(built, "reviews/INC-2024-0315-001/index.html")
    notes = page(built, "notes/index.html")
    assert not re.search(r"\n[ \t]+<", review.split("<script", 1)[0])
    assert re.search(r"\n[ \t]+<", notes)


def test_a_link_to_a_missing_page_fails_the_strict_build(tmp_path):
    root = make_project(tmp_path, {})
    generated = root / "docs" / "broken.md"
    generated.write_text(prerendered.page("Broken", '<h1 id="b">Broken<a class="headerlink" href="#b">&para;</a></h1>\n'
                                                    '<p><a href="reviews/NOPE-1.md">gone</a></p>\n'), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_project(root)
    assert "reviews/NOPE-1.md" in str(failure.value)


def _sidebars(site_dir):
    found = {}
    for path in sorted(site_dir.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        found[path.relative_to(site_dir).as_posix()] = html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]
    return found


def test_the_shared_sidebar_is_rendered_once_per_depth_and_is_materials_own(tmp_path, monkeypatch):
    from pir_reviews.site.mkdocs_plugin import PirPlugin

    rendered = []
    original = PirPlugin._memo

    def counting(self, key, caller):
        return original(self, key, lambda: rendered.append(key) or caller())

    monkeypatch.setattr(PirPlugin, "_memo", counting)
    shared = _sidebars(build_project(make_project(tmp_path / "shared", SAMPLES)))
    assert sorted(rendered) == sorted(set(rendered)), "a sidebar was rendered twice for one key"
    assert len(rendered) < len([p for p in shared if p.startswith(("reviews/INC", "browse/"))])

    monkeypatch.setattr(PirPlugin, "_memo", lambda self, key, caller: caller())
    each = _sidebars(build_project(make_project(tmp_path / "each", SAMPLES)))
    assert shared == each
