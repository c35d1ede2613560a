"""A Slack workspace export (its ZIP file or the unzipped folder) to the events of one channel.

The export holds `users.json` and `channels.json` at its top and one folder
per channel with one JSON file per day (`YYYY-MM-DD.json`). A day file covers
a day in the workspace's time zone, not in UTC, but every message carries its
instant as epoch seconds (`ts`), so instants come from `ts` and the zone only
decides which day files a time window needs to open (and warns when messages
sit outside their file's day: a hint that --tz is wrong).

What people said is kept, with names instead of ids and Slack's markup
undone; what Slack itself logs (joins, leaves, topic changes, pins) is not.
Thread replies are ordinary messages at their own instant, so sorting by
instant flattens threads into time order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers import json_tree
from pir_reviews.importers.common import Imported, ImportedEvent, Window, event
from pir_reviews.importers.json_tree import Located
from pir_reviews.importers.slack_files import EXPORT, ExportFiles, open_export

SOURCE = "slack"
DAY = "a day of Slack messages (a JSON array)"

# Messages Slack writes about the channel rather than people's words.
HOUSEKEEPING = frozenset({
    "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
    "channel_archive", "channel_unarchive", "channel_convert_to_private", "channel_convert_to_public",
    "group_join", "group_leave", "group_topic", "group_purpose", "group_name", "group_archive",
    "group_unarchive", "pinned_item", "unpinned_item", "bot_add", "bot_remove", "bot_enable",
    "bot_disable", "app_conversation_join", "joiner_notification", "joiner_notification_for_inviter",
    "reminder_add", "reminder_delete", "tombstone", "message_deleted", "message_changed",
    "message_replied", "sh_room_created", "huddle_thread", "channel_posting_permissions",
})

_TS = re.compile(r"(\d{1,11})(?:\.(\d{1,6}))?")
_MARKUP = re.compile(r"<([^<>\n]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_SPECIAL_MENTIONS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
# Every zone on Earth is within this of UTC: without --tz a day file may hold these hours more.
_WIDEST_OFFSET = timedelta(hours=14)


def read_export(source: Path, channel: str, zone: ZoneInfo | None, window: Window) -> Imported:
    """The messages of `channel` (name, #name or id) that the window may keep, in export order."""
    with open_export(source) as files:
        channels = _channels(files)
        name = _find_channel(files, channels, channel)
        days = files.days(name)
        if days is None:
            raise InvalidInput([Problem(files.shown(name), 1, None, f"no such folder; expected the day files of #{name} (YYYY-MM-DD.json) in {EXPORT}")])
        workspace = _Workspace(_people(files), {ident: chan for chan, ident in channels.items()})
        events: list[ImportedEvent] = []
        problems: list[Problem] = []
        warnings: list[Problem] = []
        for day, member in days:
            if _day_may_hold(day, zone, window):
                _read_day(files, member, day, zone, workspace, events, problems, warnings)
    if problems:
        raise InvalidInput(problems)
    return Imported(events, warnings)


def _read_day(files: ExportFiles, member: str, day: date, zone: ZoneInfo | None, workspace: _Workspace,
              events: list[ImportedEvent], problems: list[Problem], warnings: list[Problem]) -> None:
    shown = files.shown(member)
    root = json_tree.parse(files.read(member, DAY), shown, DAY)
    if root.kind != "array":
        problems.append(Problem(shown, root.line, root.col, f"expected a JSON array of messages (a Slack export's day file), found {root.described()}"))
        return
    outside: Located | None = None
    for item in root.value:
        found = _message(item, shown, len(events), workspace, problems)
        if found is None:
            continue
        events.append(found)
        if zone is not None and outside is None and found.at.astimezone(zone).date() != day:
            outside = item
    if outside is not None:
        warnings.append(Problem(shown, outside.line, outside.col, f"messages here fall outside {day.isoformat()} in {zone}; is --tz the workspace's time zone?", "warning"))


@dataclass(frozen=True)
class _Workspace:
    """Who is who and which channel is which, to turn ids into names."""

    people: dict[str, tuple[str, ...]]  # user id: every name the person goes by, the one to show first
    channels: dict[str, str]  # channel id: name

    @cached_property
    def names(self) -> dict[str, str]:
        """User id: the name to show."""
        return {ident: names[0] for ident, names in self.people.items()}


def _array_of_objects(files: ExportFiles, name: str, what: str) -> list[Located]:
    shown = files.shown(name)
    root = json_tree.parse(files.read(name, what), shown, what)
    if root.kind != "array":
        raise InvalidInput([Problem(shown, root.line, root.col, f"expected {what}, found {root.described()}")])
    bad = [Problem(shown, item.line, item.col, f"expected an object, found {item.described()} (in {what})") for item in root.value if item.kind != "object"]
    if bad:
        raise InvalidInput(bad)
    return root.value


def _people(files: ExportFiles) -> dict[str, tuple[str, ...]]:
    """User id to the names the person goes by, the one to show first: real name, display name, user name, id."""
    name = "users.json" if files.has("users.json") else "org_users.json"
    out: dict[str, tuple[str, ...]] = {}
    for user in _array_of_objects(files, name, "the workspace's members (a JSON array of users)"):
        ident = user.text("id")
        if not ident:
            continue
        profile = user.get("profile")
        real, display = (profile.text("real_name"), profile.text("display_name")) if profile is not None else (None, None)
        names = (real, user.text("real_name"), display, user.text("name"), ident)
        out[ident] = tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return out


def _channels(files: ExportFiles) -> dict[str, str]:
    """Channel name to id, public channels first, then private ones when the export has them."""
    out: dict[str, str] = {}
    for name in ("channels.json", "groups.json"):
        if not files.has(name):
            continue
        for item in _array_of_objects(files, name, "the workspace's channels (a JSON array)"):
            chan = item.text("name")
            if chan and chan not in out:
                out[chan] = item.text("id") or chan
    return out


def _find_channel(files: ExportFiles, channels: dict[str, str], wanted: str) -> str:
    key = wanted.strip().lstrip("#")
    for name, ident in channels.items():
        if key in (name, ident):
            return name
    known = ", ".join(sorted(channels)[:20]) + (", ..." if len(channels) > 20 else "")
    raise InvalidInput([Problem(files.shown("channels.json"), 1, None,
                                f"no channel {wanted!r} in this export; expected one of: {known or 'none (the export lists no channels)'}")])


def _day_may_hold(day: date, zone: ZoneInfo | None, window: Window) -> bool:
    """Can the day file of `day` hold an instant inside the window?"""
    if zone is None:
        start = datetime.combine(day, time(), timezone.utc) - _WIDEST_OFFSET
        end = datetime.combine(day + timedelta(days=1), time(), timezone.utc) + _WIDEST_OFFSET
    else:
        start = datetime.combine(day, time(), zone).astimezone(timezone.utc)
        end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    if window.until is not None and start > window.until:
        return False
    return window.since is None or end > window.since


def _instant(ts: str) -> datetime | None:
    match = _TS.fullmatch(ts.strip())
    if match is None:
        return None
    seconds, fraction = match.groups()
    micro = int((fraction or "").ljust(6, "0"))
    try:
        return datetime.fromtimestamp(int(seconds), timezone.utc).replace(microsecond=micro)
    except (OverflowError, OSError, ValueError):
        return None


def _message(item: Located, path: str, order: int, workspace: _Workspace, problems: list[Problem]) -> ImportedEvent | None:
    if item.kind != "object":
        problems.append(Problem(path, item.line, item.col, f"expected a message (an object with ts and text), found {item.described()}"))
        return None
    kind = item.text("type")
    subtype = item.text("subtype")
    if (kind is not None and kind != "message") or subtype in HOUSEKEEPING:
        return None
    ts = item.get("ts")
    raw = ts.value if ts is not None and isinstance(ts.value, (str, int, float)) and not isinstance(ts.value, bool) else None
    at = _instant(str(raw)) if raw is not None else None
    if at is None or at.year < 1970 or at.year > 9999:
        where = ts or item
        problems.append(Problem(path, where.line, where.col, "a message's ts must be epoch seconds such as \"1710513067.000200\"" + (f", found {ts.described()}" if ts else "; it has none")))
        return None
    actor, names = _actor(item, workspace.people)
    text = unmark(_text(item), workspace.names, workspace.channels)
    return event(at, text, order=order, source=SOURCE, actor=actor, names=names)


def _actor(item: Located, people: dict[str, tuple[str, ...]]) -> tuple[str | None, tuple[str, ...]]:
    """Who wrote it: a bot by the bot's name, a person by their real name, else whatever the export has."""
    user = item.text("user")
    profile = item.get("user_profile")
    bot = item.get("bot_profile")
    if item.text("subtype") == "bot_message" or item.text("bot_id"):
        names = (item.text("username"), bot.text("name") if bot else None, *people.get(user or "", ()), item.text("bot_id"), user)
    else:
        names = (*people.get(user or "", ()), profile.text("real_name") if profile else None,
                 profile.text("display_name") if profile else None, item.text("username"), user)
    known = tuple(dict.fromkeys(n for n in names if n))
    return (known[0] if known else None), known


def _text(item: Located) -> str:
    """The message's words; a bot's attachments or a shared file's name when the text is empty."""
    text = item.text("text") or ""
    if text.strip():
        return text
    parts: list[str] = []
    attachments = item.get("attachments")
    for attachment in attachments.value if attachments is not None and attachments.kind == "array" else []:
        words = attachment.text("fallback") or attachment.text("text") or attachment.text("title")
        if words:
            parts.append(words)
    files = item.get("files")
    for shared in files.value if files is not None and files.kind == "array" else []:
        title = shared.text("title") or shared.text("name")
        if title:
            parts.append(f"shared a file: {title}")
    return "\n".join(parts)


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def unmark(text: str, users: dict[str, str], channels: dict[str, str]) -> str:
    """Slack's markup as plain words: mentions as names, links as "label (url)", entities as characters."""
    out: list[str] = []
    last = 0
    for match in _MARKUP.finditer(text):
        out.append(_unescape(text[last:match.start()]))
        out.append(_markup(match.group(1), users, channels))
        last = match.end()
    out.append(_unescape(text[last:]))
    return "".join(out)


def _markup(inner: str, users: dict[str, str], channels: dict[str, str]) -> str:
    target, _, label = inner.partition("|")
    target, label = _unescape(target), _unescape(label)
    if target.startswith("@"):
        return users.get(target[1:]) or label.lstrip("@") or target[1:]
    if target.startswith("#"):
        return "#" + (label or channels.get(target[1:]) or target[1:])
    if target.startswith("!"):
        command = target[1:]
        if command in _SPECIAL_MENTIONS:
            return _SPECIAL_MENTIONS[command]
        if label:
            return label
        return "@" + command.split("^")[-1]
    if not label or label == target or f"mailto:{label}" == target:
        return label or target
    return f"{label} ({target})"
