"""Typed records of format v1 and of what the analysis computes from them.

The loader turns YAML into these records once; nothing after it sees a raw
mapping. This module imports neither click, yaml nor jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
# What `pir new` writes where the author has to write; left in, it is a warning (an error with --strict).
PLACEHOLDER = "Replace this text"
STATUSES = ("investigating", "identified", "monitoring", "resolved")
REVIEW_STATUSES = ("draft", "in_review", "final")
EVENT_TYPES = (
    "trigger", "alert", "page", "ack", "investigation", "escalation",
    "communication", "action", "mitigation", "recovery", "resolution", "note",
)
FACTOR_CATEGORIES = ("technology", "process", "people", "environment", "external", "monitoring")
ACTION_TYPES = ("prevent", "detect", "mitigate", "repair", "process")
PRIORITIES = ("p1", "p2", "p3")
ACTION_STATUSES = ("open", "in_progress", "done", "wont_do")
VISIBILITIES = ("internal", "public")
PHASES = ("lead_up", "detection", "triage", "mitigation", "recovery", "post_incident")
# The root-cause analysis methods a review can show (`pir review --rca-method`).
RCA_METHODS = ("five_whys", "fishbone", "bow_tie", "timeline")
MILESTONES = ("started_at", "detected_at", "acknowledged_at", "contained_at", "mitigated_at", "resolved_at")

# How the phases and metrics are named on every page and report.
PHASE_TITLES = {
    "lead_up": "Lead-up",
    "detection": "Detection",
    "triage": "Triage",
    "mitigation": "Mitigation",
    "recovery": "Recovery",
    "post_incident": "Post-incident",
}
METRIC_TITLES = {
    "time_to_detect_min": "Time to detect",
    "time_to_acknowledge_min": "Time to acknowledge",
    "time_to_contain_min": "Time to contain",
    "time_to_mitigate_min": "Time to mitigate",
    "time_to_resolve_min": "Time to resolve",
    "duration_min": "Duration",
}


@dataclass(frozen=True)
class Responder:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Impact:
    users_affected_pct: float | None = None
    description: str | None = None
    revenue_usd: float | None = None
    customer_escalations: int | None = None
    sla_breached: bool | None = None
    data_loss: bool | None = None
    security: bool | None = None
    workaround: bool | None = None
    complete_outage: bool | None = None
    internal_only: bool | None = None


@dataclass(frozen=True)
class TimelineEvent:
    """One entry of the incident's timeline; `order` is its position in the file.

    `type` is declared and authoritative; `hint` is the type an older script's
    file gave, used only when the words say nothing.
    """

    at: datetime  # aware, UTC
    message: str
    type: str | None = None
    source: str | None = None
    actor: str | None = None
    severity: str | None = None
    order: int = 0
    line: int = 0
    hint: str | None = None


@dataclass(frozen=True)
class Why:
    question: str | None
    answer: str | None


@dataclass(frozen=True)
class ContributingFactor:
    description: str
    category: str | None = None


@dataclass(frozen=True)
class BowTie:
    threats: tuple[str, ...] = ()
    preventive_barriers: tuple[str, ...] = ()
    mitigative_barriers: tuple[str, ...] = ()
    consequences: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.threats or self.preventive_barriers or self.mitigative_barriers or self.consequences)


@dataclass(frozen=True)
class RootCause:
    summary: str | None = None
    trigger: str | None = None
    five_whys: tuple[Why, ...] = ()
    contributing_factors: tuple[ContributingFactor, ...] = ()
    bow_tie: BowTie | None = None


@dataclass(frozen=True)
class ActionItem:
    title: str
    type: str | None = None
    owner: str | None = None
    priority: str | None = None
    due: date | None = None
    status: str = "open"
    link: str | None = None
    line: int = 0

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due is not None and self.due < today


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class PublicSection:
    """What customers may read of an incident (`visibility: public`): nothing else is published to them."""

    summary: str | None = None
    impact: str | None = None
    changes: tuple[str, ...] = ()  # what we are changing so it does not happen again
    title: str | None = None  # when the internal title says more than customers should read


@dataclass(frozen=True)
class Incident:
    """One incident of format v1.

    `started_at` is always set for an incident file (the loader requires it);
    it is None only in a draft read for `pir classify` from input that does not
    say when impact began (the older classifier JSON, a partial file, answers).
    """

    id: str
    title: str
    started_at: datetime | None
    services: tuple[str, ...]
    summary: str
    severity: str | None = None
    status: str = "resolved"
    review_status: str = "draft"
    regions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    commander: str | None = None
    authors: tuple[str, ...] = ()
    responders: tuple[Responder, ...] = ()
    detected_at: datetime | None = None
    acknowledged_at: datetime | None = None
    contained_at: datetime | None = None  # no new impact (e.g. the bad change reverted)
    mitigated_at: datetime | None = None  # customer impact over
    resolved_at: datetime | None = None
    impact: Impact = field(default_factory=Impact)
    timeline: tuple[TimelineEvent, ...] = ()
    root_cause: RootCause = field(default_factory=RootCause)
    went_well: tuple[str, ...] = ()
    went_wrong: tuple[str, ...] = ()
    got_lucky: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    links: tuple[Link, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    visibility: str = "internal"
    public: PublicSection = field(default_factory=PublicSection)
    updated_at: date | None = None  # the last change of substance to the review, declared by its authors
    # Where it came from: the file (relative to the archive root when known) and
    # the line of each field path ("severity", "timeline[2].at", ...).
    path: str = "<input>"
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class Service:
    """One entry of services.yaml: the name the pages use, the other spellings, and the owners."""

    name: str
    aliases: tuple[str, ...] = ()
    team: str | None = None
    tier: int | None = None  # lower is more critical
    line: int = 1


@dataclass(frozen=True)
class Catalogue:
    """The archive's known services (services.yaml); names and aliases match case-insensitively."""

    services: tuple[Service, ...]
    path: str = "services.yaml"
    _index: Mapping[str, Service] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Service] = {}
        for service in self.services:
            for spelling in (service.name, *service.aliases):
                index.setdefault(spelling.casefold(), service)
        object.__setattr__(self, "_index", index)

    def find(self, name: str) -> Service | None:
        return self._index.get(name.casefold())

    def spellings(self) -> tuple[str, ...]:
        """Every name and alias, as written: what "did you mean" chooses from."""
        return tuple(s for service in self.services for s in (service.name, *service.aliases))

    def owners(self) -> tuple[tuple[str, str], ...]:
        """(spelling, owning team) for the name and each alias of every service with a team.

        Spellings are case-folded, as `find` matches them.
        """
        return tuple(
            (spelling.casefold(), s.team)
            for s in self.services if s.team
            for spelling in dict.fromkeys((s.name, *s.aliases))
        )


# ---- what the analysis computes -------------------------------------------------


@dataclass(frozen=True)
class Classification:
    severity: str
    confidence: float
    reasons: tuple[str, ...]
    teams: tuple[str, ...]
    response_targets: Mapping[str, int]  # minutes: acknowledge, first_update, update_interval, ...
    initial_actions: tuple[str, ...]
    escalation_path: tuple[str, ...]
    communication_subject: str
    communication_body: str
    # When the incident declared a severity: does the evidence disagree?
    declared: str | None = None
    disagreement: str | None = None


@dataclass(frozen=True)
class TypedEvent:
    event: TimelineEvent
    type: str  # declared or inferred
    inferred: bool
    phase: str


@dataclass(frozen=True)
class Milestone:
    name: str  # one of MILESTONES
    at: datetime | None
    origin: str  # "declared" | "inferred" | "unknown"
    rule: str | None = None  # the inference rule, in words


@dataclass(frozen=True)
class Phase:
    name: str  # one of PHASES
    start: datetime
    end: datetime
    events: tuple[TypedEvent, ...]

    @property
    def duration_min(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    @property
    def event_count(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime
    phase: str

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True)
class TargetCheck:
    metric: str  # e.g. "time_to_acknowledge_min"
    target_min: int
    actual_min: float | None
    verdict: str  # "met" | "missed" | "unknown"
    note: str | None = None  # why the verdict is "unknown", when it is


@dataclass(frozen=True)
class Timeline:
    events: tuple[TypedEvent, ...]
    milestones: Mapping[str, Milestone]
    metrics: Mapping[str, float | None]  # time_to_detect_min, ..., duration_min
    phases: tuple[Phase, ...]
    gaps: tuple[Gap, ...]
    gap_threshold_min: int
    targets: tuple[TargetCheck, ...]
    severity: str | None  # the severity the targets were taken from


@dataclass(frozen=True)
class ClassifyInput:
    """What the classifier looks at: words, services and declared impact.

    Built from an incident of format v1 (any subset of fields), from the older
    JSON shape, or from plain text.
    """

    text: str
    services: tuple[str, ...] = ()
    # (case-folded service name, owning team), from services.yaml: the response plan engages it by name.
    owners: tuple[tuple[str, str], ...] = ()
    impact: Impact = field(default_factory=Impact)
    declared: str | None = None
    # What the first message can say without placeholders; None when the
    # input does not state it (a status is never assumed).
    title: str | None = None
    started_at: datetime | None = None
    status: str | None = None
    commander: str | None = None


@dataclass(frozen=True)
class CompletenessItem:
    section: str
    status: str  # "ok" | "thin" | "missing"
    note: str
    required: bool  # required by the policy for this severity and review status


@dataclass(frozen=True)
class Completeness:
    score: int  # 0..100
    items: tuple[CompletenessItem, ...]
    policy: str  # the policy applied, in words
    meets_policy: bool


@dataclass(frozen=True)
class Review:
    """Everything one post-incident review page shows, computed once."""

    incident: Incident
    classification: Classification
    timeline: Timeline
    completeness: Completeness
    as_of: date  # the day overdue action items are judged against
    rca_methods: tuple[str, ...] = RCA_METHODS

    @property
    def severity(self) -> str:
        """The severity the archive files it under: declared, else computed."""
        return self.incident.severity or self.classification.severity

    @property
    def computed_severity(self) -> str:
        """The classifier's severity, whatever the incident declares."""
        return self.classification.severity
