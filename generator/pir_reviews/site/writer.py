"""The writer stage: puts generated files on disk, and only the files it owns.

`write_tree` makes a folder hold exactly the generated files, with these
guarantees (the site build and `pir serve` rely on them):

- every file is written atomically (a temporary file in the same folder, then
  `os.replace`), so MkDocs never reads half a page;
- a file whose content did not change is left alone, mtime included, so a
  live-reloading server rebuilds only what changed;
- files written before (listed in the manifest `.pir-manifest.json`) that are
  no longer produced are removed, and folders this leaves empty are pruned;
- a file it did not write is never touched: one that is in the way of a
  generated file is refused (unless it already holds the same bytes);
- nothing is written through a symbolic link, and no path may leave the folder.

Every check runs before the first change, so a refused write changes nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Mapping

from pir_reviews.core.errors import WriteRefused

MANIFEST = ".pir-manifest.json"
_TEMP_PREFIX = ".pir-tmp-"


@dataclass(frozen=True)
class WriteReport:
    """What `write_tree` did, as sorted relative paths."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def check_relative(rel: str) -> PurePosixPath:
    """The path as parts under the target; WriteRefused if it could leave it.

    Refused: empty, absolute, `..`, `.` or empty components, NUL, backslashes
    (a Windows separator would mean something else elsewhere), and the
    manifest's own name.
    """
    if not isinstance(rel, str) or not rel:
        raise WriteRefused(f"refusing to write an empty path: {rel!r}")
    if "\x00" in rel:
        raise WriteRefused(f"refusing to write a path with a NUL character: {rel!r}")
    if "\\" in rel:
        raise WriteRefused(f"refusing to write a path with a backslash: {rel!r}")
    if rel.startswith("/"):
        raise WriteRefused(f"refusing to write an absolute path: {rel!r}")
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise WriteRefused(f"refusing to write a path with '..', '.' or an empty component: {rel!r}")
    if rel == MANIFEST or parts[-1].startswith(_TEMP_PREFIX):
        raise WriteRefused(f"refusing to write a path reserved by the writer: {rel!r}")
    return PurePosixPath(rel)


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def _read_manifest(target: Path) -> set[str]:
    path = target / MANIFEST
    if path.is_symlink():
        raise WriteRefused(f"refusing to read the manifest through a symbolic link: {path}")
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ValueError("'files' is not a list of paths")
    except (ValueError, KeyError, TypeError) as err:
        raise WriteRefused(f"{path}: unreadable manifest ({err}); remove the folder's generated files by hand") from err
    owned = set()
    for rel in files:
        try:
            check_relative(rel)
        except WriteRefused:
            continue  # never act on a path that could leave the folder
        owned.add(rel)
    return owned


def _check_folders(target: Path, rel: PurePosixPath, leaving: set[str]) -> None:
    """Refuse if a folder on the way to `rel` is a link or a file we must keep."""
    current = target
    walked: list[str] = []
    for part in rel.parts[:-1]:
        current = current / part
        walked.append(part)
        if current.is_symlink():
            raise WriteRefused(f"refusing to write through a symbolic link: {current}")
        if current.exists() and not current.is_dir() and "/".join(walked) not in leaving:
            raise WriteRefused(f"refusing to replace a file with a folder: {current}")


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _make_folders(target: Path, rel: PurePosixPath) -> None:
    current = target
    for part in rel.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise WriteRefused(f"refusing to write through a symbolic link: {current}")
        if not current.is_dir():
            current.mkdir()


def _prune(target: Path, rel: PurePosixPath) -> None:
    """Remove the folders of `rel` that are now empty, deepest first."""
    for parent in list(rel.parents)[:-1]:
        folder = target / parent
        if folder.is_symlink() or not folder.is_dir():
            return
        try:
            folder.rmdir()
        except OSError:
            return  # not empty: it holds something else


def _write_manifest(target: Path, files: set[str]) -> None:
    manifest = json.dumps({"files": sorted(files)}, indent=1) + "\n"
    path = target / MANIFEST
    if not path.exists() or path.read_text(encoding="utf-8") != manifest:
        _write_atomically(path, manifest.encode("utf-8"))


def write_tree(target: Path, files: Mapping[str, str | bytes]) -> WriteReport:
    """Make `target` hold `files` (relative POSIX path -> content), safely.

    Raises WriteRefused, before changing anything, for an unsafe path, a
    symbolic link on the way, or a file we did not write standing where a
    generated file goes with different content.
    """
    target = Path(target)
    if target.is_symlink():
        raise WriteRefused(f"refusing to write into a symbolic link: {target}")
    if target.exists() and not target.is_dir():
        raise WriteRefused(f"refusing to write into {target}: it is a file, not a folder")
    # Contents are encoded one file at a time: holding every page as bytes
    # too would double the memory of a large archive.
    wanted = files
    parsed = {rel: check_relative(rel) for rel in wanted}
    folders = {str(parent) for path in parsed.values() for parent in list(path.parents)[:-1]}
    clash = sorted(folders & set(wanted))
    if clash:
        raise WriteRefused(f"refusing to write {clash[0]!r} both as a file and as a folder")

    owned = _read_manifest(target) if target.exists() else set()
    leaving = {rel for rel in owned if rel not in wanted}

    # Plan: every check before the first change.
    to_write: list[str] = []
    unchanged: list[str] = []
    for rel in sorted(wanted):
        _check_folders(target, parsed[rel], leaving)
        path = target / rel
        if path.is_symlink():
            raise WriteRefused(f"refusing to write through a symbolic link: {path}")
        if not path.exists():
            to_write.append(rel)
            continue
        if not path.is_file():
            raise WriteRefused(f"refusing to replace {path}: it is not a regular file")
        data = _as_bytes(wanted[rel])
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            unchanged.append(rel)
        elif rel in owned:
            to_write.append(rel)
        else:
            raise WriteRefused(f"refusing to overwrite {path}: the generator did not write it (not in {MANIFEST})")

    removed: list[str] = []
    for rel in sorted(leaving):
        rel_path = PurePosixPath(rel)
        path = target / rel
        on_link = any((target / parent).is_symlink() for parent in list(rel_path.parents)[:-1])
        if on_link or path.is_symlink() or not path.is_file():
            continue  # no longer what we wrote: leave it
        path.unlink()
        removed.append(rel)
        _prune(target, rel_path)

    target.mkdir(parents=True, exist_ok=True)
    if to_write:
        # Claim the new files first: if the run stops half-way, the next one
        # still knows they are ours and may replace them.
        _write_manifest(target, (owned - set(removed)) | set(to_write) | set(unchanged))
    for rel in to_write:
        _make_folders(target, parsed[rel])
        _write_atomically(target / rel, _as_bytes(wanted[rel]))
    _write_manifest(target, set(wanted))
    return WriteReport(written=tuple(to_write), unchanged=tuple(unchanged), removed=tuple(removed))
