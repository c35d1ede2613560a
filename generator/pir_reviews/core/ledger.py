"""The action-item ledger: every open or in-progress item of the archive, as of one day.

Pure: typed records in, typed records out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from pir_reviews.core.models import ActionItem, Review

UNASSIGNED = "Unassigned"


def owner_of(item: ActionItem) -> str:
    """The owner shown for an action item; a missing or blank owner is "Unassigned"."""
    return (item.owner or "").strip() or UNASSIGNED


def _owner_order(owner: str) -> tuple[int, str, str]:
    return (owner == UNASSIGNED, owner.casefold(), owner)


@dataclass(frozen=True)
class LedgerItem:
    incident_id: str
    incident_title: str
    item: ActionItem
    owner: str  # "Unassigned" when missing
    overdue: bool


@dataclass(frozen=True)
class Ledger:
    """Every open or in-progress action item of the archive, as of one day."""

    as_of: date
    items: tuple[LedgerItem, ...]  # overdue first, then by due date, incident, title
    by_owner: tuple[tuple[str, tuple[LedgerItem, ...]], ...]  # owners by name, Unassigned last
    by_incident: tuple[tuple[str, tuple[LedgerItem, ...]], ...]  # incidents by id

    @property
    def overdue(self) -> int:
        return sum(entry.overdue for entry in self.items)

    @property
    def no_due(self) -> int:
        return sum(entry.item.due is None for entry in self.items)

    @property
    def in_progress(self) -> int:
        return sum(entry.item.status == "in_progress" for entry in self.items)


def _ledger_order(entry: LedgerItem) -> tuple:
    due = entry.item.due
    return (not entry.overdue, due is None, due or date.max, entry.incident_id, entry.item.title, entry.item.line)


def ledger(reviews: Sequence[Review], as_of: date) -> Ledger:
    """Collect open and in-progress action items; overdue ones (due before as_of) first."""
    entries = sorted(
        (
            LedgerItem(
                incident_id=review.incident.id,
                incident_title=review.incident.title,
                item=item,
                owner=owner_of(item),
                overdue=item.overdue(as_of),
            )
            for review in reviews
            for item in review.incident.action_items
            if item.is_open
        ),
        key=_ledger_order,
    )
    by_owner: dict[str, list[LedgerItem]] = defaultdict(list)
    by_incident: dict[str, list[LedgerItem]] = defaultdict(list)
    for entry in entries:
        by_owner[entry.owner].append(entry)
        by_incident[entry.incident_id].append(entry)
    return Ledger(
        as_of=as_of,
        items=tuple(entries),
        by_owner=tuple((owner, tuple(by_owner[owner])) for owner in sorted(by_owner, key=_owner_order)),
        by_incident=tuple((incident, tuple(by_incident[incident])) for incident in sorted(by_incident)),
    )
