"""Timeline reconstruction: event types, milestones, response metrics, phases,
quiet gaps and response targets, computed from one incident.

Why it works this way: the old script typed every event and then cut a new
"phase" each time the type changed, so one 70-minute incident came out as a
dozen flip-flopping phases and "time to mitigation: 0 minutes". Here the phase
boundaries come from the milestones (started, acknowledged, first mitigation
action or containment, mitigated, resolved), so every phase occurs at most once and in
lifecycle order; and a metric whose milestone is unknown stays None, never 0.

Pure: typed records in, typed records out; stdlib, models, matrix and statements only.

Rules, in the order they apply
------------------------------
Event types (`infer_type`): a declared type always wins. Otherwise the message
is matched, case-insensitively and on whole words, against these rules; the
first rule that matches wins:

1. resolution    - resolved, resolution (not "DNS/name resolution"), all clear,
                   closed the incident, incident closed
2. recovery      - returned to normal, back to normal, recovered, healthy,
                   error rate(s) (is/are) normal
3. mitigation    - rolled back, rollback, revert(ed), failover / failed over,
                   deployed/applied/pushed/shipped a (hot)fix (either order),
                   scaled up/out, restarted, increased ... pool, mitigat*
4. ack           - acknowledged, ack, acked, on it, I'm looking
                   ("acknowledgement pending" is deliberately NOT an ack)
5. page          - paged, paging, page(s) sent, PagerDuty
6. escalation    - escalat*, pulled in, engaged the/a/an
7. investigation - investigat*, looking into, diagnos*, root cause,
                   identified, suspect*
8. alert         - alert(s), alarm(s), alerted, fired, firing, triggered,
                   detected
9. communication - status page, statuspage, announced, notified, customer
                   update(s), posted
10. action       - deploy*, merged, config(uration) change(s), pushed,
                   rolled out

Escalation and investigation come before alert so that "Engineer
investigating high CPU alerts" is a human investigation, not a second alert.
A match preceded, within its clause, by a negation among its three previous
words ("not resolved", "no longer healthy", "didn't page") does not count.
When no words match, the event's source decides when it names a kind of tool
(see SOURCE_TYPES); otherwise the type is None, which `reconstruct` records
as "note".

The older scripts' event types ("communication", "log", ...) are hints, not
verdicts (`TimelineEvent.hint`; a format v1 `type:` is a verdict). A hint
that is one of format v1's types decides unless the words imply resolution,
recovery, mitigation or ack (the first four rules); a hint outside them
("log") is dropped. So "Sarah acknowledged the alert" logged as a
communication becomes an ack, and "Status page: investigating" stays a
communication.

Stated milestones: on every event, whatever its type (declared or not), the
words may state a milestone (acknowledged, contained, mitigated, resolved);
the rules are in generator.statements.

Milestones (`reconstruct`): a milestone declared in the incident wins over
everything. Otherwise, searching the events in time order, where an event
counts when its type matches or when its words state the milestone (the rule
shown then quotes the words and names the event's type):

- started_at: always declared (required by format v1).
- detected_at: the first alert or page at or after started_at; failing that,
  the first alert or page at all.
- acknowledged_at: the first ack, or acknowledgement stated, at or after
  started_at; failing that, the first investigation or escalation, at or
  after detection (or the start when detection is unknown), by a named actor
  who is not an automated system (an actor not matching AUTOMATED_ACTORS).
- mitigated_at (customer impact over): the first recovery, or end of impact
  stated, at or after started_at; failing that, resolved_at (impact is over
  by then at the latest). Never the first mitigation action: a rollback or a
  hotfix is an attempt or a containment, and customers may stay affected long
  after it (a revert that stops new hosts crashing while crashed hosts stay
  down for days).
- contained_at (no new impact): the first containment stated, or recovery,
  at or after started_at and not after mitigated_at; failing that,
  mitigated_at itself (once impact is over nothing new is hit).
- resolved_at: the first resolution, or resolution stated, at or after
  started_at; otherwise unknown, even when the incident's status says
  resolved (never invented).

So "CPU returned to normal" marks mitigation (impact stopped), "rolled back"
marks containment, and only words of resolution, or a declared resolved_at,
mark the incident resolved.

Metrics, in minutes rounded to one decimal: time_to_detect (detected -
started), time_to_acknowledge (acknowledged - detected), time_to_contain
(contained - started), time_to_mitigate (mitigated - started), time_to_resolve (resolved - started), duration
((resolved, else mitigated) - started). A metric is None when either end is
unknown or when the difference is negative (validation flags that input).

Phases: lead_up [first event, started), detection [started, acknowledged),
triage [acknowledged, mitigation work), mitigation [mitigation work,
mitigated), recovery [mitigated, resolved), post_incident [resolved, end].
Mitigation work starts at the earliest of the first event typed mitigation
(at or after started_at and not after mitigated_at), the first event typed
recovery (at or after started_at), contained_at and mitigated_at. So phases
follow the milestones and the events: a recovery, even one before a declared
mitigated_at, is work on the impact and never sits in triage. The end is the later of the last
event and the last known boundary; the last phase includes it.

- A phase whose opening boundary is unknown does not exist: its time belongs
  to the phase before it (e.g. no acknowledgement: detection runs until the
  first mitigation event).
- Boundaries out of order (e.g. acknowledged declared after mitigated) are
  raised to the previous known boundary, making the phase zero-length.
- An event exactly on a boundary belongs to the later phase.
- Phases of zero length with no events are left out.

Gaps: within the active phases (detection to recovery), a stretch longer
than the gap threshold between the start of those phases, the events in them,
and their end. The threshold is the severity's `gap_min`; with no severity,
sev3's (the middle of the matrix) is used.

Targets: acknowledge, mitigate and resolve times against the severity's
targets: "met" (at or under), "missed" or "unknown" (metric unknown). With no
severity every verdict is "unknown": the sev3 figure is given only for
reference and the note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Mapping

from pir_reviews.core import matrix
from pir_reviews.core.leads import may_hold
from pir_reviews.core.statements import negated, stated_milestones, word_rules
from pir_reviews.core.models import (
    EVENT_TYPES,
    MILESTONES,
    SEVERITIES,
    Gap,
    Incident,
    Milestone,
    Phase,
    TargetCheck,
    Timeline,
    TimelineEvent,
    TypedEvent,
)

# ---- event types ----------------------------------------------------------------

_FIX = r"(?:hot-?)?fix(?:es)?"
_FIX_VERB = r"(?:deployed|applied|pushed|shipped|rolled out)"

TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resolution", (
        r"resolved", r"(?<!dns )(?<!name )resolution", r"all[ -]clear",
        r"closed the incident", r"incident (?:is |was )?closed",
    )),
    ("recovery", (
        r"returned to normal", r"back to normal", r"recovered", r"healthy",
        r"error rates? (?:is |are )?(?:now )?normal",
    )),
    ("mitigation", (
        r"rolled back", r"roll-?back", r"revert(?:ed|ing)?", r"fail-?over", r"failed over",
        _FIX_VERB + r" (?:a |the )?" + _FIX, _FIX + r" (?:was |has been |is )?" + _FIX_VERB,
        r"scaled (?:up|out)", r"restarted", r"increased (?:the )?(?:[\w-]+ )?pool",
        r"mitigat\w*",
    )),
    ("ack", (r"acknowledged", r"ack(?:ed|'d)?", r"on it", r"i'm looking", r"i am looking")),
    ("page", (r"paged", r"paging", r"pages? sent", r"pagerduty", r"pager duty")),
    ("escalation", (r"escalat\w*", r"pulled in", r"engaged (?:the|a|an)")),
    ("investigation", (
        r"investigat\w*", r"looking into", r"diagnos\w*", r"root cause", r"identified", r"suspect\w*",
    )),
    ("alert", (r"alerts?", r"alarms?", r"alerted", r"fired", r"firing", r"triggered", r"detected")),
    ("communication", (
        r"status ?page", r"announced", r"notified", r"customer updates?", r"posted",
    )),
    ("action", (r"deploy\w*", r"merged", r"config(?:uration)? changes?", r"pushed", r"rolled out")),
)

# An older script's type (a hint) gives way only to words of these types, the
# first four rules: a "communication" saying "rolled back" is a mitigation, one
# saying "investigating" stays a communication.
HINT_OVERRULED_BY = ("resolution", "recovery", "mitigation", "ack")

# When the words say nothing, a source that names a kind of tool does.
SOURCE_TYPES: dict[str, str] = {
    "monitoring": "alert", "alertmanager": "alert", "prometheus": "alert", "datadog": "alert",
    "grafana": "alert", "nagios": "alert", "cloudwatch": "alert",
    "pagerduty": "page", "opsgenie": "page",
    "deployment": "action", "deploy": "action", "ci": "action", "cd": "action",
    "statuspage": "communication", "status page": "communication",
}

# An actor whose name matches one of these is a machine, not a responder:
# "...bot", "system...", "monitor...", a tool's name, or the word "ci".
AUTOMATED_ACTORS = re.compile(
    r"bot(?![a-z])|system|monitor|alertmanager|pagerduty|opsgenie|automation|(?<![a-z])ci(?![a-z])"
)

# One alternation per type, searched only when the message holds one of its
# needles (statements.word_rules).
_COMPILED = word_rules(TYPE_RULES)


def infer_type(message: str, source: str | None = None) -> str | None:
    """The event type its words (else its source) imply, or None when nothing does.

    The rules and their priority are listed in this module's docstring.
    """
    text = " ".join(message.replace("\u2019", "'").lower().split())
    for name, pattern, words in _COMPILED:
        if not may_hold(words, text):
            continue
        first = pattern.search(text)  # most events say nothing of most types: no generator for them
        if first is not None and (not negated(text, first.start())
                                  or any(not negated(text, m.start()) for m in pattern.finditer(text, first.end()))):
            return name
    if source is not None:
        return SOURCE_TYPES.get(" ".join(source.lower().split()))
    return None


# ---- reconstruction ----------------------------------------------------------------

_UNKNOWN_SEVERITY_LEVEL = "sev3"
ACTIVE_PHASES = ("detection", "triage", "mitigation", "recovery")
METRICS = ("time_to_detect_min", "time_to_acknowledge_min", "time_to_contain_min", "time_to_mitigate_min",
           "time_to_resolve_min", "duration_min")
_TARGETS = (
    ("time_to_acknowledge_min", "acknowledge_min"),
    ("time_to_mitigate_min", "mitigate_min"),
    ("time_to_resolve_min", "resolve_min"),
)


def _utc(at: datetime) -> datetime:
    """The same instant in UTC; a naive time is taken to be UTC already."""
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def _event_key(event: TimelineEvent) -> tuple:
    # Instant, then file order; the rest only separates events that share both.
    return (event.at, event.order, event.line, event.message, event.type or "", event.source or "",
            event.actor or "", event.severity or "")


def _typed(event: TimelineEvent) -> tuple[str, bool]:
    if event.type in EVENT_TYPES:
        return event.type, False
    kind = infer_type(event.message)
    if event.hint in EVENT_TYPES and kind not in HINT_OVERRULED_BY:
        kind = event.hint
    if kind is None:
        kind = infer_type("", event.source)
    return kind or "note", True


def _is_human(actor: str | None) -> bool:
    if not actor or not actor.strip():
        return False
    return AUTOMATED_ACTORS.search(actor.lower()) is None


@dataclass(frozen=True)
class _Seen:
    """An event as the milestone rules see it: its type and what its words state."""

    event: TimelineEvent
    kind: str
    stated: Mapping[str, str]  # milestone name -> the words that state it

    @property
    def at(self) -> datetime:
        return self.event.at


def _first(events: list[_Seen], types: tuple[str, ...], since: datetime | None = None,
           until: datetime | None = None, human: bool = False) -> datetime | None:
    found = _first_event(events, types, None, since, until, human)
    return found.at if found is not None else None


def _first_event(events: list[_Seen], types: tuple[str, ...], stated: str | None, since: datetime | None = None,
                 until: datetime | None = None, human: bool = False) -> _Seen | None:
    """The first event in [since, until] of one of `types`, or whose words state milestone `stated`."""
    for seen in events:
        if seen.kind not in types and (stated is None or stated not in seen.stated):
            continue
        if (since is not None and seen.at < since) or (until is not None and seen.at > until):
            continue
        if human and not _is_human(seen.event.actor):
            continue
        return seen
    return None


def _candidate(seen: _Seen | None, types: tuple[str, ...], milestone: str, by_type: str) -> tuple[datetime | None, str]:
    """(time, rule) for a milestone found on `seen`: `by_type` when its type matched, else the words that state it."""
    if seen is None:
        return None, ""
    if seen.kind in types:
        return seen.at, by_type
    return seen.at, f'stated in words on a {seen.kind} event at or after started_at: "{seen.stated[milestone]}"'


# How each milestone is inferred when the incident does not declare it, in the
# order tried; docs/playbooks/response-targets.md shows the same table (a test
# compares them). The first rule of each also counts events whose words state
# the milestone; the rule shown then quotes the words.
MILESTONE_RULES: dict[str, tuple[str, ...]] = {
    "detected_at": ("first alert or page at or after started_at",
                    "first alert or page (none at or after started_at)"),
    "acknowledged_at": ("first acknowledgement at or after started_at",
                        "no acknowledgement: first investigation or escalation by a person after detection"),
    "contained_at": ("first recovery at or after started_at: recovering means no new impact",
                     "no containment stated before the impact ended: contained when it ended"),
    "mitigated_at": ("first recovery at or after started_at",
                     "no recovery stated: impact was over by the resolution"),
    "resolved_at": ("first resolution at or after started_at",),
}
MISSING = {
    "detected_at": "not declared, and no alert or page in the timeline",
    "acknowledged_at": "not declared, and no acknowledgement or investigation by a person after detection",
    "contained_at": "not declared, no containment stated, and the end of impact is unknown",
    "mitigated_at": "not declared, and no recovery or resolution in the timeline",
    "resolved_at": "not declared, and no resolution in the timeline",
}


def _milestones(incident: Incident, events: list[_Seen]) -> dict[str, Milestone]:
    started = _utc(incident.started_at)
    found: dict[str, Milestone] = {"started_at": Milestone("started_at", started, "declared")}

    def settle(name: str, *candidates: tuple[datetime | None, str]) -> Milestone:
        declared = getattr(incident, name)
        if declared is not None:
            milestone = Milestone(name, _utc(declared), "declared")
        else:
            milestone = next((Milestone(name, at, "inferred", rule) for at, rule in candidates if at is not None),
                             Milestone(name, None, "unknown", MISSING[name]))
        found[name] = milestone
        return milestone

    def typed_or_stated(name: str, types: tuple[str, ...], until: datetime | None = None) -> tuple[datetime | None, str]:
        return _candidate(_first_event(events, types, name, since=started, until=until), types, name,
                          MILESTONE_RULES[name][0])

    rules = MILESTONE_RULES
    detected = settle("detected_at",
                      (_first(events, ("alert", "page"), since=started), rules["detected_at"][0]),
                      (_first(events, ("alert", "page")), rules["detected_at"][1]))
    after_detection = detected.at if detected.at is not None else started
    settle("acknowledged_at", typed_or_stated("acknowledged_at", ("ack",)),
           (_first(events, ("investigation", "escalation"), since=after_detection, human=True),
            rules["acknowledged_at"][1]))
    resolved = settle("resolved_at", typed_or_stated("resolved_at", ("resolution",)))
    mitigated = settle("mitigated_at", typed_or_stated("mitigated_at", ("recovery",)),
                       (resolved.at, rules["mitigated_at"][1]))
    settle("contained_at", typed_or_stated("contained_at", ("recovery",), until=mitigated.at),
           (mitigated.at, rules["contained_at"][1]))
    return {name: found[name] for name in MILESTONES}


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _metrics(ms: dict[str, Milestone]) -> dict[str, float | None]:
    started, detected = ms["started_at"].at, ms["detected_at"].at
    resolved, mitigated = ms["resolved_at"].at, ms["mitigated_at"].at
    return {
        "time_to_detect_min": _minutes(started, detected),
        "time_to_acknowledge_min": _minutes(detected, ms["acknowledged_at"].at),
        "time_to_contain_min": _minutes(started, ms["contained_at"].at),
        "time_to_mitigate_min": _minutes(started, mitigated),
        "time_to_resolve_min": _minutes(started, resolved),
        "duration_min": _minutes(started, resolved if resolved is not None else mitigated),
    }


def _phase_starts(ms: dict[str, Milestone], events: list[_Seen]) -> list[tuple[str, datetime]]:
    """(phase, start) for the phases from detection on whose opening boundary is known, in order."""
    started, contained, mitigated = ms["started_at"].at, ms["contained_at"].at, ms["mitigated_at"].at
    assert started is not None
    first_mitigation = _first(events, ("mitigation",), since=started, until=mitigated)
    first_recovery = _first(events, ("recovery",), since=started)
    work = [at for at in (first_mitigation, contained, first_recovery, mitigated) if at is not None]
    boundaries = (
        ("detection", started),
        ("triage", ms["acknowledged_at"].at),
        ("mitigation", min(work) if work else None),
        ("recovery", mitigated),
        ("post_incident", ms["resolved_at"].at),
    )
    starts: list[tuple[str, datetime]] = []
    for name, at in boundaries:
        if at is not None:
            starts.append((name, max(at, starts[-1][1]) if starts else at))
    return starts


def _phases(ms: dict[str, Milestone], typed: list[TypedEvent],
            events: list[_Seen]) -> tuple[tuple[Phase, ...], list[TypedEvent]]:
    started = ms["started_at"].at
    assert started is not None
    starts = _phase_starts(ms, events)
    if typed and typed[0].event.at < started:
        starts.insert(0, ("lead_up", typed[0].event.at))
    end = max([starts[-1][1]] + [t.event.at for t in typed])

    def phase_of(at: datetime) -> str:
        return [name for name, start in starts if start <= at][-1]

    placed = [TypedEvent(t.event, t.type, t.inferred, phase_of(t.event.at)) for t in typed]
    phases = []
    for i, (name, start) in enumerate(starts):
        stop = starts[i + 1][1] if i + 1 < len(starts) else end
        members = tuple(t for t in placed if t.phase == name)
        if stop > start or members:
            phases.append(Phase(name, start, stop, members))
    return tuple(phases), placed


def _gaps(phases: tuple[Phase, ...], threshold_min: int) -> tuple[Gap, ...]:
    active = [p for p in phases if p.name in ACTIVE_PHASES]
    if not active:
        return ()
    points = sorted({active[0].start, active[-1].end} | {t.event.at for p in active for t in p.events})
    gaps = []
    for a, b in zip(points, points[1:]):
        if (b - a).total_seconds() / 60 > threshold_min:
            phase = [p.name for p in active if p.start <= a][-1]
            gaps.append(Gap(a, b, phase))
    return tuple(gaps)


def _targets(metrics: dict[str, float | None], severity: str | None) -> tuple[TargetCheck, ...]:
    level = matrix.level(severity or _UNKNOWN_SEVERITY_LEVEL)
    checks = []
    for metric, field in _TARGETS:
        target, actual = getattr(level, field), metrics[metric]
        if severity is None:
            checks.append(TargetCheck(metric, target, actual, "unknown",
                                      note=f"severity unknown: {_UNKNOWN_SEVERITY_LEVEL} target shown for reference only"))
        elif actual is None:
            checks.append(TargetCheck(metric, target, None, "unknown", note="metric unknown"))
        else:
            checks.append(TargetCheck(metric, target, actual, "met" if actual <= target else "missed"))
    return tuple(checks)


def reconstruct(incident: Incident, severity: str | None = None) -> Timeline:
    """The incident's timeline: typed events in time order, milestones, metrics,
    phases, quiet gaps and target checks (rules in this module's docstring).

    `severity` (else the incident's declared one) picks the targets and the gap
    threshold; an unknown or invalid severity leaves targets unjudged.
    """
    chosen = severity if severity in SEVERITIES else incident.severity if incident.severity in SEVERITIES else None
    # Events are read in UTC already: copying one costs more than the rest of its reading.
    ordered = sorted((e if e.at.tzinfo is timezone.utc else replace(e, at=_utc(e.at)) for e in incident.timeline),
                     key=_event_key)
    kinds = [_typed(e) for e in ordered]
    events = [_Seen(e, kind, stated_milestones(e.message)) for e, (kind, _) in zip(ordered, kinds)]
    typed = [TypedEvent(e, kind, inferred, phase="") for e, (kind, inferred) in zip(ordered, kinds)]

    milestones = _milestones(incident, events)
    metrics = _metrics(milestones)
    phases, placed = _phases(milestones, typed, events)
    threshold = matrix.level(chosen or _UNKNOWN_SEVERITY_LEVEL).gap_min
    return Timeline(
        events=tuple(placed),
        milestones=milestones,
        metrics=metrics,
        phases=phases,
        gaps=_gaps(phases, threshold),
        gap_threshold_min=threshold,
        targets=_targets(metrics, chosen),
        severity=chosen,
    )
