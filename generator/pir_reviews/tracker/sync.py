"""The plan of a sync between the archive's action items and GitHub issues.

Each action item is matched to an issue by the hidden marker pir writes into
every issue it opens (`<!-- pir:INC-...:<item key> -->`), else by the item's
recorded link. From the match follows what to do:

- an open or in-progress item with neither: open an issue;
- an item without a link whose issue exists: record the link (never a second issue);
- an issue closed on GitHub while the item is open: the item becomes done
  (wont_do when the issue was closed as not planned);
- an issue reopened on GitHub while the item is closed: the item becomes open;
- an item closed in the archive whose issue is still open (and was not
  reopened): close the issue.

Planning only reads; `execute` makes the calls; the caller writes the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from pir_reviews.render import escape
from pir_reviews.core.actions import ActionRow
from pir_reviews.tracker.github_issues import GitHub, Issue

MARKER = re.compile(r"<!-- pir:(\S+) -->")


def marker_text(row: ActionRow) -> str:
    return f"<!-- pir:{row.marker} -->"


@dataclass(frozen=True)
class Step:
    """What one action item needs; `new_link`/`new_status` are what the file will record."""

    row: ActionRow
    issue: Issue | None = None
    create: bool = False
    close_as: str | None = None  # "completed" | "not_planned": close the issue
    new_link: str | None = None
    new_status: str | None = None
    title: str = ""
    body: str = ""
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        where = f"{self.row.incident_id} {self.row.item.title!r}"
        parts = []
        if self.create:
            opened = f" (#{self.issue.number} {self.issue.url})" if self.issue else ""
            parts.append("open an issue" + (f" assigned to {', '.join(self.assignees)}" if self.assignees else "") + opened)
        if self.close_as:
            parts.append(f"close issue #{self.issue.number} ({self.close_as.replace('_', ' ')})")
        if self.new_link and not self.create:
            parts.append(f"record link {self.new_link}")
        if self.new_status:
            parts.append(f"status {self.row.item.status} -> {self.new_status}")
        return f"{where}: " + "; ".join(parts)


def issue_number(link: str | None, repo: str) -> int | None:
    """The issue number when the link is an issue page of this repository (any host)."""
    if not link:
        return None
    match = re.search(r"/([^/]+/[^/]+)/issues/(\d+)/?$", link)
    if match and match.group(1).casefold() == repo.casefold():
        return int(match.group(2))
    return None


def _text(text: str) -> str:
    """Incident text for the issue's Markdown: escaped, and an "@" followed by
    a zero-width space so that no name in it notifies anyone on GitHub."""
    return escape.inline(text).replace("@", "@\u200b")


def issue_body(row: ActionRow, review_url: str) -> str:
    """What the issue says: where the item comes from, its details, and the marker."""
    item = row.item
    lines = [
        f"Action item from the post-incident review [{_text(row.incident_id)}: {_text(row.incident_title)}]({review_url}).",
        "",
        f"- Type: {item.type or 'not set'}",
        f"- Priority: {item.priority or 'not set'}",
        f"- Owner: {_text(row.owner)}",
        f"- Due: {item.due.isoformat() if item.due else 'no due date'}",
        f"- Incident file: `{row.path}`",
        "",
        "Closing this issue marks the item done in the archive at the next sync; reopening it marks it open again.",
        "",
        marker_text(row),
    ]
    return "\n".join(lines) + "\n"


def _status_from(issue: Issue, status: str) -> str | None:
    """The item's new status after what happened on GitHub, or None when it stands."""
    open_item = status in ("open", "in_progress")
    if issue.state == "closed" and open_item:
        return "wont_do" if issue.state_reason == "not_planned" else "done"
    if issue.state == "open" and not open_item and issue.state_reason == "reopened":
        return "open"
    return None


def plan(rows: Sequence[ActionRow], issues: Sequence[Issue], *, label: str, repo: str,
         review_urls: Mapping[str, str], owners: Mapping[str, str]) -> list[Step]:
    """One step per item that needs anything, in the rows' order."""
    by_marker: dict[str, Issue] = {}
    for issue in sorted(issues, key=lambda i: i.number):
        match = MARKER.search(issue.body)
        if match:
            by_marker.setdefault(match.group(1), issue)  # the oldest wins if two carry it
    by_number = {issue.number: issue for issue in issues}
    steps = []
    for row in rows:
        item = row.item
        issue = by_marker.get(row.marker) or by_number.get(issue_number(item.link, repo) or -1)
        if issue is None:
            if item.is_open and not item.link:
                login = owners.get(item.owner or "")
                steps.append(Step(
                    row=row, create=True,
                    title=item.title,
                    body=issue_body(row, review_urls[row.incident_id]),
                    labels=tuple(dict.fromkeys(x for x in (label, item.type, item.priority) if x)),
                    assignees=(login,) if login else (),
                ))
            continue
        new_link = issue.url if not item.link else None
        new_status = _status_from(issue, item.status)
        close_as = None
        if new_status is None and issue.state == "open" and not item.is_open and issue.state_reason != "reopened":
            close_as = "not_planned" if item.status == "wont_do" else "completed"
        if new_link or new_status or close_as:
            steps.append(Step(row=row, issue=issue, new_link=new_link, new_status=new_status, close_as=close_as))
    return steps


def linked_elsewhere(rows: Sequence[ActionRow], issues: Sequence[Issue], repo: str) -> list[int]:
    """Issue numbers that items link to but that the label's listing did not return."""
    known = {issue.number for issue in issues}
    wanted = {issue_number(row.item.link, repo) for row in rows}
    return sorted(n for n in wanted if n is not None and n not in known)


def execute(steps: Sequence[Step], client: GitHub) -> list[Step]:
    """Make the calls; the steps come back with the created issues' links."""
    done = []
    for step in steps:
        if step.create:
            issue = client.create_issue(step.title, step.body, list(step.labels), list(step.assignees))
            step = replace(step, issue=issue, new_link=issue.url)
        elif step.close_as:
            client.update_issue(step.issue.number, state="closed", state_reason=step.close_as)
        done.append(step)
    return done
