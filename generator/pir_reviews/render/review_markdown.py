"""The post-incident review as a Markdown document, rendered from review.md.j2.

One template, two readers: `pir review` (report.review_document prints it, or
a plain-text layout of it) and the pull-request job summary
(report.github). The site's review pages show the same sections in HTML
(page_review.html.j2, from the same `document_context`). Every value taken from the incident passes through the
escaping filter of the place it lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Mapping

from pir_reviews.core.completeness import SECTION_TITLES, timeline_analysis, unmet
from pir_reviews.core.models import FACTOR_CATEGORIES, METRIC_TITLES, PHASE_TITLES, ContributingFactor, Review
from pir_reviews.render import templating
from pir_reviews.render.escape import inline

TEMPLATE = "review.md.j2"

MILESTONE_TITLES = {
    "started_at": "Started",
    "detected_at": "Detected",
    "acknowledged_at": "Acknowledged",
    "contained_at": "Contained",
    "mitigated_at": "Mitigated",
    "resolved_at": "Resolved",
}

IMPACT_FLAGS = (
    ("sla_breached", "Service-level agreement breached"),
    ("data_loss", "Data lost or corrupted"),
    ("security", "Security or data exposure"),
    ("workaround", "Workaround available"),
    ("complete_outage", "Complete outage"),
    ("internal_only", "Internal only"),
)

MAX_EXTRA_DEPTH = 12


def utc_iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is not None:
        at = at.astimezone(timezone.utc).replace(tzinfo=None)
    return at.isoformat() + "Z"


def factor_groups(factors: tuple[ContributingFactor, ...]) -> tuple[tuple[str | None, tuple[ContributingFactor, ...]], ...]:
    """Contributing factors by category: known categories in their fixed order,
    then any other category alphabetically, uncategorised (None) last."""
    named = {f.category for f in factors if f.category}
    order = [c for c in FACTOR_CATEGORIES if c in named] + sorted(named - set(FACTOR_CATEGORIES))
    groups = [(c, tuple(f for f in factors if f.category == c)) for c in order]
    loose = tuple(f for f in factors if not f.category)
    if loose:
        groups.append((None, loose))
    return tuple(groups)


def _scalar(value: Any) -> str:
    """A leaf of `extra` as text (never a Python repr)."""
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return templating.utc(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class ExtraEntry:
    """One item of the `extra` tree as the HTML page lists it: `key: text`, then its children."""

    key: str | None
    text: str
    children: tuple["ExtraEntry", ...] = ()


def extra_entries(value: Any, depth: int = 0) -> tuple[ExtraEntry, ...]:
    """Nested mappings and lists as a tree of entries (the HTML page lists them; `extra_lines` writes them as Markdown)."""
    if depth > MAX_EXTRA_DEPTH:
        return (ExtraEntry(None, "(nested too deeply to show)"),)
    if isinstance(value, Mapping):
        items: list[tuple[str | None, Any]] = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(None, v) for v in value]
    else:
        return (ExtraEntry(None, _scalar(value)),)
    if not items:
        return (ExtraEntry(None, "(empty)"),)
    entries = []
    for index, (key, child) in enumerate(items, start=1):
        if isinstance(child, (Mapping, list, tuple)):
            entries.append(ExtraEntry(key, "" if key is not None else f"item {index}:", extra_entries(child, depth + 1)))
        else:
            entries.append(ExtraEntry(key, _scalar(child)))
    return tuple(entries)


def extra_lines(value: Any, text: Any = inline) -> list[str]:
    """Nested mappings and lists as nested Markdown list lines (keys and values escaped by `text`)."""
    lines: list[str] = []

    def walk(entries: tuple[ExtraEntry, ...], depth: int) -> None:
        pad = "    " * depth
        for entry in entries:
            label = f"**{text(entry.key)}:**" if entry.key is not None else ""
            if entry.children:
                lines.append(f"{pad}- {label or text(entry.text)}")
                walk(entry.children, depth + 1)
            else:
                lines.append(f"{pad}- {label} {text(entry.text)}" if label else f"{pad}- {text(entry.text)}")

    walk(extra_entries(value), 0)
    return lines


def document_context(review: Review, text: Any = None) -> dict[str, Any]:
    """What the review templates read. `text` escapes one line of the Markdown
    templates' `extra` lines; without it (the HTML page, whose template
    escapes) `extra` is the tree of entries."""
    incident = review.incident
    rc = incident.root_cause
    targets = {c.metric: c for c in review.timeline.targets}
    metrics = [(name, value, targets.get(name)) for name, value in review.timeline.metrics.items()]
    metrics += [(c.metric, c.actual_min, c) for c in review.timeline.targets if c.metric not in review.timeline.metrics]
    return {
        "review": review,
        "incident": incident,
        "classification": review.classification,
        "timeline": review.timeline,
        "completeness": review.completeness,
        "analysis": timeline_analysis(review.timeline),
        "methods": review.rca_methods,
        "has_five_whys": any((w.question or "").strip() or (w.answer or "").strip() for w in rc.five_whys),
        "factor_groups": factor_groups(rc.contributing_factors),
        "bow_tie": rc.bow_tie if rc.bow_tie is not None and not rc.bow_tie.empty else None,
        "metrics": metrics,
        "impact_flags": [(title, getattr(incident.impact, name)) for name, title in IMPACT_FLAGS
                         if getattr(incident.impact, name) is not None],
        "open_items": sum(1 for i in incident.action_items if i.is_open),
        "overdue_items": sum(1 for i in incident.action_items if i.overdue(review.as_of)),
        "unmet": unmet(review),
        "section_titles": SECTION_TITLES,
        "phase_titles": PHASE_TITLES,
        "metric_titles": METRIC_TITLES,
        "milestone_titles": MILESTONE_TITLES,
        "extra": (extra_lines(incident.extra, text) if text is not None else extra_entries(incident.extra)) if incident.extra else (),
    }


def body_markdown(review: Review) -> str:
    """The PIR document without its H1 title."""
    return templating.render(TEMPLATE, **document_context(review, inline))
