"""The reconstructed timeline as JSON-ready data, terminal text and Markdown.

Every time is shown in UTC as ISO 8601 with a Z. Unknown values are shown as
unknown (null in JSON), never as 0. Text taken from the incident file is
escaped for the place it lands: Markdown table cells on the page, control
characters removed on the terminal.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pir_reviews.core.timeformat import duration
from pir_reviews.render.escape import table_cell
from pir_reviews.core.models import PHASE_TITLES, Phase, Timeline, TypedEvent


def iso(at: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z ("2024-03-15T14:30:00Z"), or None."""
    if at is None:
        return None
    return at.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + "Z"


def _minutes(value: float) -> float:
    return round(value, 1)


def _event_json(t: TypedEvent) -> dict[str, Any]:
    e = t.event
    return {
        "at": iso(e.at), "type": t.type, "inferred": t.inferred, "phase": t.phase,
        "message": e.message, "source": e.source, "actor": e.actor, "severity": e.severity,
    }


def as_json(t: Timeline) -> dict[str, Any]:
    """Plain data (str, float, bool, None, dict, list) for `json.dumps`."""
    return {
        "events": [_event_json(e) for e in t.events],
        "milestones": {name: {"at": iso(m.at), "origin": m.origin, "rule": m.rule} for name, m in t.milestones.items()},
        "metrics": dict(t.metrics),
        "phases": [
            {"name": p.name, "start": iso(p.start), "end": iso(p.end),
             "duration_min": _minutes(p.duration_min), "event_count": len(p.events)}
            for p in t.phases
        ],
        "gaps": [{"start": iso(g.start), "end": iso(g.end), "phase": g.phase, "minutes": _minutes(g.minutes)}
                 for g in t.gaps],
        "gap_threshold_min": t.gap_threshold_min,
        "targets": [{"metric": c.metric, "target_min": c.target_min, "actual_min": c.actual_min, "verdict": c.verdict}
                    for c in t.targets],
        "severity": t.severity,
    }


# ---- terminal -------------------------------------------------------------------------


def _plain(s: str | None) -> str:
    """One line with no control characters, so input cannot drive the terminal."""
    if s is None:
        return "-"
    return " ".join("".join(c if c.isprintable() else " " for c in s).split()) or "-"


def _event_line(t: TypedEvent) -> str:
    kind = t.type + ("*" if t.inferred else "")
    return f"    {iso(t.event.at)}  {kind:<15} {_plain(t.event.source):<12} {_plain(t.event.actor):<14} {_plain(t.event.message)}"


def _phase_heading(p: Phase) -> str:
    count = len(p.events)
    return (f"  {PHASE_TITLES[p.name]}: {iso(p.start)} -> {iso(p.end)} "
            f"({duration(p.duration_min)}, {count} event{'' if count == 1 else 's'})")


def as_text(t: Timeline, gap_analysis: bool = False) -> str:
    """A report for the terminal: milestones, metrics, phases with their events,
    targets, and (with `gap_analysis`) the quiet gaps."""
    severity = t.severity or "unknown"
    lines = [f"Timeline (severity: {severity})", "", "Milestones"]
    for name, m in t.milestones.items():
        how = m.origin + (f" ({m.rule})" if m.rule else "")
        lines.append(f"  {name:<16} {iso(m.at) or 'unknown':<21} {how}")
    lines += ["", "Metrics"]
    lines += [f"  {name:<24} {duration(value)}" for name, value in t.metrics.items()]
    lines += ["", "Phases"]
    if not t.phases:
        lines.append("  (no events)")
    for p in t.phases:
        lines.append(_phase_heading(p))
        lines += [_event_line(e) for e in p.events]
    lines += ["", "Targets" + ("" if t.severity else " (severity unknown: not judged)")]
    for c in t.targets:
        lines.append(f"  {c.metric:<24} target {duration(c.target_min)}, actual {duration(c.actual_min)}: {c.verdict}")
    if gap_analysis:
        lines += ["", f"Gaps (quiet for more than {duration(t.gap_threshold_min)} during the response)"]
        if not t.gaps:
            lines.append("  none")
        for g in t.gaps:
            lines.append(f"  {iso(g.start)} -> {iso(g.end)}  {duration(g.minutes)}  in {g.phase}")
    if any(e.inferred for e in t.events):
        lines += ["", "* type inferred from the event's words or source"]
    return "\n".join(lines) + "\n"


# ---- Markdown ------------------------------------------------------------------------


def _cell(s: str | None) -> str:
    return "" if s is None else table_cell(s)


def as_markdown(t: Timeline) -> str:
    """One section per phase, each with a table of its events (Time (UTC) | Type |
    Source | Actor | Event); headings are level 3 so the page can nest them."""
    if not t.phases:
        return "_No timeline events recorded._\n"
    parts = []
    for p in t.phases:
        count = len(p.events)
        parts.append(f"### {PHASE_TITLES[p.name]}\n")
        parts.append(f"{iso(p.start)} to {iso(p.end)}: {duration(p.duration_min)}, "
                     f"{count} event{'' if count == 1 else 's'}.\n")
        if p.events:
            rows = ["| Time (UTC) | Type | Source | Actor | Event |", "|---|---|---|---|---|"]
            for e in p.events:
                kind = e.type + (" (inferred)" if e.inferred else "")
                rows.append(f"| {iso(e.event.at)} | {kind} | {_cell(e.event.source)} | "
                            f"{_cell(e.event.actor)} | {_cell(e.event.message)} |")
            parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)
