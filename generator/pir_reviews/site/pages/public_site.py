"""The pages of the customer-facing site (`pir build --audience public`).

Its own home page, review index, one page per public incident and an RSS
feed, rendered from incidents already reduced by pir_reviews.core.public: these
builders never see a field that is not public. Pages link only to each other:
no edit links, no playbooks, no action items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from pir_reviews.core.browse import newest_first, recently_updated, utc_day
from pir_reviews.render import templating
from pir_reviews.core.models import Review
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.pages.feeds import rss
from pir_reviews.site.pages.review_page import STATUS_TITLES, format_minutes

LATEST_ON_HOME = 10


@dataclass(frozen=True)
class Entry:
    """One public review as the listings show it."""

    id: str
    title: str
    date: str  # the day impact began, UTC
    severity: str
    status: str
    updated: str | None  # updated_at, YYYY-MM-DD


def entry(review: Review) -> Entry:
    incident = review.incident
    return Entry(
        id=incident.id,
        title=incident.title,
        date=utc_day(incident.started_at),
        severity=(incident.severity or "").upper(),
        status=STATUS_TITLES.get(incident.status, incident.status),
        updated=incident.updated_at.isoformat() if incident.updated_at else None,
    )


def review_page(review: Review) -> str:
    incident, timeline = review.incident, review.timeline
    milestones = [
        (title, timeline.milestones[name].at if name in timeline.milestones else None)
        for name, title in (("started_at", "Impact began"), ("detected_at", "Detected"),
                            ("mitigated_at", "Impact ended"), ("resolved_at", "Resolved"))
    ]
    return templating.render(
        "public_review.md.j2",
        incident=incident,
        milestones=milestones,
        duration=format_minutes(timeline.metrics.get("duration_min")),
        status=STATUS_TITLES.get(incident.status, incident.status),
    )


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """index.md, reviews/index.md, reviews/<id>.md and feed.xml."""
    ordered = newest_first(reviews)
    entries = [entry(r) for r in ordered]
    updated = [entry(r) for r in recently_updated(ordered)]
    pages = {
        "index.md": templating.render("public_home.md.j2", latest=entries[:LATEST_ON_HOME], total=len(entries), updated=updated),
        "reviews/index.md": templating.render("public_index.md.j2", entries=entries),
        "feed.xml": rss(ordered, context),
    }
    for review in ordered:
        pages[f"reviews/{review.incident.id}.md"] = review_page(review)
    return pages
