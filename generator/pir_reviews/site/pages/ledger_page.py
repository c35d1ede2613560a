"""The action-item ledger (action-items/index.md): every open or in-progress
item across all reviews, overdue first, then grouped by owner and by incident.

The page is an HTML body (action_items.html.j2) that the pir MkDocs plugin
takes as it is (render.prerendered). Python hands the template typed rows;
the template is autoescaped, so every piece of incident text stays text.
Overdue is judged against context.as_of and written out in words, never shown
by colour alone. A tracker link is published only when it is a plain http(s)
URL (escape.safe_url).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from pir_reviews.core.ledger import LedgerItem, ledger as build_ledger
from pir_reviews.render import escape, headings, prerendered, templating
from pir_reviews.core.models import Review
from pir_reviews.site.pages import SiteContext

TITLE = "Action items"
STATUS_WORDS = {"open": "open", "in_progress": "in progress"}
# The fixed headings of the page, in page order, as Python-Markdown named them.
FIXED_IDS = ("action-items", "overdue", "by-owner", "by-incident")


@dataclass(frozen=True)
class Line:
    """One item as the ledger tables show it (plain text: the template escapes)."""

    entry: LedgerItem
    title: str
    tracker: str | None  # the item's link when it is a plain http(s) URL
    due: str | None  # YYYY-MM-DD, None when the item has no due date
    status: str
    priority: str


@dataclass(frozen=True)
class Section:
    """One owner's or one incident's items, under a heading with an id."""

    heading: str
    id: str
    incident_id: str | None  # the incident of an incident section: its heading links to the review
    lines: tuple[Line, ...]


def line(entry: LedgerItem) -> Line:
    """The table cells of one ledger entry."""
    item = entry.item
    return Line(
        entry=entry,
        title=item.title,
        tracker=escape.safe_url(item.link),
        due=item.due.isoformat() if item.due is not None else None,
        status=STATUS_WORDS.get(item.status, item.status),
        priority=item.priority or "none",
    )


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """The ledger page as of context.as_of."""
    book = build_ledger(reviews, context.as_of)
    lines = {id(entry): line(entry) for entry in book.items}
    titles = {r.incident.id: r.incident.title for r in reviews}
    taken = set(FIXED_IDS)

    def section(heading: str, entries: Sequence[LedgerItem], incident_id: str | None = None) -> Section:
        anchor = headings.unique_id(headings.slug(heading), taken)
        taken.add(anchor)
        return Section(heading, anchor, incident_id, tuple(lines[id(e)] for e in entries))

    by_owner = tuple(section(owner, entries) for owner, entries in book.by_owner)
    by_incident = tuple(
        section(f"{incident}: {titles.get(incident, '')}", entries, incident) for incident, entries in book.by_incident
    )
    body = templating.render_html(
        "action_items.html.j2",
        book=book,
        as_of=context.as_of.isoformat(),
        overdue=tuple(lines[id(e)] for e in book.items if e.overdue),
        by_owner=by_owner,
        by_incident=by_incident,
        owners=len(book.by_owner),
    )
    return {"action-items/index.md": prerendered.page(TITLE, body)}
