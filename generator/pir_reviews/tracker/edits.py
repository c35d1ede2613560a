"""Record a tracker's answers in an incident file by small text edits.

Only the characters of the values that change are touched: an existing
`link:` or `status:` has its value replaced where it stands, a missing one is
added as a new line at the item's indentation (or before the `}` of a flow
mapping). Comments, quoting, key order and blank lines stay as the author
wrote them. PyYAML composes the file (nodes with exact start and end
positions; nothing is constructed); the caller checks the edited text with
the loader before anything is written.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from pir_reviews.core.errors import PirError
from pir_reviews.render.escape import front_matter_str

# A plain value: no space, and no colon at its end (where it would start a mapping).
_PLAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_./:?=&%+~-]*[A-Za-z0-9_./?=&%+~-])?")


class EditRefused(PirError):
    """The file's shape leaves no safe place for the edit."""


@dataclass(frozen=True)
class ItemChange:
    """New values for some fields of action_items[index]; None leaves a field as it is."""

    index: int
    link: str | None = None
    status: str | None = None

    def fields(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in (("link", self.link), ("status", self.status)) if value is not None]


def _scalar(value: str, flow: bool) -> str:
    """The value as YAML: plain when nothing in it could mean anything else, else double-quoted."""
    if not flow and _PLAIN.fullmatch(value) and value not in ("null", "true", "false", "yes", "no", "on", "off"):
        return value
    return front_matter_str(value)


def _items(text: str, path: str) -> list[yaml.Node]:
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise EditRefused(f"{path}:1: cannot be read for editing ({exc})") from None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "action_items" and isinstance(value, yaml.SequenceNode):
                return value.value
    raise EditRefused(f"{path}:1: no action_items list to edit")


def apply(text: str, path: str, changes: list[ItemChange]) -> str:
    """The text with every change made; EditRefused when an item is not a mapping."""
    items = _items(text, path)
    # (position, characters removed, text inserted), applied from the end so positions stay valid.
    edits: list[tuple[int, int, str]] = []
    for change in changes:
        if change.index >= len(items) or not isinstance(items[change.index], yaml.MappingNode):
            raise EditRefused(f"{path}:1: action_items[{change.index}] is not a mapping; cannot record the tracker's answer")
        item = items[change.index]
        flow = bool(item.flow_style)
        keys = {key.value: value for key, value in item.value}
        for name, value in change.fields():
            if name in keys:
                node = keys[name]
                if not isinstance(node, yaml.ScalarNode):
                    raise EditRefused(f"{path}:{node.start_mark.line + 1}: action_items[{change.index}].{name} is not a single value")
                edits.append((node.start_mark.index, node.end_mark.index - node.start_mark.index, _scalar(value, flow)))
            else:
                edits.append(_insertion(text, item, name, _scalar(value, flow)))
    out = text
    for position, removed, inserted in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:position] + inserted + out[position + removed:]
    return out


def _insertion(text: str, item: yaml.MappingNode, name: str, value: str) -> tuple[int, int, str]:
    if item.flow_style:
        closing = item.end_mark.index - 1  # the "}"
        separator = ", " if item.value else ""
        return closing, 0, f"{separator}{name}: {value}"
    first_key = item.value[0][0]
    indent = " " * first_key.start_mark.column
    end = item.value[-1][1].end_mark.index
    if end > 0 and text[end - 1] == "\n":  # a block scalar ends after its own line break
        return end, 0, f"{indent}{name}: {value}\n"
    newline = text.find("\n", end)
    if newline == -1:
        return len(text), 0, f"\n{indent}{name}: {value}\n"
    return newline + 1, 0, f"{indent}{name}: {value}\n"


def write_all(texts: dict[Path, str]) -> None:
    """Replace every file or none: each new text goes to a temporary file next to
    its target first, and only when all are written are they renamed into place."""
    staged: list[tuple[Path, str]] = []
    try:
        for target, text in texts.items():
            if target.is_symlink():
                raise EditRefused(f"{target}:1: is a symlink; refusing to write through it")
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((target, temp))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    except BaseException:
        for _, temp in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    for target, temp in staged:
        os.replace(temp, target)
