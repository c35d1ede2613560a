"""The load stage for services.yaml, and the service checks that need it (or its absence).

The catalogue is optional. When an archive has one, every service an incident
names must be in it (by name or alias), and aliases become the canonical name
as the incident is loaded, so the browse pages, insights and listings count one
service once. When there is none, names that look like misspellings of each
other across the archive are warnings that point at both places.

`pir validate`, `pir generate`, `pir build` and the pull-request check all go
through `load`, `resolve` and `archive_problems`, so they report the same problems.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from pathlib import Path

from pir_reviews.load import fields as f
from pir_reviews.core import models
from pir_reviews.core.errors import Problem
from pir_reviews.load.loader import Walk, duplicate_ids
from pir_reviews.load.reader import MAX_BYTES, decode, read, too_big

FILE = "services.yaml"
# difflib similarity from which two service names are taken for one misspelt name.
SIMILAR = 0.85
_SEPARATORS = ("-", "_", ".", " ")
_DIGITS = re.compile(r"\d+")


def parse(data: bytes, path: str = FILE) -> tuple[models.Catalogue | None, list[Problem]]:
    """services.yaml's bytes to a catalogue, or the problems (PATH:LINE:COL) that stop it."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    document = read(text, path)
    if document.root is None:
        empty = Problem(path, 1, None, "file is empty; a catalogue is a mapping with services: and one entry per service")
        return None, [empty if p.message.startswith("file is empty") else p for p in document.problems]
    walk = Walk(path)
    walk.extra_hint = ""
    walk.problems.extend(document.problems)
    if document.root.kind != "map":
        walk.error(document.root, "", "the file must be a mapping with services: (a list of name, aliases, team, tier)")
        return None, walk.problems
    values = walk.record(document.root, f.CATALOGUE, "")
    if any(p.level == "error" for p in walk.problems) or values is None:
        return None, walk.problems
    services = tuple(
        models.Service(
            name=entry["name"],
            aliases=tuple(alias for alias, _ in entry.get("aliases", [])),
            team=entry.get("team"),
            tier=entry.get("tier"),
            line=line,
        )
        for entry, line in values["services"]
    )
    walk.problems.extend(_clashes(services, path))
    if any(p.level == "error" for p in walk.problems):
        return None, walk.problems
    return models.Catalogue(services, path), walk.problems


def _clashes(services: tuple[models.Service, ...], path: str) -> list[Problem]:
    """A spelling (name or alias, case-insensitive) may belong to one service only."""
    first: dict[str, tuple[str, int]] = {}
    out = []
    for service in services:
        for spelling in dict.fromkeys((service.name, *service.aliases)):
            key = spelling.casefold()
            if key in first:
                owner, line = first[key]
                same = owner == service.name and line == service.line
                where = "is also this service's name or another of its aliases" if same else f"is already used by {owner!r} (line {line})"
                out.append(Problem(path, service.line, None, f"service {service.name!r}: {spelling!r} {where}; each name and alias belongs to one service"))
            else:
                first[key] = (service.name, service.line)
    return out


def load(root: Path) -> tuple[models.Catalogue | None, list[Problem]]:
    """The archive's services.yaml, if it has one (None and no problem when it has not)."""
    path = Path(root) / FILE
    if path.is_symlink():
        return None, [Problem(FILE, 1, None, "is a symlink; services.yaml must be a regular file inside the repository")]
    if not path.exists():
        return None, []
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(FILE, 1, None, f"cannot be read: {exc.strerror}")]
    if size > MAX_BYTES:
        return None, [too_big(FILE, size)]
    return parse(data, FILE)


def resolve(incident: models.Incident, catalogue: models.Catalogue) -> tuple[models.Incident | None, list[Problem]]:
    """The incident with canonical service names; an unknown service is an error with "did you mean"."""
    problems = []
    names: list[str] = []
    for index, name in enumerate(incident.services):
        service = catalogue.find(name)
        if service is not None:
            names.append(service.name)
            continue
        close = difflib.get_close_matches(name, catalogue.spellings(), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {catalogue.find(close[0]).name!r}?"
        else:
            hint = f"add it to {catalogue.path} (with its owning team) or use a listed name"
        problems.append(Problem(incident.path, incident.line_of(f"services[{index}]"), None,
                                f"services[{index}]: {name!r} is not in {catalogue.path}; {hint}"))
    if problems:
        return None, problems
    return replace(incident, services=tuple(dict.fromkeys(names))), []


def near_duplicates(incidents: list[models.Incident]) -> list[Problem]:
    """Warnings for service names that look like one service spelt two ways.

    Two names are alike when they differ only in case, when one is the other
    plus a suffix after a separator (`cdn`, `cdn-edge`), or when they are
    close by difflib (`edge-netwrok`, `edge-network`) and not only numbered
    differently (`svc-1`, `svc-10`). The warning sits on the
    rarer name and points at where the commoner one is first used.
    """
    uses: dict[str, int] = {}
    first: dict[str, tuple[str, int]] = {}
    for incident in sorted(incidents, key=lambda i: i.path):
        for name in incident.services:
            uses[name] = uses.get(name, 0) + 1
            first.setdefault(name, (incident.path, incident.line_of("services")))
    names = sorted(uses)
    out = []
    for i, a in enumerate(names):
        matcher = difflib.SequenceMatcher(None, "", a.casefold())
        for b in names[i + 1:]:
            if not _alike(matcher, a, b):
                continue
            rare, common = (a, b) if uses[a] < uses[b] else (b, a)
            path, line = first[rare]
            other_path, other_line = first[common]
            out.append(Problem(path, line, None,
                               f"service {rare!r} looks like {common!r} ({other_path}:{other_line}); "
                               f"if they are one service, use one name, or list it in {FILE} with the other as an alias",
                               "warning"))
    return out


def _alike(matcher: difflib.SequenceMatcher, a: str, b: str) -> bool:
    left, right = a.casefold(), b.casefold()
    if left == right:
        return True
    if _DIGITS.sub("", left) == _DIGITS.sub("", right):
        return False  # numbered siblings: svc-1 and svc-10, api-v1 and api-v2
    short, long = sorted((left, right), key=len)
    if long.startswith(short) and long[len(short)] in _SEPARATORS:
        return True
    if min(len(left), len(right)) < 4:
        return False
    matcher.set_seq1(right)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def archive_problems(incidents: list[models.Incident], catalogue: models.Catalogue | None) -> list[Problem]:
    """The checks that need every incident at once: unique ids, and alike service names when there is no catalogue."""
    return duplicate_ids(incidents) + ([] if catalogue is not None else near_duplicates(incidents))
