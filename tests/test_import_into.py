"""`pir import --into`: events go into the file's timeline, the rest of the file stays as written."""

from __future__ import annotations

import os
import stat

import pytest

from pir_reviews.load import loader
from pir_reviews.core import timeline
from importhelp import CHANNEL, CSV, PAGES, SLACK, run

INCIDENT = """\
# yaml-language-server: $schema=../../schema/incident.schema.json
# Hand-written notes: keep me.
id: INC-2024-0315-001
title: Checkout errors after release 981
started_at: 2024-03-15T22:38:00Z   # from the dashboards
services: [checkout-api]
summary: |
  Release 981 shrank the database pool.
timeline:
  # Lead-up
  - at: 2024-03-15T22:31:00Z
    type: action
    message: 'Release 981 deployed'   # quoted on purpose
  # Customer reports, from support
  - at: 2024-03-15T23:15:00Z
    message: Customer tickets have stopped coming in
    actor: Dana Okafor

# Learning
lessons:
  - Check pool sizes in review
"""

BARE = """\
id: INC-2024-0315-001
title: Checkout errors after release 981
started_at: 2024-03-15T22:38:00Z
services: [checkout-api]
summary: Release 981 shrank the database pool.
"""


def _file(tmp_path, text=INCIDENT, name="incident.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _is_subsequence(lines, within):
    rest = iter(within)
    return all(any(line == other for other in rest) for line in lines)


def test_comments_and_formatting_survive(tmp_path):
    path = _file(tmp_path)
    result = run("slack", SLACK, "--channel", CHANNEL, "--into", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"pir: added 8 events to {path} (1 already there)\n"
    after = path.read_text()
    assert _is_subsequence(INCIDENT.splitlines(), after.splitlines())
    assert after.count("\n") == INCIDENT.count("\n") + 8 * 5 + 2  # one message is a three-line literal block
    # The new events sit in time order around the old ones, and a comment stays above its event.
    assert after.index("22:31:00Z") < after.index("22:40:12Z") < after.index("# Customer reports") < after.index("23:15:00Z") < after.index("23:20:00Z") < after.index("# Learning")
    assert after.index("23:12:00Z") < after.index("# Customer reports")
    incident, problems = loader.parse(after.encode(), "incident.yaml")
    assert incident is not None and [p for p in problems if p.level == "error"] == []
    assert len(incident.timeline) == 10


def test_importing_again_changes_nothing(tmp_path):
    path = _file(tmp_path)
    run("slack", SLACK, "--channel", CHANNEL, "--into", path)
    once = path.read_bytes()
    result = run("slack", SLACK, "--channel", CHANNEL, "--into", path)
    assert result.exit_code == 0 and result.stderr == f"pir: added 0 events to {path} (9 already there)\n"
    assert path.read_bytes() == once


def test_a_file_without_a_timeline_gets_one_at_the_end(tmp_path):
    path = _file(tmp_path, BARE)
    assert run("csv", CSV, "--into", path).exit_code == 0
    after = path.read_text()
    assert after.startswith(BARE + "timeline:\n  - at: 2024-03-15T22:40:05Z\n    type: alert\n")


def test_a_new_incident_gets_its_timeline_below_the_commented_example(tmp_path):
    from pir_reviews import scaffold

    path = scaffold.create(tmp_path, scaffold.check_values("Checkout errors", None, ("checkout",), "2024-03-15T22:38:00Z"), None)
    before = path.read_text()
    assert run("pagerduty", *PAGES, "--into", path).exit_code == 0
    after = path.read_text()
    example = "#     message: What happened at this moment.\n"
    assert after.replace(after[after.index(example) + len(example):after.index("# root_cause:")], "") == before
    assert after[after.index(example) + len(example):].startswith("timeline:\n  - at: 2024-03-15T22:40:05Z\n    type: alert\n")
    incident, _ = loader.parse(after.encode(), "x.yaml")
    assert len(incident.timeline) == 8


@pytest.mark.parametrize("empty", ["timeline:", "timeline: ~"])
def test_a_timeline_left_empty_is_the_files_own_error_and_nothing_is_written(tmp_path, empty):
    """An empty value is an error in every field (see test_empty_values): --into reports it, writes nothing."""
    path = _file(tmp_path, BARE + empty + "\nlessons: [Check pools]\n")
    before = path.read_bytes()
    result = run("csv", CSV, "--into", path)
    assert result.exit_code == 1
    assert "timeline: empty value" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("empty", ["timeline: []", "timeline: []   # none yet"])
def test_an_empty_timeline_is_filled(tmp_path, empty):
    path = _file(tmp_path, BARE + empty + "\nlessons: [Check pools]\n")
    assert run("csv", CSV, "--into", path).exit_code == 0
    incident, _ = loader.parse(path.read_bytes(), "x.yaml")
    assert len(incident.timeline) == 5 and incident.lessons == ("Check pools",)
    assert path.read_text().startswith(BARE + "timeline:")


def test_line_ends_byte_order_mark_and_permissions_are_kept(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + INCIDENT.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    assert run("pagerduty", *PAGES, "--into", path).exit_code == 0
    assert run("csv", CSV, "--into", path).exit_code == 0  # one message is a literal block over two lines
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert data.count(b"\n") == data.count(b"\r\n") and b"type: ack\r\n" in data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_after_import_the_milestones_come_from_the_imported_events(tmp_path):
    path = _file(tmp_path, BARE)
    assert run("pagerduty", *PAGES, "--into", path).exit_code == 0
    assert run("slack", SLACK, "--channel", CHANNEL, "--into", path).exit_code == 0
    incident, _ = loader.parse(path.read_bytes(), "incident.yaml")
    found = timeline.reconstruct(incident, "sev2")
    milestones = {name: (m.at.strftime("%H:%M:%S") if m.at else None, m.origin) for name, m in found.milestones.items()}
    assert milestones["detected_at"] == ("22:40:05", "inferred")  # PagerDuty's trigger
    assert milestones["acknowledged_at"] == ("22:42:20", "inferred")  # PagerDuty's acknowledge, before Slack's "I'm looking"
    assert milestones["resolved_at"] == ("23:20:00", "inferred")  # Slack's "Resolved." comes 30 s before PagerDuty's resolve
    ack = next(e for e in found.events if e.event.at.strftime("%H:%M:%S") == "22:42:20")
    assert (ack.type, ack.inferred) == ("ack", False)
    said = next(e for e in found.events if e.event.at.strftime("%H:%M:%S") == "22:42:30")
    assert (said.type, said.inferred) == ("ack", True)


def test_pagerduty_alone_gives_acknowledged_and_resolved(tmp_path):
    path = _file(tmp_path, BARE)
    run("pagerduty", *PAGES, "--into", path)
    incident, _ = loader.parse(path.read_bytes(), "incident.yaml")
    found = timeline.reconstruct(incident, "sev2")
    assert found.milestones["acknowledged_at"].at.strftime("%H:%M:%S") == "22:42:20"
    assert found.milestones["resolved_at"].at.strftime("%H:%M:%S") == "23:20:30"


def _unchanged(path, before):
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_bad_source_writes_nothing(tmp_path):
    path = _file(tmp_path)
    bad = tmp_path.parent / f"{tmp_path.name}-bad.csv"
    bad.write_text("at,message\n2024-03-15T10:00:00Z,fine\nnot a time,broken\n")
    result = run("csv", bad, "--into", path)
    assert result.exit_code == 1 and f"{bad.as_posix()}:3: at: 'not a time' is not a timestamp" in result.stderr
    _unchanged(path, INCIDENT.encode())


def test_an_invalid_incident_is_reported_and_left_alone(tmp_path):
    path = _file(tmp_path, BARE.replace("started_at: 2024-03-15T22:38:00Z", "started_at: 2024-03-15T22:38:00"))
    before = path.read_bytes()
    result = run("csv", CSV, "--into", path)
    assert result.exit_code == 1 and result.stderr.startswith(f"{path.as_posix()}:3:13: started_at: '2024-03-15T22:38:00' has no UTC offset")
    _unchanged(path, before)


def test_a_flow_style_timeline_is_refused(tmp_path):
    path = _file(tmp_path, BARE + "timeline: [{at: 2024-03-15T22:31:00Z, message: deployed}]\n")
    before = path.read_bytes()
    result = run("csv", CSV, "--into", path)
    assert result.exit_code == 1
    assert result.stderr == f"pir: {path.as_posix()}:6: the timeline is a [...] list; --into adds only to a block list (one '- ' line per event)\n"
    _unchanged(path, before)


def test_an_edit_that_would_not_load_writes_nothing(tmp_path, monkeypatch):
    # Fault injection: had the event text come out wrong, the check before writing stops it.
    from pir_reviews.importers import into

    monkeypatch.setattr(into, "event_lines", lambda found, dash, key: [" " * dash + "- at: [unclosed"])
    path = _file(tmp_path)
    result = run("csv", CSV, "--into", path)
    assert result.exit_code == 1
    assert "(in the file as the import would leave it; nothing was written)" in result.stderr
    _unchanged(path, INCIDENT.encode())


def test_a_symlink_is_not_written_through(tmp_path):
    target = _file(tmp_path, name="real.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    result = run("csv", CSV, "--into", link)
    assert result.exit_code == 1 and "is a symlink; refusing to write through it" in result.stderr
    assert target.read_text() == INCIDENT


def test_a_folder_or_a_pipe_is_refused_before_anything_is_read(tmp_path):
    folder = tmp_path / "incidents"
    folder.mkdir()
    inside = _file(folder)
    result = run("csv", CSV, "--into", folder)
    assert result.exit_code == 1 and result.stderr == f"{folder.as_posix()}:1: is a folder; --into takes one incident file\n"
    assert inside.read_text() == INCIDENT and sorted(p.name for p in tmp_path.iterdir()) == ["incidents"]
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    result = run("csv", CSV, "--into", pipe)
    assert result.exit_code == 1 and result.stderr.startswith(f"{pipe.as_posix()}:1: is not a regular file")
    result = run("csv", CSV, "--into", "")
    assert result.exit_code == 2 and result.stderr == "pir: --into '' is not a file name\n"


def test_a_missing_incident(tmp_path):
    result = run("csv", CSV, "--into", tmp_path / "nope.yaml")
    assert result.exit_code == 1 and result.stderr == f"{(tmp_path / 'nope.yaml').as_posix()}:1: no such file or folder\n"


@pytest.mark.parametrize("timeline", [
    "timeline:\n- at: 2024-03-15T22:50:00Z\n  message: indentless\n",
    "timeline:\n    -   at: 2024-03-15T22:50:00Z\n        message: wide\n",
    "timeline:\n  -\n    at: 2024-03-15T22:50:00Z\n    message: dash alone\n",
    "timeline:\n  - {at: 2024-03-15T22:50:00Z, message: flow entry}\n",
    'timeline:\n  - at: 2024-03-15T22:50:00Z\n    message: |\n      literal\n\n      # not a comment\n',
])
def test_other_layouts_take_the_events_in_their_own_style(tmp_path, timeline):
    path = _file(tmp_path, BARE + timeline + "lessons: [Check pools]\n")
    before = path.read_text()
    assert run("csv", CSV, "--into", path).exit_code == 0
    after = path.read_text()
    assert _is_subsequence(before.splitlines(), after.splitlines())
    incident, problems = loader.parse(after.encode(), "x.yaml")
    assert incident is not None and len(incident.timeline) == 6 and incident.lessons == ("Check pools",)
    first = timeline.splitlines()[1]
    dash = first[:first.index("-")]
    assert f"\n{dash}- at: 2024-03-15T22:40:05Z\n" in after or f"\n{dash}-   at: 2024-03-15T22:40:05Z\n" in after
