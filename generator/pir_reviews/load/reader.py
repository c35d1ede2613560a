"""Read one YAML file into a small tree of located nodes, refusing what format v1 forbids.

PyYAML (libyaml when installed) does the tokenising; this module builds the
tree itself from parser events so that nothing is ever expanded or
constructed: anchors, aliases and explicit tags are refused where they stand,
nesting is capped before it can exhaust the stack, and every scalar keeps its
raw text and position. What the text means is decided later, by the loader,
against the field it belongs to.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass

import yaml

from pir_reviews.core.errors import Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024
_STANDARD_TAGS = "tag:yaml.org,2002:"
MAX_DEPTH = 32


# The plain scalars YAML reads as null.
NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class Node:
    """A located YAML node: kind is "map", "seq" or "scalar"."""

    __slots__ = ("kind", "value", "line", "col", "plain", "comment_after")

    def __init__(self, kind: str, value, line: int, col: int, plain: bool = False, comment_after: bool = False):
        self.kind = kind
        # map: list[tuple[Node, Node]]; seq: list[Node]; scalar: str
        self.value = value
        self.line = line
        self.col = col
        self.plain = plain  # an unquoted scalar (its text may mean null, a number, ...)
        # An unquoted scalar followed by " # ..." on its line: YAML drops that as a comment,
        # which silently cuts text such as "merged PR #4821".
        self.comment_after = comment_after

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.value in NULLS


@dataclass(frozen=True)
class Document:
    root: Node | None
    problems: list[Problem]


class _Stop(Exception):
    pass


def too_big(path: str, size: int) -> Problem:
    return Problem(path, 1, None, f"file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes (1 MiB) per incident")


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: strict UTF-8 (a leading BOM is dropped), at most MAX_BYTES."""
    if len(data) > MAX_BYTES:
        return None, [too_big(path, len(data))]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and not data.startswith(codecs.BOM_UTF8):
        return None, [Problem(path, 1, None, "file is UTF-16 or UTF-32; save it as UTF-8")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(path, line, col, f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")]


def read(text: str, path: str) -> Document:
    """Parse text into a located node tree; every problem found is returned, never raised."""
    problems: list[Problem] = []
    loader = _Loader(text)
    root: Node | None = None
    # Stack of open collections: (node, pending key or None).
    stack: list[list] = []
    documents = 0
    seen_keys: list[dict[str, int]] = []
    starts = _line_starts(text)

    def add(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        parent = top[0]
        if parent.kind == "seq":
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            key = top[1]
            top[1] = None
            if _check_key(key, path, problems, seen_keys[-1]):
                parent.value.append((key, node))

    get_event = loader.get_event
    try:
        # One branch per event type, the commonest first: a 15 KB incident is
        # about 600 events, and this loop is most of what reading costs.
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is _ScalarEvent:
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if starts is None else _place(starts, mark.index)
                if event.anchor is not None:
                    problems.append(_anchor_problem(path, line, col, event.anchor))
                tag = event.tag
                if tag is not None and not (tag == "!" and event.implicit[1]):
                    problems.append(_tag_problem(path, line, col, tag))
                plain = bool(event.implicit[0]) and tag is None
                end = event.end_mark.index
                comment = plain and text.startswith(" ", end) and _COMMENT_AFTER.match(text, end) is not None
                add(Node("scalar", event.value, line, col, plain, comment))
            elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                node, _ = stack.pop()
                if node.kind == "map":
                    seen_keys.pop()
                add(node)
            elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if starts is None else _place(starts, mark.index)
                if event.anchor is not None:
                    problems.append(_anchor_problem(path, line, col, event.anchor))
                if event.tag is not None:
                    problems.append(_tag_problem(path, line, col, event.tag))
                if len(stack) >= MAX_DEPTH:
                    problems.append(Problem(path, line, col, f"nesting deeper than {MAX_DEPTH} levels; incident files are shallow"))
                    raise _Stop
                if kind is _MappingStartEvent:
                    stack.append([Node("map", [], line, col), None])
                    seen_keys.append({})
                else:
                    stack.append([Node("seq", [], line, col), None])
            elif kind is _AliasEvent:
                mark = event.start_mark
                line, col = _where(mark, starts)
                problems.append(Problem(path, line, col, f"alias *{event.anchor} is not allowed; write the value out in full"))
                add(Node("scalar", "", line, col, plain=True))
            elif kind is _DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, col = _where(event.start_mark, starts)
                    problems.append(Problem(path, line, col, "a second YAML document starts here; put one incident per file"))
                    raise _Stop
    except _Stop:
        return Document(None, problems)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(exc, path, text, starts))
        return Document(None, problems)
    except RecursionError:  # pragma: no cover - the depth cap comes first
        problems.append(Problem(path, 1, None, "nesting too deep"))
        return Document(None, problems)
    finally:
        loader.dispose()
    if root is None and not problems:
        problems.append(Problem(path, 1, None, "file is empty; an incident is a mapping with id, title, started_at, services and summary"))
    return Document(root, problems)


# An unquoted scalar's end followed by " # ...": the rest of its line is a comment.
_COMMENT_AFTER = re.compile(r" +#")
# Line breaks to YAML that are none to an editor, git or a diff (NEL, LS, PS).
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int] | None:
    """Where each line starts, as an editor counts lines, when YAML would count
    them otherwise (the text holds NEL, LS or PS); None when the marks' own
    line and column are right."""
    if _ODD_BREAK.search(text) is None:
        return None
    return [0] + [match.end() for match in _LINE_END.finditer(text)]


def _place(starts: list[int], index: int) -> tuple[int, int]:
    """The line and column (from 1) of a character index, by the line starts of _line_starts."""
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def _where(mark, starts: list[int] | None) -> tuple[int, int | None]:
    """The line and column of a mark; line 1 when there is none."""
    if not mark:
        return 1, None
    return (mark.line + 1, mark.column + 1) if starts is None else _place(starts, mark.index)


_ScalarEvent, _AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocumentStartEvent = yaml.DocumentStartEvent


def _anchor_problem(path: str, line: int, col: int, anchor: str) -> Problem:
    return Problem(path, line, col, f"anchor &{anchor} is not allowed; write each value out in full")


def _tag_problem(path: str, line: int, col: int, tag: str) -> Problem:
    shown = "!!" + tag[len(_STANDARD_TAGS):] if tag.startswith(_STANDARD_TAGS) else tag
    return Problem(path, line, col, f"explicit tag {shown} is not allowed; write plain values (nothing is constructed or run)")


def _check_key(key: Node, path: str, problems: list[Problem], seen: dict[str, int]) -> bool:
    value = key.value
    if key.kind == "scalar" and value[:1].isalpha() and value not in NULLS and value not in seen:
        seen[value] = key.line  # the common case: a name given once
        return True
    if key.kind != "scalar":
        problems.append(Problem(path, key.line, key.col, "a key must be plain text, not a list or mapping"))
        return False
    if key.plain and key.value == "<<":
        problems.append(Problem(path, key.line, key.col, "merge key << is not allowed; write the keys out in full"))
        return False
    if key.is_null:
        problems.append(Problem(path, key.line, key.col, "a key is null; keys must be names such as title or status"))
        return False
    if key.plain and _looks_numeric(key.value):
        problems.append(Problem(path, key.line, key.col, f"key {key.value} is a number; keys must be names such as title or status"))
        return False
    first = seen.get(key.value)
    if first is not None:
        problems.append(Problem(path, key.line, key.col, f"duplicate key {key.value!r}: first given on line {first}; give each key once"))
        return False
    seen[key.value] = key.line
    return True


def _looks_numeric(text: str) -> bool:
    stripped = text.replace("_", "").lstrip("+-")
    return stripped.replace(".", "", 1).isdigit()


def _yaml_problem(exc: yaml.YAMLError, path: str, text: str, starts: list[int] | None = None) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(path, line, col, f"character U+{char:04X} is not allowed in YAML text (control character); remove it")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _where(mark, starts)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {what}" + (f" ({context})" if context else "")
    if mark is not None and text[mark.index: mark.index + 1] == "\t":
        message += "; indent with spaces, not tabs"
    elif what.startswith("mapping values are not allowed"):
        # `message: Retry: failed` — a colon and a space inside unquoted text.
        message += "; put the text in quotes (a colon followed by a space starts a key)"
    return Problem(path, line, col, message)
