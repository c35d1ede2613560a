"""`pir new`: a fresh incident file with the given values and every other section as a hint."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pir_reviews.core import models
from pir_reviews.core.models import SEVERITIES
from pir_reviews.load import checks
from pir_reviews.load import loader
from pir_reviews.core.errors import InvalidInput, Problem, WriteRefused, cannot_write

_ID_LINE = re.compile(r"^id:\s*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


@dataclass(frozen=True)
class NewIncident:
    title: str
    severity: str | None
    services: tuple[str, ...]
    started_at: datetime  # aware


def existing_ids(folder: Path) -> set[str]:
    """Ids in use (case-folded), read cheaply from file names and id lines, valid files or not."""
    ids: set[str] = set()
    files, _ = loader.incident_files(folder) if folder.is_dir() else ([], [])
    for path in files:
        ids.add(path.stem.casefold())
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        except OSError:
            continue
        ids.update(match.casefold() for match in _ID_LINE.findall(head))
    return ids


def next_id(started_at: datetime, taken: set[str]) -> str:
    """INC-YYYY-MMDD-NNN, the first number not taken for that day (UTC)."""
    day = started_at.astimezone(timezone.utc)
    for number in range(1, 1000):
        candidate = f"INC-{day:%Y}-{day:%m%d}-{number:03d}"
        if candidate.casefold() not in taken:
            return candidate
    raise InvalidInput([Problem("incidents", 1, None, f"no free incident id left for {day:%Y-%m-%d}")])


def severity_answer(text: str) -> str | None:
    """A severity as typed (`SEV1`, ` sev2 `, empty for later) to its stored form, or Refused."""
    value = text.strip().lower()
    if not value:
        return None
    if value not in models.SEVERITIES:
        raise checks.Refused(f"{text.strip()!r} is not allowed; expected one of {', '.join(models.SEVERITIES)} (any case), or nothing to decide later")
    return value


def services_answer(text: str) -> tuple[str, ...]:
    """Comma-separated service names, each one line; at least one."""
    names = tuple(checks.one_line(s) for s in text.split(",") if s.strip())
    if not names:
        raise checks.Refused("give at least one service")
    return names


def check_values(title: str, severity: str | None, services: tuple[str, ...], started_at: str) -> NewIncident:
    """The values given (flags or answers), checked by the same rules as the loader; problems name the flag."""
    problems = []

    def check(flag: str, fn, value):
        try:
            return fn(value)
        except checks.Refused as exc:
            problems.append(Problem.for_option(flag, str(exc)))
            return None

    title_ok = check("--title", checks.one_line, title)
    names = tuple(check("--service", checks.one_line, s) for s in services)
    started = check("--started-at", checks.timestamp, started_at)
    if not services:
        problems.append(Problem.for_option("--service", "give at least one service"))
    chosen = check("--severity", severity_answer, severity) if severity is not None else None
    if problems:
        raise InvalidInput(problems)
    return NewIncident(title_ok, chosen, tuple(n for n in names if n), started)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(ident: str, new: NewIncident, schema_ref: str) -> str:
    """The file's text: the given values, and a commented hint for every other section."""
    started = new.started_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    services = ", ".join(_q(s) for s in new.services)
    severity = f"severity: {new.severity}\n" if new.severity else "# severity: sev3            # sev1..sev4; see docs/playbooks/severity-matrix.md\n"
    return f"""# yaml-language-server: $schema={schema_ref}
id: {ident}
title: {_q(new.title)}
{severity}status: investigating        # investigating | identified | monitoring | resolved
review_status: draft          # draft | in_review | final
services: [{services}]
started_at: {started}     # customer impact began; always with an offset
summary: |
  What happened, in two or three sentences. {models.PLACEHOLDER}.
# regions: [us-east]
# tags: [database]
# commander: Name
# authors: [Name]
# responders:
#   - name: Name
#     role: On-call engineer
# detected_at: 2024-01-01T00:00:00Z
# acknowledged_at: 2024-01-01T00:00:00Z
# contained_at: 2024-01-01T00:00:00Z     # no new impact (e.g. the bad change reverted)
# mitigated_at: 2024-01-01T00:00:00Z     # customer impact stopped
# resolved_at: 2024-01-01T00:00:00Z
# impact:
#   users_affected_pct: 10
#   description: Who was affected, and how.
#   revenue_usd: 0
#   customer_escalations: 0
#   sla_breached: false
#   data_loss: false
#   security: false
#   workaround: false
# timeline:
#   - at: 2024-01-01T00:00:00Z
#     type: alert            # optional: inferred from the message when left out
#     source: monitoring
#     actor: alertmanager
#     message: What happened at this moment.
# root_cause:
#   summary: The cause, in a few sentences.
#   trigger: What set it off.
#   five_whys:
#     - question: Why did it happen?
#       answer: Because of this.
#   contributing_factors:
#     - category: technology     # technology|process|people|environment|external|monitoring
#       description: What made it worse, or possible.
#   bow_tie:
#     threats:
#       - What could set it off.
#     preventive_barriers:
#       - What should stop it happening.
#     mitigative_barriers:
#       - What should limit the damage.
#     consequences:
#       - What it led to.
# went_well:
#   - One thing per entry (text that holds ': ' or ' #' goes in quotes).
# went_wrong:
#   - One thing per entry.
# got_lucky:
#   - One thing per entry.
# lessons:
#   - One thing per entry.
# action_items:
#   - title: What will be done
#     type: prevent          # prevent|detect|mitigate|repair|process
#     owner: Name
#     priority: p2           # p1|p2|p3
#     due: 2024-02-01
#     status: open           # open|in_progress|done|wont_do
#     link: https://tracker.example.com/OPS-1
# links:
#   - title: Dashboard
#     url: https://example.com
"""


def create(folder: Path, new: NewIncident, ident: str | None = None) -> Path:
    """Write incidents/<year>/<id>.yaml; never overwrites, never writes through a symlink."""
    taken = existing_ids(folder)
    if ident is None:
        ident = next_id(new.started_at, taken)
    else:
        try:
            checks.ident(ident)
        except checks.Refused as exc:
            raise InvalidInput([Problem.for_option("--id", str(exc))]) from None
        if ident.casefold() in taken:
            raise WriteRefused(f"id {ident} is already used in {folder}; pick another or leave --id out")
    year_dir = folder / f"{new.started_at.astimezone(timezone.utc):%Y}"
    for part in (folder, year_dir):
        if part.is_symlink():
            raise WriteRefused(f"{part} is a symlink; refusing to write through it")
    try:
        year_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:  # a file in the way, a read-only folder
        raise cannot_write(year_dir, err) from None
    target = year_dir / f"{ident}.yaml"
    schema = os.path.relpath(folder.parent / "schema" / "incident.schema.json", year_dir).replace(os.sep, "/")
    text = render(ident, new, schema)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise WriteRefused(f"{target} already exists; pir new never overwrites a file") from None
    except OSError as err:
        raise cannot_write(target, err) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:  # a full disk: no half-written incident is left behind
        target.unlink(missing_ok=True)
        raise cannot_write(target, err) from None
    return target
