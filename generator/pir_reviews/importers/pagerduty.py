"""PagerDuty's incident log entries (REST API, `GET /incidents/{id}/log_entries`) to events.

A download of several pages is several files; an entry on two pages (the
API's offsets shift while an incident is live) is read once, by its id. The
entry's type is PagerDuty's own account of what happened, so it decides the
event type (declared, not inferred); the other entry types (priority and
urgency changes, snoozes, ...) are declared notes, with their summary.
"""

from __future__ import annotations

from pathlib import Path

from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers import json_tree
from pir_reviews.importers.common import Imported, Piped, ImportedEvent, created_at, event, read_text
from pir_reviews.importers.json_tree import Located

SOURCE = "pagerduty"
EXPECTED = 'PagerDuty log entries: the JSON object {"log_entries": [...]} that GET /incidents/{id}/log_entries returns'

TYPES = {
    "trigger_log_entry": "alert",
    "notify_log_entry": "page",
    "acknowledge_log_entry": "ack",
    "escalate_log_entry": "escalation",
    "assign_log_entry": "escalation",
    "delegate_log_entry": "escalation",
    "annotate_log_entry": "note",
    "resolve_log_entry": "resolution",
}


def read_pages(paths: list[Path | Piped]) -> Imported:
    """Every entry of every page, each id once, in the order the pages give them."""
    seen: set[str] = set()
    events: list[ImportedEvent] = []
    problems: list[Problem] = []
    for path in paths:
        shown = path.as_posix()
        for entry in _entries(json_tree.parse(read_text(path, EXPECTED), shown, EXPECTED), shown):
            ident = entry.text("id")
            if ident is not None:
                if ident in seen:
                    continue
                seen.add(ident)
            found = _event(entry, shown, len(events), problems)
            if found is not None:
                events.append(found)
    if problems:
        raise InvalidInput(problems)
    return Imported(events, [])


def _entries(root: Located, path: str) -> list[Located]:
    """The page's entries; a bare array of entries (some tools save only that) is accepted too."""
    listed = root.get("log_entries") if root.kind == "object" else root
    if listed is None or listed.kind != "array":
        raise InvalidInput([Problem(path, root.line, root.col, f"expected {EXPECTED}, found {root.described()}" + (" without log_entries" if root.kind == "object" else ""))])
    bad = [
        Problem(path, item.line, item.col, f"expected a log entry (an object whose type ends in _log_entry), found {item.described()}")
        for item in listed.value
        if item.kind != "object" or not (item.text("type") or "").endswith("_log_entry")
    ]
    if bad:
        raise InvalidInput(bad)
    return listed.value


def _event(entry: Located, path: str, order: int, problems: list[Problem]) -> ImportedEvent | None:
    at = created_at(entry, "log entry", path, problems)
    if at is None:
        return None
    kind = entry.text("type") or ""
    agent = entry.get("agent")
    actor = agent.text("summary") if agent is not None else None
    names = tuple(n for n in (agent.text("id"), agent.text("name")) if n) if agent is not None else ()
    return event(at, _message(entry, kind), order=order, source=SOURCE, actor=actor, type=TYPES.get(kind, "note"), names=names)


def _message(entry: Located, kind: str) -> str:
    """The entry's summary; a note's own text; a trigger's summary with the alert's description."""
    summary = entry.text("summary") or kind.removesuffix("_log_entry").replace("_", " ")
    channel = entry.get("channel")
    if kind == "annotate_log_entry":
        note = (channel.text("summary") if channel is not None else None) or entry.text("note")
        return note or summary
    if kind == "trigger_log_entry":
        details = entry.get("event_details")
        described = (details.text("description") if details is not None else None) or (channel.text("summary") if channel is not None else None)
        if described and described.strip() and described.strip() not in summary:
            return f"{summary.rstrip('.')}: {described.strip()}"
    return summary
