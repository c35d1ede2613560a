"""Where a review lives: the one place review URLs are built.

Review pages have permanent URLs, `reviews/<ID>/` under the site root. Every
link to a review (pages, the feed, the export, the job summary, tracker
issues) comes from here, so the shape cannot drift between them.
"""

from __future__ import annotations

from urllib.parse import quote


def review_path(incident_id: str) -> str:
    """The review's URL path relative to the site root: reviews/<ID>/ (the id percent-encoded)."""
    return f"reviews/{quote(incident_id, safe='')}/"


def review_url(incident_id: str, site_url: str | None) -> str:
    """The review page's URL: absolute under site_url, else relative to the site root."""
    path = review_path(incident_id)
    if site_url is None:
        return path
    return site_url.rstrip("/") + "/" + path
