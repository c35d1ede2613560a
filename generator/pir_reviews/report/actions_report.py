"""`pir actions` listings: terminal text, JSON, Markdown (a job summary) and CSV.

The CSV has the shape of Jira's CSV import, so a spreadsheet of it can be
imported as issues as it is. Its columns map an action item like this:

| Jira column | from the action item |
|---|---|
| Summary | title |
| Description | the incident (id and title), the item's type and the review page |
| Assignee | owner (empty when unassigned; Jira matches names or e-mail addresses) |
| Priority | p1 High, p2 Medium, p3 Low (empty when not set) |
| Due Date | due, as YYYY-MM-DD (choose that date format in the import wizard) |
| Labels | three Labels columns, as Jira wants for several labels: pir, the incident id, the item type |
| Issue Type | Task |
| Status | open To Do, in_progress In Progress, done Done, wont_do Won't Do |
| Link | the tracker link already recorded, if any (map it or leave it unmapped) |
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Sequence

from pir_reviews.core.actions import ActionRow
from pir_reviews.render.escape import link as md_link, table_cell
from pir_reviews.render.urls import review_url

JIRA_PRIORITY = {"p1": "High", "p2": "Medium", "p3": "Low"}
JIRA_STATUS = {"open": "To Do", "in_progress": "In Progress", "done": "Done", "wont_do": "Won't Do"}
JIRA_COLUMNS = ("Summary", "Description", "Assignee", "Priority", "Due Date",
                "Labels", "Labels", "Labels", "Issue Type", "Status", "Link")
STATUS_WORDS = {"open": "open", "in_progress": "in progress", "done": "done", "wont_do": "won't do"}


def _plain(text: str) -> str:
    """One line for the terminal: control characters and line breaks become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def as_json(rows: Sequence[ActionRow], as_of: date) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "count": len(rows),
        "overdue": sum(r.overdue for r in rows),
        "items": [
            {
                "incident": r.incident_id,
                "incident_title": r.incident_title,
                "path": r.path,
                "key": r.key,
                "title": r.item.title,
                "type": r.item.type,
                "owner": r.item.owner,
                "priority": r.item.priority,
                "due": r.item.due.isoformat() if r.item.due else None,
                "status": r.item.status,
                "link": r.item.link,
                "overdue": r.overdue,
            }
            for r in rows
        ],
    }


def as_json_text(rows: Sequence[ActionRow], as_of: date) -> str:
    return json.dumps(as_json(rows, as_of), indent=2, ensure_ascii=False)


def _due(row: ActionRow) -> str:
    if row.item.due is None:
        return "no due date"
    return f"due {row.item.due.isoformat()}" + (" (OVERDUE)" if row.overdue else "")


def as_text(rows: Sequence[ActionRow], as_of: date) -> str:
    """One line per item, then a count; the incident first so `grep INC-...` works."""
    lines = []
    for r in rows:
        details = [STATUS_WORDS.get(r.item.status, r.item.status), _due(r), r.owner]
        if r.item.priority:
            details.append(r.item.priority)
        if r.item.type:
            details.append(r.item.type)
        line = f"{r.incident_id}  {_plain(r.item.title)}  [{', '.join(_plain(d) for d in details)}]"
        if r.item.link:
            line += f"  {_plain(r.item.link)}"
        lines.append(line)
    overdue = sum(r.overdue for r in rows)
    lines.append(f"{len(rows)} action item{'' if len(rows) == 1 else 's'}, {overdue} overdue, as of {as_of.isoformat()}")
    return "\n".join(lines)


def as_markdown(rows: Sequence[ActionRow], as_of: date, site_url: str | None = None) -> str:
    """A table for a job summary; review links are absolute when site_url is known."""
    overdue = sum(r.overdue for r in rows)
    out = [f"## Action items ({len(rows)}, {overdue} overdue as of {as_of.isoformat()})", ""]
    if not rows:
        out.append("No action items match.")
        return "\n".join(out) + "\n"
    out += ["| Incident | Action item | Owner | Priority | Due | Status | Link |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        incident = md_link(r.incident_id, review_url(r.incident_id, site_url)) if site_url else table_cell(r.incident_id)
        due = r.item.due.isoformat() + (" **overdue**" if r.overdue else "") if r.item.due else "none"
        tracker = md_link("tracker", r.item.link) if r.item.link else ""
        out.append(
            f"| {incident} | {table_cell(r.item.title)} | {table_cell(r.owner)} | {r.item.priority or ''} "
            f"| {due} | {STATUS_WORDS.get(r.item.status, r.item.status)} | {tracker} |"
        )
    return "\n".join(out) + "\n"


def _description(row: ActionRow, site_url: str | None) -> str:
    parts = [f"Action item from {row.incident_id}: {row.incident_title}."]
    if row.item.type:
        parts.append(f"Type: {row.item.type}.")
    parts.append(f"Review: {review_url(row.incident_id, site_url)}")
    return " ".join(parts)


def _cell(text: str) -> str:
    """A spreadsheet cell that a spreadsheet will not run as a formula."""
    text = " ".join(_plain(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_csv(rows: Sequence[ActionRow], site_url: str | None = None) -> str:
    """Jira's CSV import shape (see the module docstring for the mapping)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(JIRA_COLUMNS)
    for r in rows:
        item = r.item
        writer.writerow([
            _cell(item.title),
            _cell(_description(r, site_url)),
            _cell(item.owner or ""),
            JIRA_PRIORITY.get(item.priority or "", ""),
            item.due.isoformat() if item.due else "",
            "pir",
            r.incident_id,
            item.type or "",
            "Task",
            JIRA_STATUS[item.status],
            _cell(item.link or ""),
        ])
    return buffer.getvalue()
