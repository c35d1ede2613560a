"""JSON text to a tree of located values, so that a wrong message or log entry is named by its line.

The standard library parses JSON well but forgets where each value was; an
export with one malformed message among thousands needs `FILE:LINE:COL`.
Strings and numbers are still decoded by the standard library's own scanner.
"""

from __future__ import annotations

import bisect
import json.decoder
import re
from dataclasses import dataclass
from typing import Any

from generator.errors import InvalidInput, Problem

MAX_DEPTH = 100
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class Located:
    """A JSON value and where it starts; objects hold a dict and arrays a list of Located."""

    value: Any
    line: int
    col: int

    @property
    def kind(self) -> str:
        value = self.value
        if isinstance(value, dict):
            return "object"
        if isinstance(value, list):
            return "array"
        if isinstance(value, str):
            return "string"
        if value is None:
            return "null"
        return "boolean" if isinstance(value, bool) else "number"

    def get(self, key: str) -> Located | None:
        """The member `key` of an object (None when absent or not an object)."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def text(self, key: str) -> str | None:
        """The member `key` when it is a string; None otherwise."""
        found = self.get(key)
        return found.value if found is not None and isinstance(found.value, str) else None

    def described(self) -> str:
        """What the value is, for messages: "an object", "the number 3", ..."""
        kind = self.kind
        if kind in ("object", "array"):
            return f"an {kind}" if kind == "object" else "an array"
        return f"the {kind} {json.dumps(self.value)[:40]}" if kind != "null" else "null"


class _Syntax(Exception):
    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index
        self.message = message


def parse(text: str, path: str, what: str) -> Located:
    """The located tree of one JSON document; InvalidInput (naming `what` was expected) when it is not JSON."""
    return _parse(text, path, what, several=False)[0]


def parse_several(text: str, path: str, what: str) -> list[Located]:
    """JSON documents one after another, as `gh api --paginate` prints them (one array per page)."""
    return _parse(text, path, what, several=True)


def _parse(text: str, path: str, what: str, several: bool) -> list[Located]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def value(index: int, depth: int) -> tuple[Located, int]:
        if depth > MAX_DEPTH:
            raise _Syntax(index, f"nested deeper than {MAX_DEPTH} levels")
        line, col = where(index)
        char = text[index:index + 1]
        if char and char in "{[":
            found, end = (members if char == "{" else items)(index + 1, depth)
            return Located(found, line, col), end
        if char == '"':
            try:
                found, end = json.decoder.scanstring(text, index + 1)
            except json.JSONDecodeError as exc:
                raise _Syntax(exc.pos, exc.msg) from None
            return Located(found, line, col), end
        number = _NUMBER.match(text, index)
        if number:
            digits = number.group()
            return Located(float(digits) if any(c in digits for c in ".eE") else int(digits), line, col), number.end()
        for word, meaning in _LITERALS.items():
            if text.startswith(word, index):
                return Located(meaning, line, col), index + len(word)
        raise _Syntax(index, "end of file where a value was expected" if not char else f"unexpected {char!r} where a value was expected")

    def skip(index: int) -> int:
        return _SPACE.match(text, index).end()

    def members(index: int, depth: int) -> tuple[dict[str, Located], int]:
        out: dict[str, Located] = {}

        def member(index: int) -> int:
            if not text.startswith('"', index):
                raise _Syntax(index, "expected a quoted member name")
            key, found = value(index, depth + 1)
            index = skip(found)
            if not text.startswith(":", index):
                raise _Syntax(index, "expected ':' after the member name")
            out[key.value], found = value(skip(index + 1), depth + 1)
            return found

        return out, collection(index, "}", "object", member)

    def items(index: int, depth: int) -> tuple[list[Located], int]:
        out: list[Located] = []

        def item(index: int) -> int:
            found, end = value(index, depth + 1)
            out.append(found)
            return end

        return out, collection(index, "]", "array", item)

    def collection(index: int, close: str, kind: str, read_one) -> int:
        """Read `one, two, ...` up to `close`; returns the index after it."""
        index = skip(index)
        if text.startswith(close, index):
            return index + 1
        while True:
            index = skip(read_one(index))
            if text.startswith(",", index):
                index = skip(index + 1)
            elif text.startswith(close, index):
                return index + 1
            else:
                raise _Syntax(index, f"expected ',' or '{close}' in an {kind}")

    roots: list[Located] = []
    try:
        end = skip(0)
        while True:
            root, end = value(end, 0)
            roots.append(root)
            end = skip(end)
            if end == len(text):
                return roots
            if not several:
                raise _Syntax(end, "more text after the JSON value")
    except _Syntax as exc:
        line, col = where(exc.index)
        raise InvalidInput([Problem(path, line, col, f"not valid JSON ({exc.message}); expected {what}")]) from None
