"""`pir actions` and `pir actions sync github`: action items across the archive, and the tracker."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from pir_reviews.commands.console import Console, as_of_default, plural as _plural, write_output
from pir_reviews.core.errors import InvalidInput, Problem, UsageError
from pir_reviews.load import loader


def run_actions(root: Path, status: str, owner: str | None, fmt: str, output: str, as_of: date | None, console: Console) -> None:
    write_output(actions(root, status, owner, fmt, as_of or as_of_default()), output, console)


def run_sync_github(root: Path, repo: str, api_url: str, label: str, dry_run: bool, write: bool, as_of: date | None,
                    console: Console) -> None:
    """The token comes from GITHUB_TOKEN; --dry-run and --write exclude each other."""
    if dry_run and write:
        raise UsageError("--dry-run and --write exclude each other")
    token = os.environ.get("GITHUB_TOKEN", "")
    console.out(actions_sync(root, repo, api_url, label, token, dry_run=dry_run, write=write, as_of=as_of or as_of_default()))


def archive_incidents(root: Path) -> list:
    """The incidents of ROOT/incidents/; InvalidInput (every problem) if any file is broken."""
    from pir_reviews.core.errors import InvalidInput

    folder = Path(root) / "incidents"
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder; run pir in the archive's folder or pass --root")
    incidents, problems = loader.load_paths([folder], Path(root))
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    return incidents


def archive_site_url(root: Path) -> str | None:
    """site_url of ROOT/mkdocs.yml, or None without one."""
    import yaml

    config = Path(root) / "mkdocs.yml"
    if not config.is_file():
        return None
    # Composed, not loaded: MkDocs files may carry !!python tags, and nothing here is constructed.
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise UsageError(f"{config}: cannot be read as YAML ({exc})") from None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "site_url" and isinstance(value, yaml.ScalarNode) and value.value:
            return value.value
    return None


def actions(root: Path, status: str, owner: str | None, fmt: str, as_of: date) -> str:
    """`pir actions`: the action items of the archive in one format."""
    from pir_reviews.core import actions as actions_core
    from pir_reviews.report import actions_report as out

    rows = actions_core.select(actions_core.rows(archive_incidents(root), as_of), status, owner)
    if fmt == "json":
        return out.as_json_text(rows, as_of)
    if fmt == "csv":
        return out.as_csv(rows, archive_site_url(root))
    if fmt == "markdown":
        return out.as_markdown(rows, as_of, archive_site_url(root))
    return out.as_text(rows, as_of)


OWNERS_FILE = "owners.yaml"


def owner_logins(root: Path) -> dict[str, str]:
    """ROOT/owners.yaml, if present: owner name as written in the incidents -> GitHub login."""
    from pir_reviews.core.errors import InvalidInput
    from pir_reviews.load.reader import decode, read

    path = Path(root) / OWNERS_FILE
    if not path.is_file():
        return {}
    text, problems = decode(path.read_bytes(), OWNERS_FILE)
    document = read(text, OWNERS_FILE) if text is not None else None
    if document is not None:
        problems = problems + document.problems
    if problems or document is None or document.root is None:
        raise InvalidInput(problems or [Problem(OWNERS_FILE, 1, None, "is empty; map each owner's name to a GitHub login")])
    if document.root.kind != "map":
        raise InvalidInput([Problem(OWNERS_FILE, 1, None, "expected a mapping of owner name to GitHub login, e.g. 'Lisa Park: lpark'")])
    logins: dict[str, str] = {}
    for key, value in document.root.value:
        if value.kind != "scalar" or value.is_null or not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", value.value):
            problems.append(Problem(OWNERS_FILE, value.line, value.col, f"{key.value}: expected a GitHub login (letters, digits and '-')"))
            continue
        logins[key.value] = value.value
    if problems:
        raise InvalidInput(problems)
    return logins


def actions_sync(root: Path, repo: str, api_url: str, label: str, token: str, *,
                 dry_run: bool, write: bool, as_of: date) -> str:
    """`pir actions sync github`: plan, open or close issues, and with --write record the answers.

    Nothing is half-written: the edits are tried on every file (with stand-in
    links) before any issue is opened, and checked again with the loader
    before all files are replaced together.
    """
    from pir_reviews.core import actions as actions_core
    from pir_reviews.render.urls import review_url
    from pir_reviews.tracker import github_issues as github, sync

    client = github.GitHub(repo, token, api_url)
    root = Path(root)
    incidents = archive_incidents(root)
    rows = actions_core.rows(incidents, as_of)
    owners = owner_logins(root)
    site_url = archive_site_url(root)
    issues = client.list_issues(label)
    for number in sync.linked_elsewhere(rows, issues, repo):
        try:
            issues.append(client.get_issue(number))
        except github.TrackerError as err:
            if err.status != 404:
                raise
    steps = sync.plan(rows, issues, label=label, repo=repo, owners=owners,
                      review_urls={i.id: review_url(i.id, site_url) for i in incidents})
    lines = [("would " if dry_run else "") + step.describe() for step in steps]
    if dry_run or not steps:
        return "\n".join(lines + [f"{_plural(len(steps), 'change')} planned; dry run, nothing changed" if dry_run else "nothing to do"])
    if write:
        _recorded(root, steps, stand_in=f"https://github.com/{repo}/issues/0")
    steps = sync.execute(steps, client)
    lines = [step.describe() for step in steps]
    if write:
        from pir_reviews.tracker import edits

        edits.write_all(_recorded(root, steps))
        lines.append(f"recorded in {_plural(len({s.row.path for s in steps if s.new_link or s.new_status}), 'file')}")
    else:
        lines.append("incident files unchanged; run with --write to record links and statuses")
    return "\n".join(lines)


def _recorded(root: Path, steps: list, stand_in: str | None = None) -> dict[Path, str]:
    """The new text of every file the steps change, each checked by the loader."""
    from dataclasses import replace

    from pir_reviews.core.errors import InvalidInput
    from pir_reviews.tracker import edits

    by_path: dict[str, list] = {}
    for step in steps:
        if step.new_link or step.new_status or (stand_in and step.create):
            by_path.setdefault(step.row.path, []).append(step)
    out: dict[Path, str] = {}
    for shown, chosen in sorted(by_path.items()):
        target = root / shown
        text = target.read_bytes().decode("utf-8")
        changes = [edits.ItemChange(s.row.index, s.new_link or (stand_in if s.create else None), s.new_status) for s in chosen]
        new_text = edits.apply(text, shown, changes)
        incident, problems = loader.parse(new_text.encode("utf-8"), shown)
        if incident is None:
            raise InvalidInput([Problem(p.path, p.line, p.col, f"after recording the tracker's answer: {p.message}", p.level) for p in problems])
        before, _ = loader.parse(text.encode("utf-8"), shown)
        expected = list(before.action_items)
        for change in changes:
            old = expected[change.index]
            expected[change.index] = replace(old, link=change.link or old.link, status=change.status or old.status)
        if [replace(a, line=0) for a in incident.action_items] != [replace(a, line=0) for a in expected]:
            raise edits.EditRefused(f"{shown}:1: recording the tracker's answer would change more than the link and status; edit the file by hand")
        out[target] = new_text
    return out
