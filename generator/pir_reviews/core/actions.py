"""The action items of the whole archive, selected for `pir actions`.

Pure: incidents in, typed rows out. Every row carries a key that stays the
same while the item keeps its title, so the tracker sync can find the issue it
opened for the item again (see generator.tracker.sync).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from pir_reviews.core.browse import slug
from pir_reviews.core.ledger import owner_of
from pir_reviews.core.models import ActionItem, Incident

SELECTIONS = ("open", "overdue", "done", "all")


@dataclass(frozen=True)
class ActionRow:
    """One action item with the incident it belongs to, as of one day."""

    incident_id: str
    incident_title: str
    path: str  # the incident file, as messages show it
    index: int  # position in the file's action_items list
    key: str  # stable within the incident: the title's slug, numbered when titles repeat
    item: ActionItem
    owner: str  # "Unassigned" when missing or blank
    overdue: bool

    @property
    def marker(self) -> str:
        """What identifies the item across runs, e.g. "INC-2024-0315-001:add-pool-alert"."""
        return f"{self.incident_id}:{self.key}"


def item_keys(items: Iterable[ActionItem]) -> list[str]:
    """A key per item: the slug of its title; the second item with the same slug gets "-2", and so on."""
    seen: Counter[str] = Counter()
    keys = []
    for item in items:
        base = slug(item.title)
        seen[base] += 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


def rows(incidents: Iterable[Incident], as_of: date) -> list[ActionRow]:
    """Every action item of the archive, by incident id and then in file order."""
    out = []
    for incident in sorted(incidents, key=lambda i: (i.id, i.path)):
        for index, (item, key) in enumerate(zip(incident.action_items, item_keys(incident.action_items))):
            out.append(ActionRow(
                incident_id=incident.id,
                incident_title=incident.title,
                path=incident.path,
                index=index,
                key=key,
                item=item,
                owner=owner_of(item),
                overdue=item.overdue(as_of),
            ))
    return out


def select(all_rows: Iterable[ActionRow], status: str = "open", owner: str | None = None) -> list[ActionRow]:
    """The rows a listing shows.

    open: open or in progress; overdue: open or in progress and due before the
    day; done: closed (done or won't do); all: everything. An owner is matched
    without regard to case; "Unassigned" matches items without one. Overdue
    items come first, then by due date (none last), incident and position.
    """
    if status not in SELECTIONS:
        raise ValueError(f"unknown selection {status!r}")
    wanted = owner.strip().casefold() if owner else None
    chosen = [
        row for row in all_rows
        if (status == "all"
            or (status == "open" and row.item.is_open)
            or (status == "overdue" and row.overdue)
            or (status == "done" and not row.item.is_open))
        and (wanted is None or row.owner.casefold() == wanted)
    ]
    return sorted(chosen, key=lambda r: (not r.overdue, r.item.due is None, r.item.due or date.max, r.incident_id, r.index))
