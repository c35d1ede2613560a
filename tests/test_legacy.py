"""The older JSON shapes of the replaced scripts read into format v1 records, with nothing lost or invented."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from pir_reviews.load import sniff as inputs
from pir_reviews.core.errors import InvalidInput
from pir_reviews.core.timeline import reconstruct

SEEDS = Path(__file__).parent / "data" / "seed-samples"


def read(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def test_classifier_shape():
    found = inputs.classify_input(read("sample_incident_classification.json"), "c.json")
    assert found.services == ("payment-api",)
    assert found.impact.users_affected_pct == 80.0
    assert found.impact.customer_escalations == 12
    assert found.text.startswith("Database connection timeouts")


def test_plain_text_and_text_with_colons():
    assert inputs.classify_input(b"Database is down for all users\n", "-").text == "Database is down for all users"
    assert inputs.classify_input(b"Error: checkout is down", "-").text == "Error: checkout is down"
    with pytest.raises(InvalidInput):
        inputs.classify_input(b"  \n", "-")


def test_v1_subset_for_classify():
    found = inputs.classify_input(b"title: Checkout down\nimpact:\n  users_affected_pct: 90\n", "x.yaml")
    assert found.text == "Checkout down" and found.impact.users_affected_pct == 90


def test_v1_subset_errors_are_located():
    with pytest.raises(InvalidInput) as caught:
        inputs.classify_input(b"title: x\nimpact:\n  users_affected_pct: lots\n", "x.yaml")
    assert str(caught.value.problems[0]).startswith("x.yaml:3:23: impact.users_affected_pct:")


def test_event_array_shape():
    incident = inputs.incident(read("simple_timeline_events.json"), "t.json")
    assert incident.started_at == datetime(2024, 3, 10, 9, 0, tzinfo=timezone.utc)
    assert [e.message for e in incident.timeline][0] == "High CPU utilization detected on web servers"
    assert all(e.type is None for e in incident.timeline)
    assert [e.line for e in incident.timeline] == [2, 9, 16, 23]


def test_nested_timeline_shape():
    data = b'{"incident": {"id": "INC-9", "title": "CPU", "start_time": "2024-03-10T08:55:00Z", "services": ["web"]}, "events": [{"timestamp": "2024-03-10T09:00:00Z", "message": "alert fired", "source": "pagerduty"}]}'
    incident = inputs.incident(data, "n.json")
    assert (incident.id, incident.title, incident.services) == ("INC-9", "CPU", ("web",))
    assert incident.started_at == datetime(2024, 3, 10, 8, 55, tzinfo=timezone.utc)


def test_timeline_shape_errors_are_located():
    with pytest.raises(InvalidInput) as caught:
        inputs.incident(b'[\n {"timestamp": "2024-03-10T09:00:00", "message": "x"}\n]', "t.json")
    assert str(caught.value.problems[0]).startswith("t.json:2:16: events[0].timestamp: '2024-03-10T09:00:00' has no UTC offset")


def test_pir_shape_keeps_everything():
    incident = inputs.incident(read("legacy_pir.json"), "p.json")
    assert incident.id == "INC-2024-0315-001" and incident.severity == "sev2"
    assert incident.commander == "Mike Rodriguez"
    assert [r.name for r in incident.responders] == ["Sarah Chen", "Tom Wilson", "David Kumar"]
    assert incident.root_cause.summary.startswith("Query in v2.3.1")
    # The old script's type is a hint: kept apart from a declared type, and the words decide first.
    assert [(e.type, e.hint) for e in incident.timeline] == [(None, "communication"), (None, "communication")]
    assert [e.type for e in reconstruct(incident).events] == ["communication", "resolution"]
    assert incident.lessons == ("Load tests did not include the order-history query path",)
    assert [(a.title, a.owner) for a in incident.action_items] == [("Add connection pool utilisation alert", "Lisa Park"), ("Add a query-plan check to CI", None)]
    assert "80% of users" in incident.impact.description and "$45,000" in incident.impact.description
    assert incident.extra["detection_details"] == {"method": "monitoring_alert", "tool": "datadog"}
    assert incident.extra["technical_details"] == {"affected_components": ["payments-db primary", "connection pool"]}
    assert incident.extra["duration"] == "1h 5m"
