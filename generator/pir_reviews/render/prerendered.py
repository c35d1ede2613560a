"""The file format of a generated page whose body pir has already rendered to HTML.

Such a page is still a `.md` file under docs/generated/, so MkDocs gives it
its place and its URL (reviews/INC-1.md is reviews/INC-1/). Its front matter
carries `pir_html: true`; the pir MkDocs plugin (site.html_bodies) then uses
the body as the page's HTML instead of converting it as Markdown, taking the
table of contents from its headings and turning links to other `.md` files
into the site's URLs.

Front matter: title (the page title), pir_generated, pir_html, when there
is one pir_edit_url (where the theme's edit button points) and, when asked
for, Material's `hide` list (such as `toc`).
"""

from __future__ import annotations

from pir_reviews.render.escape import front_matter_str

FLAG = "pir_html"


def page(title: str, body: str, *, edit_url: str | None = None, hide: tuple[str, ...] = ()) -> str:
    """The whole file: front matter, then the HTML body."""
    head = [f"title: {front_matter_str(title)}", "pir_generated: true", f"{FLAG}: true"]
    if edit_url:
        head.append(f"pir_edit_url: {front_matter_str(edit_url)}")
    if hide:
        head.append("hide:")
        head.extend(f"  - {front_matter_str(part)}" for part in hide)
    return "---\n" + "\n".join(head) + "\n---\n" + body
