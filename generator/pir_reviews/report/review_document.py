"""A post-incident review as Markdown (the PIR document), JSON-ready data and terminal text.

The Markdown comes from templates/review.md.j2, rendered once with the shared
environment; every piece of incident text passes through the escaping filter
for its context. The terminal text renders the same template with filters
that keep text as written but drop control characters, so it reads plainly
and cannot drive the terminal.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Mapping

import jinja2

from pir_reviews.render import templating
from pir_reviews.report.classification import as_json as classification_json
from pir_reviews.report.timeline_report import as_json as timeline_json
from pir_reviews.render.escape import inline
from pir_reviews.core.models import FACTOR_CATEGORIES, METRIC_TITLES, PHASE_TITLES, ContributingFactor, Review
from pir_reviews.core.completeness import SECTION_TITLES, timeline_analysis, unmet

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


def _utc_iso(at: datetime | None) -> str | None:
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


def extra_lines(value: Any, text: Any = inline, depth: int = 0) -> list[str]:
    """Nested mappings and lists as nested Markdown list lines (keys and values escaped)."""
    pad = "    " * depth
    lines: list[str] = []
    if depth > MAX_EXTRA_DEPTH:
        return [f"{pad}- {text('(nested too deeply to show)')}"]
    items: list[tuple[str | None, Any]]
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(None, v) for v in value]
    else:
        return [f"{pad}- {text(_scalar(value))}"]
    if not items:
        return [f"{pad}- {text('(empty)')}"]
    for index, (key, child) in enumerate(items, start=1):
        label = f"**{text(key)}:**" if key is not None else ""
        if isinstance(child, (Mapping, list, tuple)):
            lines.append(f"{pad}- {label or text(f'item {index}:')}")
            lines.extend(extra_lines(child, text, depth + 1))
        else:
            value_text = text(_scalar(child))
            lines.append(f"{pad}- {label} {value_text}" if label else f"{pad}- {value_text}")
    return lines


def _context(review: Review, text: Any) -> dict[str, Any]:
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
        "extra": extra_lines(incident.extra, text) if incident.extra else [],
    }


SEARCH_EXCLUDE = " { data-search-exclude }"


def body_markdown(review: Review, *, for_site: bool = False) -> str:
    """The PIR document without its H1 title (the site puts its own header after the H1).

    For the site, the repetitive sections (timeline tables, metrics, action
    items, checks) are marked to stay out of the search index, which keeps
    the index small and the first search fast on a large archive.
    """
    return templating.render(TEMPLATE, **_context(review, inline), skip=SEARCH_EXCLUDE if for_site else "", html_tables=for_site)


def as_markdown(review: Review) -> str:
    """The whole PIR document: "# <id>: <title>" then the body."""
    incident = review.incident
    return f"# {inline(incident.id)}: {inline(incident.title)}\n\n" + body_markdown(review)


# ---- terminal text ------------------------------------------------------------------


def _printable(s: str) -> str:
    return "".join(c if c.isprintable() or c == "\n" else " " for c in s)


def _plain_block(s: str) -> str:
    lines = [" ".join(_printable(line).split()) for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _plain_line(s: str) -> str:
    return " ".join(_printable(s).split())


def _plain_link(text: str, url: str | None) -> str:
    label = _plain_line(text)
    return f"{label} <{_plain_line(url)}>" if url else label


@lru_cache(maxsize=1)
def _plain_environment() -> jinja2.Environment:
    env = templating.environment()
    env.filters.update(md=_plain_block, inline=_plain_line, cell=_plain_line, link=_plain_link)
    return env


_HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
_LABEL = re.compile(r"^(\s*(?:- )?)\*\*([^*\n]+)\*\*", re.MULTILINE)
_UNDERLINES = {"##": "=", "###": "-"}


def _plain_layout(body: str) -> str:
    """Terminal layout for the template's Markdown: underlined headings, bare labels, no emphasis marks."""
    body = _HEADING.sub(lambda m: f"{m[2]}\n{_UNDERLINES[m[1]] * len(m[2])}", body)
    body = _LABEL.sub(lambda m: f"{m[1]}{m[2]}", body)
    return body.replace("_Not written yet._", "Not written yet.")


def as_text(review: Review) -> str:
    """The PIR document as plain text for a terminal: no Markdown headings, emphasis or escapes."""
    incident = review.incident
    body = _plain_environment().get_template(TEMPLATE).render(**_context(review, _plain_line), skip="", html_tables=False)
    return f"{_plain_line(incident.id)}: {_plain_line(incident.title)}\n\n" + _plain_layout(body)


# ---- JSON ---------------------------------------------------------------------------------


def _data(value: Any) -> Any:
    """Plain JSON data: datetimes as UTC ISO with a Z, dates as ISO, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "lines"}
    if isinstance(value, datetime):
        return _utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def as_json(review: Review) -> dict[str, Any]:
    """The review as plain data with stable keys (for `--format json`)."""
    c = review.completeness
    return {
        "incident": _data(review.incident),
        "severity": review.severity,
        "classification": classification_json(review.classification),
        "timeline": timeline_json(review.timeline),
        "completeness": {
            "score": c.score,
            "policy": c.policy,
            "meets_policy": c.meets_policy,
            "items": [dataclasses.asdict(item) for item in c.items],
        },
        "overdue_action_items": [i.title for i in review.incident.action_items if i.overdue(review.as_of)],
        "rca_methods": list(review.rca_methods),
        "as_of": review.as_of.isoformat(),
    }
