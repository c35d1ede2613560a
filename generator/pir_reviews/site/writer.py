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

`replace_tree` keeps all of that and adds one more: the folder switches from
the old tree to the new one as a whole, so a run killed at any moment leaves
the previous tree (`pir generate` and `pir build` write this way).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Mapping

from pir_reviews.core.errors import WriteRefused, cannot_write

MANIFEST = ".pir-manifest.json"
_TEMP_PREFIX = ".pir-tmp-"


class Keep:
    """The content of a file the caller vouches is already right on disk (pipeline: batch.Store.trusted).

    The writer neither reads nor compares it: it stays as it is, inode and
    mtime included. It must be a regular file the generator wrote.
    """

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


@dataclass(frozen=True)
class Spooled:
    """Content already written to a file of its own (a spool file the caller owns), read only when needed.

    The pages of a large archive are not all held in memory: the writer reads
    one at a time, and moves the spool file into place when it can (same
    file system) instead of copying it.
    """

    path: Path
    size: int



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


def _size(content: str | bytes | Spooled) -> int | None:
    return content.size if isinstance(content, Spooled) else None


def _put(content: str | bytes | Spooled, path: Path) -> None:
    """Content at path (not atomically: path is in a staging folder), moving a spool file when possible."""
    if isinstance(content, Spooled):
        try:
            os.replace(content.path, path)
            os.chmod(path, 0o644)
            return
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
    path.write_bytes(_as_bytes(content))
    os.chmod(path, 0o644)


def _as_bytes(content: str | bytes | Spooled) -> bytes:
    if isinstance(content, Keep):
        raise AssertionError("a kept file is never written")
    if isinstance(content, Spooled):
        return content.path.read_bytes()
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


def _check_folders(target: Path, rel: PurePosixPath, leaving: set[str], checked: set[str] | None = None) -> None:
    """Refuse if a folder on the way to `rel` is a link or a file we must keep (`checked`: folders already seen)."""
    current = target
    walked: list[str] = []
    for part in rel.parts[:-1]:
        current = current / part
        walked.append(part)
        if checked is not None:
            seen = "/".join(walked)
            if seen in checked:
                continue
            checked.add(seen)
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


def replace_file(path: Path, data: bytes, *, prefix: str, shown: str | Path | None = None) -> None:
    """Write data over path in one step: a temporary file beside it, then a rename.

    On a full disk or a folder we may not write, CannotWrite names `shown`
    (the path as the person gave it; `path` by default) and no temporary file
    is left behind.
    """
    shown = path if shown is None else shown
    try:
        fd, temp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    except OSError as err:
        raise cannot_write(shown, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise cannot_write(shown, err) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _move_atomically(content: Spooled, path: Path) -> None:
    """The spool file renamed into place (atomic), or its bytes written atomically on another file system."""
    try:
        os.chmod(content.path, 0o644)
        os.replace(content.path, path)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        _write_atomically(path, _as_bytes(content))


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


def _manifest_text(files: set[str]) -> str:
    return json.dumps({"files": sorted(files)}, indent=1) + "\n"


def _write_manifest(target: Path, files: set[str]) -> None:
    manifest = _manifest_text(files)
    path = target / MANIFEST
    if not path.exists() or path.read_text(encoding="utf-8") != manifest:
        _write_atomically(path, manifest.encode("utf-8"))


@dataclass(frozen=True)
class _Plan:
    """What a write will do, decided before the first change."""

    parsed: dict[str, PurePosixPath]
    owned: set[str]
    to_write: list[str]
    unchanged: list[str]
    leaving: set[str]


def _plan(target: Path, wanted: Mapping[str, str | bytes | Keep | Spooled]) -> _Plan:
    """Every check of `write_tree` and `replace_tree`; WriteRefused before anything changes."""
    if target.is_symlink():
        raise WriteRefused(f"refusing to write into a symbolic link: {target}")
    if target.exists() and not target.is_dir():
        raise WriteRefused(f"refusing to write into {target}: it is a file, not a folder")
    parsed = {rel: check_relative(rel) for rel in wanted}
    folders = {str(parent) for path in parsed.values() for parent in list(path.parents)[:-1]}
    clash = sorted(folders & set(wanted))
    if clash:
        raise WriteRefused(f"refusing to write {clash[0]!r} both as a file and as a folder")

    owned = _read_manifest(target) if target.exists() else set()
    leaving = {rel for rel in owned if rel not in wanted}
    to_write: list[str] = []
    unchanged: list[str] = []
    checked: set[str] = set()
    for rel in sorted(wanted):
        _check_folders(target, parsed[rel], leaving, checked)
        path = target / rel
        if isinstance(wanted[rel], Keep):
            if rel not in owned or path.is_symlink() or not path.is_file():
                raise WriteRefused(f"{path} changed while pir was generating; run it again")
            unchanged.append(rel)
            continue
        if path.is_symlink():
            raise WriteRefused(f"refusing to write through a symbolic link: {path}")
        if not path.exists():
            to_write.append(rel)
            continue
        if not path.is_file():
            raise WriteRefused(f"refusing to replace {path}: it is not a regular file")
        # Contents are encoded one file at a time: holding every page as bytes
        # too would double the memory of a large archive.
        size = _size(wanted[rel])
        if size is not None and path.stat().st_size != size:
            same = False
        else:
            data = _as_bytes(wanted[rel])
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        if same:
            unchanged.append(rel)
        elif rel in owned:
            to_write.append(rel)
        else:
            raise WriteRefused(f"refusing to overwrite {path}: the generator did not write it (not in {MANIFEST})")
    return _Plan(parsed, owned, to_write, unchanged, leaving)


def _removable(target: Path, rel: str) -> bool:
    """An owned file that is still what we wrote: a regular file, not reached through a link."""
    rel_path = PurePosixPath(rel)
    path = target / rel
    on_link = any((target / parent).is_symlink() for parent in list(rel_path.parents)[:-1])
    return not (on_link or path.is_symlink() or not path.is_file())


def write_tree(target: Path, files: Mapping[str, str | bytes | Keep | Spooled]) -> WriteReport:
    """Make `target` hold `files` (relative POSIX path -> content), safely, file by file.

    Raises WriteRefused, before changing anything, for an unsafe path, a
    symbolic link on the way, or a file we did not write standing where a
    generated file goes with different content. `pir serve` writes this way:
    its live reload watches the folder itself, which must stay the same folder.
    """
    target = Path(target)
    wanted = files
    plan = _plan(target, wanted)

    removed: list[str] = []
    for rel in sorted(plan.leaving):
        if not _removable(target, rel):
            continue  # no longer what we wrote: leave it
        (target / rel).unlink()
        removed.append(rel)
        _prune(target, PurePosixPath(rel))

    target.mkdir(parents=True, exist_ok=True)
    if plan.to_write:
        # Claim the new files first: if the run stops half-way, the next one
        # still knows they are ours and may replace them.
        _write_manifest(target, (plan.owned - set(removed)) | set(plan.to_write) | set(plan.unchanged))
    try:
        for rel in plan.to_write:
            _make_folders(target, plan.parsed[rel])
            content = wanted[rel]
            if isinstance(content, Spooled):
                _move_atomically(content, target / rel)
            else:
                _write_atomically(target / rel, _as_bytes(content))
        _write_manifest(target, set(wanted))
    except OSError as err:  # each file is whole; the manifest already claims the new ones
        raise cannot_write(getattr(err, "filename", None) or target, err) from None
    return WriteReport(written=tuple(plan.to_write), unchanged=tuple(plan.unchanged), removed=tuple(removed))


# ---- the whole tree at once ---------------------------------------------------------
#
# `replace_tree` builds the new tree in a staging folder beside the target and
# swaps the two folders. Killed at any moment, it leaves either the old tree or
# the new one at the target's name, never a mix: the staging folder of a killed
# run is only litter, which the next run removes.

_NEW, _OLD = ".pir-new-", ".pir-old-"


def is_staging(name: str) -> bool:
    """A staging or retired folder of `replace_tree`/`swap_in` (never published, removed when stale)."""
    return name.startswith(".") and (_NEW in name or _OLD in name)


def staging_folder(final: Path) -> Path:
    """A new empty folder beside `final`, on the same filesystem, for its next version."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{final.name}{_NEW}", dir=final.parent))
    except OSError as err:
        raise cannot_write(final.parent, err) from None


def clear_stale(final: Path) -> None:
    """Remove what a killed run left beside `final`; put the old tree back if the swap stopped half-way.

    Callers hold the archive lock, so no other run is using these folders.
    """
    parent = final.parent
    if not parent.is_dir():
        return
    retired = sorted(parent.glob(f".{glob_escape(final.name)}{_OLD}*"))
    if not final.exists() and not final.is_symlink() and retired:
        os.rename(retired.pop(), final)  # killed between the two renames of the fallback swap
    for folder in retired + sorted(parent.glob(f".{glob_escape(final.name)}{_NEW}*")):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, final: Path) -> None:
    """Put the folder `staging` at `final` and delete the previous `final`.

    Atomic where the system can exchange two names; elsewhere two renames,
    and `clear_stale` repairs a stop between them.
    """
    if final.is_symlink():
        raise WriteRefused(f"refusing to replace {final}: it is a symbolic link")
    try:
        if not final.exists():
            os.rename(staging, final)
            return
        if _exchange(staging, final):
            shutil.rmtree(staging, ignore_errors=True)  # now the previous tree
            return
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}{_OLD}", dir=final.parent))
        os.rmdir(old)
        os.rename(final, old)
        os.rename(staging, final)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as err:
        raise cannot_write(final, err) from None


def _link_or_copy(source: Path, dest: Path) -> None:
    """The same file at a second name (same inode and mtime), or a copy keeping the mtime."""
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)


def _carry_over(target: Path, staging: Path, plan: _Plan, wanted: Mapping[str, str | bytes]) -> None:
    """What the target holds that is not ours goes into the new tree unchanged."""
    for current, dirs, names in os.walk(target):
        base = Path(current)
        rel_base = base.relative_to(target)
        if not names and not dirs:
            (staging / rel_base).mkdir(parents=True, exist_ok=True)  # an empty folder someone made
        for name in sorted(names) + [d for d in dirs if (base / d).is_symlink()]:
            rel = (rel_base / name).as_posix()
            path = base / name
            if rel == MANIFEST or rel in wanted or (rel in plan.owned and _removable(target, rel)):
                continue
            if name.startswith(_TEMP_PREFIX) and path.is_file() and not path.is_symlink():
                continue  # a temporary file of a killed file-by-file run: ours, and litter
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                os.symlink(os.readlink(path), staging / rel)
            else:
                _link_or_copy(path, staging / rel)


def replace_tree(target: Path, files: Mapping[str, str | bytes | Keep | Spooled]) -> WriteReport:
    """Make `target` hold `files` like `write_tree`, but switch the whole tree in one step.

    The same refusals and guarantees: unchanged files keep their inode and
    mtime (they are hard-linked into the new tree), files we did not write are
    carried over untouched, removed files are the owned ones no longer made.
    A write that fails (full disk, no permission) raises CannotWrite naming
    the path and leaves the previous tree in place.
    """
    target = Path(target)
    wanted = files
    clear_stale(target)
    plan = _plan(target, wanted)
    manifest = target / MANIFEST
    same_manifest = manifest.is_file() and manifest.read_text(encoding="utf-8") == _manifest_text(set(wanted))
    if target.is_dir() and not plan.to_write and same_manifest and not any(_removable(target, rel) for rel in plan.leaving):
        return WriteReport(written=(), unchanged=tuple(plan.unchanged), removed=())  # nothing to switch
    staging = staging_folder(target)
    try:
        if target.exists():
            _carry_over(target, staging, plan, wanted)
        for rel in sorted(wanted):
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel in plan.unchanged:
                _link_or_copy(target / rel, dest)
            else:
                _put(wanted[rel], dest)
        if same_manifest:
            _link_or_copy(manifest, staging / MANIFEST)
        else:
            _write_manifest(staging, set(wanted))
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        where = getattr(err, "filename", None) or staging
        raise cannot_write(where, err) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    removed = tuple(rel for rel in sorted(plan.leaving) if rel not in wanted and _was_removed(target, rel))
    return WriteReport(written=tuple(plan.to_write), unchanged=tuple(plan.unchanged), removed=removed)


def _was_removed(target: Path, rel: str) -> bool:
    return not os.path.lexists(target / rel)
