"""One page per incident: reviews/<id>.md, the permanent URL reviews/<id>/.

The page holds the review's HTML body (page_review.html.j2), which the pir
MkDocs plugin hands to MkDocs as it is instead of converting Markdown
(site.prerendered): the same sections as `pir review` prints, under a header
made for the site (badges, the phases as a static bar in HTML and CSS),
then related incidents, a link to edit the incident's YAML and links to its
neighbours in time. Unlike `pir review`, the page says nothing twice (see
the template).

Nothing on a review page depends on the size of the archive except the short
list of related incidents, so a page does not grow with the archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence
from urllib.parse import quote

from pir_reviews.core.browse import neighbours, newest_first
from pir_reviews.core.related import Related, related as find_related
from pir_reviews.render import escape
from pir_reviews.render import headings, prerendered, templating
from pir_reviews.core.models import PHASE_TITLES, Review
from pir_reviews.render import review_markdown as review_output
from pir_reviews.site.pages import SiteContext

TEMPLATE = "page_review.html.j2"
AROUND_TEMPLATE = "page_review_around.html.j2"

STATUS_TITLES = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
}

REVIEW_STATUS_TITLES = {"draft": "Draft", "in_review": "In review", "final": "Final"}


@dataclass(frozen=True)
class Badge:
    css: str  # classes, from fixed vocabularies
    name: str
    value: str


@dataclass(frozen=True)
class PhaseSegment:
    name: str  # one of PHASES: also the CSS modifier
    title: str
    width_pct: str  # e.g. "12.50": the share of the whole bar
    minutes: float
    in_bar: bool = True  # False for the lead-up and the follow-up, listed beside the bar


@dataclass(frozen=True)
class Neighbour:
    id: str
    title: str


def page_path(incident_id: str) -> str:
    """Where the page of an incident is written, relative to the generated folder."""
    return f"reviews/{incident_id}.md"


def format_minutes(value: float | None) -> str:
    """A duration as every page shows it ("1h 05m"); "unknown" when not known."""
    return templating.minutes(value)


def badges(review: Review) -> tuple[Badge, ...]:
    """Severity, status, review status and duration, in that order."""
    incident = review.incident
    severity = review.severity
    origin = "declared" if incident.severity else "computed"
    duration = review.timeline.metrics.get("duration_min")
    return (
        Badge(f"pir-sev pir-sev--{severity}", "Severity", f"{severity.upper()} ({origin})"),
        Badge(f"pir-status pir-status--{incident.status}", "Status", STATUS_TITLES.get(incident.status, incident.status)),
        Badge(
            f"pir-review pir-review--{incident.review_status}",
            "Review",
            REVIEW_STATUS_TITLES.get(incident.review_status, incident.review_status),
        ),
        Badge("pir-duration", "Duration", format_minutes(duration)),
    )


OUTSIDE_IMPACT = ("lead_up", "post_incident")


def phase_segments(review: Review) -> tuple[PhaseSegment, ...]:
    """The phases, each with its share of the bar (widths summing to 100).

    The bar shows the response, from the start of impact to resolution: the
    lead-up and the post-incident follow-up can last days and would squeeze
    the response into a sliver, so they are listed beside the bar instead
    (in_bar False, width 0). Shares are rounded to hundredths; the last
    segment takes what rounding left. Zero-length phases keep a zero share
    (the CSS gives them a sliver so they can still be seen).
    """
    phases = review.timeline.phases
    if not phases:
        return ()
    active = [p for p in phases if p.name not in OUTSIDE_IMPACT]
    total = sum(max(p.duration_min, 0.0) for p in active)
    shares: dict[str, int] = {}  # in hundredths of a percent
    for p in active:
        share = max(p.duration_min, 0.0) / total if total > 0 else 1 / len(active)
        shares[p.name] = int(round(share * 10000))
    if active:
        shares[active[-1].name] = max(10000 - sum(shares[p.name] for p in active[:-1]), 0)
    return tuple(
        PhaseSegment(
            name=p.name,
            title=PHASE_TITLES.get(p.name, p.name),
            width_pct=f"{shares.get(p.name, 0) // 100}.{shares.get(p.name, 0) % 100:02d}",
            minutes=p.duration_min,
            in_bar=p.name in shares,
        )
        for p in phases
    )


def edit_url(path: str | None, context: SiteContext) -> str | None:
    """The repository URL that edits the incident's YAML (at `path` in the repository), when the site has one."""
    base = context.edit_base
    if not base or not path or path.startswith("<") or path.startswith("/") or ".." in path.split("/"):
        return None
    return escape.safe_url(base.rstrip("/") + "/" + quote(path, safe="/"))


@dataclass(frozen=True)
class ReviewBody:
    """A review page as far as the review alone decides it: what the cache keeps of a review."""

    title: str  # "INC-...: title", the page's title
    path: str | None  # the incident file in the repository, for the edit link
    html: str  # the body up to the related incidents (page_review.html.j2)


def render_body(review: Review) -> ReviewBody:
    """The part of the page that depends on the review alone, rendered once per analysis."""
    incident = review.incident
    title = f"{incident.id}: {incident.title}"
    html = templating.render_html(
        TEMPLATE,
        **review_output.document_context(review),
        page_title=title,
        title_id=headings.unique_id(headings.slug(title), headings.REVIEW_IDS),
        phase_ids={name: headings.slug(phase) for name, phase in PHASE_TITLES.items()},
        badges=badges(review),
        phases=phase_segments(review),
    )
    return ReviewBody(title, incident.path, html)


def page_from_body(
    body: ReviewBody,
    context: SiteContext,
    related: Sequence[Related],
    previous: Neighbour | None,
    following: Neighbour | None,
) -> str:
    """The page of one review: front matter, its body, then what needs the whole archive (page_review_around.html.j2)."""
    edit = edit_url(body.path, context)
    around = templating.render_html(
        AROUND_TEMPLATE, related=tuple(related), edit_url=edit, previous=previous, following=following,
    )
    return prerendered.page(body.title, body.html + around, edit_url=edit)


def render_page(
    review: Review,
    context: SiteContext,
    related: Sequence[Related],
    previous: Neighbour | None,
    following: Neighbour | None,
) -> str:
    """The page of one review: front matter, then its HTML body."""
    return page_from_body(render_body(review), context, related, previous, following)


PageJob = tuple[Review, SiteContext, tuple[Related, ...], "Neighbour | None", "Neighbour | None"]


def page_jobs(reviews: Sequence[Review], context: SiteContext) -> list[PageJob]:
    """The arguments of `render_page` for every review, newest first.

    The pages are rendered by pir_reviews.site.batch (on every core, reusing cached
    pages): the related incidents and neighbours of each one are computed here.
    """
    by_id = {r.incident.id: r for r in reviews}
    related = find_related(reviews)
    around = neighbours(reviews)

    def neighbour(incident_id: str | None) -> Neighbour | None:
        return None if incident_id is None else Neighbour(incident_id, by_id[incident_id].incident.title)

    jobs: list[PageJob] = []
    for review in newest_first(reviews):
        before, after = around.get(review.incident.id, (None, None))
        jobs.append((review, context, tuple(related.get(review.incident.id, ())), neighbour(before), neighbour(after)))
    return jobs
