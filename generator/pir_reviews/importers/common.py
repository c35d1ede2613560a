"""What every importer shares: the imported event, its clean-up, ordering and trimming.

Exports carry whatever people typed or tools sent (control characters, zero
width spaces, empty lines), while format v1 refuses some of it. Each event is
cleaned once, here, so that what `pir import` prints always loads again, and
its type comes from the source when the source has one, else from the
timeline's own rules (`timeline.infer_type`) and is marked inferred.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pir_reviews.load import checks
from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers.json_tree import Located
from pir_reviews.core.timeline import infer_type

# Exports are bigger than incident files: a busy channel's day, a page of log entries.
MAX_SOURCE_BYTES = 64 * 1024 * 1024

# Control characters (but tab and line feed), lone surrogates and non-characters:
# format v1 refuses them in text, and YAML cannot carry most of them unescaped.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ImportedEvent:
    """One event read from an export, cleaned and typed, ready to print as format v1."""

    at: datetime  # aware, UTC
    message: str
    type: str | None  # None: neither the source nor the words say (the timeline calls it a note)
    inferred: bool  # True: the timeline's rules gave the type (from the words), not the source
    source: str | None
    actor: str | None
    order: int  # position in the export, for events at the same instant
    # Every name the actor goes by in the export (id, user name, display name):
    # what --exclude-user is compared with.
    names: tuple[str, ...] = ()


def clean_message(text: str) -> str:
    """Text as format v1 accepts it: line breaks normalised, control characters dropped, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines = [line.rstrip() for line in _NOT_TEXT.sub("", text).split("\n")]
    return "\n".join(lines).strip()


def clean_line(text: str | None) -> str | None:
    """A one-line value (actor, source): whitespace collapsed, invisible characters dropped; None when empty."""
    if text is None:
        return None
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    words = " ".join(kept.split())
    return words or None


def event(at: datetime, message: str, *, order: int, source: str | None, actor: str | None = None,
          type: str | None = None, names: tuple[str, ...] = ()) -> ImportedEvent | None:
    """The cleaned event, typed by the source (`type`) or else by its words; None when no text is left."""
    text = clean_message(message)
    if not text:
        return None
    source, actor = clean_line(source), clean_line(actor)
    inferred = type is None
    kind = infer_type(text, source) if inferred else type
    known = tuple(dict.fromkeys(n for n in (actor, *names) if n))
    return ImportedEvent(at.astimezone(timezone.utc), text, kind, inferred, source, actor, order, known)


@dataclass(frozen=True)
class Imported:
    """What an importer read: the events (in export order) and warnings worth a look."""

    events: list[ImportedEvent]
    warnings: list[Problem]


def created_at(item: Located, owner: str, path: str, problems: list[Problem]) -> datetime | None:
    """The item's `created_at` as an instant (it must have an offset); else a located problem, and None."""
    created = item.get("created_at")
    try:
        if created is None or created.kind != "string":
            raise checks.Refused(f"is missing; every {owner} has one" if created is None else f"must be a timestamp, found {created.described()}")
        return checks.timestamp(created.value)
    except checks.Refused as exc:
        where = created or item
        problems.append(Problem(path, where.line, where.col, f"created_at {exc}"))
        return None


def ordered(events: list[ImportedEvent]) -> list[ImportedEvent]:
    """By instant; events at the same instant keep the export's order."""
    return sorted(events, key=lambda e: (e.at, e.order))


@dataclass(frozen=True)
class Window:
    """What to keep: a time window (either end open) and the privacy filters."""

    since: datetime | None = None
    until: datetime | None = None
    exclude: frozenset[str] = frozenset()  # names, compared case-insensitively
    grep: re.Pattern[str] | None = None

    def keeps(self, found: ImportedEvent) -> bool:
        if self.since is not None and found.at < self.since:
            return False
        if self.until is not None and found.at > self.until:
            return False
        if self.exclude and any(name.casefold() in self.exclude for name in found.names):
            return False
        return self.grep is None or self.grep.search(found.message) is not None


def select(events: list[ImportedEvent], window: Window) -> list[ImportedEvent]:
    """The events the window keeps, ordered."""
    return ordered([e for e in events if window.keeps(e)])


@dataclass(frozen=True)
class Piped:
    """Standard input, given as the source "-" and read once by the command; named <stdin> in messages."""

    data: bytes

    def as_posix(self) -> str:
        return "<stdin>"


def read_text(path: Path | Piped, what: str) -> str:
    """A source file (or standard input) as text (UTF-8, a leading BOM dropped); `what` says what was expected there."""
    shown = path.as_posix()
    if isinstance(path, Piped):
        return decode_text(path.data[:MAX_SOURCE_BYTES + 1], shown, what)
    if path.is_dir():
        raise InvalidInput([Problem(shown, 1, None, f"is a folder; expected {what}")])
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput([Problem(shown, 1, None, f"cannot be read ({exc.strerror}); expected {what}")]) from None
    return decode_text(data, shown, what)


def too_large(shown: str, what: str, limit: int) -> InvalidInput:
    """The refusal of a source above the size limit, which is checked before it is read."""
    return InvalidInput([Problem(shown, 1, None, f"is larger than {limit:,} bytes, the limit for one file; expected {what}")])


def decode_text(data: bytes, shown: str, what: str) -> str:
    """Bytes read (at most MAX_SOURCE_BYTES + 1 of them) as UTF-8 text, a leading BOM dropped."""
    if len(data) > MAX_SOURCE_BYTES:
        raise too_large(shown, what, MAX_SOURCE_BYTES)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidInput([Problem(shown, line, col, f"byte 0x{data[exc.start]:02x} is not UTF-8; expected {what}")]) from None
