"""Helpers for loader tests: a minimal valid incident and a way to check one file's problems."""

from __future__ import annotations

import re

from pir_reviews.load.loader import parse

VALID = """\
id: INC-2024-0101-001
title: Checkout errors after a deploy
services: [checkout]
started_at: 2024-01-01T10:00:00Z
summary: Checkout failed for some users.
"""

LOCATED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.+)$")


def problems_of(text: str | bytes, path: str = "f.yaml") -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    incident, problems = parse(data, path)
    if any(p.level == "error" for p in problems):
        assert incident is None
    return [str(p) for p in problems]


def first_error(text: str | bytes) -> tuple[int, str]:
    """(line, message) of the first problem; asserts the PATH:LINE[:COL]: form."""
    found = problems_of(text)
    assert found, "expected a problem"
    match = LOCATED.match(found[0])
    assert match, found[0]
    return int(match["line"]), match["message"]
