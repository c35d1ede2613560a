"""A CSV file of events (a spreadsheet kept during the incident, another tool's export) to events.

The header names the columns: `at,type,source,actor,message` (any order;
`at` and `message` are required, the others may be left out or empty). Every
timestamp needs an offset, as in format v1, and is converted to UTC; an empty
type is inferred from the message. Every bad row is reported, with its line,
before anything is imported.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pir_reviews.load import checks
from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers.common import Imported, ImportedEvent, Piped, event, read_text
from pir_reviews.core.models import EVENT_TYPES

COLUMNS = ("at", "type", "source", "actor", "message")
REQUIRED = ("at", "message")
EXPECTED = "a CSV file whose first line is the header at,type,source,actor,message"


def read_file(path: Path | Piped) -> Imported:
    """The rows of the file as events, in file order."""
    shown = path.as_posix()
    text = read_text(path, EXPECTED)
    # Lines end at \n, \r\n or \r only (newline=""), as the csv module expects: str.splitlines
    # would also end them at a form feed or U+2028 inside a value, splitting its row in two.
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        columns = _columns(header, shown)
        events: list[ImportedEvent] = []
        problems: list[Problem] = []
        line = rows.line_num + 1
        for row in rows:
            if any(cell.strip() for cell in row):
                found = _row(row, columns, shown, line, len(events), problems)
                if found is not None:
                    events.append(found)
            line = rows.line_num + 1
    except csv.Error as exc:
        raise InvalidInput([Problem(shown, rows.line_num or 1, None, f"CSV syntax: {exc}; expected {EXPECTED}")]) from None
    if problems:
        raise InvalidInput(problems)
    return Imported(events, [])


def _columns(header: list[str] | None, path: str) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header or []]
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if not names:
        raise InvalidInput([Problem(path, 1, None, f"the file is empty; expected {EXPECTED}")])
    if unknown or missing or repeated:
        why = (f"unknown column {unknown[0]!r}" if unknown else f"column {missing[0]!r} is missing" if missing
               else f"column {repeated[0]!r} is given twice")
        raise InvalidInput([Problem(path, 1, None, f"{why} in the header {','.join(header or [])[:80]!r}; expected {EXPECTED}")])
    return {name: index for index, name in enumerate(names)}


def _row(row: list[str], columns: dict[str, int], path: str, line: int, order: int, problems: list[Problem]) -> ImportedEvent | None:
    if len(row) != len(columns):
        problems.append(Problem(path, line, None, f"{len(row)} fields where the header has {len(columns)}; quote a value that holds a comma"))
        return None
    cell = {name: row[index].strip() for name, index in columns.items()}
    kind = cell.get("type") or None
    errors = []
    try:
        at = checks.timestamp(cell["at"]) if cell["at"] else None
        if at is None:
            errors.append("at is empty; every event needs a time with an offset (e.g. 2024-03-15T14:30:00Z)")
    except checks.Refused as exc:
        at = None
        errors.append(f"at: {exc}")
    if kind is not None and kind not in EVENT_TYPES:
        errors.append(f"type {kind!r} is not allowed; expected one of {', '.join(EVENT_TYPES)} (or empty to infer it)")
    if not cell["message"]:
        errors.append("message is empty; every event needs one")
    for message in errors:
        problems.append(Problem(path, line, None, message))
    if errors or at is None:
        return None
    found = event(at, cell["message"], order=order, source=cell.get("source") or None, actor=cell.get("actor") or None, type=kind)
    if found is None:
        problems.append(Problem(path, line, None, "message holds no printable text"))
    return found
