"""`pir import pagerduty`: entry types, actors, notes, pagination, and what is not log entries."""

from __future__ import annotations

import json

import pytest

from importhelp import PAGES, SLACK, events, run


def test_pages_become_one_timeline_each_entry_once_oldest_first():
    found = events(run("pagerduty", *PAGES))
    assert [(e["at"].strftime("%H:%M:%S"), e["type"], e["actor"], e["message"]) for e in found] == [
        ("22:40:05", "alert", "checkout-api", "Triggered through the API: checkout-api 5xx rate above 5%"),
        ("22:40:09", "page", "Payments on-call", "Notified Priya Natarajan by push notification."),
        ("22:42:20", "ack", "Priya Natarajan", "Acknowledged by Priya Natarajan."),
        ("22:43:00", "escalation", "Priya Natarajan", "Assigned to Marcus Lindqvist by Priya Natarajan."),
        ("22:45:10", "note", "Marcus Lindqvist", "Release 981 shrank the DB pool from 50 to 5; rolling back."),
        ("22:46:00", "note", "Priya Natarajan", "Priority changed to P1 by Priya Natarajan."),
        ("22:55:00", "escalation", "Priya Natarajan", "Escalated to level 2 by Priya Natarajan."),
        ("23:20:30", "resolution", "Priya Natarajan", "Resolved by Priya Natarajan."),
    ]
    assert {e["source"] for e in found} == {"pagerduty"}


def test_the_entry_types_are_declared_not_inferred():
    result = run("pagerduty", *PAGES)
    assert "(inferred)" not in result.stdout and "    type: ack\n" in result.stdout


def test_a_page_given_twice_adds_nothing():
    assert events(run("pagerduty", *PAGES, *PAGES)) == events(run("pagerduty", *PAGES))


def test_a_bare_list_of_entries_is_read_too(tmp_path):
    page = json.loads(PAGES[1].read_text())
    bare = tmp_path / "entries.json"
    bare.write_text(json.dumps(page["log_entries"]))
    assert [e["type"] for e in events(run("pagerduty", bare))] == ["alert", "page", "ack", "escalation"]


def test_window_and_exclude_user(tmp_path):
    found = events(run("pagerduty", *PAGES, "--since", "2024-03-15T23:42:00+01:00", "--until", "2024-03-15T22:50:00Z",
                       "--exclude-user", "PU2MARCUS"))
    assert [e["type"] for e in found] == ["ack", "escalation", "note"]


def test_an_object_without_log_entries(tmp_path):
    other = tmp_path / "incident.json"
    other.write_text('{\n  "incident": {"id": "Q1"}\n}\n')
    result = run("pagerduty", other)
    assert result.exit_code == 1
    assert result.stderr == (f"{other.as_posix()}:1:1: expected PagerDuty log entries: the JSON object "
                             '{"log_entries": [...]} that GET /incidents/{id}/log_entries returns, found an object without log_entries\n')


def test_a_slack_file_is_not_log_entries():
    result = run("pagerduty", SLACK / "users.json")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and lines[0] == f"{(SLACK / 'users.json').as_posix()}:2:5: expected a log entry (an object whose type ends in _log_entry), found an object"


def test_every_bad_created_at_is_named(tmp_path):
    page = tmp_path / "page.json"
    page.write_text('{"log_entries": [\n'
                    ' {"id": "A", "type": "acknowledge_log_entry", "created_at": "2024-03-15T22:42:20"},\n'
                    ' {"id": "B", "type": "resolve_log_entry"},\n'
                    ' {"id": "C", "type": "resolve_log_entry", "created_at": 1710542400}\n]}\n')
    result = run("pagerduty", page)
    assert result.exit_code == 1
    shown = page.as_posix()
    assert result.stderr.splitlines() == [
        f"{shown}:2:61: created_at '2024-03-15T22:42:20' has no UTC offset; add Z or +hh:mm (e.g. 2024-03-15T22:42:20Z)",
        f"{shown}:3:2: created_at is missing; every log entry has one",
        f"{shown}:4:57: created_at must be a timestamp, found the number 1710542400",
    ]


@pytest.mark.parametrize("text", ["", "{", '{"log_entries": [}', "[1, 2", "null"])
def test_broken_json_is_located(tmp_path, text):
    page = tmp_path / "page.json"
    page.write_text(text)
    result = run("pagerduty", page)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{page.as_posix()}:1:") and "PagerDuty log entries" in result.stderr


def test_a_missing_page(tmp_path):
    result = run("pagerduty", PAGES[0], tmp_path / "nope.json")
    assert result.exit_code == 1 and result.stderr.startswith(f"{(tmp_path / 'nope.json').as_posix()}:1: cannot be read (No such file or directory)")


def test_a_page_from_standard_input_beside_files():
    piped = run("pagerduty", PAGES[0], "-", stdin=PAGES[1].read_bytes())
    assert piped.exit_code == 0 and piped.stdout == run("pagerduty", PAGES[0], PAGES[1]).stdout
    broken = run("pagerduty", "-", stdin=b'{"log_entries": [\n  {"id": 1,\n')
    assert broken.exit_code == 1 and broken.stderr.startswith("<stdin>:"), broken.stderr
