"""The slim record of one review that the archive pages are built from.

A full `Review` holds the incident's timeline, its narrative, the typed
events of every phase, the classification and the completeness checks: tens
of kilobytes each. The archive pages (home, the index, browse, the ledger,
insights, the feeds, the search records) and the related incidents read only
a few fields of it, listed here, so `pir generate` keeps one `ReviewSummary`
per incident and never all the full reviews at once (each review page is
rendered from its own review, one at a time).

`summary.incident` is the incident reduced to the fields those pages read:
its timeline, narrative lists, responders, links, impact, public section and
free-form data are left out (empty), and so are the five whys and the bow
tie. It keeps the field lines the archive-wide checks report (id, services).

Pure: typed records in, typed records out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Mapping

from pir_reviews.core.models import ContributingFactor, Incident, Milestone, Review, RootCause

# Field lines kept on a summary's incident (all the archive-wide checks report).
KEPT_LINES = ("id", "severity", "services")


@dataclass(frozen=True)
class PhaseSummary:
    name: str
    start: datetime
    end: datetime
    event_count: int

    @property
    def duration_min(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True)
class TimelineSummary:
    metrics: Mapping[str, float | None]
    milestones: Mapping[str, Milestone]
    phases: tuple[PhaseSummary, ...]


@dataclass(frozen=True)
class ReviewSummary:
    """What the archive pages read of one review (see the module docstring)."""

    incident: Incident  # slim: see the module docstring
    computed_severity: str  # the classifier's, whatever the incident declares
    timeline: TimelineSummary
    as_of: date

    @property
    def severity(self) -> str:
        """The severity the archive files it under: declared, else computed."""
        return self.incident.severity or self.computed_severity


def slim_incident(incident: Incident) -> Incident:
    """The incident with only the fields a summary keeps."""
    cause = incident.root_cause
    return Incident(
        id=incident.id,
        title=incident.title,
        started_at=incident.started_at,
        services=incident.services,
        summary=incident.summary,
        severity=incident.severity,
        status=incident.status,
        review_status=incident.review_status,
        tags=incident.tags,
        detected_at=incident.detected_at,
        acknowledged_at=incident.acknowledged_at,
        contained_at=incident.contained_at,
        mitigated_at=incident.mitigated_at,
        resolved_at=incident.resolved_at,
        root_cause=RootCause(
            summary=cause.summary,
            trigger=cause.trigger,
            contributing_factors=tuple(ContributingFactor("", f.category) for f in cause.contributing_factors),
        ),
        action_items=incident.action_items,
        visibility=incident.visibility,
        updated_at=incident.updated_at,
        path=incident.path,
        lines={k: incident.lines[k] for k in KEPT_LINES if k in incident.lines},
    )


def summarise(review: Review) -> ReviewSummary:
    """The summary of one review."""
    timeline = review.timeline
    return ReviewSummary(
        incident=slim_incident(review.incident),
        computed_severity=review.classification.severity,
        timeline=TimelineSummary(
            metrics=dict(timeline.metrics),
            milestones=dict(timeline.milestones),
            phases=tuple(PhaseSummary(p.name, p.start, p.end, len(p.events)) for p in timeline.phases),
        ),
        as_of=review.as_of,
    )


def slim_review(review: Review) -> Review:
    """The full review with only the field lines the site reports (what the cache keeps)."""
    incident = review.incident
    return replace(review, incident=replace(incident, lines={k: incident.lines[k] for k in KEPT_LINES if k in incident.lines}))
