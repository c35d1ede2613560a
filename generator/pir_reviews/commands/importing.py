"""`pir import`: timeline events from the tools where incidents happen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from pir_reviews.commands.console import Console, plural as _plural
from pir_reviews.core.errors import UsageError


def run_import(kind: str, sources: tuple[str, ...], channel: str | None, tz: str | None, since: str | None,
               until: str | None, exclude_users: tuple[str, ...], grep: str | None, into: str | None,
               console: Console) -> None:
    text, notes = import_events(kind, sources, channel, tz, since, until, exclude_users, grep, into, console.read_stdin)
    for note in notes:
        console.err(note)
    if text:
        console.out(text.rstrip("\n"))


def import_events(kind: str, sources: tuple[str, ...], channel: str | None, tz: str | None, since: str | None,
                  until: str | None, exclude_users: tuple[str, ...], grep: str | None,
                  into: str | None, read_stdin: Callable[[], bytes]) -> tuple[str, list[str]]:
    """`pir import`: the YAML to print (empty with --into) and the notes for standard error.

    A source "-" is standard input (read once, through `read_stdin`), for
    every kind but slack, whose export is a folder or a zip file.
    """
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
    if into == "":
        raise UsageError("--into '' is not a file name")
    if kind in ("slack", "csv") and len(sources) != 1:
        raise UsageError(f"pir import {kind} reads one {'export folder' if kind == 'slack' else 'file'}; got {len(sources)}")
    if sources.count("-") > 1:
        raise UsageError("- (standard input) is given more than once; it can be read only once")
    if "-" in sources and kind == "slack":
        raise UsageError("pir import slack reads an export folder or its .zip file, not standard input (-)")
    paths = [common.Piped(read_stdin()) if source == "-" else Path(source) for source in sources]
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
    except OverflowError:  # a{99999999999}: re raises this, not re.error, for a count it cannot hold
        raise UsageError(f"--grep {value!r} is not a regular expression: a repetition count is too large") from None


def _zone_option(value: str | None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value is None:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"--tz {value!r} is not a time zone; give an IANA name such as Europe/Berlin or America/New_York") from None
