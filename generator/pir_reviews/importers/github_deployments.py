"""GitHub deployments, as `gh api repos/OWNER/REPO/deployments` prints them, to action events.

A deploy is the most common trigger of an incident and the most common fix
(a rollback is a deploy too), and the deployment list says who deployed what
where, to the second. Each deployment becomes an action event "Deployed REF
(SHA) to ENVIRONMENT" at its `created_at` (when it was requested: GitHub
records completion in the deployment's statuses, a separate call), by its
creator: a declared action, or an inferred mitigation when its words say
rollback or revert. `--paginate` prints one array per page; those are read one after
another, and a deployment on two pages is read once.
"""

from __future__ import annotations

from pathlib import Path

from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers import json_tree
from pir_reviews.importers.common import Imported, Piped, ImportedEvent, created_at, event, read_text
from pir_reviews.importers.json_tree import Located
from pir_reviews.core.timeline import infer_type

SOURCE = "github"
EXPECTED = "GitHub deployments: the JSON array that gh api repos/OWNER/REPO/deployments prints"
_API_REPOS = "https://api.github.com/repos/"


def read_lists(paths: list[Path | Piped]) -> Imported:
    """Every deployment in the files, each id once, in the order given."""
    seen: set[object] = set()
    events: list[ImportedEvent] = []
    problems: list[Problem] = []
    for path in paths:
        shown = path.as_posix()
        for page in json_tree.parse_several(read_text(path, EXPECTED), shown, EXPECTED):
            for item in _deployments(page, shown):
                ident = item.get("id")
                if ident is not None and ident.kind in ("number", "string"):
                    if ident.value in seen:
                        continue
                    seen.add(ident.value)
                found = _event(item, shown, len(events), problems)
                if found is not None:
                    events.append(found)
    if problems:
        raise InvalidInput(problems)
    return Imported(events, [])


def _deployments(page: Located, path: str) -> list[Located]:
    if page.kind != "array":
        raise InvalidInput([Problem(path, page.line, page.col, f"expected {EXPECTED}, found {page.described()}")])
    bad = [
        Problem(path, item.line, item.col, f"expected a deployment (an object with sha, environment and created_at), found {item.described()}")
        for item in page.value
        if item.kind != "object" or item.text("environment") is None
    ]
    if bad:
        raise InvalidInput(bad)
    return page.value


def _event(item: Located, path: str, order: int, problems: list[Problem]) -> ImportedEvent | None:
    at = created_at(item, "deployment", path, problems)
    if at is None:
        return None
    creator = item.get("creator")
    actor = creator.text("login") if creator is not None else None
    message = _message(item)
    # A rollback is a deploy too, and what stops the impact: left to the timeline's rules, its words make it a mitigation.
    kind = None if infer_type(message, SOURCE) == "mitigation" else "action"
    return event(at, message, order=order, source=SOURCE, actor=actor, type=kind)


def _message(item: Located) -> str:
    repository = (item.text("repository_url") or "").removeprefix(_API_REPOS)
    what = " ".join(part for part in (repository if "/" in repository else "", item.text("ref") or "") if part) or "a deployment"
    sha = (item.text("sha") or "")[:7]
    text = f"Deployed {what}" + (f" ({sha})" if sha else "") + f" to {item.text('environment')}"
    description = (item.text("description") or "").strip()
    return f"{text}: {description}" if description else text
