"""Generated pages whose body pir rendered to HTML: MkDocs takes it as it is.

A page whose front matter says `pir_html: true` (render.prerendered) skips
Python-Markdown, which took most of a large archive's build. What MkDocs'
Markdown step would have given it is computed here from HTML that pir wrote
itself, in a fixed form:

- the table of contents, from the `<h1>` and `<h2>` headings with an id
  (`<h2 id="timeline">Timeline<a class="headerlink" ...>`): a review's
  sections, without the phases of its timeline, which keeps every page's
  sidebar short;
- the ids the page holds, so links into it with an anchor are checked;
- links to other pages, written as relative `.md` paths, become the site's
  URLs from this page (`../INC-1/` with directory URLs); a link to a page
  that does not exist is a warning, so a strict build fails on it, exactly
  as for Markdown.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from pir_reviews.render.prerendered import FLAG

log = logging.getLogger("mkdocs.plugins.pir")

_HEADING = re.compile(r'<h([12]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_MD_LINK = re.compile(r'href="([^":?#]+\.md)(#[^"]*)?"')
_TAG = re.compile(r"<[^>]*>")


def is_prerendered(page: Page) -> bool:
    return bool((page.meta or {}).get(FLAG))


def toc_tokens(body: str) -> list[dict]:
    """The headings of the body as Python-Markdown's toc tokens (nested by level)."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for level, anchor, inner in _HEADING.findall(body):
        name = _TAG.sub("", inner)
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


class PrerenderedPage(Page):
    """A Page whose `render` takes its Markdown as finished HTML."""

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        base = posixpath.dirname(self.file.src_uri)
        links: dict = {}

        def link(match: re.Match) -> str:
            target, anchor = match.group(1), match.group(2) or ""
            path = posixpath.normpath(posixpath.join(base, html.unescape(target)))
            found = files.get_file_from_path(path)
            if found is None:
                log.warning("Doc file '%s' contains a link '%s', but the target '%s' is not found among documentation files.",
                            self.file.src_uri, target, path)
                return match.group(0)
            if anchor:
                links.setdefault(found, {}).setdefault(html.unescape(anchor[1:]), target + anchor)
            return f'href="{html.escape(found.url_relative_to(self.file), quote=True)}{anchor}"'

        self.content = _MD_LINK.sub(link, self.markdown)
        self.markdown = ""  # its HTML is in content now; at 10,000 pages two copies cost hundreds of MB
        self.toc = get_toc(toc_tokens(self.content))
        self.present_anchor_ids = set(_ID.findall(self.content))
        self.links_to_anchors = links


_KEEP_AS_IS = re.compile(r"(<(pre|textarea|script|style)[\s>].*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def trim_whitespace(page_html: str) -> str:
    """The built page without the theme's indentation and blank lines.

    Each run of line breaks and indentation becomes one line break, which
    HTML reads as the same single space; `<pre>`, `<textarea>`, `<script>`
    and `<style>` elements are left exactly as they are. About a tenth of a
    review page is the theme's indentation.
    """
    parts = _KEEP_AS_IS.split(page_html)
    out = []
    # split() with two groups yields: text, whole element, tag name, text, ...
    for index in range(0, len(parts), 3):
        out.append(_INDENT.sub("\n", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def take_as_html(page: Page) -> None:
    """Make a page flagged `pir_html` render its body as HTML (called before MkDocs renders it)."""
    if is_prerendered(page) and not isinstance(page, PrerenderedPage):
        page.__class__ = PrerenderedPage
