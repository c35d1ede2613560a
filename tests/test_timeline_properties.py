"""Invariants of timeline reconstruction over generated incidents."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.core.models import EVENT_TYPES, PHASES, SEVERITIES, Incident, TimelineEvent
from pir_reviews.report.timeline_report import as_json
from pir_reviews.core.timeline import reconstruct

START = datetime(2024, 3, 10, 9, 0, tzinfo=timezone.utc)
MESSAGES = (
    "Alert fired", "On-call paged", "Acknowledged", "Investigating", "Escalated to DB team",
    "Rolled back", "Status page updated", "Deployed v2", "Error rate normal", "Incident resolved",
    "Coffee", "Not resolved yet", "Root cause identified", "Sarah acknowledged the page", "No new errors",
    "Checkout recovered", "Partially resolved",
)
SETTINGS = settings(max_examples=80, deadline=None)

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
minute = st.integers(min_value=-90, max_value=360)

event_rows = st.lists(
    st.tuples(
        minute,
        st.sampled_from(MESSAGES),
        st.none() | st.sampled_from(EVENT_TYPES),
        st.none() | st.sampled_from(("system", "ann", "bob")),
    ),
    max_size=14,
)


@st.composite
def incidents(draw) -> Incident:
    rows = draw(event_rows)
    timeline = tuple(
        TimelineEvent(at=START + timedelta(minutes=m), message=msg, type=kind, actor=actor, order=i, line=i + 10)
        for i, (m, msg, kind, actor) in enumerate(rows)
    )
    declared = {
        name: draw(st.none() | minute.map(lambda m: START + timedelta(minutes=m)))
        for name in ("detected_at", "acknowledged_at", "contained_at", "mitigated_at", "resolved_at")
    }
    return Incident(id="INC-P", title="t", started_at=START, services=("web",), summary="s",
                    severity=draw(st.none() | st.sampled_from(SEVERITIES)), timeline=timeline, **declared)


@SETTINGS
@given(incidents())
def test_phases_in_lifecycle_order_each_at_most_once_and_contiguous(inc):
    t = reconstruct(inc)
    names = [p.name for p in t.phases]
    assert len(names) == len(set(names))
    assert names == sorted(names, key=PHASES.index)
    for before, after in zip(t.phases, t.phases[1:]):
        assert before.end == after.start
    assert all(p.start <= p.end for p in t.phases)
    assert all(p.end > p.start or p.events for p in t.phases)


@SETTINGS
@given(incidents())
def test_metrics_never_negative(inc):
    t = reconstruct(inc)
    assert set(t.metrics) == {"time_to_detect_min", "time_to_acknowledge_min", "time_to_contain_min", "time_to_mitigate_min",
                              "time_to_resolve_min", "duration_min"}
    assert all(v is None or v >= 0 for v in t.metrics.values())
    assert all(c.actual_min is None or c.actual_min >= 0 for c in t.targets)


@SETTINGS
@given(incidents())
def test_every_event_in_exactly_one_phase(inc):
    t = reconstruct(inc)
    assert len(t.events) == len(inc.timeline)
    assert sum(len(p.events) for p in t.phases) == len(t.events)
    last = t.phases[-1] if t.phases else None
    for e in t.events:
        holders = [p for p in t.phases if e in p.events]
        assert len(holders) == 1 and holders[0].name == e.phase
        p = holders[0]
        assert p.start <= e.event.at <= p.end
        assert e.event.at < p.end or p is last
    assert [e.event.at for e in t.events] == sorted(e.event.at for e in t.events)


@SETTINGS
@given(incidents())
def test_gaps_are_long_sorted_and_in_active_phases(inc):
    t = reconstruct(inc)
    assert [g.start for g in t.gaps] == sorted(g.start for g in t.gaps)
    for g in t.gaps:
        assert g.minutes > t.gap_threshold_min
        assert g.phase in ("detection", "triage", "mitigation", "recovery")
        assert not any(g.start < e.event.at < g.end for e in t.events)


@SETTINGS
@given(incidents(), st.randoms(use_true_random=False))
def test_shuffling_the_events_changes_nothing(inc, rnd):
    shuffled = list(inc.timeline)
    rnd.shuffle(shuffled)
    a, b = reconstruct(inc), reconstruct(Incident(**{**inc.__dict__, "timeline": tuple(shuffled)}))
    assert repr(a) == repr(b)
    assert json.dumps(as_json(a)) == json.dumps(as_json(b))


@SETTINGS
@given(incidents(), st.data())
def test_other_utc_offsets_change_nothing(inc, data):
    def shift(at: datetime | None) -> datetime | None:
        return None if at is None else at.astimezone(data.draw(offsets))

    moved = Incident(**{
        **inc.__dict__,
        "started_at": shift(inc.started_at),
        "detected_at": shift(inc.detected_at), "acknowledged_at": shift(inc.acknowledged_at),
        "contained_at": shift(inc.contained_at),
        "mitigated_at": shift(inc.mitigated_at), "resolved_at": shift(inc.resolved_at),
        "timeline": tuple(TimelineEvent(**{**e.__dict__, "at": shift(e.at)}) for e in inc.timeline),
    })
    a, b = reconstruct(inc), reconstruct(moved)
    assert repr(a) == repr(b)
    assert json.dumps(as_json(a)) == json.dumps(as_json(b))


@SETTINGS
@given(incidents())
def test_inferred_containment_never_after_the_end_of_impact_and_recovery_never_in_triage(inc):
    t = reconstruct(inc)
    contained, mitigated = t.milestones["contained_at"], t.milestones["mitigated_at"]
    if contained.origin == "inferred" and mitigated.at is not None:
        assert contained.at <= mitigated.at
    acknowledged = t.milestones["acknowledged_at"].at
    for e in t.events:
        if e.type == "recovery" and acknowledged is not None and e.event.at >= max(acknowledged, inc.started_at):
            assert e.phase not in ("detection", "triage"), (e, [(p.name, p.start) for p in t.phases])
