"""Imported events as format-v1 `timeline:` YAML, written by hand so it reads like the sample files.

Block style, one key per line in the order at, type, source, actor, message;
timestamps in UTC with `Z`; a value is written plain when YAML (1.1 or 1.2)
would read it back as the same string, as a literal block when it spans
lines, and double-quoted otherwise. A type inferred from the words is
written as a comment: format v1 has no field saying "inferred", and leaving
the key out lets the loader infer the same type again and mark it inferred
on the review page; uncommenting the line declares it.
"""

from __future__ import annotations

import unicodedata

from pir_reviews.importers.common import ImportedEvent

# Words YAML 1.1 reads as booleans or null when they are plain.
_SPECIAL_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"})
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def _invisible(ch: str) -> bool:
    """A character written as an escape: controls, format characters, line separators, private use."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") or ch in "\x85\ufffe\uffff"


def _plain_ok(text: str) -> bool:
    return (
        bool(text)
        and unicodedata.category(text[0]).startswith("L")
        and text == text.strip()
        and text.lower() not in _SPECIAL_WORDS
        and ": " not in text and " #" not in text and not text.endswith(":")
        and not any(ch == "\t" or ch == "\n" or _invisible(ch) for ch in text)
    )


def quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _invisible(ch):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def scalar(text: str, indent: int) -> str:
    """The value part of `key: value`; a literal block's lines are indented by `indent`."""
    if _plain_ok(text):
        return text
    lines = text.split("\n")
    literal = (
        len(lines) > 1 and lines[0][:1] not in ("", " ")
        and not any(line != line.rstrip() or any(_invisible(ch) for ch in line) for line in lines)
    )
    if literal:
        return "|-\n" + "\n".join((" " * indent + line) if line else "" for line in lines)
    return quoted(text)


def event_lines(found: ImportedEvent, dash_col: int = 2, key_col: int = 4) -> list[str]:
    """One event as YAML lines (no line ends): a `- ` entry at dash_col, keys at key_col."""
    pad = " " * key_col
    lines = [" " * dash_col + "-" + " " * (key_col - dash_col - 1) + "at: " + found.at.strftime("%Y-%m-%dT%H:%M:%SZ")]
    if found.type is None:
        lines.append(f"{pad}# type: note (inferred)")
    elif found.inferred:
        lines.append(f"{pad}# type: {found.type} (inferred)")
    else:
        lines.append(f"{pad}type: {found.type}")
    for key in ("source", "actor"):
        value = getattr(found, key)
        if value is not None:
            lines.append(f"{pad}{key}: {scalar(value, key_col + 2)}")
    lines.append(f"{pad}message: {scalar(found.message, key_col + 2)}")
    return lines


def as_yaml(events: list[ImportedEvent]) -> str:
    """A `timeline:` block of the events, ready to paste into an incident file."""
    if not events:
        return "timeline: []\n"
    lines = ["timeline:"]
    for found in events:
        lines.extend(event_lines(found))
    return "\n".join(lines) + "\n"

