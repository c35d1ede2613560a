"""`pir new`, `pir init` and `pir schema`: files people start from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pir_reviews import scaffold
from pir_reviews.commands.console import Console
from pir_reviews.core.errors import PirError, UsageError
from pir_reviews.load import checks


def run_new(title: str | None, severity: str | None, services: tuple[str, ...], started_at: str | None,
            ident: str | None, folder: Path, console: Console) -> None:
    """Scaffold one incident; a missing value is asked for at a terminal (again after a bad answer), else required."""
    ask = console.ask if console.at_terminal else None
    if title is None:
        if ask is None:
            raise UsageError("--title is required (or run pir new in a terminal to be asked)")
        title = ask("Title (one line)", None, checks.one_line)
    if not services:
        if ask is None:
            raise UsageError("--service is required (or run pir new in a terminal to be asked)")
        services = scaffold.services_answer(ask("Services (comma-separated)", None, scaffold.services_answer))
    if severity is None and ask is not None:
        severity = ask("Severity (sev1..sev4, empty to decide later)", "", scaffold.severity_answer) or None
    if started_at is None:
        now = datetime.now().astimezone().replace(microsecond=0).isoformat()
        started_at = ask("Impact began at", now, checks.timestamp) if ask is not None else now
    checked = scaffold.check_values(title, severity, tuple(services), started_at)
    path = scaffold.create(folder, checked, ident)
    console.out(f"created {path}")
    console.out(f"next: fill it in, then run: pir validate {path}")


def run_init(folder: Path, site_name: str | None, site_url: str | None, repo_url: str | None, empty: bool,
             console: Console) -> None:
    from pir_reviews import archive_init

    ask = (lambda question, default: console.ask(question, default, None)) if console.at_terminal else None
    archive = archive_init.settings(site_name, site_url, repo_url, example=not empty, ask=ask)
    console.out(str(archive_init.create(folder, archive)))


def run_schema(check_file: Path | None, services: bool, console: Console) -> None:
    """Print the schema, or with --check fail when FILE differs from it."""
    from pir_reviews.load.schema import schema_text

    text = schema_text(services)
    if check_file is not None:
        if not check_file.exists() or check_file.read_text(encoding="utf-8") != text:
            raise PirError(f"{check_file} is out of date; run: pir schema{' --services' if services else ''} > {check_file}")
        return
    console.out(text.rstrip("\n"))
