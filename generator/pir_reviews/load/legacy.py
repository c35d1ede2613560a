"""The older JSON shapes of the three scripts `pir` replaces, read into format v1 records.

Users of those scripts feed `pir` the same files. Nothing is invented: what a
shape does not carry stays unknown, and whatever it carries beyond format v1 is
kept under `extra` so the review still shows it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pir_reviews.load import checks
from pir_reviews.core import models
from pir_reviews.core.errors import Problem
from pir_reviews.load.loader import plain
from pir_reviews.load.reader import Node


class Shape:
    """Plain values of a JSON document, with the line of each top-level key."""

    def __init__(self, node: Node, path: str):
        self.path = path
        self.node = node
        self.problems: list[Problem] = []

    def fail(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.col, message))


def _entries(node: Node) -> dict[str, Node]:
    return {key.value: value for key, value in node.value} if node.kind == "map" else {}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        parts = [_text(item) for item in value]
        return "\n".join(f"- {part}" for part in parts if part) or None
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_text(item)}" for key, item in value.items() if _text(item)) or None
    return str(value)


def _line(value: Any) -> str | None:
    text = _text(value)
    return " ".join(text.split()) if text else None


def _percent(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if 0 <= value <= 100 else None
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", value)
        if match and 0 <= float(match.group(1)) <= 100:
            return float(match.group(1))
    return None


def classify_incident(node: Node, path: str) -> models.Incident:
    """The classifier script's shape (description, service, affected_users "80%",
    business_impact) as a draft incident: it states no id, title or start."""
    values = plain(node)
    meta = values.get("metadata") if isinstance(values.get("metadata"), dict) else {}
    escalations = meta.get("customer_escalations")
    impact = models.Impact(
        users_affected_pct=_percent(values.get("affected_users")),
        customer_escalations=escalations if isinstance(escalations, int) and not isinstance(escalations, bool) else None,
    )
    services = tuple(s for s in _as_list(values.get("service")) if isinstance(s, str))
    return models.Incident(
        id="",
        title=_line(values.get("title")) or "",
        started_at=None,
        services=services,
        summary=_text(values.get("description")) or "",
        impact=impact,
        path=path,
    )


def _timestamp(shape: Shape, node: Node | None, what: str) -> datetime | None:
    if node is None or node.is_null:
        return None
    if node.kind != "scalar":
        shape.fail(node, f"{what}: expected a timestamp")
        return None
    try:
        return checks.timestamp(node.value)
    except checks.Refused as exc:
        shape.fail(node, f"{what}: {exc}")
        return None


def _events(shape: Shape, node: Node, first_order: int = 0) -> list[models.TimelineEvent]:
    events = []
    if node.kind != "seq":
        shape.fail(node, "events: expected a list of events")
        return events
    for index, item in enumerate(node.value):
        fields = _entries(item)
        if item.kind != "map":
            shape.fail(item, f"events[{index}]: expected an object with timestamp and message")
            continue
        at = _timestamp(shape, fields.get("timestamp") or fields.get("at") or fields.get("time"), f"events[{index}].timestamp")
        message = _text(plain(fields["message"])) if "message" in fields else None
        if at is None or not message:
            if "timestamp" not in fields and "at" not in fields:
                shape.fail(item, f"events[{index}]: needs a timestamp")
            if not message:
                shape.fail(item, f"events[{index}]: needs a message")
            continue
        # The old scripts' types ("log", "communication", ...) are hints: the
        # words decide first, and a hint outside format v1's types is dropped.
        kind = _line(plain(fields["type"])) if "type" in fields else None
        kind = kind.lower() if kind is not None and kind.lower() in models.EVENT_TYPES else None
        events.append(models.TimelineEvent(
            at=at,
            message=message,
            hint=kind,
            source=_line(plain(fields["source"])) if "source" in fields else None,
            actor=_line(plain(fields["actor"])) if "actor" in fields else None,
            severity=_line(plain(fields["severity"])) if "severity" in fields else None,
            order=first_order + index,
            line=item.line,
        ))
    return events


def timeline_incident(node: Node, path: str) -> tuple[models.Incident | None, list[Problem]]:
    """The timeline script's shapes: a list of events, or {"incident": {...}, "events": [...]}."""
    shape = Shape(node, path)
    head: dict[str, Node] = {}
    if node.kind == "seq":
        events = _events(shape, node)
    else:
        top = _entries(node)
        head = _entries(top["incident"]) if "incident" in top else {}
        events = _events(shape, top["events"]) if "events" in top else []
        if "events" not in top:
            shape.fail(node, "expected an \"events\" list (or a list of events at the top)")
    if not events:
        if not shape.problems:
            shape.fail(node, "no events: a timeline needs at least one event with a timestamp and a message")
        return None, shape.problems
    started = _timestamp(shape, head.get("start_time") or head.get("started_at"), "incident.start_time")
    values = {key: plain(value) for key, value in head.items()}
    ident = _line(values.pop("id", None) or values.pop("incident_id", None)) or "timeline"
    incident = models.Incident(
        id=ident,
        title=_line(values.pop("title", None)) or "Timeline",
        started_at=started or min(event.at for event in events),
        services=tuple(_line(s) for s in _as_list(values.pop("services", None) or values.pop("affected_services", None) or values.pop("service", None)) if _line(s)),
        summary=_text(values.pop("description", None)) or "",
        severity=_severity(values.pop("severity", None)),
        timeline=tuple(events),
        extra={k: v for k, v in values.items() if k not in ("start_time", "started_at")},
        path=path,
    )
    return (incident if not shape.problems else None), shape.problems


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _severity(value: Any) -> str | None:
    text = (_line(value) or "").lower().replace("-", "").replace(" ", "")
    return text if text in models.SEVERITIES else None


def review_incident(node: Node, path: str) -> tuple[models.Incident | None, list[Problem]]:
    """The PIR script's shape (incident_id, start_time, technical_details, ...): everything it carries is kept."""
    shape = Shape(node, path)
    nodes = _entries(node)
    values = {key: plain(value) for key, value in nodes.items()}
    started = _timestamp(shape, nodes.get("start_time"), "start_time")
    ended = _timestamp(shape, nodes.get("end_time"), "end_time")
    if started is None and not shape.problems:
        shape.fail(node, "start_time is missing; the review needs the moment impact began")
    events: list[models.TimelineEvent] = []
    for key in ("timeline", "events"):
        if key in nodes:
            events += _events(shape, nodes[key], len(events))
    if "communication_log" in nodes:
        for event in _events(shape, nodes["communication_log"], len(events)):
            events.append(models.TimelineEvent(**{**event.__dict__, "hint": event.hint or "communication"}))
    if shape.problems or started is None:
        return None, shape.problems
    tech = values.pop("technical_details", None)
    tech = tech if isinstance(tech, dict) else ({} if tech is None else {"details": tech})
    responders = []
    for person in _as_list(values.pop("responders", None)):
        if isinstance(person, dict) and _line(person.get("name")):
            responders.append(models.Responder(_line(person.get("name")), _line(person.get("role"))))
        elif _line(person):
            responders.append(models.Responder(_line(person)))
    impact_text = "\n\n".join(t for t in (_text(values.pop("customer_impact", None)), _text(values.pop("business_impact", None))) if t)
    items = []
    for entry in _as_list(values.pop("preliminary_action_items", None)) + _as_list(values.pop("action_items", None)):
        if isinstance(entry, dict):
            title = _line(entry.get("title") or entry.get("description") or entry.get("action"))
            owner = _line(entry.get("owner"))
            status = entry.get("status") if entry.get("status") in models.ACTION_STATUSES else "open"
            priority = entry.get("priority") if entry.get("priority") in models.PRIORITIES else None
            if title:
                items.append(models.ActionItem(title=title, owner=owner, status=status, priority=priority))
        elif _line(entry):
            items.append(models.ActionItem(title=_line(entry)))
    lessons = tuple(t for t in (_text(x) for x in _as_list(values.pop("lessons_learned_preview", None)) + _as_list(values.pop("lessons", None))) if t)
    root_cause = models.RootCause(summary=_text(tech.pop("root_cause", None)), trigger=_text(tech.pop("trigger", None)))
    incident = models.Incident(
        id=_line(values.pop("incident_id", None)) or "legacy-review",
        title=_line(values.pop("title", None)) or "Untitled incident",
        started_at=started,
        services=tuple(_line(s) for s in _as_list(values.pop("affected_services", None)) if _line(s)),
        summary=_text(values.pop("description", None)) or "",
        severity=_severity(values.pop("severity", None)),
        status=values.pop("status") if values.get("status") in models.STATUSES else "resolved",
        commander=_line(values.pop("incident_commander", None)),
        responders=tuple(responders),
        mitigated_at=None,
        resolved_at=ended,
        impact=models.Impact(description=impact_text or None),
        timeline=tuple(events),
        root_cause=root_cause,
        lessons=lessons,
        action_items=tuple(items),
        extra={**({"technical_details": tech} if tech else {}), **{k: v for k, v in values.items() if k not in ("start_time", "end_time", "timeline", "events", "communication_log")}},
        path=path,
    )
    return incident, shape.problems
