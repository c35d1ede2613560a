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
from pir_reviews.site.html_bodies import ICONS_CSS, compact_page, icons_css, material_config, toc_tokens, trim_whitespace
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


ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'


def test_compact_page_drops_only_line_breaks_that_never_show():
    shell = (
        '<div class="md-source__icon md-icon">\n' + ICON + '\n</div>\n<div class="md-source__repository">\nrepo\n</div>\n'
        "<ul>\n<li>\n<a>one</a>\n</li>\n<li>two</li>\n</ul>\n"
        "<table>\n<tbody>\n<tr><td>a</td>\n<td>b</td></tr>\n</tbody>\n</table>\n"
        "<span>x</span>\n<span>y</span>\n<p>one\ntwo</p>\n<pre>\n  kept\n</pre>\n"
    )
    icons: dict[str, str] = {}
    out = compact_page(shell, icons)
    # Between two inline blocks (the repository icon and name) a break is a space: kept.
    assert '<div class="md-source__icon md-icon"><svg viewBox="0 0 24 24" class="pir-icon-' in out
    assert '></svg></div>\n<div class="md-source__repository">repo</div>' in out
    # Optional end tags go (an item's, a cell's, a row's); the break before the next item stays.
    assert "<ul><li><a>one</a>\n<li>two</ul>" in out
    assert "<table><tbody><tr><td>a<td>b</table>" in out
    assert "<span>x</span>\n<span>y</span>" in out and "<p>one\ntwo</p>" in out and "<pre>\n  kept\n</pre>" in out
    assert list(icons.values()) == ["M3 6h18v2H3z"]


def test_only_end_tags_that_html_lets_a_page_leave_out_are_left_out():
    kept = ("<p>a</p>\n<p>b</p>", "<dl><dt>t</dt><dd>d</dd></dl>", "<li>x</li>\n<p>",
            "<a>x</a><a>y</a>", "<span>one</span>\n<span>two</span>")
    for html in kept:
        assert compact_page(html, {}) == html, html
    table = "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>a</td></tr>\n<tr><td>b</td></tr></tbody></table>"
    assert compact_page(table, {}) == "<table><thead><tr><th>h<tbody><tr><td>a<tr><td>b</table>"
    assert compact_page("<ol><li>a</li>\n<li>b<ul><li>c</li></ul></li></ol>", {}) == "<ol><li>a\n<li>b<ul><li>c</ul></ol>"


def test_navigation_links_lose_only_the_ellipsis_span_around_a_plain_title():
    out = compact_page('<a href="../" class="md-nav__link">\n<span class="md-ellipsis">\nReviews\n</span>\n</a>\n'
                        '<div class="md-header__topic"><span class="md-ellipsis">\nTitle\n</span></div>', {})
    assert '<a href="../" class="md-nav__link">Reviews</a>' in out
    assert '<span class="md-ellipsis">\nTitle\n</span>' in out  # the header's title is still clipped


def test_icons_are_drawn_by_one_stylesheet_rule_each():
    icons: dict[str, str] = {}
    out = compact_page(f"<div>{ICON}</div><p>{ICON}</p>", icons)
    (name,) = icons
    assert out == f'<div><svg viewBox="0 0 24 24" class="{name}"></svg></div><p><svg viewBox="0 0 24 24" class="{name}"></svg></p>'
    css = icons_css(icons)
    assert f".{name}{{--pir-icon:url(\"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27" in css
    assert "M3 6h18v2H3z" in css and "mask:var(--pir-icon)" in css
    assert icons_css({}) .count("{") == 0  # no icon, no rule


def test_materials_page_configuration_keeps_what_its_scripts_read():
    page = ('<script id="__config" type="application/json">{"base": "../..", "search": "w.js", "tags": null, '
            '"translations": {"clipboard.copy": "Copy", "search.result.none": "None <b>"}}</script>')
    assert material_config(page, material_search=False) == (
        '<script id="__config" type="application/json">{"base":"../..","tags":null,'
        '"translations":{"clipboard.copy":"Copy"}}</script>')
    kept = material_config(page, material_search=True)
    assert '"search":"w.js"' in kept and '"search.result.none":"None \\u003cb\\u003e"' in kept


def test_built_pages_draw_every_icon_from_the_icon_stylesheet(built):
    review = page(built, "reviews/INC-2024-0315-001/index.html")
    assert "<path" not in review  # no inline icon left in a generated page
    css = page(built, ICONS_CSS)
    used = set(re.findall(r'<svg viewBox="0 0 24 24" class="(pir-icon-[0-9a-f]+)"></svg>', review))
    assert len(used) >= 6  # logo, menu, the two palette toggles, search, repository, edit, back to top
    assert all(f".{name}{{--pir-icon:" in css for name in used)
    assert f'href="../../{ICONS_CSS}"' in review
    assert "<path" in page(built, "notes/index.html")  # a hand-written page keeps Material's inline icons


def test_the_palette_script_is_materials_own_served_as_a_file(built):
    from importlib.resources import files

    material = (files("material") / "templates" / "partials" / "javascripts" / "palette.html").read_text(encoding="utf-8")
    inline = re.search(r"<script>(.*)</script>", material, re.S).group(1)
    assert inline in page(built, "assets/pir/palette.js")
    for url in ("reviews/INC-2024-0315-001/index.html", "notes/index.html"):
        html = page(built, url)
        assert html.count('assets/pir/palette.js"></script>') == 1 and inline not in html


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
