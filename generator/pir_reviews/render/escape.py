"""Escaping of incident text, one function per place the text ends up.

Incident files come from pull requests, so every string in them may be
hostile: raw HTML, `javascript:` links, Markdown or attribute-list syntax,
template syntax, snippet markers. Whatever the author wrote must show on the
site as visible text, character for character, and never act as markup.

The site's Markdown is Python-Markdown with tables, toc, admonition,
attr_list, md_in_html, pymdownx.escapeall and pymdownx.details. With
escapeall a backslash escapes any ASCII punctuation, so the Markdown escapers
put a backslash before every ASCII punctuation character, except `&`, `<` and
`>`, which become HTML entities (so `&lt;` written by an author shows as the
four characters `&lt;`, not as `<`).

Control characters (C0 except newline and tab, and DEL) are dropped: they are
invisible, and Python-Markdown uses some of them as internal placeholders, so
letting them through could smuggle stashed HTML into the page.
"""

from __future__ import annotations

import html
import json
import re
import string
from typing import Any
from urllib.parse import quote, urlsplit

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
# Characters that act as Markdown wherever they stand (emphasis, code, links,
# attribute lists, headings, escapes). The rest of ASCII punctuation only acts
# at the start of a line (lists, quotes, rules, admonitions, details), where
# `_escape_chars` escapes it too; elsewhere it stays as typed, so the Markdown
# reads well in a code review.
_BACKSLASHED = frozenset("\\`*_{}[]#")
_LINE_START = frozenset(string.punctuation) - set(_ENTITIES) - _BACKSLASHED
_NUMBERED = re.compile(r"(\d+)([.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _clean(s: str) -> str:
    """Normalise line ends to "\\n" and drop invisible control characters."""
    if _CONTROL.search(s) is None:  # nearly every value ("\r" is one of _CONTROL): nothing to do
        return s
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", s)


_TRANSLATION = str.maketrans({**_ENTITIES, **{ch: "\\" + ch for ch in _BACKSLASHED}})


def _escape_chars(s: str) -> str:
    """Escape one line of text so no character acts as Markdown or HTML."""
    out = s.translate(_TRANSLATION)
    if s[:1] in _LINE_START:
        return "\\" + out
    numbered = _NUMBERED.match(out)
    if numbered:
        return numbered.group(1) + "\\" + out[numbered.end(1):]
    return out


_LIST_START = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s")


def _paragraphs(s: str, escape_line) -> list[str]:
    """Paragraphs of free text, each line escaped by `escape_line` (see `markdown_text`)."""
    paragraphs = []
    for block in _BLANK_LINE.split(_clean(s).replace("\t", " ")):
        lines = [line.strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            parts = [escape_line(lines[0])]
            for line in lines[1:]:
                parts.append(("<br>\n" if _LIST_START.match(line) else "\n") + escape_line(line))
            paragraphs.append("".join(parts))
    return paragraphs


def markdown_text(s: str) -> str:
    """Free text, possibly over several lines, as Markdown paragraph blocks.

    Blank lines separate paragraphs (kept as blank lines). Inside a
    paragraph a line break is a soft wrap, as in Markdown (authors hard-wrap
    YAML block text), except before a line that starts like a list item
    ("- ", "* ", "1. "), which keeps its own line with `<br>`. Leading and
    trailing whitespace of each line is dropped, so indentation can never
    start a code block.
    """
    return "\n\n".join(_paragraphs(s, _escape_chars))


def _one_line(s: str) -> str:
    """The text on one line: line breaks and tabs become spaces, the ends are stripped."""
    return _clean(s).replace("\n", " ").replace("\t", " ").strip()


def inline(s: str) -> str:
    """One line of text for an inline context: list item, heading, link text.

    Line breaks and tabs become spaces; the ends are stripped.
    """
    return _escape_chars(_one_line(s))


def table_cell(s: str) -> str:
    """Text for one cell of a Markdown table (inline text; `|` is always an entity)."""
    return inline(s)


def html_text(s: str) -> str:
    """Text inside raw HTML (or SVG) that we emit ourselves."""
    return html.escape(_clean(s), quote=True)


def html_lines(s: str) -> str:
    """Free text inside raw HTML we emit: escaped, line breaks kept as <br>, no blank line left."""
    return "<br>".join(html.escape(line.strip(), quote=True) for line in _clean(s).split("\n") if line.strip())


def html_paragraphs(s: str) -> str:
    """Free text as HTML paragraphs (`<p>`), split and wrapped as `markdown_text` does; all escaped."""
    return "\n".join(f"<p>{p}</p>" for p in _paragraphs(s, lambda line: html.escape(line, quote=True)))


def html_line(s: str) -> str:
    """One line of text inside HTML we emit (line breaks and tabs become spaces)."""
    return html.escape(_one_line(s), quote=True)


# Text with line ends normalised and invisible control characters dropped: the
# function itself, not a wrapper, as every value of an HTML template goes through it.
clean_text = _clean


def attr(s: str) -> str:
    """An HTML attribute value, to be placed between double quotes."""
    return html.escape(_clean(s), quote=True)


def search_excerpt(s: str) -> str:
    """Text for Pagefind's result excerpts, which the search page inserts as HTML.

    Pagefind's script turns `<` and `>` into entities itself before it marks
    the terms found, but leaves `&` alone, so `&` is escaped here: an author's
    `&lt;` then shows as the four characters typed, not as `<`.
    """
    return _clean(s).replace("&", "&amp;")


def front_matter_str(s: str) -> str:
    """A YAML front-matter scalar: a double-quoted string that cannot break out.

    JSON escaping with ASCII output is valid YAML, except that PyYAML does not
    join JSON's surrogate pairs, so characters beyond U+FFFF use YAML's
    `\\UXXXXXXXX` form instead.
    """
    out = ['"']
    for ch in s:
        code = ord(ch)
        if code > 0xFFFF:
            out.append(f"\\U{code:08x}")
        else:
            out.append(json.dumps(ch, ensure_ascii=True)[1:-1])
    out.append('"')
    return "".join(out)


_URL_FORBIDDEN = frozenset('"<>`\\')


def safe_url(s: str | None) -> str | None:
    """The URL when it is a plain http(s) link with a host, else None.

    Anything else (javascript:, data:, vbscript:, relative paths, URLs with
    whitespace, control characters, quotes, angle brackets, backticks or
    backslashes) is refused; callers then show the link text only.
    """
    if s is None:
        return None
    url = s.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    for ch in url:
        if ch in _URL_FORBIDDEN or ch.isspace() or not ch.isprintable():
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


# Characters kept as they are inside a link target; everything else
# (parentheses, brackets, braces, pipes, non-ASCII, ...) is percent-encoded.
_URL_SAFE = "/:?#=&%+,;@!$'*~.-_"


def link(text: str, url: str | None) -> str:
    """A Markdown link when the URL is safe; otherwise the text and a plain note."""
    target = safe_url(url)
    label = inline(text) or inline(target or "")
    if target is None:
        return f"{label} (link not shown: only http(s) links are published)"
    return f"[{label}](<{quote(target, safe=_URL_SAFE)}>)"


def json_for_html(obj: Any) -> str:
    """JSON that is safe inside an HTML page, even inside a <script> element."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
