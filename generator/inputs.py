"""Recognise what a single input to `pir classify|timeline|review` is.

An incident of format v1, one of the older JSON shapes, or (for classify)
plain text. The bytes come from the CLI (a file or stdin); this stage only
decides the shape and hands over typed records, or raises InvalidInput.
"""

from __future__ import annotations

from generator import fields as f, legacy, loader, models
from generator.errors import InvalidInput, Problem
from generator.reader import Node, decode, read

_V1_KEYS = {fd.name for fd in f.INCIDENT.fields}


def _document(data: bytes, path: str) -> Node | None:
    text, problems = decode(data, path)
    if text is None:
        raise InvalidInput(problems)
    document = read(text, path)
    if document.problems:
        raise InvalidInput(document.problems)
    return document.root


def _keys(node: Node | None) -> set[str]:
    return {key.value for key, _ in node.value} if node is not None and node.kind == "map" else set()


def incident(data: bytes, path: str) -> models.Incident:
    """A full incident: format v1, the older timeline shapes, or the older PIR JSON."""
    root = _document(data, path)
    keys = _keys(root)
    if root is not None and (root.kind == "seq" or "events" in keys):
        found, problems = legacy.timeline_incident(root, path)
    elif "incident_id" in keys or "start_time" in keys:
        found, problems = legacy.review_incident(root, path)
    else:
        found, problems = loader.parse(data, path)
    if found is None:
        raise InvalidInput(problems or [Problem(path, 1, None, "not an incident")])
    return found


def events(data: bytes, path: str) -> tuple[models.TimelineEvent, ...]:
    """A separate events file (`pir review --timeline`): any timeline shape, or a v1 incident's timeline."""
    return incident(data, path).timeline


def classify_input(data: bytes, path: str) -> models.ClassifyInput:
    """Anything the classifier accepts: v1 (any subset of fields), the older JSON shape, or plain text."""
    text, problems = decode(data, path)
    if text is None:
        raise InvalidInput(problems)
    document = read(text, path)
    root = document.root
    keys = _keys(root)
    if document.problems or root is None or root.kind != "map" or not keys & (_V1_KEYS | {"description", "service", "affected_users"}):
        if not text.strip():
            raise InvalidInput([Problem(path, 1, None, "no input: give an incident file, the older JSON shape, or a description as text")])
        return models.ClassifyInput(text=text.strip())
    if keys & {"description", "service", "affected_users", "business_impact"} and not keys & {"id", "summary", "impact"}:
        return legacy.classify_input(root)
    walk = loader.Walk(path, partial=True)
    values = walk.record(root, f.INCIDENT, "") or {}
    errors = [p for p in walk.problems if p.level == "error"]
    if errors:
        raise InvalidInput(errors)
    impact = models.Impact(**values.get("impact", {}))
    root_cause = values.get("root_cause", {})
    parts = (values.get("title"), values.get("summary"), impact.description, root_cause.get("summary"), root_cause.get("trigger"))
    return models.ClassifyInput(
        text="\n\n".join(p for p in parts if p),
        services=tuple(s for s, _ in values.get("services", [])),
        impact=impact,
        declared=values.get("severity"),
        title=values.get("title"),
        started_at=values.get("started_at"),
        status=values.get("status"),
        commander=values.get("commander"),
    )
