"""`pir import --into`: add imported events to an incident file's timeline, touching nothing else.

The file is edited as text, not loaded and dumped again: a YAML round trip
would drop the author's comments, quoting and layout. The parser's own
positions locate the timeline; each new event is inserted before the first
existing event that is later (after the comment lines directly above that
event, which belong to it), or after the last one, so a chronological file
stays chronological. Events already there (the same instant, to the second,
and the same message) are skipped, so importing twice adds nothing.

Nothing is written unless the edited text loads as a valid incident holding
exactly the old events plus the new ones; the file is then replaced in one
step (a temporary file in the same folder, renamed over it), keeping its
permissions, its line ends and its byte-order mark.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from pir_reviews.load import loader
from pir_reviews.core.errors import InvalidInput, PirError, Problem, WriteRefused
from pir_reviews.importers.common import ImportedEvent
from pir_reviews.importers.yaml_events import event_lines

_BOM = b"\xef\xbb\xbf"
_COMMENTED_TIMELINE = re.compile(r"^# ?timeline:.*$", re.MULTILINE)
_COMMENTED_DETAIL = re.compile(r"# {2,}\S.*")


@dataclass(frozen=True)
class Added:
    """What --into did: how many events went in and how many were there already."""

    added: int
    skipped: int


@dataclass(frozen=True)
class _Layout:
    """Where the timeline's entries are in the text and how they are indented."""

    dash_col: int
    key_col: int
    starts: tuple[tuple[datetime, int], ...]  # each entry's instant and where its text begins (with its comments)
    end: int  # where an entry after the last one goes
    edits: tuple[tuple[int, int, str], ...] = ()  # text to replace first (start, end, new), e.g. "[]"
    header: str = ""  # "timeline:" when the file has none yet


def add_events(path: Path, events: list[ImportedEvent]) -> Added:
    """Add the events that are not there yet to the incident file at path; raises before writing anything."""
    shown = path.as_posix()
    if path.is_symlink():
        raise WriteRefused(f"{shown} is a symlink; refusing to write through it")
    if path.is_dir():
        raise InvalidInput([Problem(shown, 1, None, "is a folder; --into takes one incident file")])
    if path.exists() and not path.is_file():  # loader.list_files reads a path named outright; a pipe would wait for ever
        raise InvalidInput([Problem(shown, 1, None, loader.NOT_REGULAR)])
    contents, problems = loader.read_files([path])
    if problems:
        raise InvalidInput(problems)
    data = contents[0][1]
    incident, problems = loader.parse(data, shown)
    if incident is None:
        raise InvalidInput([p for p in problems if p.level == "error"])
    known = {(e.at.replace(microsecond=0), e.message.strip()) for e in incident.timeline}
    new: list[ImportedEvent] = []
    for found in events:
        key = (found.at.replace(microsecond=0), found.message.strip())
        if key not in known:
            known.add(key)
            new.append(found)
    if not new:
        return Added(0, len(events))
    bom = data.startswith(_BOM)
    text = data[len(_BOM):].decode("utf-8") if bom else data.decode("utf-8")
    edited = _insert(text, [e.at for e in incident.timeline], new, shown)
    result = (_BOM if bom else b"") + edited.encode("utf-8")
    after, problems = loader.parse(result, shown)
    errors = [p for p in problems if p.level == "error"]
    if after is None or errors:
        raise InvalidInput([Problem(p.path, p.line, p.col, f"{p.message} (in the file as the import would leave it; nothing was written)") for p in errors])
    if len(after.timeline) != len(incident.timeline) + len(new):
        raise PirError(f"{shown}: the edited timeline would hold {len(after.timeline)} events instead of {len(incident.timeline) + len(new)}; nothing was written")
    _replace(path, result)
    return Added(len(new), len(events) - len(new))


def _insert(text: str, instants: list[datetime], new: list[ImportedEvent], path: str) -> str:
    layout = _layout(text, instants, path)
    newline = "\r\n" if "\r\n" in text else "\n"
    blocks: dict[int, list[str]] = {}
    for found in new:
        where = next((start for at, start in layout.starts if at > found.at), layout.end)
        blocks.setdefault(where, []).extend(event_lines(found, layout.dash_col, layout.key_col))
    if layout.header:
        blocks.setdefault(layout.end, []).insert(0, layout.header)
    changes = list(layout.edits)
    for where, lines in blocks.items():
        block = "".join(line.replace("\n", newline) + newline for line in lines)  # a literal block spans lines
        if where == len(text) and text and not text.endswith("\n"):
            block = newline + block
        changes.append((where, where, block))
    # From the end backwards, so that each change leaves the positions of the others valid.
    for start, end, replacement in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding index (index itself when it starts a line)."""
    if index == 0 or text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _value_end(events: list, index: int) -> int:
    """The index just past the node starting at events[index]."""
    depth = 0
    while True:
        item = events[index]
        if isinstance(item, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(item, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        index += 1
        if depth == 0:
            return index


def _layout(text: str, instants: list[datetime], path: str) -> _Layout:
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    root = next(i for i, e in enumerate(events) if isinstance(e, yaml.MappingStartEvent))
    if events[root].flow_style:
        raise PirError(f"{path}: the incident is written as one {{...}} mapping; --into adds only to block-style files")
    index = root + 1
    while not isinstance(events[index], yaml.MappingEndEvent):
        key, value = events[index], index + 1
        after = _value_end(events, value)
        if isinstance(key, yaml.ScalarEvent) and key.value == "timeline":
            return _timeline_layout(text, events[value:after], instants, key, path)
        index = after
    return _Layout(dash_col=2, key_col=4, starts=(), end=_where_a_timeline_goes(text), header="timeline:")


def _where_a_timeline_goes(text: str) -> int:
    """Below the commented-out example that `pir new` writes (`# timeline:` and its lines), else at the end."""
    example = _COMMENTED_TIMELINE.search(text)
    if example is None:
        return _after_line(text, len(text))
    index = _after_line(text, example.end())
    while (below := _COMMENTED_DETAIL.match(text, index)) is not None:
        index = _after_line(text, below.end())
    return index


def _timeline_layout(text: str, span: list, instants: list[datetime], key, path: str) -> _Layout:
    first = span[0]
    line_end = _after_line(text, key.end_mark.index)
    if isinstance(first, yaml.ScalarEvent):  # `timeline:` left empty, or null
        return _Layout(key.start_mark.column + 2, key.start_mark.column + 4, (), line_end,
                       edits=((first.start_mark.index, first.end_mark.index, ""),))
    if first.flow_style:
        if len(span) == 2:  # timeline: []
            return _Layout(key.start_mark.column + 2, key.start_mark.column + 4, (), line_end,
                           edits=((first.start_mark.index, span[-1].end_mark.index, ""),))
        raise PirError(f"{path}:{first.start_mark.line + 1}: the timeline is a [...] list; --into adds only to a block list (one '- ' line per event)")
    dash_col = first.start_mark.column
    entries = _entries(span)
    key_col = span[entries[0]].start_mark.column if entries else dash_col + 2
    # Only scalars end where their text ends; the end of a block collection is marked at the next token.
    last = max(e.end_mark.index for e in span if isinstance(e, yaml.ScalarEvent))
    starts = []
    for at, i in zip(instants, entries):
        start = _entry_start(text, span[i].start_mark.index, dash_col)
        if start is None or key_col <= dash_col:
            starts = []  # an unusual layout: new events go after the last one
            break
        starts.append((at, start))
    return _Layout(dash_col, key_col, tuple(starts), _after_line(text, last))


def _entries(span: list) -> list[int]:
    """The positions in span (a sequence's events) where each of its entries starts."""
    out = []
    depth = 0
    for index, item in enumerate(span):
        if depth == 1 and not isinstance(item, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            out.append(index)
        if isinstance(item, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(item, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return out


def _entry_start(text: str, index: int, dash_col: int) -> int | None:
    """Where the entry's text begins: its `- ` line, or the comments right above it at the dash's indent."""
    line = text.rfind("\n", 0, index) + 1
    if text[line:index].strip() != "-" or text[line:index].index("-") != dash_col:
        return None
    while line > 0:
        previous = text.rfind("\n", 0, line - 1) + 1
        above = text[previous:line - 1].rstrip("\r")
        if not (above.lstrip().startswith("#") and len(above) - len(above.lstrip()) == dash_col):
            break
        line = previous
    return line


def _replace(path: Path, data: bytes) -> None:
    """Write data over path in one step, keeping the file's permissions."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
