"""Check one scalar's text against the kind of field it fills.

Each checker returns the value or raises `Refused` with what is wrong and what
is allowed; the loader adds the file, line and field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from pir_reviews.load import fields as f


class Refused(Exception):
    """The text does not fit the field; the message says what is allowed."""


_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?[ ]?(Z|z|[+-]\d{2}:?\d{2})?"
)
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
# Bidirectional overrides and isolates, zero-width characters, BOM.
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
MIN_YEAR, MAX_YEAR = 1970, 9999


# What text may not contain. Free text: control characters other than tab and
# line breaks. One-line fields also refuse line breaks, tabs, direction
# overrides and isolates, zero-width characters, surrogates and private use.
_BAD_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)


def _bad_character(text: str, allow_newlines: bool) -> str | None:
    # The common case, told without the pattern: ASCII that isprintable passes
    # (line breaks aside, where they are allowed) holds no character of either set.
    if text.isascii() and (text.replace("\n", " ") if allow_newlines else text).isprintable():
        return None
    found = (_BAD_IN_TEXT if allow_newlines else _BAD_IN_LINE).search(text)
    if found is None:
        return None
    ch = found.group()
    what = "control character" if unicodedata.category(ch) == "Cc" else "invisible, direction-changing or private character"
    return f"{what} U+{ord(ch):04X}"


def one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise Refused("must be one line; found a line break")
    bad = _bad_character(text, allow_newlines=False)
    if bad:
        raise Refused(f"contains {bad}; one-line fields take printable text only")
    if not text.strip():
        raise Refused(f"empty value; expected {f.OneLine().describe}")
    return text.strip()


def free_text(text: str) -> str:
    bad = _bad_character(text, allow_newlines=True)
    if bad:
        raise Refused(f"contains {bad}; remove it")
    return text


def _cut(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: its first `limit` characters."""
    return text if len(text) <= limit else text[:limit] + "..."


def ident(text: str) -> str:
    if not _IDENT.fullmatch(text):
        raise Refused(f"{_cut(text)!r} is not a valid id; allowed: {f.Ident().describe}")
    return text


def choice(text: str, kind: f.Choice) -> str:
    if text not in kind.values:
        raise Refused(f"{text!r} is not allowed; expected {kind.describe}")
    return text


# The longest number a field takes: far more than any count or share needs.
MAX_NUMBER_CHARACTERS = 40


def number(text: str, kind: f.Number) -> float | int:
    bare = text.strip().removesuffix("%").strip()
    if text.strip().endswith("%") and _NUMBER.fullmatch(bare):
        raise Refused(f"{text!r} has a % sign; write {bare} (a plain number without quotes: the field is already in percent)")
    if not _NUMBER.fullmatch(text):
        raise Refused(f"{_cut(text)!r} is not a plain decimal number; expected {kind.describe}")
    if len(text) > MAX_NUMBER_CHARACTERS:  # int() refuses over 4,300 digits, and no field's number comes near this
        raise Refused(f"a number of {len(text):,} characters is too long; expected {kind.describe}")
    value: float | int = int(text) if "." not in text else float(text)
    if kind.integer and not isinstance(value, int):
        raise Refused(f"{text} is not a whole number; expected {kind.describe}")
    if (kind.minimum is not None and value < kind.minimum) or (kind.maximum is not None and value > kind.maximum):
        raise Refused(f"{text} is out of range; expected {kind.describe}")
    return value


def boolean(text: str) -> bool:
    if text not in _BOOLEANS:
        raise Refused(f"{text!r} is not a boolean here; write true or false")
    return _BOOLEANS[text]


def timestamp(text: str) -> datetime:
    match = _TIMESTAMP.fullmatch(text.strip())
    if not match:
        raise Refused(f"{text!r} is not a timestamp; expected {f.Timestamp().describe}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None:
        raise Refused(f"{text!r} has no UTC offset; add Z or +hh:mm (e.g. {text.strip()}Z)")
    if second == "60":
        raise Refused(f"{text!r} is a leap second; use :59 instead")
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
    except ValueError as exc:
        raise Refused(f"{text!r} is not a real date or time ({exc})") from None
    if offset in ("Z", "z"):
        delta = timedelta(0)
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise Refused(f"{text!r} has an impossible offset {offset}")
        delta = sign * timedelta(hours=hours, minutes=minutes)
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise Refused(f"{text!r}: year {local.year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    try:
        return local.replace(tzinfo=timezone(delta)).astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise Refused(f"{text!r} is out of range once converted to UTC") from None


def day(text: str) -> date:
    match = _DAY.fullmatch(text.strip())
    if not match:
        raise Refused(f"{text!r} is not a date; expected {f.Day().describe}")
    try:
        value = date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise Refused(f"{text!r} is not a real date ({exc})") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Refused(f"{text!r}: year {value.year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    return value


def url(text: str) -> str:
    text = text.strip()
    if not _URL.fullmatch(text) or len(text) > 2000:
        raise Refused(f"{text[:60]!r} is not allowed; expected {f.Url().describe}")
    return text
