"""Every exception the product raises on purpose, under one base class.

The CLI catches `PirError` once and turns it into a message and an exit code;
anything else is a bug and exits 3.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about an input file, reported as PATH:LINE[:COL]: message.

    Line 0 means no line: a command-line value (see `for_option`).
    """

    path: str
    line: int
    col: int | None
    message: str
    level: str = "error"  # "error" | "warning"

    @classmethod
    def for_option(cls, option: str, message: str) -> "Problem":
        """A problem with a command-line value, shown as `--option: message`: no made-up line."""
        return cls(option, 0, None, message)

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "") + (f":{self.col}" if self.line and self.col else "")
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class PirError(Exception):
    """Base of every expected failure; the CLI prints it and exits 1."""

    exit_code = 1


class InvalidInput(PirError):
    """One or more input files are malformed; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PirError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = 2


class WriteRefused(PirError):
    """A write would overwrite a file we do not own, or go through a symlink."""


class CannotWrite(PirError):
    """An output path cannot be written: a missing folder, a folder in the way,
    no permission, a full disk. The message names the path; nothing is left half-written."""


def cannot_write(path: object, err: OSError) -> CannotWrite:
    """The one-line message for an OSError met while writing `path`."""
    return CannotWrite(f"cannot write {path}: {err.strerror or err}")


class ChecksFailed(PirError):
    """Checks failed and their report is already printed: exit 1, nothing more to say."""

    def __init__(self) -> None:
        super().__init__("")


class BuildFailed(PirError):
    """MkDocs (or another build step) failed; the previous output is kept."""
