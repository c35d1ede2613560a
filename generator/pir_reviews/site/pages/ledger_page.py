"""The action-item ledger (action-items/index.md): every open or in-progress
item across all reviews, overdue first, then grouped by owner and by incident.

Overdue is judged against context.as_of and written out in words, never shown
by colour alone. A tracker link is published only when it is a plain http(s)
URL (escape.safe_url).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence
from urllib.parse import quote

from pir_reviews.core.ledger import LedgerItem, ledger as build_ledger
from pir_reviews.render import escape
from pir_reviews.render import templating
from pir_reviews.core.models import Review
from pir_reviews.site.pages import SiteContext

STATUS_WORDS = {"open": "open", "in_progress": "in progress"}


@dataclass(frozen=True)
class Line:
    """One item as the ledger tables show it: every cell already escaped Markdown."""

    entry: LedgerItem
    item: str
    due: str
    status: str
    priority: str
    incident: str


@dataclass(frozen=True)
class Section:
    heading: str  # Markdown, escaped
    lines: tuple[Line, ...]


def review_link(incident_id: str, title: str | None = None) -> str:
    """A Markdown link from action-items/ to the incident's review page."""
    text = escape.inline(incident_id if title is None else f"{incident_id}: {title}")
    return f"[{text}](../reviews/{quote(incident_id, safe='')}/)"


def line(entry: LedgerItem) -> Line:
    """The table cells of one ledger entry, escaped for a Markdown table."""
    item = entry.item
    text = escape.table_cell(item.title)
    if escape.safe_url(item.link) is not None:
        text += " (" + escape.link("tracker", item.link) + ")"
    if item.due is None:
        due = "no due date"
    elif entry.overdue:
        due = f"**Overdue**: due {item.due.isoformat()}"
    else:
        due = item.due.isoformat()
    return Line(
        entry=entry,
        item=text,
        due=due,
        status=escape.table_cell(STATUS_WORDS.get(item.status, item.status)),
        priority=escape.table_cell(item.priority or "none"),
        incident=review_link(entry.incident_id),
    )


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """The ledger page as of context.as_of."""
    book = build_ledger(reviews, context.as_of)
    lines = {id(entry): line(entry) for entry in book.items}
    titles = {r.incident.id: r.incident.title for r in reviews}
    page = templating.render(
        "action_items.md.j2",
        book=book,
        as_of=context.as_of.isoformat(),
        overdue=tuple(lines[id(e)] for e in book.items if e.overdue),
        by_owner=tuple(
            Section(escape.inline(owner), tuple(lines[id(e)] for e in entries)) for owner, entries in book.by_owner
        ),
        by_incident=tuple(
            Section(review_link(incident, titles.get(incident, "")), tuple(lines[id(e)] for e in entries))
            for incident, entries in book.by_incident
        ),
        owners=len(book.by_owner),
    )
    return {"action-items/index.md": page}
