"""The files of a Slack export, read from the unzipped folder or straight from the ZIP file Slack gives.

Both look the same to the importer: named members (`users.json`,
`CHANNEL/2024-03-15.json`) read as text, and shown in messages as paths
(`export.zip/CHANNEL/2024-03-15.json:12:5`). A ZIP member is never extracted
to disk, and its size is checked before it is read, so a crafted archive
cannot fill the memory.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from datetime import date
from pathlib import Path, PurePosixPath

from pir_reviews.core.errors import InvalidInput, Problem
from pir_reviews.importers.common import MAX_SOURCE_BYTES, decode_text, read_text, too_large

EXPORT = "a Slack export: the ZIP file or its unzipped folder, with users.json, channels.json and one folder per channel"
_DAY_FILE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.json")


class ExportFiles:
    """The members of an export by their names inside it (`users.json`, `general/2024-03-15.json`)."""

    def __init__(self, source: Path):
        self.source = source

    def has(self, name: str) -> bool:
        raise NotImplementedError

    def read(self, name: str, what: str) -> str:
        raise NotImplementedError

    def names_in(self, folder: str) -> list[str] | None:
        """The file names directly in folder, or None when there is no such folder."""
        raise NotImplementedError

    def shown(self, name: str) -> str:
        return (self.source / name).as_posix()

    def close(self) -> None:
        """Let go of the source (the ZIP file)."""

    def __enter__(self) -> ExportFiles:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def days(self, channel: str) -> list[tuple[date, str]] | None:
        """The channel's day files (`YYYY-MM-DD.json`), oldest first; None when the channel has no folder."""
        names = self.names_in(channel)
        if names is None:
            return None
        out = []
        for name in sorted(names):
            match = _DAY_FILE.fullmatch(name)
            if match:
                try:
                    out.append((date(*(int(part) for part in match.groups())), f"{channel}/{name}"))
                except ValueError:
                    continue
        return out


class _Folder(ExportFiles):
    def has(self, name: str) -> bool:
        return (self.source / name).is_file()

    def read(self, name: str, what: str) -> str:
        return read_text(self.source / name, what)

    def names_in(self, folder: str) -> list[str] | None:
        where = self.source / folder
        if not where.is_dir():
            return None
        return [path.name for path in where.iterdir() if path.is_file()]


class _Zip(ExportFiles):
    def __init__(self, source: Path, archive: zipfile.ZipFile):
        super().__init__(source)
        self.archive = archive
        members = {PurePosixPath(info.filename).as_posix(): info for info in archive.infolist() if not info.is_dir()}
        # An export zipped again by hand often has everything under one top folder.
        tops = {name.split("/", 1)[0] for name in members if "/" in name}
        self.prefix = ""
        if "users.json" not in members and "channels.json" not in members and len(tops) == 1:
            self.prefix = tops.pop() + "/"
        self.members = {name[len(self.prefix):]: info for name, info in members.items() if name.startswith(self.prefix)}

    def has(self, name: str) -> bool:
        return name in self.members

    def shown(self, name: str) -> str:
        return (self.source / (self.prefix + name)).as_posix()

    def close(self) -> None:
        self.archive.close()

    def read(self, name: str, what: str) -> str:
        shown = self.shown(name)
        info = self.members[name]
        if info.file_size > MAX_SOURCE_BYTES:
            raise too_large(shown, what, MAX_SOURCE_BYTES)
        try:
            with self.archive.open(info) as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as exc:
            raise InvalidInput([Problem(shown, 1, None, f"cannot be read from the ZIP file ({exc}); expected {what}")]) from None
        if len(data) > MAX_SOURCE_BYTES:  # a member bigger than its header said
            raise too_large(shown, what, MAX_SOURCE_BYTES)
        return decode_text(data, shown, what)

    def names_in(self, folder: str) -> list[str] | None:
        start = folder.rstrip("/") + "/"
        found = [name[len(start):] for name in self.members if name.startswith(start) and "/" not in name[len(start):]]
        return found or None


def open_export(source: Path) -> ExportFiles:
    """The export at source (a folder or a ZIP file), checked to hold users.json and channels.json."""
    shown = source.as_posix()
    if not source.exists():
        raise InvalidInput([Problem(shown, 1, None, f"no such file or folder; expected {EXPORT}")])
    if source.is_dir():
        files: ExportFiles = _Folder(source)
    else:
        try:
            files = _Zip(source, zipfile.ZipFile(source))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InvalidInput([Problem(shown, 1, None, f"is a file but not a ZIP file ({exc}); expected {EXPORT}")]) from None
    if not files.has("channels.json") or not (files.has("users.json") or files.has("org_users.json")):
        files.close()
        raise InvalidInput([Problem(shown, 1, None, f"is not a Slack export: users.json or channels.json is missing; expected {EXPORT}")])
    return files
