"""One writing run at a time per archive: an fcntl lock on `.pir-cache/lock`.

Two `pir generate`/`pir build` runs (or a build next to `pir serve`) would
otherwise interleave their writes into docs/generated/ and site/. The second
run waits for the first and says so on one line; after `timeout` seconds it
gives up with an error instead of hanging for ever. The lock is the kernel's:
a killed run releases it, so a stale lock file is harmless.

Within one process the lock is re-entrant (`pir build` runs `generate` under
the lock it already holds).
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from pir_reviews.core.errors import PirError, cannot_write

LOCK_FILE = ".pir-cache/lock"
ARCHIVE_MARK = "mkdocs.yml"  # what makes a folder an archive
WAIT_SECONDS = 600.0
_POLL = 0.1

_held: dict[str, int] = {}  # lock path -> depth, in this process
_guard = threading.RLock()


class Busy(PirError):
    """Another run kept the archive's lock longer than we were willing to wait."""


@contextmanager
def archive_lock(root: Path, timeout: float = WAIT_SECONDS, report: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the archive's lock for the duration of the block."""
    path = Path(root) / LOCK_FILE
    key = os.path.abspath(path)
    with _guard:
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        handle = _open(path)
        try:
            _acquire(handle, path, timeout, report)
            _held[key] = 1
            try:
                yield
            finally:
                _held.pop(key, None)
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)


def _open(path: Path) -> int:
    if path.parent.is_symlink() or path.is_symlink():
        raise cannot_write(path, OSError(0, "it is a symbolic link"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as err:
        raise cannot_write(path, err) from None


def _acquire(handle: int, path: Path, timeout: float, report: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not told and report is not None:
            report(f"another pir run is writing this archive (it holds {path}); waiting for it")
            told = True
        if time.monotonic() >= deadline:
            raise Busy(f"another pir run still holds {path} after {timeout:.0f} s; try again when it has finished")
        time.sleep(_POLL)


F = TypeVar("F", bound=Callable)


def locked(func: F) -> F:
    """Run `func(root, ...)` holding the lock of the archive at `root`; waiting is reported through `progress=`."""

    @functools.wraps(func)
    def run(root, *args, **kwargs):
        if not (Path(root) / ARCHIVE_MARK).is_file():
            return func(root, *args, **kwargs)  # not an archive: it says so, and nothing is created
        report = kwargs.get("progress") or _stderr
        with archive_lock(Path(root), report=report):
            return func(root, *args, **kwargs)

    return run  # type: ignore[return-value]


def _stderr(message: str) -> None:
    import sys

    print(f"pir: {message}", file=sys.stderr, flush=True)
