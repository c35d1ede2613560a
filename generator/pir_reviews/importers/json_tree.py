"""JSON text to a tree of located values, so that a wrong message or log entry is named by its line.

The standard library's decoder is fast but forgets where each value was; an
export with one malformed message among thousands needs `FILE:LINE:COL`.
So the text is decoded by the standard library, and positions are worked
out only when one is asked for, which happens when a message reports a
problem: one pass over the text then records where every value starts.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from pir_reviews.core.errors import InvalidInput, Problem

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR_END = re.compile(r"[^,\]}\s]*")


class _BadScalar(ValueError):
    """A number or constant the decoder read but refuses, with its text, so that it can be located."""

    def __init__(self, token: str, why: str):
        super().__init__(why)
        self.token = token


def _no_constants(name: str) -> Any:
    raise _BadScalar(name, f"{name} is not JSON")


def _integer(token: str) -> int:
    try:
        return int(token)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _BadScalar(token, f"a number of {len(token.lstrip('-')):,} digits is too long to read") from None


_DECODER = json.JSONDecoder(parse_constant=_no_constants, parse_int=_integer)


class _Document:
    """One JSON document in a text, and (once asked) where each of its values starts."""

    def __init__(self, text: str, start: int):
        self.text = text
        self.start = start
        self.positions: dict[tuple, tuple[int, int]] | None = None

    def position(self, path: tuple) -> tuple[int, int]:
        if self.positions is None:
            self.positions = {}
            try:
                _locate(self.text, self.start, (), self.positions)
            except (ValueError, IndexError, RecursionError):  # pragma: no cover - the text was decoded already
                pass
        return self.positions.get(path, (1, 1))


class Located:
    """A decoded JSON value and where it starts; an object's members and an array's items are Located too."""

    __slots__ = ("_raw", "_path", "_document")

    def __init__(self, raw: Any, path: tuple, document: _Document):
        self._raw = raw
        self._path = path
        self._document = document

    @property
    def value(self) -> Any:
        """A scalar, a dict of Located members or a list of Located items."""
        raw = self._raw
        if isinstance(raw, dict):
            return {key: Located(item, self._path + (key,), self._document) for key, item in raw.items()}
        if isinstance(raw, list):
            return [Located(item, self._path + (index,), self._document) for index, item in enumerate(raw)]
        return raw

    @property
    def line(self) -> int:
        return self._document.position(self._path)[0]

    @property
    def col(self) -> int:
        return self._document.position(self._path)[1]

    @property
    def kind(self) -> str:
        raw = self._raw
        if isinstance(raw, dict):
            return "object"
        if isinstance(raw, list):
            return "array"
        if isinstance(raw, str):
            return "string"
        if raw is None:
            return "null"
        return "boolean" if isinstance(raw, bool) else "number"

    def get(self, key: str) -> Located | None:
        """The member `key` of an object (None when absent or not an object)."""
        if isinstance(self._raw, dict) and key in self._raw:
            return Located(self._raw[key], self._path + (key,), self._document)
        return None

    def text(self, key: str) -> str | None:
        """The member `key` when it is a string; None otherwise."""
        found = self._raw.get(key) if isinstance(self._raw, dict) else None
        return found if isinstance(found, str) else None

    def plain(self) -> Any:
        """The value as the standard library decodes it."""
        return self._raw

    def described(self) -> str:
        """What the value is, for messages: "an object", "the number 3", ..."""
        kind = self.kind
        if kind == "object":
            return "an object"
        if kind == "array":
            return "an array"
        return "null" if kind == "null" else f"the {kind} {json.dumps(self._raw)[:40]}"


def parse(text: str, path: str, what: str) -> Located:
    """The located tree of one JSON document; InvalidInput (naming `what` was expected) when it is not JSON."""
    return _parse(text, path, what, several=False)[0]


def parse_several(text: str, path: str, what: str) -> list[Located]:
    """JSON documents one after another, as `gh api --paginate` prints them (one array per page)."""
    return _parse(text, path, what, several=True)


def _parse(text: str, path: str, what: str, several: bool) -> list[Located]:
    roots: list[Located] = []
    index = _SPACE.match(text, 0).end()
    try:
        while True:
            start = index
            raw, index = _DECODER.raw_decode(text, index)
            roots.append(Located(raw, (), _Document(text, start)))
            index = _SPACE.match(text, index).end()
            if index == len(text):
                return roots
            if not several:
                raise json.JSONDecodeError("more text after the JSON value", text, index)
    except json.JSONDecodeError as exc:
        raise InvalidInput([Problem(path, exc.lineno, exc.colno, f"not valid JSON ({exc.msg}); expected {what}")]) from None
    except _BadScalar as exc:  # NaN, Infinity, or a number too long
        line, col = _scalar_at(text, index, exc.token) or _where(text, index)
        raise InvalidInput([Problem(path, line, col, f"not valid JSON ({exc}); expected {what}")]) from None
    except RecursionError:
        line, col = _where(text, index)
        raise InvalidInput([Problem(path, line, col, f"JSON nested too deeply to read; expected {what}")]) from None


def _scalar_at(text: str, start: int, token: str) -> tuple[int, int] | None:
    """Where the first scalar written `token` of the document at `start` is (the decoder reads in the same order)."""
    scalars: dict[str, tuple[int, int]] = {}
    try:
        _locate(text, start, (), {}, scalars)
    except (ValueError, IndexError, RecursionError):  # the text after the refused scalar is not read
        pass
    return scalars.get(token)


def _where(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _locate(text: str, start: int, root: tuple, positions: dict[tuple, tuple[int, int]],
            scalars: dict[str, tuple[int, int]] | None = None) -> None:
    """Record where every value of the (valid) document at `start` begins, keyed by its path;
    and, with `scalars`, where each number or constant is first written, keyed by its text."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def skip(index: int) -> int:
        return _SPACE.match(text, index).end()

    def value(index: int, path: tuple) -> int:
        positions[path] = where(index)
        char = text[index]
        if char == '"':
            return json.decoder.scanstring(text, index + 1)[1]
        if char not in "{[":
            end = _SCALAR_END.match(text, index).end()
            if scalars is not None:
                scalars.setdefault(text[index:end], positions[path])
            return end
        close = "}" if char == "{" else "]"
        index = skip(index + 1)
        count = 0
        while text[index] != close:
            if char == "{":
                key, index = json.decoder.scanstring(text, index + 1)
                index = skip(skip(index) + 1)  # past the colon
                index = value(index, path + (key,))
            else:
                index = value(index, path + (count,))
                count += 1
            index = skip(index)
            if text[index] == ",":
                index = skip(index + 1)
        return index + 1

    value(start, root)
