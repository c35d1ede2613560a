"""Timestamps: offsets required, impossible and overflowing instants refused, ordering by instant."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pir_reviews.load.loader import parse
from loadhelp import VALID, first_error


def started(value: str) -> str:
    return VALID.replace("started_at: 2024-01-01T10:00:00Z", f"started_at: {value}")


@pytest.mark.parametrize("value,needle", [
    ("2024-01-01T10:00:00", "has no UTC offset; add Z or +hh:mm"),
    ("'2024-01-01 10:00'", "has no UTC offset"),
    ("2024-02-30T10:00:00Z", "not a real date"),
    ("2024-01-01T24:00:00Z", "not a real date"),
    ("2016-12-31T23:59:60Z", "leap second"),
    ("9999-12-31T23:00:00-05:00", "out of range once converted to UTC"),
    ("1969-12-31T23:00:00Z", "out of range"),
    ("2024-01-01T10:00:00+25:00", "impossible offset"),
    ("yesterday", "is not a timestamp"),
])
def test_bad_timestamps(value, needle):
    line, message = first_error(started(value))
    assert line == 4 and message.startswith("started_at: ") and needle in message


def test_offsets_quoted_or_not_are_utc():
    for value in ("2024-01-01T12:00:00+02:00", "'2024-01-01T10:00:00Z'", "2024-01-01 10:00:00.5 Z".replace(".5 ", ".0")):
        incident, problems = parse(started(value).encode(), "f.yaml")
        assert problems == [], problems
        assert incident.started_at == datetime(2024, 1, 1, 10, tzinfo=timezone.utc)


def test_resolved_before_started_is_an_error_naming_both():
    line, message = first_error(VALID + "resolved_at: 2024-01-01T09:00:00Z\n")
    assert line == 6 and "resolved_at 2024-01-01T09:00:00Z is before started_at 2024-01-01T10:00:00Z" in message


def test_resolved_before_mitigated():
    line, message = first_error(VALID + "mitigated_at: 2024-01-01T11:00:00Z\nresolved_at: 2024-01-01T10:30:00Z\n")
    assert line == 7 and "before mitigated_at" in message


def test_detected_before_started_is_a_warning():
    incident, problems = parse((VALID + "detected_at: 2024-01-01T09:00:00Z\n").encode(), "f.yaml")
    assert incident is not None
    assert [p.level for p in problems] == ["warning"] and problems[0].line == 6


def test_events_keep_file_order_and_instants():
    text = VALID + """timeline:
  - {at: 2024-01-01T12:00:00+02:00, message: b}
  - {at: 2024-01-01T10:00:00Z, message: a tie}
  - {at: 2023-06-01T00:00:00Z, message: far before}
  - {at: 2030-01-01T00:00:00Z, message: far after}
"""
    incident, problems = parse(text.encode(), "f.yaml")
    assert problems == []
    assert [e.order for e in incident.timeline] == [0, 1, 2, 3]
    assert incident.timeline[0].at == incident.timeline[1].at
    assert [e.line for e in incident.timeline] == [7, 8, 9, 10]


def test_due_dates():
    line, message = first_error(VALID + "action_items:\n  - {title: x, due: 2024-13-01}\n")
    assert line == 7 and "action_items[0].due" in message and "not a real date" in message
