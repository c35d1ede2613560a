"""`pir import slack`: names, markup, bots, threads, day files and time zones, bad exports."""

from __future__ import annotations

import json
import zipfile

import pytest

from pir_reviews.importers.slack import unmark
from importhelp import CHANNEL, SLACK, copy_export, events, run


def test_the_channel_becomes_a_timeline_in_time_order():
    found = events(run("slack", SLACK, "--channel", CHANNEL))
    assert [(e["at"].isoformat(), e["actor"], e["message"]) for e in found] == [
        ("2024-03-15T22:40:12+00:00", "PagerDuty", "Triggered #4821: checkout-api 5xx rate above 5%"),
        ("2024-03-15T22:42:30+00:00", "Priya Natarajan", "I'm looking. Marcus Lindqvist can you check the deploy from 22:30?"),
        ("2024-03-15T22:44:02+00:00", "Marcus Lindqvist", "deploy release 981 (https://deploy.example.com/r/981) went out at 22:31 & touched the pool config"),
        ("2024-03-15T22:51:40+00:00", "Priya Natarajan", "Starting rollback of release 981 (cc sam)"),
        ("2024-03-15T22:58:10+00:00", "Marcus Lindqvist",
         "Posted to #status-updates: investigating elevated errors at checkout @here\nNext update in 30 min, see https://status.example.com"),
        ("2024-03-15T23:05:44+00:00", "Priya Natarajan", "Error rate back to normal after the rollback"),
        # A thread reply in the next day's file, to a thread started the day before.
        ("2024-03-15T23:12:00+00:00", "Marcus Lindqvist", "Root cause: the pool size in release 981 was 5 instead of 50 <facepalm>"),
        # Not in users.json: the message's own user_profile names her.
        ("2024-03-15T23:15:00+00:00", "Dana Okafor", "Customer tickets have stopped coming in"),
        ("2024-03-15T23:20:00+00:00", "Priya Natarajan", "Resolved. Review draft tomorrow; see https://wiki.example.com/pir/981"),
    ]
    assert {e["source"] for e in found} == {"slack"}


def test_joins_leaves_and_topic_changes_are_left_out(tmp_path):
    result = run("slack", SLACK, "--channel", CHANNEL)
    assert "has joined" not in result.stdout and "has left" not in result.stdout and "topic" not in result.stdout


def test_inferred_types_are_comments_so_the_loader_infers_them_again():
    result = run("slack", SLACK, "--channel", CHANNEL)
    assert "    # type: ack (inferred)\n    source: slack\n    actor: Priya Natarajan\n" in result.stdout
    assert "    # type: recovery (inferred)\n" in result.stdout
    assert all("type" not in e for e in events(result))


@pytest.mark.parametrize("channel", [CHANNEL, "#" + CHANNEL, "C01INC"])
def test_the_channel_is_found_by_name_hash_name_or_id(channel):
    assert len(events(run("slack", SLACK, "--channel", channel))) == 9


def test_a_window_near_midnight_reads_the_next_days_file_in_the_workspace_zone():
    # 23:00Z is midnight in Berlin (CET): these messages are in 2024-03-16.json.
    window = ("--since", "2024-03-16T00:00:00+01:00", "--until", "2024-03-15T23:59:59Z")
    berlin = events(run("slack", SLACK, "--channel", CHANNEL, "--tz", "Europe/Berlin", *window))
    assert [e["at"].strftime("%H:%M") for e in berlin] == ["23:05", "23:12", "23:15", "23:20"]
    # Told the wrong zone, the 2024-03-16 file seems to start an hour later and is not opened.
    assert events(run("slack", SLACK, "--channel", CHANNEL, "--tz", "UTC", *window)) == []
    # With no zone every file that might hold the window is read.
    assert len(events(run("slack", SLACK, "--channel", CHANNEL, *window))) == 4


def test_messages_outside_their_files_day_warn_that_the_zone_may_be_wrong():
    result = run("slack", SLACK, "--channel", CHANNEL, "--tz", "Asia/Tokyo")
    assert result.exit_code == 0
    day = (SLACK / CHANNEL / "2024-03-15.json").as_posix()
    assert f"{day}:9:5: warning: messages here fall outside 2024-03-15 in Asia/Tokyo; is --tz the workspace's time zone?" in result.stderr
    assert "warning" not in run("slack", SLACK, "--channel", CHANNEL, "--tz", "Europe/Berlin").stderr


@pytest.mark.parametrize("name", ["Priya Natarajan", "priya.n", "U01PRIYA", "PRIYA"])
def test_exclude_user_by_any_of_their_names(name):
    found = events(run("slack", SLACK, "--channel", CHANNEL, "--exclude-user", name))
    assert len(found) == 5 and "Priya Natarajan" not in {e["actor"] for e in found}


def test_exclude_a_bot_and_grep_the_rest():
    found = events(run("slack", SLACK, "--channel", CHANNEL, "--exclude-user", "PagerDuty", "--exclude-user", "Dana Okafor",
                       "--grep", r"rollback|ROOT CAUSE"))
    assert [e["message"][:20] for e in found] == ["Starting rollback of", "Error rate back to n", "Root cause: the pool"]


def test_a_bot_with_only_a_bot_profile_is_named_by_it(tmp_path):
    export = copy_export(tmp_path)
    day = export / CHANNEL / "2024-03-15.json"
    day.write_text(json.dumps([{"type": "message", "subtype": "bot_message", "bot_id": "B09", "ts": "1710542400.000100",
                                "text": "Deploy 982 finished", "bot_profile": {"id": "B09", "name": "deploybot"}}]))
    (export / CHANNEL / "2024-03-16.json").unlink()
    assert [(e["actor"], e["message"]) for e in events(run("slack", export, "--channel", CHANNEL))] == [("deploybot", "Deploy 982 finished")]


@pytest.mark.parametrize(("text", "plain"), [
    ("<@U1> and <@U2|bob>", "Ann and bob"),
    ("<@U404>", "U404"),
    ("<#C1> or <#C2|ops>", "#general or #ops"),
    ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
    ("<!subteam^S1|@oncall> ping", "@oncall ping"),
    ("<!date^1710542400^{date}|15 March 2024>", "15 March 2024"),
    ("<mailto:ann@example.com|ann@example.com>", "ann@example.com"),
    ("<https://x.example/?a=1&amp;b=2|the graph>", "the graph (https://x.example/?a=1&b=2)"),
    ("<https://x.example/>", "https://x.example/"),
    ("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"),
])
def test_markup_is_undone(text, plain):
    assert unmark(text, {"U1": "Ann"}, {"C1": "general"}) == plain


def test_the_zip_file_slack_gives_is_read_as_it_is(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(SLACK.rglob("*.json")):
            out.write(path, path.relative_to(SLACK).as_posix())
    assert run("slack", archive, "--channel", CHANNEL).stdout == run("slack", SLACK, "--channel", CHANNEL).stdout
    # Zipped again by hand, with everything under one folder: the same.
    again = tmp_path / "again.zip"
    with zipfile.ZipFile(again, "w") as out:
        for path in sorted(SLACK.rglob("*.json")):
            out.write(path, "acme-export/" + path.relative_to(SLACK).as_posix())
    assert run("slack", again, "--channel", CHANNEL).stdout == run("slack", SLACK, "--channel", CHANNEL).stdout


def test_problems_inside_a_zip_file_are_named_by_the_member(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(SLACK.rglob("*.json")):
            name = path.relative_to(SLACK).as_posix()
            out.writestr(name, '[\n  {"ts": "soon"}\n]' if name.endswith("2024-03-16.json") else path.read_text())
    result = run("slack", archive, "--channel", CHANNEL)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{archive.as_posix()}/{CHANNEL}/2024-03-16.json:2:10: a message's ts must be epoch seconds")


def test_a_zip_member_too_large_is_not_read(tmp_path, monkeypatch):
    from pir_reviews.importers import slack_files

    monkeypatch.setattr(slack_files, "MAX_SOURCE_BYTES", 200)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("users.json", "[]")
        out.writestr("channels.json", "[" + " " * 100_000 + "]")  # compresses to almost nothing
    result = run("slack", archive, "--channel", CHANNEL)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{archive.as_posix()}/channels.json:1: is larger than 200 bytes, the limit for one file")


def test_a_file_that_is_not_a_zip_is_not_an_export(tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04 truncated")
    result = run("slack", archive, "--channel", CHANNEL)
    assert result.exit_code == 1
    assert result.stderr == (f"{archive.as_posix()}:1: is a file but not a ZIP file (File is not a zip file); expected a Slack export: "
                             "the ZIP file or its unzipped folder, with users.json, channels.json and one folder per channel\n")


def test_a_folder_without_users_and_channels_is_not_an_export(tmp_path):
    result = run("slack", tmp_path, "--channel", CHANNEL)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path.as_posix()}:1: is not a Slack export: users.json or channels.json is missing; expected a Slack export")


def test_an_unknown_channel_names_the_channels_there():
    result = run("slack", SLACK, "--channel", "inc-nope")
    assert result.exit_code == 1
    assert result.stderr == f"{(SLACK / 'channels.json').as_posix()}:1: no channel 'inc-nope' in this export; expected one of: general, inc-2024-0315-checkout, status-updates\n"


def test_a_channel_without_its_folder(tmp_path):
    export = copy_export(tmp_path)
    result = run("slack", export, "--channel", "status-updates")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{(export / 'status-updates').as_posix()}:1: no such folder; expected the day files of #status-updates")


def test_a_broken_day_file_is_named_with_its_line(tmp_path):
    export = copy_export(tmp_path)
    day = export / CHANNEL / "2024-03-16.json"
    day.write_text(day.read_text()[:300])
    result = run("slack", export, "--channel", CHANNEL)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{day.as_posix()}:")
    assert "not valid JSON" in result.stderr and "expected a day of Slack messages (a JSON array)" in result.stderr


def test_every_bad_message_is_reported(tmp_path):
    export = copy_export(tmp_path)
    day = export / CHANNEL / "2024-03-16.json"
    day.write_text('[\n  {"ts": "yesterday", "text": "a"},\n  "just text",\n  {"text": "no ts"}\n]\n')
    result = run("slack", export, "--channel", CHANNEL)
    assert result.exit_code == 1
    shown = day.as_posix()
    assert result.stderr.splitlines() == [
        f'{shown}:2:10: a message\'s ts must be epoch seconds such as "1710513067.000200", found the string "yesterday"',
        f"{shown}:3:3: expected a message (an object with ts and text), found the string \"just text\"",
        f'{shown}:4:3: a message\'s ts must be epoch seconds such as "1710513067.000200"; it has none',
    ]


def test_users_json_that_is_not_a_list(tmp_path):
    export = copy_export(tmp_path)
    (export / "users.json").write_text('{"members": []}')
    result = run("slack", export, "--channel", CHANNEL)
    assert result.exit_code == 1
    assert result.stderr == f"{(export / 'users.json').as_posix()}:1:1: expected the workspace's members (a JSON array of users), found an object\n"


def test_slack_needs_a_channel_and_a_real_zone():
    assert run("slack", SLACK).exit_code == 2
    result = run("slack", SLACK, "--channel", CHANNEL, "--tz", "Mars/Olympus")
    assert result.exit_code == 2 and "--tz 'Mars/Olympus' is not a time zone" in result.stderr
