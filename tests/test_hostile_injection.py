"""Script injection (issue 6): hostile incident text must reach the site as text.

One site is built from the hostile fixtures (tests/fixtures/hostile/), one
incident written here for what they leave out (ODD) and one normal incident. A second, harmless build is the reference: the same
incidents with every punctuation character of their free text replaced by
" x ", so that its pages have the same structure and none of the payloads.
Every generated page, the search records, the feed, the JSON export and every
SVG of the hostile build is then checked: no script or event handler comes
from the text, nothing is fetched from another host, no extra cell, heading or
code block appears, and every payload shows character for character.
"""

from __future__ import annotations

import html
import json
import re
import string
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from pir_reviews.render import escape
from loadhelp import VALID, first_error, problems_of
from sitefixtures import PAYMENT, build_project, make_project

HOSTILE_DIR = Path(__file__).resolve().parent / "fixtures" / "hostile"

# What the fixtures leave out: payloads in free-form keys, a file name that
# ends up in the edit link, look-alike and invisible characters, typed
# backslash escapes and numeric entities, line and paragraph separators.
ODD = r"""
id: ODD-001
title: "--- : # & *a !tag %YAML '\"`~ ${x} @@ \uff1cscript\uff1e \\ \\\\ [TOC]"
severity: sev3
summary: "line one\u2028line two\u2029 <scr\u00adipt>alert(21)</script> \\<script\\>alert(22)\\</script\\> &#60;script&#62;alert(23) &amp;lt; \\\\<b>x</b>"
services: ["odd\\\\<b>", "\uff21\uff22\uff23"]
tags: ["[TOC]"]
started_at: 2024-06-01T10:00:00Z
timeline:
  - at: 2024-06-01T10:00:00Z
    severity: "<script>alert(24)</script>"
    message: "    indented code?\n\n        more\n* bullet\n1. number\n2) other\n> quote\n- - -\n===\n??? details\n<div markdown=\"1\">*md in html*</div>"
extra:
  "<script>alert(25)</script>": "{: #x onclick=alert(26) }"
  "[k](javascript:alert(27))": ["<svg/onload=alert(28)>"]
  "{{ 7*7 }}": {"<b>": "&lt;"}
"""
HOSTILE = {f"incidents/hostile/{p.name}": p.read_text(encoding="utf-8") for p in sorted(HOSTILE_DIR.glob("*.yaml"))}
HOSTILE["incidents/odd/a\"b <c>'d&e.yaml"] = ODD
HOSTILE_IDS = sorted(yaml.load(text, Loader=yaml.BaseLoader)["id"] for text in HOSTILE.values())
NORMAL = {"incidents/2024/INC-2024-0315-001.yaml": PAYMENT}
SITE_NAME = "Post-incident reviews"

# Fields whose values are not free text: kept as they are in the harmless twin
# and not expected to show as visible text.
NOT_TEXT = {
    "id", "severity", "status", "review_status", "type", "category", "priority", "due",
    "link", "url", "at", "started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at",
}
NUMBERS = {"users_affected_pct", "revenue_usd", "customer_escalations"}

# The archive-wide pages that exist in both builds under the same URL.
INDEX_PAGES = ["", "reviews/", "action-items/", "insights/", "browse/", "browse/severity/sev2/", "browse/years/2024/"]
REVIEW_PAGES = [f"reviews/{ident}/" for ident in HOSTILE_IDS]
# The pages of the shared fixtures, which all carry the same set of payloads.
FIXTURE_PAGES = [url for url in REVIEW_PAGES if url.startswith("reviews/HOSTILE-")]

# Elements no incident text may ever produce inside the content area.
ACTIVE = {"script", "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "form",
          "input", "textarea", "button", "meta", "link", "math", "img", "video", "audio", "source",
          "template", "noscript", "foreignobject"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
SVG_ELEMENTS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "title", "desc"}
RSS_ELEMENTS = {"rss", "channel", "title", "link", "description", "language", "item", "guid", "pubDate", "category"}


# ---- the two builds --------------------------------------------------------------


def harmless(text: str) -> str:
    """The text with no punctuation left: same lines, same paragraphs, same words."""
    if re.fullmatch(r"[\w\- ]*", text):
        return text  # names like "payment-api" stay, so shared services stay shared
    return "".join(" x " if ch in string.punctuation else ch for ch in text)


def _twin(value, key: str | None = None):
    """The harmless twin of a value read with yaml.BaseLoader (all scalars are strings)."""
    if isinstance(value, dict):
        return {k: _twin(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_twin(v, key) for v in value]
    if key in NUMBERS:
        return float(value) if "." in value else int(value)
    if key in NOT_TEXT:
        return value
    return harmless(value)


def raw(text: str) -> dict:
    """An incident file as plain strings, exactly as its author wrote them."""
    return yaml.load(text, Loader=yaml.BaseLoader)


INCIDENTS = sorted((raw(text) for text in HOSTILE.values()), key=lambda i: i["id"])


def _build(root: Path, incidents: dict[str, str]) -> Path:
    return build_project(make_project(root, {**incidents, **NORMAL}))


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    _build(root, HOSTILE)
    return root


@pytest.fixture(scope="module")
def site(hostile_root) -> Path:
    return hostile_root / "site"


@pytest.fixture(scope="module")
def twin_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("harmless") / "project"
    # JSON is YAML; a quoted timestamp, day or choice is read like a plain one.
    files = {rel: json.dumps(_twin(raw(text)), ensure_ascii=False) for rel, text in HOSTILE.items()}
    return _build(root, files)


# ---- reading HTML ----------------------------------------------------------------


class Page(HTMLParser):
    """What the checks need from one HTML document."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], bool, bool]] = []  # tag, attrs, in article, in svg
        self.scripts: list[tuple[str | None, str]] = []
        self.title = ""
        self.article_text: list[str] = []
        self._article = 0
        self._svg = 0
        self._script: list[str] | None = None
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg":
            self._svg += 1
        self.elements.append((tag, attributes, self._article > 0, self._svg > 0))
        if tag == "article":
            self._article += 1
        elif tag == "script":
            self._script = []
            self.scripts.append((attributes.get("src"), ""))
        elif tag == "title" and not self._svg:
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        elif tag == "svg":
            self._svg = max(0, self._svg - 1)
        elif tag == "script" and self._script is not None:
            src, _ = self.scripts[-1]
            self.scripts[-1] = (src, "".join(self._script))
            self._script = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if self._in_title:
            self.title += data
        if self._article > 0:
            self.article_text.append(data)

    @property
    def text(self) -> str:
        return norm("".join(self.article_text))

    def article(self) -> list[tuple[str, dict[str, str | None]]]:
        return [(tag, attrs) for tag, attrs, inside, _ in self.elements if inside]


def norm(text: str) -> str:
    """Whitespace runs as one space: line breaks become <br> or spaces on the page."""
    return " ".join(text.split())


def read_page(site_dir: Path, url: str) -> Page:
    return Page((site_dir / url / "index.html").read_text(encoding="utf-8"))


def all_pages(site_dir: Path) -> dict[str, Page]:
    found = {}
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.parent.relative_to(site_dir).as_posix()
        found["" if rel == "." else rel + "/"] = Page(path.read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    return all_pages(site)


def texts_of(value, key: str | None = None, free: bool = False) -> list[str]:
    """Every free-text string of an incident (as read with BaseLoader); under
    `extra`, whose keys are the author's too, the keys as well."""
    if isinstance(value, dict):
        keys = list(value) if free else []
        return keys + [t for k, v in value.items() for t in texts_of(v, k, free or k == "extra")]
    if isinstance(value, list):
        return [t for v in value for t in texts_of(v, key, free)]
    if not free and (key in NOT_TEXT or key in NUMBERS):
        return []
    return [value]


def lines_of(text: str) -> list[str]:
    return [norm(line) for line in text.split("\n") if line.strip()]


# ---- no executable markup anywhere -------------------------------------------------


def test_the_builds_have_the_expected_pages(pages, twin_site):
    for url in INDEX_PAGES + REVIEW_PAGES:
        assert url in pages, url
        assert (twin_site / url / "index.html").exists(), url
    assert len(pages) > 20


def test_no_script_but_the_themes_own(pages, twin_site):
    for url, page in pages.items():
        for src, body in page.scripts:
            if src is not None:
                assert re.fullmatch(r"(\.\./)*assets/[\w./-]+\.js", src), (url, src)
                assert body == ""
    for url in INDEX_PAGES + REVIEW_PAGES:
        assert pages[url].scripts == read_page(twin_site, url).scripts, url


def test_no_event_handler_attribute_anywhere(pages):
    for url, page in pages.items():
        for tag, attrs, _, _ in page.elements:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, (url, tag, attrs)


def test_no_active_element_inside_the_content(pages):
    for url, page in pages.items():
        for tag, attrs, inside, in_svg in page.elements:
            if inside and not in_svg:
                assert tag not in ACTIVE, (url, tag, attrs)


def test_no_script_url_and_no_foreign_resource(pages):
    for url, page in pages.items():
        for tag, attrs, _, _ in page.elements:
            for name, value in attrs.items():
                if name not in URL_ATTRIBUTES or value is None:
                    continue
                folded = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)).casefold()
                assert not folded.startswith(BAD_SCHEMES), (url, tag, name, value)
                fetched = name != "href" or (tag == "link" and attrs.get("rel") != "canonical")
                if fetched:
                    assert "//" not in folded and ":" not in folded.split("/")[0], (url, tag, name, value)


def test_no_markup_or_attribute_injected_compared_with_a_harmless_build(pages, twin_site):
    """Same elements, attribute names and classes as the twin: no extra cell,
    heading, code block, link, class or attribute came from the text."""
    for url in INDEX_PAGES + REVIEW_PAGES:
        hostile = pages[url].article()
        harmless_ = read_page(twin_site, url).article()
        assert Counter(tag for tag, _ in hostile) == Counter(tag for tag, _ in harmless_), url
        assert Counter((t, n) for t, a in hostile for n in a) == Counter((t, n) for t, a in harmless_ for n in a), url
        classes = Counter(c for _, a in hostile for c in (a.get("class") or "").split())
        assert classes == Counter(c for _, a in harmless_ for c in (a.get("class") or "").split()), url
        # The whole page too: navigation, table of contents, header and title.
        whole = Counter(tag for tag, *_ in pages[url].elements)
        assert whole == Counter(tag for tag, *_ in read_page(twin_site, url).elements), url


def test_table_heading_and_fence_break_outs_do_not_add_structure(pages, twin_site):
    for url in REVIEW_PAGES:
        hostile = Counter(tag for tag, _ in pages[url].article())
        twin = Counter(tag for tag, _ in read_page(twin_site, url).article())
        for tag in ("table", "th", "td", "tr", "h1", "h2", "h3", "pre", "code"):
            assert hostile[tag] == twin[tag], (url, tag)
        assert hostile["pre"] == 0 and hostile["h1"] == 1


def test_every_svg_is_drawing_only(pages, site):
    for url, page in pages.items():
        for tag, attrs, _, in_svg in page.elements:
            if in_svg:
                assert tag in SVG_ELEMENTS, (url, tag)
                assert not any(n.startswith("on") or n.endswith("href") for n in attrs), (url, tag, attrs)
    for path in sorted(site.rglob("*.svg")):
        drawing = Page(path.read_text(encoding="utf-8"))
        assert {tag for tag, *_ in drawing.elements} <= SVG_ELEMENTS, path
        assert not any(n.startswith("on") or n.endswith("href") for _, a, *_ in drawing.elements for n in a), path


# ---- every payload shows as text ---------------------------------------------------


@pytest.mark.parametrize("incident", INCIDENTS, ids=HOSTILE_IDS)
def test_every_string_shows_character_for_character_on_its_review_page(pages, incident):
    text = pages[f"reviews/{incident['id']}/"].text
    # Each line as many times as the author wrote it: a payload that vanished
    # in one place is not hidden by the same payload shown in another.
    wanted = Counter(line for value in texts_of(incident) for line in lines_of(value))
    missing = {line: n for line, n in wanted.items() if text.count(line) < n}
    assert missing == {}
    assert norm(f"{incident['id']}: {incident['title']}") in text


@pytest.mark.parametrize("incident", INCIDENTS, ids=HOSTILE_IDS)
def test_titles_services_and_open_items_show_on_the_archive_pages(pages, incident):
    title = norm(incident["title"])
    for url in ("", "reviews/", f"browse/severity/{incident['severity']}/", "browse/years/2024/"):
        assert title in pages[url].text, url
    for name in incident["services"] + incident.get("tags", []):
        shown = [u for u, p in pages.items() if u.startswith("browse/") and u.count("/") == 3 and norm(name) in p.text]
        assert shown, name
    ledger = pages["action-items/"].text
    owners = {url: page.text for url, page in pages.items() if url.startswith("action-items/owners/")}
    for item in incident.get("action_items", []):
        if item["status"] in ("open", "in_progress"):
            # The owner on the ledger; the item once on its owner's page (whose title names the owner).
            assert norm(item["owner"]) in ledger
            (owner_page,) = [t for t in owners.values() if t.startswith(norm(f"Action items: {item['owner']}"))]
            assert norm(item["title"]) in owner_page


def test_the_edit_link_encodes_an_odd_file_name(pages):
    links = [a.get("href") for tag, a in pages["reviews/ODD-001/"].article() if tag == "a"]
    edit = [href for href in links if href and "/edit/main/incidents/odd/" in href]
    # The theme's edit button and the link at the end of the page.
    assert edit == ["https://github.com/example/post-incident-reviews/edit/main/incidents/odd/a%22b%20%3Cc%3E%27d%26e.yaml"] * 2


def test_template_syntax_stays_literal(pages):
    for url in FIXTURE_PAGES:
        text = pages[url].text
        assert "Template {{ 7*7 }} and {% raw %} and {% endraw %} and {# comment #}." in text
        assert "49" not in text
    assert "{{ 7*7 }}" in pages[""].text and "49" not in pages[""].text


def test_snippet_marker_is_text_and_includes_nothing(pages, site, hostile_root):
    for url in FIXTURE_PAGES:
        assert '--8<-- "mkdocs.yml"' in pages[url].text
    for path in [*site.rglob("*.html"), hostile_root / "docs/generated/search-records.json", site / "feed.xml"]:
        content = path.read_text(encoding="utf-8")
        assert "site_name" not in content and "docs_dir" not in content, path


def test_unclosed_style_and_comment_do_not_hide_the_rest_of_the_page(pages):
    for url in FIXTURE_PAGES:
        text = pages[url].text
        assert "<style>body{display:none} Text after the style tag must stay visible." in text
        assert "Comment opener <!-- and the rest of the page must not vanish." in text
        # The last section of the page is still there.
        assert text.rstrip().endswith("Edit this incident's YAML file in the repository")


@pytest.mark.parametrize("incident", INCIDENTS, ids=HOSTILE_IDS)
def test_window_title_and_header_are_escaped_text(site, pages, incident):
    source = (site / "reviews" / incident["id"] / "index.html").read_text(encoding="utf-8")
    inner = re.search(r"<title>(.*?)</title>", source, re.S).group(1)
    assert "<" not in inner and ">" not in inner
    assert norm(pages[f"reviews/{incident['id']}/"].title) == norm(f"{incident['id']}: {incident['title']} - {SITE_NAME}")
    for match in re.finditer(r'<meta [^>]*content="([^"]*)"', source):
        assert "<" not in match.group(1)
    topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', source, re.S).group(1)
    assert "<" not in topic and norm(html.unescape(topic)) == norm(f"{incident['id']}: {incident['title']}")


# ---- front matter --------------------------------------------------------------------


@pytest.mark.parametrize("incident", INCIDENTS, ids=HOSTILE_IDS)
def test_front_matter_holds_the_title_and_nothing_else(hostile_root, incident):
    page = (hostile_root / "docs/generated/reviews" / f"{incident['id']}.md").read_text(encoding="utf-8")
    assert page.startswith("---\n")
    front = yaml.safe_load(page.split("\n---\n", 1)[0][4:])
    assert front["title"] == f"{incident['id']}: {incident['title']}"
    assert set(front) == {"title", "pir_generated", "pir_html", "pir_edit_url"}


@pytest.mark.parametrize("field,before,line", [
    ("title", "title: Checkout errors after a deploy", 2),
    ("services[0]", "services: [checkout]", 3),
])
def test_a_newline_in_a_one_line_field_is_a_located_error(field, before, line):
    """A title that could close the front matter and add a key never gets that far."""
    key = before.split(":")[0]
    value = '"x\\n---\\nsearch: {exclude: true}"'
    after = f"{key}: [{value}]" if before.endswith("]") else f"{key}: {value}"
    found_line, message = first_error(VALID.replace(before, after))
    assert found_line == line
    assert message == f"{field}: must be one line; found a line break"


def test_a_newline_in_free_text_is_only_shown():
    text = VALID.replace("summary: Checkout failed for some users.", 'summary: "a\\n---\\ntitle: b"')
    assert problems_of(text) == []


def test_an_action_item_title_with_a_newline_points_at_its_line():
    text = VALID + "action_items:\n  - title: \"one\\ntwo\"\n"
    found_line, message = first_error(text)
    assert found_line == 7
    assert message == "action_items[0].title: must be one line; found a line break"


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=40))
def test_front_matter_string_round_trips_and_never_breaks_out(value):
    document = yaml.safe_load(f"title: {escape.front_matter_str(value)}\nsafe: 1\n")
    assert document == {"title": value, "safe": 1}


# ---- search index, feed, export --------------------------------------------------


class Fragment(HTMLParser):
    """The elements and text of an HTML fragment (a search result excerpt)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.data: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.data.append(data)


def test_search_records_hold_payloads_as_text(hostile_root):
    """Pagefind's result list shows a record's title as text and its content as
    HTML after its script has turned `<` and `>` into entities."""
    records = json.loads((hostile_root / "docs/generated/search-records.json").read_text(encoding="utf-8"))["records"]
    hostile = [r for r in records if r["url"].startswith("/reviews/HOSTILE-")]
    assert hostile
    shown = []
    for record in records:
        fragment = Fragment(record["content"].replace("<", "&lt;").replace(">", "&gt;"))
        assert fragment.tags == [], record["url"]
        if record in hostile:
            shown.append(record["meta"]["title"] + " " + "".join(fragment.data))
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "&lt;script&gt;alert(7)&lt;/script&gt;",
                    "{{ 7*7 }}", '--8<-- "mkdocs.yml"', "<!--"):
        assert payload in norm(" ".join(shown)), payload


def test_feed_is_well_formed_and_carries_the_text_exactly(site):
    root = ET.fromstring((site / "feed.xml").read_bytes())
    assert {element.tag for element in root.iter()} <= RSS_ELEMENTS
    items = {item.findtext("link").rstrip("/").rsplit("/", 1)[-1]: item for item in root.iter("item")}
    for incident in INCIDENTS:
        item = items[incident["id"]]
        assert item.findtext("title") == f"{incident['id']}: {incident['title']}"
        description = item.findtext("description")
        assert description.startswith("<p>") and description.endswith("</p>")
        shown = html.unescape(description[3:-4].replace("</p><p>", "\n\n"))
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", incident["summary"]) if p.strip()]
        assert shown == "\n\n".join(paragraphs)


def test_feed_description_is_text_for_readers_that_render_html(site):
    root = ET.fromstring((site / "feed.xml").read_bytes())
    for item in root.iter("item"):
        fragment = Fragment(item.findtext("description") or "")
        assert [tag for tag, _ in fragment.tags if tag not in ("p", "br")] == []


def test_json_export_round_trips_and_cannot_close_a_script(site):
    text = (site / "incidents.json").read_text(encoding="utf-8")
    assert "</" not in text and "\u2028" not in text and "\u2029" not in text
    records = {r["id"]: r for r in json.loads(text)["incidents"]}
    for incident in INCIDENTS:
        record = records[incident["id"]]
        assert record["title"] == incident["title"]
        assert record["services"] == incident["services"]
        assert record["tags"] == incident.get("tags", [])
