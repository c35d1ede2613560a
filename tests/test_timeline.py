"""Timeline reconstruction: inference rules, milestones, metrics, phases, gaps,
targets, and the JSON / text / Markdown forms."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from pir_reviews.core.models import Incident, TimelineEvent
from pir_reviews.report.timeline_report import as_json, as_markdown, as_text
from pir_reviews.core.timeline import infer_type, reconstruct

UTC = timezone.utc
DAY = datetime(2024, 3, 10, tzinfo=UTC)


def at(hhmm: str, tz: timezone = UTC) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return (DAY + timedelta(hours=h, minutes=m)).astimezone(tz)


def events(*rows) -> tuple[TimelineEvent, ...]:
    """rows: (hh:mm, message) or (hh:mm, message, {field: value})."""
    out = []
    for i, row in enumerate(rows):
        extra = row[2] if len(row) > 2 else {}
        out.append(TimelineEvent(at=at(row[0]), message=row[1], order=i, **extra))
    return tuple(out)


def incident(timeline=(), started="09:00", **fields) -> Incident:
    return Incident(id="INC-1", title="t", started_at=at(started), services=("web",), summary="s",
                    timeline=timeline, **fields)


def cpu_example() -> Incident:
    return incident(events(
        ("09:00", "High CPU utilization detected on web servers", {"source": "monitoring", "actor": "system"}),
        ("09:05", "Engineer investigating high CPU alerts", {"source": "slack", "actor": "john.doe"}),
        ("09:15", "Deployed hotfix to reduce CPU usage", {"source": "deployment", "actor": "john.doe"}),
        ("09:25", "CPU utilization returned to normal levels", {"source": "monitoring", "actor": "system"}),
    ))


# ---- infer_type -------------------------------------------------------------------

@pytest.mark.parametrize("message, expected", [
    ("Incident resolved", "resolution"),
    ("Resolution confirmed by the owning team", "resolution"),
    ("All clear given by IC", "resolution"),
    ("IC closed the incident", "resolution"),
    ("Latency returned to normal", "recovery"),
    ("Checkout recovered", "recovery"),
    ("Everything back to normal", "recovery"),
    ("Error rate normal again", "recovery"),
    ("All pods healthy", "recovery"),
    ("Rolled back v2.3.1", "mitigation"),
    ("Started rollback", "mitigation"),
    ("Reverted the config", "mitigation"),
    ("Failover to us-west-2", "mitigation"),
    ("Hotfix deployed to prod", "mitigation"),
    ("Deployed hotfix to reduce CPU usage", "mitigation"),
    ("Scaled up the API fleet", "mitigation"),
    ("Restarted the payment workers", "mitigation"),
    ("Increased pool size to 200", "mitigation"),
    ("Increased the connection pool", "mitigation"),
    ("Mitigation in place", "mitigation"),
    ("Alert acknowledged by Sarah", "ack"),
    ("ack", "ack"),
    ("Acked in Slack", "ack"),
    ("On it", "ack"),
    ("I'm looking", "ack"),
    ("I\u2019m looking now", "ack"),
    ("On-call paged", "page"),
    ("Page sent to DB team", "page"),
    ("PagerDuty incident opened", "page"),
    ("CPU alert", "alert"),
    ("Alarm on queue depth", "alert"),
    ("Rule fired for 5xx", "alert"),
    ("Monitor triggered", "alert"),
    ("Anomaly detected in checkout", "alert"),
    ("Escalated to database team", "escalation"),
    ("Pulled in the network lead", "escalation"),
    ("Engaged the vendor", "escalation"),
    ("Investigating elevated latency", "investigation"),
    ("Looking into the logs", "investigation"),
    ("Diagnosing the slow queries", "investigation"),
    ("Root cause found in query planner", "investigation"),
    ("Bad index identified", "investigation"),
    ("We suspect the cache", "investigation"),
    ("Status page updated", "communication"),
    ("Outage announced on Twitter", "communication"),
    ("Support notified", "communication"),
    ("Customer update sent", "communication"),
    ("Posted in #incidents", "communication"),
    ("Deployed v2.3.1", "action"),
    ("Merged PR 1234", "action"),
    ("Config change to the load balancer", "action"),
    ("Pushed new feature flag", "action"),
])
def test_infer_type_rules(message, expected):
    assert infer_type(message) == expected


@pytest.mark.parametrize("message, expected", [
    # priority: the earlier rule wins
    ("Engineer investigating high CPU alerts", "investigation"),
    ("Rolled back; service healthy", "recovery"),
    ("Incident resolved after rollback", "resolution"),
    ("I'm looking into it", "ack"),
    ("Escalated the alert to the DB team", "escalation"),
    ("Deployed fix for the leak", "mitigation"),
    # whole words only
    ("Background job queue growing", None),
    ("Hosts marked unhealthy", None),
    ("Unresolved tickets piling up", None),
    ("Alertness training scheduled", None),
    ("Acknowledgement pending", None),
    ("Package tracking slow", None),
    ("Acting on items from standup", None),
    # names that only look like milestones
    ("DNS resolution failing", None),
    # negated within the clause
    ("Not resolved yet, still investigating", "investigation"),
    ("Service no longer healthy", None),
    ("Did not page anyone", None),
    ("Errors persist, not healthy; rolled back", "mitigation"),
    ("", None),
])
def test_infer_type_priority_boundaries_and_negation(message, expected):
    assert infer_type(message) == expected


def test_infer_type_source_decides_only_when_words_say_nothing():
    assert infer_type("CPU at 95%", "monitoring") == "alert"
    assert infer_type("Incident INC-1 opened", "PagerDuty") == "page"
    assert infer_type("v2.3.1 to production", "deployment") == "action"
    assert infer_type("CPU returned to normal", "monitoring") == "recovery"
    assert infer_type("CPU at 95%", "slack") is None
    assert infer_type("CPU at 95%") is None


# ---- the old CPU example ------------------------------------------------------------

def test_cpu_example_milestones_metrics_and_phases():
    t = reconstruct(cpu_example())
    ms = t.milestones
    assert [(n, ms[n].at, ms[n].origin) for n in ms] == [
        ("started_at", at("09:00"), "declared"),
        ("detected_at", at("09:00"), "inferred"),
        ("acknowledged_at", at("09:05"), "inferred"),   # first human investigation
        ("contained_at", at("09:25"), "inferred"),      # a hotfix is an attempt; recovering means no new impact
        ("mitigated_at", at("09:25"), "inferred"),      # returned to normal = impact stopped
        ("resolved_at", None, "unknown"),               # nobody said resolved
    ]
    assert [e.type for e in t.events] == ["alert", "investigation", "mitigation", "recovery"]
    assert all(e.inferred for e in t.events)
    assert dict(t.metrics) == {
        "time_to_detect_min": 0.0, "time_to_acknowledge_min": 5.0, "time_to_contain_min": 25.0,
        "time_to_mitigate_min": 25.0, "time_to_resolve_min": None, "duration_min": 25.0,
    }
    assert [(p.name, p.start, p.end, len(p.events)) for p in t.phases] == [
        ("detection", at("09:00"), at("09:05"), 1),
        ("triage", at("09:05"), at("09:15"), 1),
        ("mitigation", at("09:15"), at("09:25"), 1),
        ("recovery", at("09:25"), at("09:25"), 1),
    ]
    assert t.severity is None and t.gap_threshold_min == 60 and t.gaps == ()
    assert [c.verdict for c in t.targets] == ["unknown"] * 3
    assert all("severity unknown" in c.note for c in t.targets)


# ---- milestones ---------------------------------------------------------------------

def test_declared_milestones_win_over_inference():
    inc = incident(cpu_example().timeline, detected_at=at("09:02"), acknowledged_at=at("09:04"),
                   contained_at=at("09:10"), mitigated_at=at("09:15"), resolved_at=at("09:40"))
    t = reconstruct(inc)
    assert {n: (m.at, m.origin, m.rule) for n, m in t.milestones.items() if n != "started_at"} == {
        "detected_at": (at("09:02"), "declared", None),
        "acknowledged_at": (at("09:04"), "declared", None),
        "contained_at": (at("09:10"), "declared", None),
        "mitigated_at": (at("09:15"), "declared", None),
        "resolved_at": (at("09:40"), "declared", None),
    }
    assert t.metrics["time_to_resolve_min"] == 40.0 and t.metrics["duration_min"] == 40.0


def test_unknown_milestones_give_none_never_zero():
    t = reconstruct(incident(events(("09:10", "Some chatter"))))
    assert t.milestones["started_at"].origin == "declared"
    assert all(t.milestones[n].at is None and t.milestones[n].origin == "unknown"
               for n in ("detected_at", "acknowledged_at", "contained_at", "mitigated_at", "resolved_at"))
    assert all(t.milestones[n].rule for n in ("detected_at", "resolved_at"))
    assert dict(t.metrics) == dict.fromkeys(
        ["time_to_detect_min", "time_to_acknowledge_min", "time_to_contain_min", "time_to_mitigate_min",
         "time_to_resolve_min",
         "duration_min"])


def test_no_events_at_all():
    t = reconstruct(incident())
    assert t.events == () and t.phases == () and t.gaps == ()
    assert all(v is None for v in t.metrics.values())


def test_explicit_ack_preferred_to_investigation():
    t = reconstruct(incident(events(
        ("09:01", "Alert fired"), ("09:03", "Investigating", {"actor": "ann"}), ("09:06", "Acknowledged"))))
    assert t.milestones["acknowledged_at"].at == at("09:06")
    assert t.metrics["time_to_acknowledge_min"] == 5.0


@pytest.mark.parametrize("actor", [None, "system", "alertbot", "monitoring", "ci", "PagerDuty"])
def test_ack_not_inferred_from_machines_or_nameless_events(actor):
    t = reconstruct(incident(events(("09:01", "Alert fired"), ("09:03", "Investigating", {"actor": actor}))))
    assert t.milestones["acknowledged_at"].at is None
    assert t.metrics["time_to_acknowledge_min"] is None


def test_ack_inferred_from_human_escalation_after_detection_only():
    t = reconstruct(incident(events(
        ("09:00", "Escalated to DB team", {"actor": "cindy"}),  # before detection: not an ack
        ("09:02", "Alert fired"),
        ("09:04", "Escalated to DB team", {"actor": "cindy"}),
    )))
    assert t.milestones["acknowledged_at"].at == at("09:04")


def test_detection_from_page_and_fallback_before_start():
    assert reconstruct(incident(events(("09:03", "On-call paged")))).milestones["detected_at"].at == at("09:03")
    t = reconstruct(incident(events(("08:50", "Alert fired")), started="09:00"))
    assert t.milestones["detected_at"].at == at("08:50")
    assert t.milestones["detected_at"].origin == "inferred"
    assert t.metrics["time_to_detect_min"] is None  # negative: left to validation, never shown


def test_a_rollback_contains_but_never_ends_the_impact_and_resolved_is_never_invented():
    inc = incident(events(("09:01", "Alert fired"), ("09:20", "Rolled back"), ("09:30", "Rolled back again")),
                   status="resolved")
    t = reconstruct(inc)
    assert (t.milestones["contained_at"].at, t.milestones["contained_at"].origin) == (at("09:20"), "inferred")
    assert t.milestones["contained_at"].rule == 'stated in words on a mitigation event at or after started_at: "rolled back"'
    assert t.milestones["mitigated_at"].at is None  # a mitigation action is not the end of impact
    assert t.milestones["resolved_at"].at is None
    assert t.metrics["time_to_contain_min"] == 20.0 and t.metrics["time_to_mitigate_min"] is None
    assert t.metrics["time_to_resolve_min"] is None and t.metrics["duration_min"] is None


def test_declared_event_type_is_kept_and_not_inferred():
    t = reconstruct(incident(events(("09:05", "Alert fired", {"type": "resolution"}))))
    assert (t.events[0].type, t.events[0].inferred) == ("resolution", False)
    assert t.milestones["resolved_at"].at == at("09:05")


def test_untyped_event_without_matching_words_is_a_note():
    t = reconstruct(incident(events(("09:05", "Coffee break"))))
    assert (t.events[0].type, t.events[0].inferred) == ("note", True)


def test_metrics_round_to_one_decimal():
    inc = incident(events(("09:00", "x")), detected_at=at("09:00") + timedelta(seconds=20),
                   acknowledged_at=at("09:00") + timedelta(seconds=20 + 135))
    t = reconstruct(inc)
    assert t.metrics["time_to_detect_min"] == 0.3
    assert t.metrics["time_to_acknowledge_min"] == 2.2  # 2.25 -> nearest representable rounding


# ---- phases -------------------------------------------------------------------------

def full_incident() -> Incident:
    return incident(events(
        ("08:40", "Deployed v2.3.1"),                       # lead-up
        ("09:02", "Alert fired on 5xx"),
        ("09:05", "Acknowledged", {"actor": "sarah"}),
        ("09:10", "Investigating db pool", {"actor": "sarah"}),
        ("09:20", "Rolled back v2.3.1"),
        ("09:22", "Status page updated"),
        ("09:30", "Error rate normal"),
        ("09:45", "Incident resolved"),
        ("10:30", "Post-incident review scheduled"),        # follow-up
    ), severity="sev2")


def test_phases_from_lead_up_to_post_incident():
    t = reconstruct(full_incident())
    assert [(p.name, p.start, p.end, [e.event.message for e in p.events]) for p in t.phases] == [
        ("lead_up", at("08:40"), at("09:00"), ["Deployed v2.3.1"]),
        ("detection", at("09:00"), at("09:05"), ["Alert fired on 5xx"]),
        ("triage", at("09:05"), at("09:20"), ["Acknowledged", "Investigating db pool"]),
        ("mitigation", at("09:20"), at("09:30"), ["Rolled back v2.3.1", "Status page updated"]),
        ("recovery", at("09:30"), at("09:45"), ["Error rate normal"]),
        ("post_incident", at("09:45"), at("10:30"), ["Incident resolved", "Post-incident review scheduled"]),
    ]
    assert [e.phase for e in t.events] == ["lead_up", "detection", "triage", "triage", "mitigation",
                                           "mitigation", "recovery", "post_incident", "post_incident"]
    assert dict(t.metrics) == {"time_to_detect_min": 2.0, "time_to_acknowledge_min": 3.0, "time_to_contain_min": 20.0,
                               "time_to_mitigate_min": 30.0, "time_to_resolve_min": 45.0, "duration_min": 45.0}


def test_unknown_ack_merges_triage_into_detection():
    t = reconstruct(incident(events(("09:02", "Alert fired"), ("09:10", "Some chatter"), ("09:20", "Rolled back"),
                                    ("09:30", "Recovered"))))
    assert [(p.name, p.start, p.end) for p in t.phases] == [
        ("detection", at("09:00"), at("09:20")),
        ("mitigation", at("09:20"), at("09:30")),
        ("recovery", at("09:30"), at("09:30")),
    ]


def test_unknown_mitigation_and_resolution_leave_triage_to_the_end():
    t = reconstruct(incident(events(("09:02", "Alert fired"), ("09:05", "Ack"), ("09:50", "Still digging"))))
    assert [(p.name, p.start, p.end) for p in t.phases] == [
        ("detection", at("09:00"), at("09:05")), ("triage", at("09:05"), at("09:50"))]


def test_declared_resolution_after_last_event_extends_the_last_phase():
    t = reconstruct(incident(events(("09:02", "Alert fired"), ("09:30", "Recovered")), resolved_at=at("10:00")))
    assert [(p.name, p.start, p.end) for p in t.phases] == [
        ("detection", at("09:00"), at("09:30")), ("recovery", at("09:30"), at("10:00"))]


def test_boundaries_out_of_order_never_reorder_phases():
    # acknowledged declared after mitigated: triage collapses, nothing flips back
    inc = incident(events(("09:02", "Alert fired"), ("09:10", "Rolled back"), ("09:20", "Recovered"),
                          ("09:40", "Chatter")), acknowledged_at=at("09:30"), mitigated_at=at("09:20"))
    names = [p.name for p in reconstruct(inc).phases]
    assert names == sorted(set(names), key=["lead_up", "detection", "triage", "mitigation", "recovery",
                                             "post_incident"].index)
    assert len(names) == len(set(names))


def test_event_on_a_boundary_belongs_to_the_later_phase():
    t = reconstruct(incident(events(("09:00", "Alert fired"), ("09:05", "chatter"), ("09:05", "Ack"))))
    assert [e.phase for e in t.events] == ["detection", "triage", "triage"]


def test_ties_keep_file_order_and_mixed_offsets_order_by_instant():
    plus2 = timezone(timedelta(hours=2))
    minus5 = timezone(timedelta(hours=-5))
    assert at("09:10", plus2).hour == 11
    evs = (
        TimelineEvent(at=at("09:10", plus2), message="second", order=0),     # 11:10+02:00
        TimelineEvent(at=at("09:05", minus5), message="first", order=1),     # 04:05-05:00
        TimelineEvent(at=at("09:10"), message="third", order=2),             # 09:10Z, later in file
    )
    t = reconstruct(incident(evs))
    assert [e.event.message for e in t.events] == ["first", "second", "third"]
    assert all(e.event.at.utcoffset() == timedelta(0) for e in t.events)


# ---- gaps and targets ----------------------------------------------------------------

def test_gaps_use_the_severity_threshold_and_only_active_phases():
    inc = incident(events(
        ("07:00", "Deployed v2"),                    # long lead-up: no gap reported
        ("09:00", "Alert fired"), ("09:05", "Ack"),
        ("09:25", "Investigating", {"actor": "a"}),  # 20 quiet minutes in triage
        ("09:35", "Rolled back"), ("09:40", "Recovered"), ("09:41", "Incident resolved"),
        ("12:00", "Review scheduled"),               # long post-incident: no gap
    ), severity="sev1")
    t = reconstruct(inc)
    assert t.gap_threshold_min == 15
    assert [(g.start, g.end, g.phase, g.minutes) for g in t.gaps] == [(at("09:05"), at("09:25"), "triage", 20.0)]
    assert reconstruct(inc, severity="sev2").gaps == ()
    assert reconstruct(inc, severity="sev2").gap_threshold_min == 30


def test_quiet_start_is_a_gap():
    t = reconstruct(incident(events(("10:30", "Alert fired")), severity="sev2"))
    assert [(g.start, g.end, g.phase) for g in t.gaps] == [(at("09:00"), at("10:30"), "detection")]


def test_targets_met_missed_and_unknown():
    t = reconstruct(full_incident())  # sev2: ack 15, mitigate 240, resolve 480
    assert t.severity == "sev2"
    assert [(c.metric, c.target_min, c.actual_min, c.verdict) for c in t.targets] == [
        ("time_to_acknowledge_min", 15, 3.0, "met"),
        ("time_to_mitigate_min", 240, 30.0, "met"),
        ("time_to_resolve_min", 480, 45.0, "met"),
    ]
    t1 = reconstruct(full_incident(), severity="sev1")  # argument wins over the declared sev2
    assert t1.severity == "sev1"
    assert [c.verdict for c in t1.targets] == ["met", "met", "met"]
    slow = incident(events(("09:00", "Alert fired"), ("09:20", "Ack")), severity="sev1")
    assert [c.verdict for c in reconstruct(slow).targets] == ["missed", "unknown", "unknown"]


# ---- output forms --------------------------------------------------------------------

def test_as_json_shape_and_values():
    data = as_json(reconstruct(cpu_example()))
    assert list(data) == ["events", "milestones", "metrics", "phases", "gaps", "gap_threshold_min", "targets",
                          "severity"]
    assert data["events"][0] == {
        "at": "2024-03-10T09:00:00Z", "type": "alert", "inferred": True, "phase": "detection",
        "message": "High CPU utilization detected on web servers", "source": "monitoring", "actor": "system",
        "severity": None,
    }
    assert data["milestones"]["resolved_at"]["at"] is None
    assert data["milestones"]["resolved_at"]["origin"] == "unknown"
    assert data["milestones"]["started_at"] == {"at": "2024-03-10T09:00:00Z", "origin": "declared", "rule": None}
    assert data["phases"][1] == {"name": "triage", "start": "2024-03-10T09:05:00Z", "end": "2024-03-10T09:15:00Z",
                                 "duration_min": 10.0, "event_count": 1}
    assert data["targets"][0] == {"metric": "time_to_acknowledge_min", "target_min": 60, "actual_min": 5.0,
                                  "verdict": "unknown"}
    assert data["metrics"]["time_to_resolve_min"] is None
    assert json.loads(json.dumps(data)) == data


def test_as_json_gaps():
    data = as_json(reconstruct(incident(events(("10:30", "Alert fired")), severity="sev2")))
    assert data["gaps"] == [{"start": "2024-03-10T09:00:00Z", "end": "2024-03-10T10:30:00Z", "phase": "detection",
                             "minutes": 90.0}]
    assert data["gap_threshold_min"] == 30 and data["severity"] == "sev2"


def test_as_text_shows_unknown_and_gaps_on_request():
    t = reconstruct(incident(events(("10:30", "Alert \x1b[31mfired\nnow")), severity="sev2"))
    text = as_text(t)
    assert "resolved_at      unknown" in text
    assert "time_to_resolve_min      unknown" in text
    assert "duration_min             unknown" in text
    assert " 0.0 min" not in text.split("Phases")[0]
    assert "\x1b" not in text and "fired now" in text
    assert "Gaps" not in text
    with_gaps = as_text(t, gap_analysis=True)
    assert "2024-03-10T09:00:00Z -> 2024-03-10T10:30:00Z  1h 30m  in detection" in with_gaps


def test_as_text_cpu_example_exact():
    assert as_text(reconstruct(cpu_example())) == """\
Timeline (severity: unknown)

Milestones
  started_at       2024-03-10T09:00:00Z  declared
  detected_at      2024-03-10T09:00:00Z  inferred (first alert or page at or after started_at)
  acknowledged_at  2024-03-10T09:05:00Z  inferred (no acknowledgement: first investigation or escalation by a person after detection)
  contained_at     2024-03-10T09:25:00Z  inferred (first recovery at or after started_at: recovering means no new impact)
  mitigated_at     2024-03-10T09:25:00Z  inferred (first recovery at or after started_at)
  resolved_at      unknown               unknown (not declared, and no resolution in the timeline)

Metrics
  time_to_detect_min       0m
  time_to_acknowledge_min  5m
  time_to_contain_min      25m
  time_to_mitigate_min     25m
  time_to_resolve_min      unknown
  duration_min             25m

Phases
  Detection: 2024-03-10T09:00:00Z -> 2024-03-10T09:05:00Z (5m, 1 event)
    2024-03-10T09:00:00Z  alert*          monitoring   system         High CPU utilization detected on web servers
  Triage: 2024-03-10T09:05:00Z -> 2024-03-10T09:15:00Z (10m, 1 event)
    2024-03-10T09:05:00Z  investigation*  slack        john.doe       Engineer investigating high CPU alerts
  Mitigation: 2024-03-10T09:15:00Z -> 2024-03-10T09:25:00Z (10m, 1 event)
    2024-03-10T09:15:00Z  mitigation*     deployment   john.doe       Deployed hotfix to reduce CPU usage
  Recovery: 2024-03-10T09:25:00Z -> 2024-03-10T09:25:00Z (0m, 1 event)
    2024-03-10T09:25:00Z  recovery*       monitoring   system         CPU utilization returned to normal levels

Targets (severity unknown: not judged)
  time_to_acknowledge_min  target 1h, actual 5m: unknown
  time_to_mitigate_min     target 1d, actual 25m: unknown
  time_to_resolve_min      target 3d, actual unknown: unknown

* type inferred from the event's words or source
"""


def test_as_markdown_tables_escape_input():
    inc = incident(events(
        ("09:01", "Alert | fired <script>x</script> **bold**\nsecond line", {"source": "mon|itor", "actor": "a_b"}),
        ("09:05", "Ack", {"type": "ack"}),
    ))
    md = as_markdown(reconstruct(inc))
    assert "### Detection" in md and "### Triage" in md
    assert "| Time (UTC) | Type | Source | Actor | Event |" in md
    rows = [line for line in md.splitlines() if line.startswith("| 2024")]
    assert len(rows) == 2
    # each row has exactly 5 cells: no unescaped pipe from the input splits a cell
    for row in rows:
        unescaped = [i for i, c in enumerate(row) if c == "|" and (i == 0 or row[i - 1] != "\\")]
        assert len(unescaped) == 6
    assert "<script>" not in md and "**bold**" not in md
    assert "| alert (inferred) |" in rows[0] and "| ack |" in rows[1]


def test_as_markdown_without_events():
    assert as_markdown(reconstruct(incident())) == "_No timeline events recorded._\n"


def test_output_is_deterministic():
    a, b = reconstruct(full_incident()), reconstruct(full_incident())
    assert as_text(a, gap_analysis=True) == as_text(b, gap_analysis=True)
    assert as_markdown(a) == as_markdown(b)
    assert json.dumps(as_json(a)) == json.dumps(as_json(b))
