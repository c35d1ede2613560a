"""Page builders: each module turns reviews into generated files.

Every builder exposes `render(reviews, context) -> dict[str, str]`, mapping a
path relative to the generated docs folder (e.g. "reviews/INC-1.md") to its
content; review pages, the bulk of a large archive, are rendered one at a time
(`review_page.render_body`, then `review_page.page_from_body`) by
pir_reviews.site.batch instead. They are pure: the writer
stage puts the files on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about the site they are part of."""

    as_of: date  # the day overdue action items are judged against
    site_url: str | None = None  # from mkdocs.yml; absolute links in feeds
    edit_base: str | None = None  # e.g. https://github.com/org/repo/edit/main/ ; + incident path
