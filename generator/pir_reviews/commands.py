"""What each `pir` command does, apart from parsing its options.

Every function returns the text to print (and an exit code where it varies);
the CLI only declares options, reads inputs and prints.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from pir_reviews.core import analysis
from pir_reviews.site import batch
from pir_reviews.load import sniff as inputs
from pir_reviews.load import catalogue
from pir_reviews.load import loader
from pir_reviews.core import timeline as timeline_core
from pir_reviews.core import classify as classify_core
from pir_reviews.core.errors import CannotWrite, InvalidInput, Problem, UsageError, WriteRefused, cannot_write
from pir_reviews.core.models import Review


def as_of_default() -> date:
    """The day overdue items are judged against: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).date()
        except (ValueError, OverflowError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.now(timezone.utc).date()


def write_output(text: str, output: str, echo: Callable[[str], None]) -> None:
    """Print to stdout ("-") or replace FILE atomically; never writes through a symlink."""
    if output == "-":
        echo(text.rstrip("\n"))
        return
    target = Path(output)
    if not output or target.name in ("", ".", ".."):
        raise UsageError(f"--output {output!r} is not a file name")
    if target.is_symlink():
        raise WriteRefused(f"{output} is a symlink; refusing to write through it")
    if target.is_dir():
        raise CannotWrite(f"cannot write {output}: it is a folder")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CannotWrite(f"cannot write {output}: the folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as err:
        raise cannot_write(output, err) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.replace(temp, target)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise cannot_write(output, err) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---- validate ---------------------------------------------------------------------


def severity_warnings(reviews: list[Review]) -> list[Problem]:
    """A declared severity that the evidence does not support is a warning at its line."""
    out = []
    for review in reviews:
        found = review.classification
        if found.disagreement:
            incident = review.incident
            out.append(Problem(incident.path, incident.line_of("severity"), None, found.disagreement, "warning"))
    return out


def validate(paths: list[Path], root: Path | None, strict: bool, as_of: date) -> tuple[list[Problem], list[Review], int]:
    """Every problem in the files (and across them), the reviews of the valid ones, and the file count."""
    known, problems = catalogue.load(root if root is not None else Path("."))
    contents, unread = loader.read_files(paths, root)
    # The same stage as `pir generate` (on every core for many files), without
    # its on-disk cache: validating never writes anything.
    reviews, found = batch.analyse_files(contents, as_of, batch.Cache(version=""), known=known)
    incidents = [review.incident for review in reviews]
    problems = problems + unread + found + catalogue.archive_problems(incidents, known) + severity_warnings(reviews)
    if strict:
        problems = [Problem(p.path, p.line, p.col, p.message + " (--strict)", "error") if p.level == "warning" else p for p in problems]
    files = len({p.path for p in problems} | {i.path for i in incidents})
    return sorted(problems, key=lambda p: (p.path, p.line, p.col or 0)), reviews, files


def validate_text(problems: list[Problem], files: int) -> str:
    """Problems grouped per file (a blank line between files), then one summary line."""
    lines: list[str] = []
    previous = None
    for problem in problems:
        if previous is not None and problem.path != previous:
            lines.append("")
        lines.append(str(problem))
        previous = problem.path
    counts = Counter(p.level for p in problems)
    bad_files = len({p.path for p in problems if p.level == "error"})
    if counts["error"]:
        tail = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')} in {bad_files} of {_plural(files, 'file')}"
    else:
        tail = f"{_plural(files, 'file')} valid" + (f", {_plural(counts['warning'], 'warning')}" if counts["warning"] else "")
    return "\n".join(lines + ([""] if lines else []) + [tail])


def validate_json(problems: list[Problem], files: int) -> str:
    counts = Counter(p.level for p in problems)
    report = {
        "valid": counts["error"] == 0,
        "files": files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "problems": [
            {"path": p.path, "line": p.line, "col": p.col, "level": p.level, "message": p.message}
            for p in problems
        ],
    }
    return json.dumps(report, indent=2, ensure_ascii=False)


def validate_github(problems: list[Problem]) -> str:
    """One workflow command per problem, for GitHub's annotations."""
    from pir_reviews.report import github

    return github.annotations(problems).rstrip("\n")


def append_summary(path: Path, problems: list[Problem], reviews: list[Review],
                   changed: tuple[str, ...], changed_list: Path | None) -> None:
    """Append the job-summary report; with --changed or --changed-list, only those incidents' reviews."""
    from pir_reviews.report import github

    listed = list(changed)
    if changed_list is not None:
        listed += _changed_list(changed_list)
    wanted = {Path(p).as_posix().removeprefix("./") for p in listed} if listed or changed_list is not None else None
    report = github.summary(problems, reviews, changed=wanted)
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as err:
        raise cannot_write(path, err) from None


def _changed_list(path: Path) -> list[str]:
    """The paths listed in a --changed-list file, one a line."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput([Problem(path.as_posix(), 1, None, f"cannot be read: {err.strerror}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InvalidInput([Problem(path.as_posix(), line, None, f"byte 0x{data[err.start]:02x} is not valid UTF-8; list one path a line, as UTF-8")]) from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---- classify, timeline, review -------------------------------------------------


def service_owners(root: Path = Path(".")) -> tuple[tuple[str, str], ...]:
    """The owning teams from the archive's services.yaml (none without one); a broken catalogue stops the command."""
    known, problems = catalogue.load(root)
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    return known.owners() if known is not None else ()


def classify(data: bytes, path: str, fmt: str) -> str:
    from dataclasses import replace

    from pir_reviews.report import classification as out

    found = classify_core.classify(replace(inputs.classify_input(data, path), owners=service_owners()))
    return _format(out, found, fmt)


def timeline(data: bytes, path: str, fmt: str, gap_analysis: bool, severity: str | None) -> str:
    from pir_reviews.report import timeline_report as out

    incident = inputs.incident(data, path)
    chosen = severity or incident.severity
    if chosen is None:
        found = classify_core.classify(classify_core.classify_input_from_incident(incident))
        chosen = found.severity if incident.summary else None
    result = timeline_core.reconstruct(incident, chosen)
    if fmt == "text":
        return out.as_text(result, gap_analysis=gap_analysis)
    return _format(out, result, fmt)


def review(data: bytes, path: str, events: tuple | None, rca_methods: tuple[str, ...], fmt: str, as_of: date) -> str:
    from dataclasses import replace

    from pir_reviews.report import review_document as out

    incident = inputs.incident(data, path)
    if events:
        merged = tuple(sorted(incident.timeline + events, key=lambda e: (e.at, e.order)))
        incident = replace(incident, timeline=tuple(replace(e, order=i) for i, e in enumerate(merged)))
    return _format(out, analysis.analyse(incident, as_of, rca_methods, owners=service_owners()), fmt)


def _format(module, record, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(module.as_json(record), indent=2, ensure_ascii=False, sort_keys=False)
    if fmt == "markdown":
        return module.as_markdown(record)
    return module.as_text(record)


def classify_interactive(ask: Callable[..., str], fmt: str) -> str:
    """Ask the matrix's questions one by one; `ask(question, default)` returns the answer text.

    Yes/no questions accept yes, no or unknown (the default): an unknown answer
    leaves the field unset, so the text may still decide it.
    """
    from pir_reviews.core.models import Impact, Incident
    from pir_reviews.report import classification as out

    def yes_no(question: str) -> bool | None:
        while True:
            answer = ask(f"{question} [yes/no/unknown]", "unknown").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            if answer in ("", "?", "unknown", "u"):
                return None

    text = ask("What is happening? (one or two sentences)", None)
    services = tuple(s.strip() for s in ask("Affected services, comma-separated", "").split(",") if s.strip())
    share = None
    while True:
        answer = ask("Share of users affected, in percent (empty if unknown)", "").strip().rstrip("%")
        if not answer:
            break
        try:
            share = float(answer)
        except ValueError:
            continue
        if 0 <= share <= 100:
            break
        share = None
    impact = Impact(
        users_affected_pct=share,
        complete_outage=yes_no("Is a customer-facing or revenue system completely down?"),
        data_loss=yes_no("Was user data lost or corrupted?"),
        security=yes_no("Was customer data exposed, or is this a security breach?"),
        sla_breached=yes_no("Is a service-level agreement breached?"),
        workaround=yes_no("Do users have a workaround?"),
        internal_only=yes_no("Is the impact internal-only or non-production?"),
    )
    draft = Incident(id="", title="", started_at=None, services=services, summary=text, impact=impact)
    return _format(out, classify_core.classify(classify_core.classify_input_from_incident(draft)), fmt)


# ---- actions ---------------------------------------------------------------------


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


# ---- import -----------------------------------------------------------------------


def import_events(kind: str, sources: tuple[str, ...], channel: str | None, tz: str | None, since: str | None,
                  until: str | None, exclude_users: tuple[str, ...], grep: str | None,
                  into: str | None) -> tuple[str, list[str]]:
    """`pir import`: the YAML to print (empty with --into) and the notes for standard error."""
    from pir_reviews.importers import common, csv_events, github_deployments as github, into as into_file, pagerduty, slack, yaml_events

    window = common.Window(
        since=_instant_option("--since", since), until=_instant_option("--until", until),
        exclude=frozenset(name.strip().casefold() for name in exclude_users if name.strip()),
        grep=_pattern_option(grep),
    )
    if window.since and window.until and window.since > window.until:
        raise UsageError(f"--since {since} is after --until {until}; nothing could be imported")
    if kind != "slack" and (channel or tz):
        raise UsageError(f"{'--channel' if channel else '--tz'} is for slack exports only")
    if kind in ("slack", "csv") and len(sources) != 1:
        raise UsageError(f"pir import {kind} reads one {'export folder' if kind == 'slack' else 'file'}; got {len(sources)}")
    paths = [Path(source) for source in sources]
    if kind == "slack":
        if not channel:
            raise UsageError("pir import slack needs --channel NAME (the incident's channel)")
        found = slack.read_export(paths[0], channel, _zone_option(tz), window)
    elif kind == "pagerduty":
        found = pagerduty.read_pages(paths)
    elif kind == "github-deployments":
        found = github.read_lists(paths)
    else:
        found = csv_events.read_file(paths[0])
    events = common.select(found.events, window)
    notes = [str(w) for w in found.warnings]
    if into is not None:
        done = into_file.add_events(Path(into), events)
        notes.append(f"pir: added {_plural(done.added, 'event')} to {into}" + (f" ({done.skipped} already there)" if done.skipped else ""))
        return "", notes
    if not events:
        notes.append(f"pir: no events in {', '.join(sources)}" + (" inside the window and filters given" if found.events else ""))
    return yaml_events.as_yaml(events), notes


def _instant_option(name: str, value: str | None) -> datetime | None:
    from pir_reviews.load import checks

    if value is None:
        return None
    try:
        return checks.timestamp(value)
    except checks.Refused as exc:
        raise UsageError(f"{name} {exc}") from None


def _pattern_option(value: str | None):
    import re

    if value is None:
        return None
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"--grep {value!r} is not a regular expression: {exc}") from None


def _zone_option(value: str | None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value is None:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"--tz {value!r} is not a time zone; give an IANA name such as Europe/Berlin or America/New_York") from None
