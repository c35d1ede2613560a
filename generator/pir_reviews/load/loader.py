"""The load stage: incident files to typed records, with every problem located.

`parse` turns one file's bytes into an `Incident` (or the problems that stop
it); `read_files` gathers the files of an archive, refusing symlinks, and
`duplicate_ids` is the check that needs every file at once.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from stat import S_ISREG
from typing import Any

from pir_reviews.load import checks
from pir_reviews.load import fields as f
from pir_reviews.core import models
from pir_reviews.core.errors import Problem
from pir_reviews.load.reader import MAX_BYTES, NULLS, Node, decode, read, too_big

# Ids the site cannot give a page of its own: MkDocs makes `index.md` and
# `README.md` the index of their folder, so reviews/index.md would replace the
# archive index. Refused here, in the load stage, so every command reports it.
RESERVED_IDS = ("index", "readme")
# What a pipe, socket or device given as an incident file is told (reading a pipe would wait for ever).
NOT_REGULAR = "is not a regular file (a pipe, socket or device); incident files are regular files"

_SCALAR_KINDS = (f.OneLine, f.Text, f.Ident, f.Choice, f.Number, f.Boolean, f.Timestamp, f.Day, f.Url)


class Walk:
    """Converts a node tree against a record declaration, collecting problems."""

    def __init__(self, path: str, partial: bool = False):
        self.path = path
        self.partial = partial  # any subset of top-level fields (pir classify); nested records stay whole
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.extra_hint = " (free-form data goes under extra:)"  # files without extra: (services.yaml) clear it

    def error(self, node: Node, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.col, f"{where}: {message}" if where else message))

    def convert(self, node: Node, kind: f.Kind, where: str) -> Any:
        self.lines[where] = node.line
        if is_empty(node):
            # One rule for every field, required or not: an empty value is an
            # error, never "absent" (the JSON Schema says the same).
            self.error(node, where, empty_value(kind))
            return None
        if isinstance(kind, f.Record):
            return self.record(node, kind, where)
        if isinstance(kind, f.ListOf):
            return self.listof(node, kind, where)
        if isinstance(kind, f.FreeForm):
            return plain(node)
        if node.kind != "scalar":
            self.error(node, where, f"expected {kind.describe}, found a {'list' if node.kind == 'seq' else 'mapping'}")
            return None
        if node.comment_after and isinstance(kind, (f.OneLine, f.Text)):
            self.problems.append(Problem(self.path, node.line, node.col, f"{where}: the rest of this line after ' #' is a YAML comment, not part of the text; put the whole value in quotes to keep it", "warning"))
        try:
            return self.scalar(node, kind)
        except checks.Refused as exc:
            self.error(node, where, str(exc))
            return None

    @staticmethod
    def scalar(node: Node, kind: f.Kind) -> Any:
        text = node.value
        if isinstance(kind, f.OneLine):
            return checks.one_line(text)
        if isinstance(kind, f.Text):
            return checks.free_text(text)
        if isinstance(kind, f.Timestamp):  # every timeline event has one
            return checks.timestamp(text)
        if isinstance(kind, f.Ident):
            return checks.ident(text)
        if isinstance(kind, f.Choice):
            return checks.choice(text, kind)
        if isinstance(kind, f.Number) and text.strip().endswith("%"):
            return checks.number(text, kind)  # refused with the number to write, quoted or not
        if isinstance(kind, (f.Number, f.Boolean)) and not node.plain:
            raise checks.Refused(f"{text!r} is quoted; write {kind.describe} without quotes")
        if isinstance(kind, f.Number):
            return checks.number(text, kind)
        if isinstance(kind, f.Boolean):
            return checks.boolean(text)
        if isinstance(kind, f.Day):
            return checks.day(text)
        if isinstance(kind, f.Url):
            return checks.url(text)
        raise AssertionError(f"unknown kind {kind!r}")

    def record(self, node: Node, kind: f.Record, where: str) -> dict[str, Any] | None:
        if node.kind == "scalar" and kind.shorthand:
            field = next(fd for fd in kind.fields if fd.name == kind.shorthand)
            value = self.convert(node, field.kind, f"{where}.{field.name}" if where else field.name)
            return None if value is None else {kind.shorthand: value}
        if node.kind != "map":
            found = "a list" if node.kind == "seq" else f"the value {node.value[:40]!r}"
            self.error(node, where, f"expected {kind.describe}, found {found}")
            return None
        known = kind.by_name
        out: dict[str, Any] = {}
        for key, value in node.value:
            name = key.value
            sub = f"{where}.{name}" if where else name
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                allowed = ", ".join(known)
                self.error(key, "", f"unknown key {name!r}{' in ' + where if where else ''}; {hint}allowed: {allowed}{self.extra_hint}")
                continue
            self.lines[sub] = key.line
            converted = self.convert(value, known[name].kind, sub)
            if converted is not None:
                out[name] = converted
        if kind.required and not (self.partial and not where):
            given = {key.value for key, _ in node.value}
            for fd in kind.required:
                if fd.name not in given:
                    self.error(node, where, f"required field {fd.name!r} is missing ({fd.kind.describe})")
        return out

    def listof(self, node: Node, kind: f.ListOf, where: str) -> list[Any] | None:
        if node.kind != "seq":
            example = "[a, b]" if isinstance(kind.item, _SCALAR_KINDS) else "one '- ' entry per item"
            self.error(node, where, f"expected {kind.describe} ({example}), found {'a mapping' if node.kind == 'map' else repr(node.value[:40])}")
            return None
        items = []
        for index, item in enumerate(node.value):
            value = self.convert(item, kind.item, f"{where}[{index}]")
            if value is not None:
                items.append((value, item.line))
        if len(node.value) < kind.min_items:
            self.error(node, where, f"needs at least {kind.min_items} entr{'y' if kind.min_items == 1 else 'ies'}")
        return items


def is_empty(node: Node) -> bool:
    """A null (`title:`, `~`, `null`) or a text of only blanks, quoted or not."""
    return node.kind == "scalar" and (not node.value.strip() or (node.plain and node.value in NULLS))


def empty_value(kind: f.Kind) -> str:
    return f"empty value; expected {kind.describe}"


def plain(node: Node) -> Any:
    """A node's plain meaning, as JSON would have it (free-form data, the older JSON shapes).

    YAML 1.2 core rules: `yes` stays the text "yes", `0012` stays "0012"
    unless it is a plain decimal number; nothing else is resolved.
    """
    if node.kind == "map":
        return {key.value: plain(value) for key, value in node.value}
    if node.kind == "seq":
        return [plain(item) for item in node.value]
    if not node.plain:
        return node.value
    if node.is_null:
        return None
    if node.value in ("true", "false"):
        return node.value == "true"
    try:
        return checks.number(node.value, f.Number())
    except checks.Refused:
        return node.value


def parse(data: bytes, path: str) -> tuple[models.Incident | None, list[Problem]]:
    """One file's bytes to an incident; problems hold errors and warnings."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    document = read(text, path)
    if document.root is None:
        return None, document.problems
    walk = Walk(path)
    walk.problems.extend(document.problems)
    if document.root.kind != "map":
        found = "a list" if document.root.kind == "seq" else "a single value"
        walk.error(document.root, "", f"the file holds {found}; an incident is a mapping with id, title, started_at, services and summary")
        return None, walk.problems
    values = walk.record(document.root, f.INCIDENT, "")
    if any(p.level == "error" for p in walk.problems) or values is None:
        return None, walk.problems
    incident = build(values, path, walk.lines)
    walk.problems.extend(_rules(incident))
    if any(p.level == "error" for p in walk.problems):
        return None, walk.problems
    return incident, walk.problems


def _rules(incident: models.Incident) -> list[Problem]:
    """Rules across fields: reserved ids and the order of the milestones."""
    out: list[Problem] = []
    started = incident.started_at

    def problem(key: str, message: str, level: str = "error") -> None:
        out.append(Problem(incident.path, incident.line_of(key), None, message, level))

    if incident.id.lower() in RESERVED_IDS:
        problem("id", f"id: {incident.id!r} is reserved for the site's index pages; choose another id (not {' or '.join(RESERVED_IDS)})")

    def shown(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    for key in ("contained_at", "mitigated_at", "resolved_at"):
        moment = getattr(incident, key)
        if moment is not None and moment < started:
            problem(key, f"{key} {shown(moment)} is before started_at {shown(started)}; impact cannot end before it starts")
    if incident.mitigated_at and incident.resolved_at and incident.resolved_at < incident.mitigated_at:
        problem("resolved_at", f"resolved_at {shown(incident.resolved_at)} is before mitigated_at {shown(incident.mitigated_at)}; resolution comes after mitigation")
    if incident.contained_at and incident.mitigated_at and incident.mitigated_at < incident.contained_at:
        problem("mitigated_at", f"mitigated_at {shown(incident.mitigated_at)} is before contained_at {shown(incident.contained_at)}; impact cannot end while it is still spreading")
    for key in ("detected_at", "acknowledged_at"):
        moment = getattr(incident, key)
        if moment is not None and moment < started:
            problem(key, f"{key} {shown(moment)} is before started_at {shown(started)}; check both (time-to-detect will show as unknown)", "warning")
    if incident.updated_at is not None and incident.updated_at < started.astimezone(timezone.utc).date():
        problem("updated_at", f"updated_at {incident.updated_at.isoformat()} is before the incident started ({shown(started)}); a review changes after its incident", "warning")
    if incident.visibility == "public" and not incident.public.summary:
        problem("visibility", "visibility is public but public.summary is missing; write what customers should read under public: summary:")
    if incident.detected_at and incident.acknowledged_at and incident.acknowledged_at < incident.detected_at:
        problem("acknowledged_at", f"acknowledged_at {shown(incident.acknowledged_at)} is before detected_at {shown(incident.detected_at)}", "warning")
    share = incident.impact.users_affected_pct
    if share is not None and 0 < share < 1:
        problem("impact.users_affected_pct", f"users_affected_pct {share:g} looks like a fraction; the field is in percent: write {share * 100:g} for {share * 100:g}%, or keep {share:g} if under 1% of users were affected", "warning")
    for key, text in _written(incident):
        if models.PLACEHOLDER in text:
            problem(key, f"{key} still holds the placeholder of pir new ({models.PLACEHOLDER!r}); write what happened", "warning")
    return out


def _written(incident: models.Incident) -> list[tuple[str, str]]:
    """The prose fields where `pir new` leaves a placeholder, or an author may copy one."""
    rc = incident.root_cause
    found = [("title", incident.title), ("summary", incident.summary),
             ("impact.description", incident.impact.description), ("root_cause.summary", rc.summary)]
    return [(key, text) for key, text in found if text]


def _texts(values: dict, key: str) -> tuple[str, ...]:
    return tuple(value for value, _ in values.get(key, []))


def build(v: dict[str, Any], path: str, lines: dict[str, int]) -> models.Incident:
    """The record of checked values; a required value that is absent (a draft
    walked with partial=True) stays empty: "" for text, None for started_at."""
    impact = models.Impact(**v.get("impact", {}))
    timeline = tuple(
        models.TimelineEvent(order=index, line=line, **event)
        for index, (event, line) in enumerate(v.get("timeline", []))
    )
    rc = v.get("root_cause", {})
    bow = rc.get("bow_tie")
    root_cause = models.RootCause(
        summary=rc.get("summary"),
        trigger=rc.get("trigger"),
        five_whys=tuple(models.Why(w.get("question"), w.get("answer")) for w, _ in rc.get("five_whys", [])),
        contributing_factors=tuple(models.ContributingFactor(**c) for c, _ in rc.get("contributing_factors", [])),
        bow_tie=None if bow is None else models.BowTie(**{k: _texts(bow, k) for k in bow}),
    )
    return models.Incident(
        id=v.get("id", ""),
        title=v.get("title", ""),
        started_at=v.get("started_at"),
        services=_texts(v, "services"),
        summary=v.get("summary", ""),
        severity=v.get("severity"),
        status=v.get("status", "resolved"),
        review_status=v.get("review_status", "draft"),
        regions=_texts(v, "regions"),
        tags=_texts(v, "tags"),
        commander=v.get("commander"),
        authors=_texts(v, "authors"),
        responders=tuple(models.Responder(**r) for r, _ in v.get("responders", [])),
        detected_at=v.get("detected_at"),
        acknowledged_at=v.get("acknowledged_at"),
        contained_at=v.get("contained_at"),
        mitigated_at=v.get("mitigated_at"),
        resolved_at=v.get("resolved_at"),
        impact=impact,
        timeline=timeline,
        root_cause=root_cause,
        went_well=_texts(v, "went_well"),
        went_wrong=_texts(v, "went_wrong"),
        got_lucky=_texts(v, "got_lucky"),
        lessons=_texts(v, "lessons"),
        action_items=tuple(models.ActionItem(line=line, **item) for item, line in v.get("action_items", [])),
        links=tuple(models.Link(**link) for link, _ in v.get("links", [])),
        extra=_extra(v.get("extra")),
        visibility=v.get("visibility", "internal"),
        public=_public(v.get("public")),
        updated_at=v.get("updated_at"),
        path=path,
        lines=lines,
    )


def _public(value: dict | None) -> models.PublicSection:
    if not value:
        return models.PublicSection()
    return models.PublicSection(
        summary=value.get("summary"),
        impact=value.get("impact"),
        changes=_texts(value, "changes"),
        title=value.get("title"),
    )


def _extra(value: Any) -> dict[str, Any]:
    """`extra:` as a mapping: absent or empty is {}; a lone value is kept under "value"."""
    if value is None:
        return {}
    return value if isinstance(value, dict) else {"value": value}


def incident_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """YAML files under folder, sorted; and the symlinks found there (refused, not followed)."""
    files: list[Path] = []
    links: list[Path] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        base = Path(current)
        for name in list(dirs):
            if (base / name).is_symlink():
                links.append(base / name)
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink() and not d.startswith("."))
        for name in names:
            if name.endswith((".yaml", ".yml")):
                (links if (base / name).is_symlink() else files).append(base / name)
    return sorted(files), sorted(links)


def display_path(path: Path, root: Path | None) -> str:
    """The path as messages show it: relative to root when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix() if not path.is_symlink() else path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def list_files(paths: list[Path], root: Path | None = None) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """Every incident file under paths, sorted, as (shown in messages, path); and what is refused.

    Reads nothing: `read_file` reads one (the site pipeline reads only the
    files whose stat changed since its last run).
    """
    problems: list[Problem] = []
    files: list[Path] = []
    for path in paths:
        if path.is_symlink():
            problems.append(Problem(display_path(path, root), 1, None, "is a symlink; incident files must be regular files inside the repository"))
        elif path.is_dir():
            found, links = incident_files(path)
            for file in found:
                if file.is_file():
                    files.append(file)
                else:
                    problems.append(Problem(display_path(file, root), 1, None, NOT_REGULAR))
            for link in links:
                problems.append(Problem(display_path(link, root), 1, None, "is a symlink; incident files must be regular files inside the repository"))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(Problem(display_path(path, root), 1, None, NOT_REGULAR))
        else:
            problems.append(Problem(path.as_posix(), 1, None, "no such file or folder"))
    listed = []
    for shown, path in _shown(sorted(set(files)), root):
        escaped = _bytes_escaped(shown)
        if escaped != shown:  # its name goes into the site's pages, links and cache, all UTF-8
            problems.append(Problem(escaped, 1, None, "the file's name is not valid UTF-8; rename it"))
        elif _CONTROL.search(shown):  # a line break in it would split its own PATH:LINE message
            problems.append(Problem(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown), 1, None,
                                    "the file's name has a control character (a line break, a tab); rename it"))
        else:
            listed.append((shown, path))
    return listed, problems


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _bytes_escaped(name: str) -> str:
    """The name with the bytes that are not UTF-8 as \\xNN (Python holds them as lone surrogates, which cannot be printed)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _shown(files: list[Path], root: Path | None) -> list[tuple[str, Path]]:
    """(display_path, path) of regular files, resolving each folder once rather than each file:
    a file that is not a symbolic link resolves to its folder's resolved path and its own name."""
    if root is None:
        return [(path.as_posix(), path) for path in files]
    top = root.resolve().as_posix().rstrip("/") + "/"
    folders: dict[Path, str] = {}
    shown: list[tuple[str, Path]] = []
    for path in files:
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve().as_posix().rstrip("/") + "/"
        full = folder + path.name
        shown.append((full[len(top):] if full.startswith(top) else path.as_posix(), path))
    return shown


def read_file(path: Path, shown: str) -> tuple[bytes | None, os.stat_result | None, Problem | None]:
    """The bytes of one incident file and its stat when opened, or the problem that stops reading it.

    Opened without waiting: a pipe put where a file was listed would
    otherwise block the open until something writes to it.
    """
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                return None, None, Problem(shown, 1, None, NOT_REGULAR)
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, None, Problem(shown, 1, None, f"cannot be read: {exc.strerror}")
    if stat.st_size > MAX_BYTES:
        return None, None, too_big(shown, stat.st_size)
    return data, stat, None


def read_files(paths: list[Path], root: Path | None = None) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The bytes of every incident file under paths (as shown in messages), and what could not be read."""
    listed, problems = list_files(paths, root)
    contents: list[tuple[str, bytes]] = []
    for shown, path in listed:
        data, _, problem = read_file(path, shown)
        if problem is not None:
            problems.append(problem)
        else:
            contents.append((shown, data))
    return contents, problems


def load_paths(paths: list[Path], root: Path | None = None) -> tuple[list[models.Incident], list[Problem]]:
    """Read files and folders; returns the valid incidents and every problem (errors and warnings)."""
    contents, problems = read_files(paths, root)
    incidents: list[models.Incident] = []
    for shown, data in contents:
        incident, found = parse(data, shown)
        problems.extend(found)
        if incident is not None:
            incidents.append(incident)
    problems.extend(duplicate_ids(incidents))
    return incidents, problems


def duplicate_ids(incidents: list[models.Incident]) -> list[Problem]:
    """Ids must be unique across the archive, compared case-insensitively."""
    first: dict[str, models.Incident] = {}
    out = []
    for incident in sorted(incidents, key=lambda i: i.path):
        key = incident.id.casefold()
        if key in first:
            other = first[key]
            out.append(Problem(incident.path, incident.line_of("id"), None, f"id {incident.id!r} is already used by {other.path}:{other.line_of('id')} ({other.id!r}); ids are unique, compared case-insensitively"))
        else:
            first[key] = incident
    return out
