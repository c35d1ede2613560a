"""`pir import csv`: the header, offsets converted to UTC, inferred types, every bad row located."""

from __future__ import annotations

import pytest

from importhelp import CSV, events, run

HEADER = "at,type,source,actor,message\n"


def test_rows_become_events_in_utc():
    found = events(run("csv", CSV))
    assert [(e["at"].isoformat(), e.get("type"), e.get("source"), e.get("actor"), e["message"]) for e in found] == [
        ("2024-03-15T22:40:05+00:00", "alert", "prometheus", None, "checkout-api 5xx rate above 5%"),
        ("2024-03-15T22:42:30+00:00", None, "slack", "Priya Natarajan", "I'm looking, checking the deploy from 22:30"),
        ("2024-03-15T22:51:40+00:00", "mitigation", "deploy", "Marcus Lindqvist", "Rolled back release 981"),
        ("2024-03-15T23:05:44+00:00", "recovery", "grafana", None, "Error rate back to normal\n(5xx under 0.1% for 10 minutes)"),
        ("2024-03-15T23:20:00+00:00", "resolution", None, "Priya Natarajan", "Incident closed"),
    ]
    assert "    at: 2024-03-15T22:42:30Z\n" not in run("csv", CSV).stdout  # keys are indented under "- "
    assert "  - at: 2024-03-15T22:42:30Z\n    # type: ack (inferred)\n" in run("csv", CSV).stdout


def test_order_is_by_instant_and_ties_keep_the_files_order(tmp_path):
    source = tmp_path / "e.csv"
    source.write_text("message,at\nsecond,2024-03-15T12:00:00+01:00\nthird,2024-03-15T11:00:00Z\nfirst,2024-03-15T10:59:59Z\nlast,2024-03-15T12:00:00+01:00\n")
    assert [e["message"] for e in events(run("csv", source))] == ["first", "second", "third", "last"]


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_a_character_python_calls_a_line_break_does_not_end_the_row(tmp_path, char):
    # Only \n, \r\n and \r end a CSV line; the others are text in the value (and cleaned from it).
    source = tmp_path / "e.csv"
    source.write_text(f"at,message\n2024-03-15T10:00:00Z,page{char}break\nnot a time,next\n", encoding="utf-8")
    result = run("csv", source)
    assert result.stderr == f"{source.as_posix()}:3: at: 'not a time' is not a timestamp; expected an ISO-8601 timestamp with an offset, e.g. 2024-03-15T14:30:00Z\n"
    source.write_text(f"at,message\n2024-03-15T10:00:00Z,page{char}break\n", encoding="utf-8")
    [found] = events(run("csv", source))
    assert found["message"].replace("\n", "").startswith("page") and found["message"].endswith("break")


def test_a_file_without_the_header(tmp_path):
    source = tmp_path / "e.csv"
    source.write_text("2024-03-15T10:00:00Z,alert,,,fired\n")
    result = run("csv", source)
    assert result.exit_code == 1
    assert result.stderr == (f"{source.as_posix()}:1: unknown column '2024-03-15t10:00:00z' in the header "
                             "'2024-03-15T10:00:00Z,alert,,,fired'; expected a CSV file whose first line is the header at,type,source,actor,message\n")


@pytest.mark.parametrize(("header", "why"), [
    ("at,type,source,actor", "column 'message' is missing"),
    ("at,message,at", "column 'at' is given twice"),
])
def test_a_header_without_what_is_needed(tmp_path, header, why):
    source = tmp_path / "e.csv"
    source.write_text(header + "\n")
    result = run("csv", source)
    assert result.exit_code == 1 and result.stderr.startswith(f"{source.as_posix()}:1: {why} in the header")


def test_an_empty_file(tmp_path):
    source = tmp_path / "e.csv"
    source.write_text("")
    result = run("csv", source)
    assert result.exit_code == 1 and result.stderr.startswith(f"{source.as_posix()}:1: the file is empty; expected a CSV file")


def test_every_bad_row_is_reported_with_its_line(tmp_path):
    source = tmp_path / "e.csv"
    source.write_text(HEADER
                      + "2024-03-15T10:00:00Z,alert,,,\"a message\nover two lines\"\n"
                      + "2024-03-15T10:00:00,alert,,,no offset\n"
                      + "2024-03-15T10:00:00Z,panic,,,bad type\n"
                      + "\n"
                      + "2024-03-15T10:00:00Z,alert,,,too,many\n"
                      + ",,,,\n"
                      + "2024-03-15T10:00:00Z,,,,\n")
    result = run("csv", source)
    assert result.exit_code == 1
    shown = source.as_posix()
    assert result.stderr.splitlines() == [
        f"{shown}:4: at: '2024-03-15T10:00:00' has no UTC offset; add Z or +hh:mm (e.g. 2024-03-15T10:00:00Z)",
        f"{shown}:5: type 'panic' is not allowed; expected one of trigger, alert, page, ack, investigation, escalation, communication, action, mitigation, recovery, resolution, note (or empty to infer it)",
        f"{shown}:7: 6 fields where the header has 5; quote a value that holds a comma",
        f"{shown}:9: message is empty; every event needs one",
    ]


def test_bytes_that_are_not_text(tmp_path):
    source = tmp_path / "e.csv"
    source.write_bytes(HEADER.encode() + b"2024-03-15T10:00:00Z,alert,,,caf\xe9\n")
    result = run("csv", source)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{source.as_posix()}:2:33: byte 0xe9 is not UTF-8; expected a CSV file")


def test_standard_input_as_the_source():
    piped = run("csv", "-", stdin=CSV.read_bytes())
    assert piped.exit_code == 0 and piped.stdout == run("csv", CSV).stdout
    bad = run("csv", "-", stdin=HEADER.encode() + b"2024-03-15T10:00:00Z,alert,,,fine\nsoon,alert,,,late\n")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("<stdin>:3: at: 'soon' is not a timestamp"), bad.stderr


def test_standard_input_is_read_once_and_not_for_slack():
    twice = run("pagerduty", "-", "-", stdin=b'{"log_entries": []}')
    assert twice.exit_code == 2 and "- (standard input) is given more than once" in twice.stderr
    slack = run("slack", "-", "--channel", "x", stdin=b"{}")
    assert slack.exit_code == 2 and "reads an export folder or its .zip file, not standard input (-)" in slack.stderr


def test_options_of_other_kinds_are_refused():
    result = run("csv", CSV, "--channel", "x")
    assert result.exit_code == 2 and "--channel is for slack exports only" in result.stderr
    result = run("csv", CSV, CSV)
    assert result.exit_code == 2 and "reads one file; got 2" in result.stderr
    result = run("csv", CSV, "--since", "yesterday")
    assert result.exit_code == 2 and "--since 'yesterday' is not a timestamp" in result.stderr
    result = run("csv", CSV, "--grep", "(")
    assert result.exit_code == 2 and "--grep '(' is not a regular expression" in result.stderr
    result = run("csv", CSV, "--grep", "a{99999999999}")
    assert result.exit_code == 2 and "--grep 'a{99999999999}' is not a regular expression: a repetition count is too large" in result.stderr
    result = run("csv", CSV, "--since", "2024-03-16T00:00:00Z", "--until", "2024-03-15T00:00:00Z")
    assert result.exit_code == 2 and "is after --until" in result.stderr
