"""The escapers: hostile text renders as visible text, character for character.

Every check renders our output with Python-Markdown and the site's extensions,
then reads the HTML back: the visible text must equal the input and no
element other than the expected ones may appear.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.render.escape import (
    attr,
    front_matter_str,
    html_text,
    inline,
    json_for_html,
    link,
    markdown_text,
    safe_url,
    table_cell,
)
from pir_reviews.render.templating import environment, minutes, utc

EXTENSIONS = ["tables", "toc", "admonition", "attr_list", "md_in_html", "pymdownx.escapeall", "pymdownx.details"]

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil></iframe>",
    "<style>body{display:none}",
    "[click](javascript:alert(1))",
    "[click][r]\n\n[r]: javascript:alert(1)",
    "[x]: data:text/html;base64,PHNjcmlwdD4=",
    "<https://evil.example>",
    "text {: onmouseover=alert(1) }",
    "## heading {: #id .cls onclick=x }",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    "line\n# not a heading",
    "a | b | c\n---|---|---\n1 | 2 | 3",
    "```\ncode\n```",
    "~~~python\nx\n~~~",
    '--8<-- "/etc/passwd"',
    "&lt;script&gt;",
    "&amp; &#60; &#x3c;",
    "    indented code?",
    "\tTabbed",
    "1. one\n2. two",
    "- item\n* item\n+ item",
    "> quote",
    "!!! danger \"Title\"\n    body",
    "??? note\n    body",
    "***\n___\n---",
    "Title\n=====",
    "*em* **strong** _u_ __uu__ `code` ~~s~~ ^^i^^",
    "back\\slash \\* \\\\",
    "trailing spaces  \nnext",
    "<div markdown=\"1\">*x*</div>",
    "[^1] footnote\n\n[^1]: note",
    "<!-- comment -->",
    "<?php echo 1; ?>",
    "<![CDATA[x]]>",
    "\x02klzzwxh:0000\x03 placeholder",
    "ünïcødé — “quotes” 😀",
]


class _Reader(HTMLParser):
    """Collects visible text and every element (with its attributes) of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "br":
            self.text.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append("comment")

    def handle_decl(self, decl):
        self.other.append("decl")

    def handle_pi(self, data):
        self.other.append("pi")

    def unknown_decl(self, data):
        self.other.append("cdata")


def render(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def read(html_out: str) -> _Reader:
    reader = _Reader()
    reader.feed(html_out)
    reader.close()
    return reader


def norm(s: str) -> str:
    """Whitespace-normalised, without the control characters the escapers drop."""
    s = s.replace("\r", "\n")
    s = "".join(c for c in s if c in "\n\t" or not (ord(c) < 32 or ord(c) == 127))
    return " ".join(s.split())


def check(html_out: str, original: str, allowed: set[str], attrs_ok: set[str] = frozenset()) -> None:
    reader = read(html_out)
    assert norm("".join(reader.text)) == norm(original), html_out
    for tag, attrs in reader.tags:
        assert tag in allowed, f"unexpected <{tag}> in {html_out!r}"
        for name, _ in attrs:
            assert name in attrs_ok, f"unexpected attribute {name} on <{tag}> in {html_out!r}"
    assert not reader.other, html_out
    lowered = html_out.lower()
    for bad in ("<script", "<img", "<iframe", "<style", "<div", "href=", "javascript:"):
        if bad == "javascript:" and "javascript:" in original.lower():
            continue  # visible as text: the tag/attribute checks above prove it is not a link
        assert bad not in lowered, html_out


# ---- fixed hostile samples -----------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_shows_hostile_text_verbatim(text):
    check(render(markdown_text(text)), text, {"p", "br"})


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_in_list_item_and_heading(text):
    check(render("- " + inline(text)), text, {"ul", "li"})
    check(render("## " + inline(text)), text, {"h2"}, {"id"})


@pytest.mark.parametrize("text", HOSTILE)
def test_table_cell_stays_in_its_cell(text):
    out = render("| A | B |\n|---|---|\n| " + table_cell(text) + " | end |\n")
    check(out, "A B " + text + " end", {"table", "thead", "tbody", "tr", "th", "td"})
    assert out.count("<td>") == 2


def test_entities_written_by_the_author_show_literally():
    out = render(markdown_text("&lt;script&gt;"))
    assert "&amp;lt;script&amp;gt;" in out
    assert "".join(read(out).text) == "&lt;script&gt;"


def test_paragraphs_and_line_breaks_are_kept():
    out = render(markdown_text("one\r\ntwo\n\n\nthree"))
    assert out == "<p>one\ntwo</p>\n<p>three</p>"
    listed = render(markdown_text("Steps:\n- roll back\n- page the DB team\n1. then wait"))
    assert listed == "<p>Steps:<br>\n- roll back<br>\n- page the DB team<br>\n1. then wait</p>"


def test_template_syntax_is_not_evaluated_when_rendered_through_a_template():
    env = environment()
    out = env.from_string("{{ x | md }}|{{ x | inline }}").render(x="{{ 7*7 }}")
    assert "49" not in out
    assert norm("".join(read(render(out.split("|")[0])).text)) == "{{ 7*7 }}"


# ---- properties --------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \n\t0123456789aZ")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_markdown_text_property(text):
    check(render(markdown_text(text)), text, {"p", "br"})


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_inline_property(text):
    out = inline(text)
    assert "\n" not in out
    check(render("- " + out), text, {"ul", "li"})


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_table_cell_property(a, b):
    out = render("| H |\n|---|\n| " + table_cell(a) + " |\n| " + table_cell(b) + " |\n")
    if not norm(a) and not norm(b):
        return
    check(out, "H " + a + " " + b, {"table", "thead", "tbody", "tr", "th", "td"})
    assert out.count("<td>") + out.count("<td></td>") >= 2


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_front_matter_round_trips(text):
    doc = f"---\ntitle: {front_matter_str(text)}\nother: 1\n---\n"
    loaded = yaml.safe_load(doc.split("---\n")[1])
    assert loaded == {"title": text, "other": 1}
    assert "\n" not in front_matter_str(text)


def test_front_matter_cannot_break_out():
    value = front_matter_str("x\n---\nhacked: true\n😀")
    assert value.startswith('"') and value.endswith('"') and "\n" not in value
    assert yaml.safe_load("t: " + value) == {"t": "x\n---\nhacked: true\n😀"}


# ---- URLs and links --------------------------------------------------------------------------

BAD_URLS = [
    "javascript:alert(1)", "JavaScript:alert(1)", "  javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>", "DATA:text/html;base64,xx", "vbscript:msgbox", "VBScript:x",
    "&#106;avascript:alert(1)", "&#x6A;avascript:x", "jav&#x09;ascript:x", "//evil.example",
    "/relative", "ftp://example.com", "https://", "http://exa mple.com", 'https://e.com/"onmouseover=x',
    "https://e.com/<script>", "https://e.com/`x`", "https://e.com/\\x", "https://e.com/\x00",
    "https://e.com/\nx", "", None, "mailto:a@b.c", "https:evil.example",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_safe_url_refuses(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("url", ["https://example.com", "HTTP://Example.com/a?b=c&d=e#f", " https://x.example/p ",
                                 "https://x.example/a_(b)"])
def test_safe_url_accepts_http(url):
    assert safe_url(url) == url.strip()


def test_link_with_safe_url_is_a_link_and_parentheses_are_encoded():
    out = render(link("docs *here*", "https://x.example/a_(b)|c"))
    reader = read(out)
    assert [t for t, _ in reader.tags] == ["p", "a"]
    assert dict(reader.tags[1][1]) == {"href": "https://x.example/a_%28b%29%7Cc"}
    assert "".join(reader.text) == "docs *here*"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", None])
def test_link_with_unsafe_url_shows_text_only(url):
    out = render(link("<b>click</b>", url))
    assert "href" not in out and "<b>" not in out
    assert "".join(read(out).text) == "<b>click</b> (link not shown: only http(s) links are published)"


def test_link_in_a_table_cell_does_not_split_the_row():
    out = render("| A | B |\n|---|---|\n| " + link("a|b", "https://e.example/x|y") + " | z |\n")
    assert out.count("<td>") == 2 and 'href="https://e.example/x%7Cy"' in out


# ---- HTML contexts and JSON ---------------------------------------------------------------------


def test_attr_and_html_text_escape_quotes_and_tags():
    assert attr('"><script>') == "&quot;&gt;&lt;script&gt;"
    assert html_text("a & <b> 'c'") == "a &amp; &lt;b&gt; &#x27;c&#x27;"


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=10))
def test_json_for_html_is_inert_and_round_trips(obj):
    out = json_for_html(obj)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out
    assert json.loads(out) == obj


def test_json_for_html_escapes_script_end():
    assert json_for_html({"a": "</script><!--"}) == '{"a": "\\u003c/script\\u003e\\u003c!--"}'


# ---- template helpers -------------------------------------------------------------------------


def test_minutes_and_utc_formatting():
    from datetime import datetime, timedelta, timezone

    assert minutes(None) == "unknown"
    assert minutes(45) == "45m"
    assert minutes(65) == "1h 05m"
    assert minutes(1440 + 61) == "1d 1h 01m"
    assert utc(None) == "unknown"
    at = datetime(2024, 3, 15, 16, 30, tzinfo=timezone(timedelta(hours=2)))
    assert utc(at) == "2024-03-15 14:30 UTC"


def test_environment_is_strict_and_does_not_autoescape():
    import jinja2

    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"
