"""`pir init`: scaffold an archive in an empty or existing repository.

An adopting team installs pir as a package and keeps only its own files:
incidents, mkdocs.yml, its own pages, the workflows and the hooks. Everything
else (templates, theme, default playbooks) comes from the installed package,
so upgrading pir is a version change, not a merge.

The templates are package data (scaffold_files/). A name starting with
`dot-` is written with a leading dot: setuptools does not package dotfiles.
Every workflow and the pre-commit hook pin the same version, pir's own.

init never overwrites: if any file it would write exists, it lists them all
and writes nothing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from pir_reviews import DISTRIBUTION
from pir_reviews import __version__
from pir_reviews.load import checks
from pir_reviews.core.errors import PirError, WriteRefused
from pir_reviews.load.schema import schema_text

TEMPLATES = "scaffold_files"
DOT_PREFIX = "dot-"
EXAMPLE_FOLDER = "incidents/"
SCHEMA_FILE = "schema/incident.schema.json"
KEEP_EMPTY = "incidents/.gitkeep"
DEFAULT_SITE_NAME = "Post-incident reviews"
DEFAULT_SITE_URL = "https://example.github.io/post-incident-reviews/"

_TOKEN = re.compile(r"%%([a-z_]+)%%")
_GITHUB_REPO = re.compile(r"^https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$")

Ask = Callable[[str, "str | None"], str]


class InitRefused(PirError):
    """An option of `pir init` has a value the archive cannot use (exit 1)."""


@dataclass(frozen=True)
class ArchiveSettings:
    """What the scaffold needs to know about the archive's site."""

    site_name: str
    site_url: str
    repo_url: str | None
    example: bool = True


@dataclass(frozen=True)
class InitReport:
    """What `pir init` wrote, and what to do next."""

    folder: Path
    written: tuple[str, ...]

    def __str__(self) -> str:
        lines = [f"created {len(self.written)} files in {self.folder}:"]
        lines += [f"  {path}" for path in self.written]
        lines += [
            "next:",
            f"  cd {self.folder} && pir validate && pir serve      # then open http://127.0.0.1:8000/",
            "  commit, push, and in the repository's settings under Pages choose \"GitHub Actions\"",
        ]
        return "\n".join(lines)


def _url(option: str, value: str) -> str:
    try:
        value = checks.one_line(value)
    except checks.Refused as exc:
        raise InitRefused(f"{option}: {exc}") from None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise InitRefused(f"{option}: {value!r} is not an http(s) address (e.g. https://github.com/acme/incidents)")
    return value


def pages_url(repo_url: str) -> str | None:
    """https://github.com/ORG/REPO -> https://org.github.io/REPO/, where GitHub Pages puts it."""
    match = _GITHUB_REPO.match(repo_url)
    if not match:
        return None
    org, repo = match.groups()
    if repo.lower() == f"{org.lower()}.github.io":
        return f"https://{org.lower()}.github.io/"
    return f"https://{org.lower()}.github.io/{repo}/"


def settings(site_name: str | None, site_url: str | None, repo_url: str | None,
             example: bool = True, ask: Ask | None = None) -> ArchiveSettings:
    """The flags' values; a missing one is asked for when `ask` is given (a terminal), else defaulted."""
    if site_name is None:
        site_name = ask("Site name", DEFAULT_SITE_NAME) if ask else DEFAULT_SITE_NAME
    if repo_url is None and ask:
        repo_url = ask("Repository URL (https://github.com/ORG/REPO, empty if none yet)", "") or None
    repo = _url("--repo-url", repo_url) if repo_url else None
    if site_url is None:
        default = (pages_url(repo) if repo else None) or DEFAULT_SITE_URL
        site_url = ask("Site URL", default) if ask else default
    try:
        name = checks.one_line(site_name)
    except checks.Refused as exc:
        raise InitRefused(f"--site-name: {exc}") from None
    return ArchiveSettings(site_name=name, site_url=_url("--site-url", site_url), repo_url=repo, example=example)


def pir_repository() -> str:
    """The git URL of pir itself (the package's `Repository` project URL): the hook's source."""
    for entry in metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise LookupError(f"the metadata of {DISTRIBUTION} names no Repository URL; see pyproject.toml")


def _templates(folder: Traversable, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = "." + entry.name[len(DOT_PREFIX):] if entry.name.startswith(DOT_PREFIX) else entry.name
        if entry.is_dir():
            if name != "__pycache__":
                found.update(_templates(entry, f"{prefix}{name}/"))
        else:
            found[prefix + name] = entry.read_text(encoding="utf-8")
    return found


def _repo_lines(repo_url: str | None) -> str:
    if repo_url is None:
        return (
            "# repo_url: https://github.com/ORG/REPO   # set it (with repo_name and edit_uri)\n"
            "# repo_name: ORG/REPO                     # for \"Edit this incident\" links\n"
            "# edit_uri: edit/main/docs/\n"
        )
    name = "/".join(urlsplit(repo_url).path.strip("/").split("/")[:2]) or repo_url
    return (
        f"repo_url: {json.dumps(repo_url, ensure_ascii=False)}\n"
        f"repo_name: {json.dumps(name, ensure_ascii=False)}\n"
        "# Hand-written pages point at docs/; review pages at their YAML file.\n"
        "edit_uri: edit/main/docs/\n"
    )


def render(template: str, values: dict[str, str]) -> str:
    """The template with each %%name%% replaced; an unknown name is a bug in the templates."""
    return _TOKEN.sub(lambda m: values[m.group(1)], template)


def planned_files(archive: ArchiveSettings, version: str = __version__) -> dict[str, str]:
    """Every file `pir init` writes, by path relative to the archive's folder."""
    values = {
        "site_name": archive.site_name,
        "site_name_yaml": json.dumps(archive.site_name, ensure_ascii=False),
        "site_url_yaml": json.dumps(archive.site_url, ensure_ascii=False),
        "repo_lines": _repo_lines(archive.repo_url),
        "pir_version": version,
        "pir_repository": pir_repository(),
    }
    planned = {
        path: render(text, values)
        for path, text in _templates(files(__package__) / TEMPLATES).items()
        if archive.example or not path.startswith(EXAMPLE_FOLDER)
    }
    if not archive.example:
        planned[KEEP_EMPTY] = ""
    planned[SCHEMA_FILE] = schema_text()
    return dict(sorted(planned.items()))


def conflicts(folder: Path, paths: list[str]) -> list[str]:
    """The planned paths that exist already, or whose folder is a file or a symbolic link."""
    found = []
    for rel in paths:
        target = folder / rel
        parents = [folder / Path(rel).parents[i] for i in range(len(Path(rel).parts) - 2, -1, -1)]
        blocked = any(os.path.lexists(p) and (p.is_symlink() or not p.is_dir()) for p in parents)
        if blocked or os.path.lexists(target):
            found.append(rel)
    return found


def create(folder: Path, archive: ArchiveSettings) -> InitReport:
    """Write the scaffold into `folder`; WriteRefused (listing every clash) if any file exists."""
    folder = Path(folder)
    if os.path.lexists(folder) and not folder.is_dir():
        raise WriteRefused(f"{folder} exists and is not a folder; pir init needs a folder")
    planned = planned_files(archive)
    clashes = conflicts(folder, list(planned))
    if clashes:
        listed = "\n".join(f"  {folder / rel}" for rel in clashes)
        raise WriteRefused(
            f"pir init never overwrites; {len(clashes)} of its files exist already:\n{listed}\n"
            "move them away (or run pir init in another folder), then run it again; nothing was written"
        )
    written: list[Path] = []
    try:
        for rel, text in planned.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            written.append(target)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise WriteRefused(f"cannot write {exc.filename or folder}: {exc.strerror}; nothing was kept") from None
    return InitReport(folder=folder, written=tuple(planned))
