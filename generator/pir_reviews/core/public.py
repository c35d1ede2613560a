"""The customer-facing version of the archive: which incidents, and which of their fields.

Pure: an Incident in, an Incident out that holds only what customers may
read. The rule is an allow-list, not a deny-list: a field is published only
when it is named here, so a field added to format v1 later stays internal
until someone decides otherwise.

Published: the id, the public title (else the title), the public summary,
the public impact text, what we are changing, the declared severity, the
status, the services and regions, and the milestone times. Never published:
people (commander, authors, responders, owners, timeline actors), the
timeline itself, root cause, lessons, action items and their tracker links,
links, tags, the numeric impact (revenue, escalations), free-form extra data
and the file's path.
"""

from __future__ import annotations

from typing import Iterable

from pir_reviews.core.models import Impact, Incident


def is_public(incident: Incident) -> bool:
    return incident.visibility == "public" and bool(incident.public.summary)


def public_incident(incident: Incident) -> Incident:
    """The incident as the public site shows it; only what the module docstring lists survives."""
    section = incident.public
    return Incident(
        id=incident.id,
        title=section.title or incident.title,
        started_at=incident.started_at,
        services=incident.services,
        summary=section.summary or "",
        severity=incident.severity,
        status=incident.status,
        review_status=incident.review_status,
        regions=incident.regions,
        detected_at=incident.detected_at,
        acknowledged_at=incident.acknowledged_at,
        mitigated_at=incident.mitigated_at,
        resolved_at=incident.resolved_at,
        impact=Impact(description=section.impact),
        visibility="public",
        public=section,
        updated_at=incident.updated_at,
        path=f"{incident.id}.yaml",
    )


def public_archive(incidents: Iterable[Incident]) -> list[Incident]:
    """The public incidents only, each reduced to its public fields."""
    return [public_incident(i) for i in incidents if is_public(i)]
