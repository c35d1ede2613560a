"""The action-item ledger: action-items/index.md and one page per owner
(action-items/owners/<slug>.md).

The ledger lists each open or in-progress item of the archive at most once:
the overdue ones in one table (with owner and incident), then one row per
owner (their counts, linking to their page) and one row per incident with
open items (linking to the review's action items). Each owner's page lists
that owner's open items once, overdue first. So the ledger grows with the
overdue items, the owners and the incidents, not three times with every item.

The owner and incident rows carry the ids their section headings had when
the ledger listed every item under them (the same slugs, reserved in the
same order), so an old link such as action-items/#sarah-chen still lands on
that owner.

The pages are HTML bodies (action_items.html.j2, action_items_owner.html.j2)
that the pir MkDocs plugin takes as they are (render.prerendered). Python
hands the templates typed rows; the templates are autoescaped, so every piece
of incident text stays text. Overdue is judged against context.as_of and
written out in words, never shown by colour alone. A tracker link is
published only when it is a plain http(s) URL (escape.safe_url).

`render` reads only the incident id, title and action items of each record,
so it takes full reviews and ReviewSummary records alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from pir_reviews.core.browse import slugs
from pir_reviews.core.ledger import UNASSIGNED, LedgerItem, ledger as build_ledger
from pir_reviews.render import escape, headings, prerendered, templating
from pir_reviews.site.pages import SiteContext

TITLE = "Action items"
INDEX = "action-items/index.md"
OWNERS = "action-items/owners"
STATUS_WORDS = {"open": "open", "in_progress": "in progress"}
# The fixed headings of the ledger, in page order, as Python-Markdown named them.
FIXED_IDS = ("action-items", "overdue", "by-owner", "by-incident")


@dataclass(frozen=True)
class Line:
    """One item as the tables show it (plain text: the template escapes)."""

    entry: LedgerItem
    title: str
    tracker: str | None  # the item's link when it is a plain http(s) URL
    due: str | None  # YYYY-MM-DD, None when the item has no due date
    status: str
    priority: str


@dataclass(frozen=True)
class OwnerRow:
    """One owner on the ledger: their counts and their page."""

    name: str
    id: str  # the id of the owner's old section heading
    page: str  # relative to action-items/: owners/<slug>.md
    open: int  # status open
    in_progress: int
    overdue: int
    no_due: int


@dataclass(frozen=True)
class IncidentRow:
    """One incident with open items on the ledger."""

    incident_id: str
    title: str
    id: str  # the id of the incident's old section heading
    open: int  # open or in progress
    overdue: int


@dataclass(frozen=True)
class OwnerPage:
    """One owner's page: their open items, overdue first."""

    name: str
    title: str
    title_id: str
    lines: tuple[Line, ...]
    overdue: int
    in_progress: int


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


def owner_path(slug: str) -> str:
    """The owner's page, relative to docs/generated/."""
    return f"{OWNERS}/{slug}.md"


def _overdue(entries: Sequence[LedgerItem]) -> int:
    return sum(e.overdue for e in entries)


def _in_progress(entries: Sequence[LedgerItem]) -> int:
    return sum(e.item.status == "in_progress" for e in entries)


def render(reviews: Sequence, context: SiteContext) -> dict[str, str]:
    """The ledger and every owner's page as of context.as_of.

    `reviews` are Review or ReviewSummary records: only incident.id, .title
    and .action_items are read.
    """
    book = build_ledger(reviews, context.as_of)
    titles = {r.incident.id: r.incident.title for r in reviews}
    owner_slugs = slugs(owner for owner, _ in book.by_owner)
    taken = set(FIXED_IDS)

    def reserve(heading: str) -> str:
        anchor = headings.unique_id(headings.slug(heading), taken)
        taken.add(anchor)
        return anchor

    # Owners first, then incidents: the order the old section headings took their ids in.
    owners = tuple(
        OwnerRow(
            name=owner,
            id=reserve(owner),
            page=f"owners/{owner_slugs[owner]}.md",
            open=sum(e.item.status == "open" for e in entries),
            in_progress=_in_progress(entries),
            overdue=_overdue(entries),
            no_due=sum(e.item.due is None for e in entries),
        )
        for owner, entries in book.by_owner
    )
    incidents = tuple(
        IncidentRow(
            incident_id=incident,
            title=titles.get(incident, ""),
            id=reserve(f"{incident}: {titles.get(incident, '')}"),
            open=len(entries),
            overdue=_overdue(entries),
        )
        for incident, entries in book.by_incident
    )
    body = templating.render_html(
        "action_items.html.j2",
        book=book,
        as_of=context.as_of.isoformat(),
        overdue=tuple(line(e) for e in book.items if e.overdue),
        owners=owners,
        incidents=incidents,
        unassigned=any(owner == UNASSIGNED for owner, _ in book.by_owner),
    )
    pages = {INDEX: prerendered.page(TITLE, body)}
    for owner, entries in book.by_owner:
        title = f"{TITLE}: {owner}"
        page = OwnerPage(
            name=owner,
            title=title,
            title_id=headings.slug(title),
            lines=tuple(line(e) for e in entries),  # the ledger's order: overdue first
            overdue=_overdue(entries),
            in_progress=_in_progress(entries),
        )
        pages[owner_path(owner_slugs[owner])] = prerendered.page(
            title,
            templating.render_html("action_items_owner.html.j2", page=page, as_of=context.as_of.isoformat(),
                                   unassigned=owner == UNASSIGNED),
        )
    return pages
