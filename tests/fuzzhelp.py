"""What the fuzz tests share: the two hypothesis profiles, the mutations, and the check of one run.

The quick profile runs in `make test` (a few hundred cases, fresh ones each
run); `make fuzz` sets PIR_FUZZ_PROFILE=long and runs the
tests marked `fuzz`, which use the profile that variable names.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from pir_reviews.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "incidents").rglob("*.yaml"))

settings.register_profile(
    "quick", max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# The quick run always; the long run (marked fuzz) with the profile PIR_FUZZ_PROFILE names.
PROFILES = [
    pytest.param("quick", id="quick"),
    pytest.param(os.environ.get("PIR_FUZZ_PROFILE", "long"), id="long", marks=pytest.mark.fuzz),
]

# What a slip of the finger or a bad paste puts into a file.
PUNCTUATION = [c.encode() for c in ":-&*!?{}[]|>#'\"%@`,"] + [b"\t", b"\x00", b"\r", b"\n", b": ", b"- ", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"]
REPLACEMENTS = [b"", b"~", b"null", b"[a, b]", b"{a: 1}", b"\n  - x", b"\n  k: v", b"[]", b"{}", b"''", b"-1e999", b"9" * 30]


def run(profile: str, strategy: st.SearchStrategy, check) -> None:
    """Run `check` on examples of `strategy` under the named profile."""
    settings(settings.get_profile(profile))(given(strategy)(check))()


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """One to three mutations of a file, at the byte level and at the line level."""
    data = original
    for _ in range(draw(st.integers(1, 3))):
        size = len(data)
        at = draw(st.integers(0, size))
        lines = data.split(b"\n")
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[index]
        # Values replaced most often: the commonest slip of all is a value left empty.
        kind = draw(st.sampled_from(["replace", "delete", "insert", "replace", "truncate", "duplicate", "indent", "replace", "dedent", "swap"]))
        if kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(PUNCTUATION)) + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "indent":
            lines[index] = b" " * draw(st.integers(1, 4)) + line
        elif kind == "dedent":
            lines[index] = line[min(draw(st.integers(1, 4)), len(line) - len(line.lstrip(b" "))):]
        elif kind == "replace":
            # A scalar (what follows "key:" or "- ") becomes null, a list or a mapping.
            valued = [i for i, text in enumerate(lines) if re.search(rb"^\s*(- |[\w-]+:( |$))", text)]
            if valued:
                index = draw(st.sampled_from(valued))
                found = re.match(rb"^\s*(- |[\w-]+:)", lines[index])
                lines[index] = lines[index][: found.end()] + b" " + draw(st.sampled_from(REPLACEMENTS))
        else:
            other = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[index], lines[other] = lines[other], lines[index]
        if kind in ("duplicate", "indent", "dedent", "replace", "swap"):
            data = b"\n".join(lines)
    return data


LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))?: \S")


def invoke(args: list[str], stdin: bytes | None = None):
    """The real CLI in this process; never raises (CliRunner keeps the exception)."""
    return CliRunner().invoke(main, args, input=stdin)


def assert_handled(result, shown: str | None = None) -> list[str]:
    """Exit 0 or 1, no traceback, no internal error; returns stderr's lines.

    With `shown` (the path as messages name it), every problem line must be
    located in that file as PATH:LINE[:COL]: message.
    """
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line]
    if shown is not None:
        for line in lines:
            if line.startswith(shown + ":"):
                assert LOCATED.match(line), line
    return lines
