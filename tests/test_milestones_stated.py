"""Milestones people state in words, containment, and phases that follow the
milestones: on format v1 YAML and on the older JSON event lists."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from pir_reviews.load import sniff as inputs
from pir_reviews.core.timeformat import duration
from pir_reviews.core.models import Incident, TimelineEvent
from pir_reviews.core.statements import stated_milestones
from pir_reviews.core.timeline import reconstruct

UTC = timezone.utc
DAY = datetime(2024, 3, 10, tzinfo=UTC)


def at(hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return DAY + timedelta(hours=h, minutes=m)


def incident(*rows, **fields) -> Incident:
    """rows: (hh:mm, message) or (hh:mm, message, {field: value})."""
    timeline = tuple(TimelineEvent(at=at(r[0]), message=r[1], order=i, **(r[2] if len(r) > 2 else {}))
                     for i, r in enumerate(rows))
    return Incident(id="INC-1", title="t", started_at=at("09:00"), services=("web",), summary="s",
                    timeline=timeline, **fields)


# ---- the statement rules, one by one ---------------------------------------------------

@pytest.mark.parametrize("message, milestone, words", [
    ("Sarah acknowledged the alert", "acknowledged_at", "acknowledged"),
    ("Alert acknowledged by Sarah", "acknowledged_at", "acknowledged"),  # acknowledging an alert is an ack
    ("Acked by the DB on-call", "acknowledged_at", "acked"),
    ("I'll take this one", "acknowledged_at", "i'll take this"),
    ("Rolled back to v2.3.0", "contained_at", "rolled back"),
    ("Rolled the search flag back to 0%", "contained_at", "rolled the search flag back"),
    ("Rollback complete", "contained_at", "rollback complete"),
    ("Reverted the bad config change", "contained_at", "reverted the bad config"),
    ("Failed over to us-west-2", "contained_at", "failed over"),
    ("Blast radius contained to one cell", "contained_at", "contained"),
    ("No new crashes since the revert", "contained_at", "no new crashes"),
    ("Rejections stopped; p99 falling", "contained_at", "rejections stopped"),
    ("Checkout recovered", "mitigated_at", "recovered"),
    ("Latency back to normal", "mitigated_at", "back to normal"),
    ("Customer impact is over", "mitigated_at", "impact is over"),
    ("No further customer impact expected", "mitigated_at", "no further customer impact"),
    ("Issue mitigated by the failover", "mitigated_at", "mitigated"),
    ("Service restored for everyone", "mitigated_at", "service restored"),
    ("Incident resolved", "resolved_at", "resolved"),
    ("IC closed the incident", "resolved_at", "closed the incident"),
    ("Closing incident, review on Monday", "resolved_at", "closing incident"),
    ("All clear from the IC", "resolved_at", "all clear"),
])
def test_each_statement_rule(message, milestone, words):
    assert stated_milestones(message).get(milestone) == words


@pytest.mark.parametrize("message", [
    "Not resolved yet",                      # negated
    "Partially resolved, EU still failing",  # hedged
    "Will be resolved once the index builds",
    "Is it resolved?",                       # a question
    "CPU alert resolved",                    # the tool closing its own alert
    "Alarm auto-resolved",                   # a compound word
    "DNS resolution failing",                # no statement at all
    "Reverted the override we added at 15:00",  # undoing an attempt, not the bad change
    "Waiting for someone to acknowledge",    # no past tense
    "Not rolled back: the migration cannot be undone",
    "The pods have not recovered",
    "",
])
def test_statements_that_are_not_facts(message):
    assert stated_milestones(message) == {}


def test_one_event_may_state_several_milestones():
    assert stated_milestones("Rebalancing stopped; send rate back to normal") == {
        "contained_at": "rebalancing stopped", "mitigated_at": "back to normal"}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_statements_never_fail_and_quote_the_message(message):
    found = stated_milestones(message)
    text = " ".join(message.replace("\u2019", "'").lower().split())
    assert all(words in text for words in found.values())


# ---- format v1: explicit types stay, stated milestones still count ---------------------

V1 = """\
id: INC-2024-0501-001
title: Checkout errors
started_at: 2024-05-01T09:00:00Z
services: [checkout]
summary: Checkout failed for some users.
timeline:
  - at: 2024-05-01T09:02:00Z
    type: alert
    message: 5xx alert fired on checkout
  - at: 2024-05-01T09:06:00Z
    type: communication
    actor: Sarah
    message: Sarah acknowledged the page and is looking at the dashboards
  - at: 2024-05-01T09:20:00Z
    type: escalation
    actor: Sarah
    message: Escalated to the payments team
  - at: 2024-05-01T09:31:00Z
    type: communication
    message: Deploy 4.2 rolled back, no new errors
  - at: 2024-05-01T09:50:00Z
    type: note
    message: Error rates back to normal for all regions
  - at: 2024-05-01T10:15:00Z
    type: communication
    message: IC declared the incident resolved
"""


def test_v1_milestones_stated_only_in_words():
    t = reconstruct(inputs.incident(V1.encode(), "inc.yaml"))
    ms = t.milestones
    assert {n: (m.at.strftime("%H:%M") if m.at else None, m.origin) for n, m in ms.items()} == {
        "started_at": ("09:00", "declared"), "detected_at": ("09:02", "inferred"),
        "acknowledged_at": ("09:06", "inferred"),  # not the later escalation
        "contained_at": ("09:31", "inferred"), "mitigated_at": ("09:50", "inferred"),
        "resolved_at": ("10:15", "inferred"),      # not unknown
    }
    assert ms["acknowledged_at"].rule == ('stated in words on a communication event at or after started_at: '
                                          '"acknowledged"')
    assert ms["resolved_at"].rule == 'stated in words on a communication event at or after started_at: "resolved"'
    assert ms["mitigated_at"].rule == 'stated in words on a note event at or after started_at: "back to normal"'
    # the declared types are untouched
    assert [(e.type, e.inferred) for e in t.events] == [
        ("alert", False), ("communication", False), ("escalation", False), ("communication", False),
        ("note", False), ("communication", False)]
    assert t.metrics["time_to_acknowledge_min"] == 4.0 and t.metrics["time_to_contain_min"] == 31.0
    assert t.metrics["time_to_mitigate_min"] == 50.0 and t.metrics["time_to_resolve_min"] == 75.0
    assert [p.name for p in t.phases] == ["detection", "triage", "mitigation", "recovery", "post_incident"]


def test_v1_declared_milestone_fields_win_over_words():
    text = V1.replace("timeline:\n", "acknowledged_at: 2024-05-01T09:10:00Z\ncontained_at: 2024-05-01T09:40:00Z\n"
                                     "resolved_at: 2024-05-01T11:00:00Z\ntimeline:\n")
    ms = reconstruct(inputs.incident(text.encode(), "inc.yaml")).milestones
    assert [(ms[n].at.strftime("%H:%M"), ms[n].origin) for n in ("acknowledged_at", "contained_at", "resolved_at")] \
        == [("09:10", "declared"), ("09:40", "declared"), ("11:00", "declared")]


def test_v1_mitigated_before_contained_is_an_error():
    text = V1.replace("timeline:\n", "contained_at: 2024-05-01T09:40:00Z\nmitigated_at: 2024-05-01T09:30:00Z\n"
                                     "timeline:\n")
    with pytest.raises(inputs.InvalidInput) as caught:
        inputs.incident(text.encode(), "inc.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (
        7, "mitigated_at 2024-05-01T09:30:00Z is before contained_at 2024-05-01T09:40:00Z; "
           "impact cannot end while it is still spreading")


# ---- the older JSON event lists: types are hints -------------------------------------------

LEGACY = [
    {"timestamp": "2024-03-10T09:00:00Z", "source": "monitoring", "type": "alert",
     "message": "High error rate on payment-api", "actor": "system"},
    {"timestamp": "2024-03-10T09:04:00Z", "source": "slack", "type": "communication",
     "message": "Sarah acknowledged the alert and is checking the pool", "actor": "sarah"},
    {"timestamp": "2024-03-10T09:12:00Z", "source": "slack", "type": "communication",
     "message": "Escalated to the database team", "actor": "sarah"},
    {"timestamp": "2024-03-10T09:30:00Z", "source": "slack", "type": "log",
     "message": "Payments are flowing again, error rate back to normal", "actor": "tom"},
    {"timestamp": "2024-03-10T09:55:00Z", "source": "slack", "type": "communication",
     "message": "Marking the incident resolved, thanks all", "actor": "mike"},
]


def test_legacy_events_milestones_stated_only_in_words():
    t = reconstruct(inputs.incident(json.dumps(LEGACY).encode(), "events.json"))
    ms = t.milestones
    assert ms["acknowledged_at"].at == at("09:04")  # the communication, not the escalation at 09:12
    assert ms["acknowledged_at"].rule == "first acknowledgement at or after started_at"  # the words retype it
    assert (ms["mitigated_at"].at, ms["resolved_at"].at) == (at("09:30"), at("09:55"))
    assert ms["resolved_at"].origin == "inferred"
    assert [(e.type, e.inferred) for e in t.events] == [
        ("alert", True), ("ack", True), ("communication", True), ("recovery", True), ("resolution", True)]


def test_legacy_hint_decides_when_the_words_say_nothing_of_a_milestone():
    events = [{"timestamp": "2024-03-10T09:00:00Z", "type": "communication", "message": "Investigating reports"},
              {"timestamp": "2024-03-10T09:01:00Z", "type": "LOG", "message": "Queue depth 40k"}]
    t = reconstruct(inputs.incident(json.dumps(events).encode(), "events.json"))
    assert [e.type for e in t.events] == ["communication", "note"]  # "log" is not a type of format v1


def test_seed_sample_pir_resolution_stated_on_a_status_page_message():
    with open("tests/data/seed-samples/legacy_pir.json", "rb") as handle:
        found = inputs.incident(handle.read(), "legacy_pir.json")
    t = reconstruct(found.__class__(**{**found.__dict__, "resolved_at": None}))
    assert t.milestones["resolved_at"].at == datetime(2024, 3, 15, 15, 40, tzinfo=UTC)


# ---- containment and what "mitigated" means -----------------------------------------------

def test_revert_contains_while_crashed_hosts_stay_down_for_days():
    t = reconstruct(incident(
        ("09:02", "Hosts crash-looping after agent update", {"type": "alert"}),
        ("09:05", "Acknowledged", {"actor": "ann"}),
        ("09:40", "Agent update reverted to the previous version; no new crashes", {"type": "mitigation"}),
        ("12:00", "Rebuilding crashed hosts by hand", {"type": "recovery"}),
        mitigated_at=DAY + timedelta(days=3, hours=9)))
    assert t.milestones["contained_at"].at == at("09:40")
    assert t.metrics["time_to_contain_min"] == 40.0
    assert duration(t.metrics["time_to_mitigate_min"]) == "3d"
    assert [(p.name, p.start) for p in t.phases][:3] == [
        ("detection", at("09:00")), ("triage", at("09:05")), ("mitigation", at("09:40"))]


def test_no_recovery_stated_means_impact_over_by_the_resolution():
    t = reconstruct(incident(("09:02", "Alert fired"), ("09:30", "Incident resolved")))
    ms = t.milestones
    assert (ms["mitigated_at"].at, ms["mitigated_at"].rule) == (
        at("09:30"), "no recovery stated: impact was over by the resolution")
    assert ms["contained_at"].at == at("09:30")


def test_containment_is_never_after_the_end_of_impact():
    t = reconstruct(incident(("09:02", "Alert fired"), ("09:10", "Recovered"), ("09:20", "Rolled back as well")))
    assert t.milestones["contained_at"].at == at("09:10")


# ---- phases follow the milestones ---------------------------------------------------------

def test_no_triage_phase_holds_explicit_recovery_events():
    # Declared end of impact six hours after the first recovery work.
    t = reconstruct(incident(
        ("09:02", "Alert fired", {"type": "alert"}),
        ("09:05", "On it", {"type": "ack"}),
        ("10:00", "First shards restored from snapshot", {"type": "recovery"}),
        ("13:00", "Half the shards restored", {"type": "recovery"}),
        mitigated_at=at("15:05")))
    by_type = {e.event.message: e.phase for e in t.events}
    assert by_type["First shards restored from snapshot"] == "mitigation"
    assert by_type["Half the shards restored"] == "mitigation"
    triage = next(p for p in t.phases if p.name == "triage")
    assert (triage.start, triage.end) == (at("09:05"), at("10:00"))
    assert t.milestones["contained_at"].rule == "first recovery at or after started_at: recovering means no new impact"


# ---- durations for people ------------------------------------------------------------------

@pytest.mark.parametrize("minutes, words", [
    (None, "unknown"), (0, "0m"), (0.3, "0m"), (45, "45m"), (60, "1h"), (65, "1h 05m"), (1440, "1d"),
    (1445, "1d 0h 05m"), (1500, "1d 1h"), (204729.0, "142d 4h 09m"), (-90, "-1h 30m"),
])
def test_durations_in_days_hours_and_minutes(minutes, words):
    assert duration(minutes) == words


# ---- through the CLI ----------------------------------------------------------------------

def test_pir_timeline_reports_stated_milestones_with_their_rule(tmp_path):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    path = tmp_path / "events.json"
    path.write_text(json.dumps(LEGACY), encoding="utf-8")
    result = CliRunner().invoke(main, ["timeline", str(path)])
    assert result.exit_code == 0, result.output
    assert ("  resolved_at      2024-03-10T09:55:00Z  inferred (first resolution at or after started_at)\n"
            in result.output)
    assert "  time_to_resolve_min      55m\n" in result.output
    data = json.loads(CliRunner().invoke(main, ["timeline", str(path), "--format", "json"]).output)
    assert data["metrics"]["time_to_resolve_min"] == 55.0  # JSON keeps minutes


def test_pir_classify_file_drafts_the_first_message_from_the_file(tmp_path):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    path = tmp_path / "inc.yaml"
    path.write_text(V1 + "status: monitoring\ncommander: Mike\nimpact:\n  users_affected_pct: 30\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["classify", str(path)])
    assert result.exit_code == 0, result.output
    draft = result.output.split("Draft communication:\n", 1)[1]
    assert draft == (
        "  Subject: [SEV2] Checkout errors (checkout)\n\n"
        "  Status: Monitoring\n"
        "  Severity: SEV2 (Major)\n"
        "  What is affected: checkout, 30% of users\n"
        "  What people see: Checkout errors\n"
        "  Since: 2024-05-01 09:00 UTC\n"
        "  What we are doing: A fix is in place and we are watching that it holds.\n"
        "  Incident commander: Mike\n"
        "  Next update: within 60 minutes, by [time, UTC]\n")
