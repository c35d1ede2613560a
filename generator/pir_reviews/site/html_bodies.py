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

Once built, a generated page is made smaller without changing how it looks
or works (compact_page), and the icons taken out of it are written to one
stylesheet (icons_css).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import posixpath
import re
from urllib.parse import quote

from jinja2.utils import htmlsafe_json_dumps
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
        known: dict = getattr(self, "pir_links", {})
        # Pages in the same folder whose URLs have the same form reach another
        # page by the same relative URL: every review links to the browse
        # pages, so each link is worked out once per folder, not once per page.
        shape = (base, posixpath.dirname(self.file.url.rstrip("/")), self.file.url.endswith("/"))

        def shared(found) -> bool:  # not this page, nor a page under its URL (those depend on the page itself)
            return found is not self.file and not found.url.startswith(self.file.url)

        def link(match: re.Match) -> str:
            target, anchor = match.group(1), match.group(2) or ""
            hit = known.get((shape, target))
            if hit is not None and shared(hit[0]):
                found, url = hit
            else:
                path = posixpath.normpath(posixpath.join(base, html.unescape(target)))
                found = files.get_file_from_path(path)
                if found is None:
                    log.warning("Doc file '%s' contains a link '%s', but the target '%s' is not found among documentation files.",
                                self.file.src_uri, target, path)
                    return match.group(0)
                url = html.escape(found.url_relative_to(self.file), quote=True)
                if shared(found):
                    known[(shape, target)] = (found, url)
            if anchor:
                links.setdefault(found, {}).setdefault(html.unescape(anchor[1:]), target + anchor)
            return f'href="{url}{anchor}"'

        self.content = _MD_LINK.sub(link, self.markdown)
        self.markdown = ""  # its HTML is in content now; at 10,000 pages two copies cost hundreds of MB
        self.toc = get_toc(toc_tokens(self.content))
        self.present_anchor_ids = set(_ID.findall(self.content))
        self.links_to_anchors = links


_KEEP_AS_IS = re.compile(r"(<(pre|textarea|script|style)[\s>].*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")
# Material's icons, as its templates inline them (after trim_whitespace).
_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="([^"<>]+)"/></svg>')
# Line breaks that never show: at the start or the end of the content of an
# element that holds blocks or lines of its own (a line's leading and trailing
# white space is dropped, in a block or an inline block alike), and between
# the parts of a table or of the head. A break between two sibling elements
# is kept otherwise: two inline blocks (Material's repository icon and name)
# show it as a space.
_CONTAINER = r"(?:html|head|body|div|nav|header|footer|main|article|ul|ol|li|table|thead|tbody|tr|th|td|h[1-6]|p|form|details)"
_SILENT = r"(?:html|head|body|meta|link|title|table|thead|tbody|tr|th|td)"
# Three patterns, not one alternation: each begins with a character that
# Python's `re` can look for, so a page is scanned three times quickly
# rather than once trying every alternative at every character (1.5 -> 0.5 ms
# a review page). Each decides about one line break from the tags on its two
# sides, which removing another break does not change, so the order is free.
_SILENT_BREAKS = (
    (re.compile(rf"\n(?=</{_CONTAINER}>)"), ""),  # \n</div>
    (re.compile(rf"(<{_CONTAINER}\b[^<>]*>)\n"), lambda match: match[1]),  # <div ...>\n
    (re.compile(rf"(</?{_SILENT}\b[^<>]*>)\n(?=</?{_SILENT}\b)"), lambda match: match[1]),  # </tr>\n<tr, <meta ...>\n<link
)
# End tags that HTML lets a page leave out (WHATWG HTML, "Optional tags"): an
# `</li>` before the next item or the end of its list, a cell's before the
# next cell or the end of its row, a row's before the next row or the end of
# its table part, `</thead>` before `<tbody>`, `</tbody>` before `</table>`.
# A line break between moves into the element it followed, at the end of an
# item or a cell, where it never shows.
_OPTIONAL_END = re.compile(
    r"</li>(?=\n?<(?:li\b|/ul>|/ol>))"
    r"|</t[dh]>(?=\n?<(?:t[dh]\b|/tr>|tr\b|/tbody>|tbody\b|/thead>|/table>))"
    r"|</tr>(?=\n?<(?:tr\b|/tbody>|tbody\b|/thead>|/table>))"
    r"|</thead>(?=\n?<tbody\b)"
    r"|</tbody>(?=\n?</table>)"
)
# A navigation link whose only content is its title in Material's ellipsis span.
_NAV_TITLE = re.compile(r'(<a href="[^"<>]*" class="md-nav__link">)\n<span class="md-ellipsis">\n([^<>]*)\n</span>\n(</a>)')


def _outside_kept(page_html: str, change) -> str:
    """`change` applied to the text between `<pre>`, `<textarea>`, `<script>` and
    `<style>` elements, which are left exactly as they are."""
    parts = _KEEP_AS_IS.split(page_html)
    out = []
    # split() with two groups yields: text, whole element, tag name, text, ...
    for index in range(0, len(parts), 3):
        out.append(change(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def trim_whitespace(page_html: str) -> str:
    """The built page without the theme's indentation and blank lines.

    Each run of line breaks and indentation becomes one line break, which
    HTML reads as the same single space; `<pre>`, `<textarea>`, `<script>`
    and `<style>` elements are left exactly as they are. About a tenth of a
    review page is the theme's indentation.
    """
    return _outside_kept(page_html, _unindent)


def _unindent(text: str) -> str:
    """Each run of line breaks and indentation as one line break."""
    return _INDENT.sub("\n", text)


ICONS_CSS = "assets/pir/icons.css"


def _icon_class(path: str) -> str:
    """The class that draws an icon of Material's: `<svg viewBox="0 0 24 24" class="pir-icon-<hash>">`.

    Each icon in Material's shell (the logo, the menu, the palette toggles,
    the search, the repository, the edit button, back to top) is an inline
    SVG of a few hundred bytes, the same on every page. compact_page makes it
    an empty `<svg>` of that class: the same element, so Material's rules
    size and place it as before, painted in the text colour through a mask
    that holds the icon (the way Material draws its own navigation icons),
    from ICONS_CSS (icons_css).
    """
    return "pir-icon-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]


def icons_css(icons: dict[str, str]) -> str:
    """ICONS_CSS: the icons compact_page took out of the pages, as data: URLs, one rule each, sorted."""
    names = sorted(icons)
    rules = [
        "/* Written by the pir MkDocs plugin (site/html_bodies.py, compact_page): the icons of",
        "   Material's page shell, drawn here once instead of inline on every generated page. */",
    ]
    if names:
        every = ",".join(f".{name}" for name in names)
        rules += [
            f"{every}{{background-color:currentcolor;-webkit-mask:var(--pir-icon) center/contain no-repeat;"
            "mask:var(--pir-icon) center/contain no-repeat}",
            f"@media (forced-colors: active){{{every}{{forced-color-adjust:none;background-color:CanvasText}}}}",
        ]
    for name in names:
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path d='{icons[name]}'/></svg>"
        rules.append(f'.{name}{{--pir-icon:url("data:image/svg+xml,{quote(svg, safe=" ,.-/=:")}")}}')
    return "\n".join(rules) + "\n"


_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def material_config(page_html: str, material_search: bool) -> str:
    """Material's page configuration (the `__config` script) in compact JSON and, on a
    site without Material's search plugin, without what only that search reads: the
    address of its worker and its messages (`search.*`). The search component that
    reads them is not on such a page (pir's search is site/search_plugin.py)."""

    def compact(match: re.Match) -> str:
        data = json.loads(match.group(2))
        if not material_search:
            data.pop("search", None)
            translations = data.get("translations") or {}
            data["translations"] = {k: v for k, v in translations.items() if not k.startswith("search.")}
        # As Material writes it (Jinja's tojson: sorted keys, HTML-safe), without the spaces.
        text = str(htmlsafe_json_dumps(data, sort_keys=True, separators=(",", ":")))
        return match.group(1) + text + match.group(3)

    return _CONFIG.sub(compact, page_html, count=1)


def compact_page(page_html: str, icons: dict[str, str], material_search: bool = False) -> str:
    """A generated page made smaller, looking and working the same.

    10,000 review pages carry Material's shell 10,000 times. Outside `<pre>`,
    `<textarea>`, `<script>` and `<style>`: the theme's indentation goes
    (trim_whitespace), Material's icons are drawn by a stylesheet
    (_icon_class, collecting into `icons`), each link of the navigation
    and the table of contents loses the ellipsis span around its title
    (it only clips a title too long for the sidebar, and the sidebar's
    titles are the site's sections and a review's section names), and the
    line breaks that never show and the end tags HTML lets a page leave out
    go. Material's page configuration is compacted too (material_config).
    """

    def icon(match: re.Match) -> str:
        path = match.group(1)
        name = _icon_class(path)
        icons[name] = path
        return f'<svg viewBox="0 0 24 24" class="{name}"></svg>'

    def compact(text: str) -> str:
        text = _ICON.sub(icon, _unindent(text))
        text = _NAV_TITLE.sub(r"\1\2\3", text)
        for pattern, keep in _SILENT_BREAKS:
            text = pattern.sub(keep, text)
        return _OPTIONAL_END.sub("", text)

    return material_config(_outside_kept(page_html, compact), material_search)


def take_as_html(page: Page, links: dict | None = None) -> None:
    """Make a page flagged `pir_html` render its body as HTML (called before MkDocs renders it).

    `links` is where the links it resolves are kept for the other pages of the
    same build (the plugin gives every page the same dict, new each build).
    """
    if is_prerendered(page) and not isinstance(page, PrerenderedPage):
        page.__class__ = PrerenderedPage
        page.pir_links = {} if links is None else links
