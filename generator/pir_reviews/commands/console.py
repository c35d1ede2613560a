"""What a command may do at the terminal, and the small things every command shares.

`Console` is the CLI's side of a command: print to standard output or error,
read standard input, and ask a question (commands ask for missing values only
when `at_terminal`; `--interactive` asks whatever standard input is). Commands
get one and never import click.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from pir_reviews.core.errors import CannotWrite, UsageError, WriteRefused
from pir_reviews.site.writer import replace_file

# ask(question, default, check): the answer text; `check` raises load.checks.Refused
# for an answer to ask again (the reason is shown first).
Ask = Callable[[str, "str | None", "Callable[[str], object] | None"], str]


@dataclass(frozen=True)
class Console:
    """The terminal a command talks to."""

    echo: Callable[[str, bool], None]  # (text, to standard error)
    read_stdin: Callable[[], bytes]
    ask: Ask  # reads the answer from standard input, a terminal or not
    at_terminal: bool = False  # a person is there: commands may ask for what the flags leave out

    def out(self, text: str) -> None:
        self.echo(text, False)

    def err(self, text: str) -> None:
        self.echo(text, True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def read_input(source: str, console: Console) -> tuple[bytes, str]:
    """The bytes of one input (a file, or standard input for "-") and the name messages use."""
    if source == "-":
        return console.read_stdin(), "<stdin>"
    path = Path(source)
    if path.is_dir():
        raise UsageError(f"{source} is a folder; give one file (or - for standard input)")
    try:
        return path.read_bytes(), source
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None


def as_of_default() -> date:
    """The day overdue items are judged against: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).date()
        except (ValueError, OverflowError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.now(timezone.utc).date()


def write_output(text: str, output: str, console: Console) -> None:
    """Print to stdout ("-") or replace FILE atomically; never writes through a symlink."""
    if output == "-":
        console.out(text.rstrip("\n"))
        return
    target = Path(output)
    if not output or target.name in ("", ".", ".."):
        raise UsageError(f"--output {output!r} is not a file name")
    if target.is_symlink():
        raise WriteRefused(f"{output} is a symlink; refusing to write through it")
    if target.is_dir():
        raise CannotWrite(f"cannot write {output}: it is a folder")
    if target.exists() and not target.is_file():  # the rename below would put a file where the device or pipe was
        raise CannotWrite(f"cannot write {output}: it is not a regular file (a pipe, socket or device); leave out --output to print")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CannotWrite(f"cannot write {output}: the folder {folder} does not exist")
    replace_file(target, (text if text.endswith("\n") else text + "\n").encode("utf-8"),
                 prefix=f".{target.name}.", shown=output)


def stdin_reader() -> bytes:
    return sys.stdin.buffer.read()
