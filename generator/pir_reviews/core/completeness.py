"""Assembling one post-incident review: the record, its analysis, and how complete it is.

Pure: typed records in, typed records out (stdlib, models and matrix only).

Completeness policy
-------------------
Ten sections are checked, each "ok", "thin" or "missing", with a note that
says plainly what is missing. The score is the share of points over those
sections (ok = 1, thin = 1/2, missing = 0), from 0 to 100.

What a review must contain depends on its severity (declared, else the one
the timeline was judged against; unknown counts as sev1, the strictest) and
is enforced only when its review status is `final`:

- sev1 and sev2: a root cause summary, a timeline with at least one event,
  and at least one action item with both an owner and a due date.
- sev3: a root cause summary and a timeline with at least one event.
- sev4: a root cause summary.

Drafts and reviews in review are never blocked: the page shows which items
the policy will require once the review is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from pir_reviews.core.models import (
    RCA_METHODS,
    SEVERITIES,
    Classification,
    Completeness,
    CompletenessItem,
    Gap,
    Incident,
    Review,
    Timeline,
    TypedEvent,
)

# Section names, in page order, with the title shown for each.
SECTION_TITLES = {
    "summary": "Executive summary",
    "impact": "Impact",
    "timeline": "Timeline",
    "root_cause_summary": "Root cause summary",
    "five_whys": "Five whys",
    "contributing_factors": "Contributing factors",
    "action_items": "Action items",
    "lessons": "Lessons learned",
    "went_well_wrong": "What went well and what went wrong",
    "people": "People (commander and responders)",
}

# Sections required when final, by severity.
REQUIRED_WHEN_FINAL = {
    "sev1": ("root_cause_summary", "timeline", "action_items"),
    "sev2": ("root_cause_summary", "timeline", "action_items"),
    "sev3": ("root_cause_summary", "timeline"),
    "sev4": ("root_cause_summary",),
}

# Below these word counts a written section is "thin".
SUMMARY_MIN_WORDS = 12
ROOT_CAUSE_MIN_WORDS = 8
TIMELINE_MIN_EVENTS = 3
FIVE_WHYS_MIN = 3
LONGEST_GAPS_SHOWN = 3
DECISION_TYPES = ("escalation", "mitigation")


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---- one check per section: (status, note) ------------------------------------------


def _summary(incident: Incident) -> tuple[str, str]:
    n = _words(incident.summary)
    if n == 0:
        return "missing", "No executive summary written."
    if n < SUMMARY_MIN_WORDS:
        return "thin", f"The summary has {_plural(n, 'word')}; say what happened, who was affected and how it ended."
    return "ok", "Written."


def _impact(incident: Incident) -> tuple[str, str]:
    impact = incident.impact
    described = _filled(impact.description)
    measured = any(
        v is not None for v in (impact.users_affected_pct, impact.revenue_usd, impact.customer_escalations)
    )
    if described and measured:
        return "ok", "Described and measured."
    if described:
        return "thin", "No measure given (share of users affected, revenue or customer escalations)."
    if measured:
        return "thin", "Measured but not described in words."
    return "missing", "No impact description or measure given."


def _timeline(incident: Incident) -> tuple[str, str]:
    n = len(incident.timeline)
    if n == 0:
        return "missing", "No timeline events recorded."
    if n < TIMELINE_MIN_EVENTS:
        return "thin", f"Only {_plural(n, 'event')}; record detection, mitigation and resolution at least."
    return "ok", f"{_plural(n, 'event')} recorded."


def _root_cause_summary(incident: Incident) -> tuple[str, str]:
    n = _words(incident.root_cause.summary)
    if n == 0:
        return "missing", "No root cause summary written."
    if n < ROOT_CAUSE_MIN_WORDS:
        return "thin", f"The root cause summary has {_plural(n, 'word')}; explain the mechanism."
    return "ok", "Written."


def _five_whys(incident: Incident) -> tuple[str, str]:
    whys = incident.root_cause.five_whys
    answered = [w for w in whys if _filled(w.answer)]
    if not answered:
        return "missing", "No five-whys analysis written."
    unanswered = len(whys) - len(answered)
    if unanswered:
        return "thin", f"{_plural(unanswered, 'why')} without an answer."
    if len(answered) < FIVE_WHYS_MIN:
        return "thin", f"Only {_plural(len(answered), 'why')} answered; keep asking until a systemic cause appears."
    return "ok", f"{_plural(len(answered), 'why')} answered."


def _contributing_factors(incident: Incident) -> tuple[str, str]:
    factors = incident.root_cause.contributing_factors
    if not factors:
        return "missing", "No contributing factors listed."
    loose = sum(1 for f in factors if not f.category)
    if loose:
        return "thin", f"{_plural(loose, 'factor')} without a category."
    return "ok", f"{_plural(len(factors), 'factor')} listed."


def _action_items(incident: Incident) -> tuple[str, str]:
    items = incident.action_items
    if not items:
        return "missing", "No action items listed."
    no_owner = sum(1 for i in items if not _filled(i.owner))
    no_due = sum(1 for i in items if i.due is None)
    gaps = []
    if no_owner:
        gaps.append(f"{_plural(no_owner, 'item')} without an owner")
    if no_due:
        gaps.append(f"{_plural(no_due, 'item')} without a due date")
    if gaps:
        return "thin", "; ".join(gaps) + "."
    return "ok", f"{_plural(len(items), 'item')}, each with an owner and a due date."


def _lessons(incident: Incident) -> tuple[str, str]:
    if not incident.lessons:
        return "missing", "No lessons written."
    return "ok", f"{_plural(len(incident.lessons), 'lesson')} written."


def _went_well_wrong(incident: Incident) -> tuple[str, str]:
    well, wrong = bool(incident.went_well), bool(incident.went_wrong)
    if well and wrong:
        return "ok", "Both written."
    if well:
        return "thin", "Nothing listed under what went wrong."
    if wrong:
        return "thin", "Nothing listed under what went well."
    return "missing", "Neither what went well nor what went wrong is written."


def _people(incident: Incident) -> tuple[str, str]:
    commander = _filled(incident.commander)
    responders = bool(incident.responders)
    if commander and responders:
        return "ok", "Commander and responders named."
    if commander:
        return "thin", "No responders listed."
    if responders:
        return "thin", "No incident commander named."
    return "missing", "Neither a commander nor responders named."


_CHECKS: dict[str, Callable[[Incident], tuple[str, str]]] = {
    "summary": _summary,
    "impact": _impact,
    "timeline": _timeline,
    "root_cause_summary": _root_cause_summary,
    "five_whys": _five_whys,
    "contributing_factors": _contributing_factors,
    "action_items": _action_items,
    "lessons": _lessons,
    "went_well_wrong": _went_well_wrong,
    "people": _people,
}


# ---- the policy -----------------------------------------------------------------------

_REQUIREMENT_WORDS = {
    "root_cause_summary": "a root cause summary",
    "timeline": "a timeline with at least one event",
    "action_items": "at least one action item with an owner and a due date",
}


def _satisfied(section: str, incident: Incident) -> bool:
    """Whether a required section meets the policy (which is looser than "ok")."""
    if section == "root_cause_summary":
        return _filled(incident.root_cause.summary)
    if section == "timeline":
        return bool(incident.timeline)
    if section == "action_items":
        return any(_filled(i.owner) and i.due is not None for i in incident.action_items)
    return _CHECKS[section](incident)[0] != "missing"


def policy_severity(incident: Incident, timeline: Timeline) -> str | None:
    """The severity the policy is taken from: declared, else the timeline's; None if unknown."""
    if incident.severity in SEVERITIES:
        return incident.severity
    if timeline.severity in SEVERITIES:
        return timeline.severity
    return None


def policy_words(severity: str | None, review_status: str) -> str:
    """The policy that applies, in one or two sentences."""
    rules = REQUIRED_WHEN_FINAL[severity or "sev1"]
    needs = ", ".join(_REQUIREMENT_WORDS[s] for s in rules[:-1])
    needs = f"{needs} and {_REQUIREMENT_WORDS[rules[-1]]}" if needs else _REQUIREMENT_WORDS[rules[0]]
    who = f"A final {severity} review" if severity else "A final review of unknown severity (held to the sev1 rules)"
    rule = f"{who} needs {needs}."
    if review_status == "final":
        return rule
    state = "a draft" if review_status == "draft" else review_status.replace("_", " ")
    return f"{rule} This review is {state}, so nothing is enforced yet."


def completeness(incident: Incident, timeline: Timeline) -> Completeness:
    """How complete the review is, section by section, and whether it meets the policy."""
    severity = policy_severity(incident, timeline)
    required = set(REQUIRED_WHEN_FINAL[severity or "sev1"])
    items = []
    halves = 0
    for section, check in _CHECKS.items():
        status, note = check(incident)
        is_required = section in required
        if is_required and status != "missing" and not _satisfied(section, incident):
            note = f"{note} The policy needs {_REQUIREMENT_WORDS[section]}."
        items.append(CompletenessItem(section=section, status=status, note=note, required=is_required))
        halves += {"ok": 2, "thin": 1, "missing": 0}[status]
    total = 2 * len(items)
    score = (halves * 100 + total // 2) // total
    enforced = incident.review_status == "final"
    meets = (not enforced) or all(_satisfied(s, incident) for s in sorted(required))
    return Completeness(
        score=score,
        items=tuple(items),
        policy=policy_words(severity, incident.review_status),
        meets_policy=meets,
    )


def unmet(review: Review) -> tuple[str, ...]:
    """The required sections that do not meet the policy yet (whatever the review status)."""
    return tuple(
        item.section for item in review.completeness.items
        if item.required and not _satisfied(item.section, review.incident)
    )


# ---- timeline analysis ---------------------------------------------------------------


@dataclass(frozen=True)
class TimelineAnalysis:
    """Facts derived from the reconstructed timeline, for the review's analysis section."""

    detection_delay_min: float | None
    detected_origin: str  # "declared" | "inferred" | "unknown"
    gap_threshold_min: int
    longest_gaps: tuple[Gap, ...]  # longest first, at most LONGEST_GAPS_SHOWN
    decision_points: tuple[TypedEvent, ...]  # escalations and mitigations, in time order


def timeline_analysis(timeline: Timeline) -> TimelineAnalysis:
    """Detection delay, the longest quiet gaps and the decision points of a timeline."""
    detected = timeline.milestones.get("detected_at")
    gaps = sorted(timeline.gaps, key=lambda g: (-g.minutes, g.start, g.end, g.phase))
    decisions = tuple(e for e in timeline.events if e.type in DECISION_TYPES)
    return TimelineAnalysis(
        detection_delay_min=timeline.metrics.get("time_to_detect_min"),
        detected_origin=detected.origin if detected is not None else "unknown",
        gap_threshold_min=timeline.gap_threshold_min,
        longest_gaps=tuple(gaps[:LONGEST_GAPS_SHOWN]),
        decision_points=decisions,
    )


# ---- assembly ---------------------------------------------------------------------------


def assemble(
    incident: Incident,
    classification: Classification,
    timeline: Timeline,
    as_of: date,
    rca_methods: tuple[str, ...] = RCA_METHODS,
) -> Review:
    """The review record of one incident; `as_of` is the day overdue items are judged against."""
    return Review(
        incident=incident,
        classification=classification,
        timeline=timeline,
        completeness=completeness(incident, timeline),
        as_of=as_of,
        rca_methods=tuple(rca_methods),
    )
