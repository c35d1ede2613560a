"""The pages that list reviews: home (index.md), the archive index
(reviews/index.md, permanent URL reviews/) and the browse pages (browse/...).

Each page is an HTML body (home.html.j2, index_reviews.html.j2,
browse_index.html.j2, browse_group.html.j2) that the pir MkDocs plugin takes
as it is (render.prerendered). The archive index is one HTML table of every
incident, newest first, readable without a script;
generator/theme/assets/pir/archive-table.js adds sorting and a filter.
Browse pages group incidents by service, severity, tag and year; they are left
out of the navigation (mkdocs.yml `not_in_nav`) and linked from browse/index.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

from pir_reviews.core.browse import groups as group_reviews, newest_first, recently_updated, slugs
from pir_reviews.render import headings, prerendered, templating
from pir_reviews.core.models import SEVERITIES, Review
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.pages.review_page import REVIEW_STATUS_TITLES, STATUS_TITLES, format_minutes

LATEST_ON_HOME = 10


@dataclass(frozen=True)
class Row:
    """One incident as the listing tables show it."""

    id: str
    title: str
    date: str  # YYYY-MM-DD, UTC
    started: str  # ISO 8601 UTC, the sort key of the date column
    severity: str
    severity_rank: int
    services: str
    duration: str
    duration_min: str  # the sort key: whole minutes, "" when unknown
    status: str
    open_items: int
    overdue_items: int


@dataclass(frozen=True)
class Group:
    """One browse page: a named set of incidents at browse/<kind>/<slug>.md."""

    kind: str  # "services" | "severity" | "tags" | "years"
    name: str
    slug: str
    rows: tuple[Row, ...]

    @property
    def path(self) -> str:
        return f"browse/{self.kind}/{self.slug}.md"


KIND_TITLES = {"severity": "Severity", "services": "Service", "tags": "Tag", "years": "Year"}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def row(review: Review, context: SiteContext) -> Row:
    """The listing row of one review."""
    incident = review.incident
    started = _utc(incident.started_at)
    duration = review.timeline.metrics.get("duration_min")
    severity = review.severity
    return Row(
        id=incident.id,
        title=incident.title,
        date=started.strftime("%Y-%m-%d"),
        started=started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        severity=severity,
        severity_rank=SEVERITIES.index(severity) + 1 if severity in SEVERITIES else len(SEVERITIES) + 1,
        services=", ".join(incident.services),
        duration="ongoing" if duration is None and review.incident.status != "resolved" else format_minutes(duration),
        duration_min="" if duration is None else str(int(round(duration))),
        status=STATUS_TITLES.get(incident.status, incident.status),
        open_items=sum(1 for item in incident.action_items if item.is_open),
        overdue_items=sum(1 for item in incident.action_items if item.overdue(context.as_of)),
    )


def groups(reviews: Sequence[Review], rows: dict[str, Row]) -> tuple[Group, ...]:
    """Every browse group, severity first, then services, tags and years."""
    browse = group_reviews(reviews)

    def listed(members: Sequence[Review]) -> tuple[Row, ...]:
        return tuple(rows[m.incident.id] for m in members)

    service_slugs = slugs(browse.by_service)
    tag_slugs = slugs(browse.by_tag)
    found = [Group("severity", s.upper(), s, listed(m)) for s, m in browse.by_severity.items()]
    found += [Group("services", s, service_slugs[s], listed(m)) for s, m in browse.by_service.items()]
    found += [Group("tags", t, tag_slugs[t], listed(m)) for t, m in browse.by_tag.items()]
    found += [Group("years", str(y), str(y), listed(m)) for y, m in browse.by_year.items()]
    return tuple(found)


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """Home, the archive index, the browse index and every browse page."""
    ordered = newest_first(reviews)
    rows = {r.incident.id: row(r, context) for r in ordered}
    listing = tuple(rows[r.incident.id] for r in ordered)
    browse = groups(ordered, rows)
    open_items = sum(r.open_items for r in listing)
    overdue_items = sum(r.overdue_items for r in listing)
    common = dict(rows=listing, kind_titles=KIND_TITLES, as_of=context.as_of.isoformat())

    latest = listing[:LATEST_ON_HOME]
    # A review written long after its incident (back-filled) never makes the
    # latest list by impact date; while it is being written it shows here.
    # Until incidents record when their review changed, this is the signal.
    shown = {r.id for r in latest}
    in_progress = tuple(
        (rows[r.incident.id], REVIEW_STATUS_TITLES[r.incident.review_status])
        for r in ordered
        if r.incident.review_status != "final" and r.incident.id not in shown
    )[:LATEST_ON_HOME]
    pages = {
        "index.md": _page(
            "Post-incident reviews",
            "home.html.j2",
            latest=latest,
            in_progress=in_progress,
            updated=tuple((r.incident.updated_at.isoformat(), rows[r.incident.id]) for r in recently_updated(ordered)),
            total=len(listing),
            oldest=listing[-1].date if listing else None,
            newest=listing[0].date if listing else None,
            open_items=open_items,
            overdue_items=overdue_items,
            **common,
        ),
        "reviews/index.md": _page("Reviews", "index_reviews.html.j2", hide=("toc",), **common),
        "browse/index.md": _page("Browse", "browse_index.html.j2", groups=browse, **common),
    }
    for group in browse:
        title = f"{KIND_TITLES[group.kind]}: {group.name}"
        pages[group.path] = _page(title, "browse_group.html.j2", group=group, title_id=headings.slug(title), **common)
    return pages


def _page(title: str, template: str, *, hide: tuple[str, ...] = (), **values) -> str:
    return prerendered.page(title, templating.render_html(template, **values), hide=hide)
