"""A classification as JSON-ready data, as terminal text, and as Markdown.

Plain string building: the three shapes are small and fixed. Markdown escapes
every value that came from the input (reasons quote the author's words) with
generator.escape, so the page shows the text and never acts on it.
"""

from __future__ import annotations

from typing import Any

from pir_reviews.core.timeformat import duration
from pir_reviews.render.escape import inline, markdown_text
from pir_reviews.core.matrix import level
from pir_reviews.core.models import Classification

_TARGET_WORDS = {
    "acknowledge": "Acknowledge",
    "first_update": "First update",
    "update_interval": "Update interval",
    "mitigate": "Mitigate",
    "resolve": "Resolve",
}


def as_json(c: Classification) -> dict[str, Any]:
    """The classification as plain data with stable keys (for `--format json`)."""
    return {
        "severity": c.severity,
        "confidence": c.confidence,
        "reasons": list(c.reasons),
        "teams": list(c.teams),
        "response_targets": {key: c.response_targets[key] for key in _TARGET_WORDS if key in c.response_targets},
        "initial_actions": list(c.initial_actions),
        "escalation_path": list(c.escalation_path),
        "communication": {"subject": c.communication_subject, "body": c.communication_body},
        "declared": c.declared,
        "disagreement": c.disagreement,
    }


def heading(c: Classification) -> str:
    """E.g. "SEV2 (Major), confidence 0.85"."""
    return f"{c.severity.upper()} ({level(c.severity).name}), confidence {c.confidence:.2f}"


def as_text(c: Classification) -> str:
    """For a person at a terminal: the verdict, why, then what to do."""
    lines = [heading(c)]
    if c.declared:
        lines.append(f"Declared: {c.declared.upper()}")
    if c.disagreement:
        lines.append(f"Disagreement: {c.disagreement}")
    lines += ["", "Why:", *(f"  - {r}" for r in c.reasons)]
    lines += ["", "Teams:", *(f"  - {t}" for t in c.teams)]
    lines += ["", "Response targets:"]
    lines += [f"  - {_TARGET_WORDS[k]}: {duration(v)}" for k, v in as_json(c)["response_targets"].items()]
    lines += ["", "Initial actions:", *(f"  {i}. {a}" for i, a in enumerate(c.initial_actions, 1))]
    lines += ["", "Escalation path: " + " -> ".join(c.escalation_path)]
    lines += ["", "Draft communication:", f"  Subject: {c.communication_subject}", ""]
    lines += [f"  {line}".rstrip() for line in c.communication_body.splitlines()]
    return "\n".join(lines) + "\n"


def as_markdown(c: Classification) -> str:
    """A Markdown section; every input-derived value is escaped."""
    e = inline
    lines = [f"**{e(heading(c))}**", ""]
    if c.declared:
        lines += [f"Declared: **{e(c.declared.upper())}**", ""]
    if c.disagreement:
        lines += [f"> **Declared severity disagrees with the evidence:** {e(c.disagreement)}", ""]
    lines += ["### Why", "", *(f"- {e(r)}" for r in c.reasons), ""]
    lines += ["### Teams", "", *(f"- {e(t)}" for t in c.teams), ""]
    lines += ["### Response targets", "", "| Target | Time |", "| --- | --- |"]
    lines += [f"| {_TARGET_WORDS[k]} | {duration(v)} |" for k, v in as_json(c)["response_targets"].items()]
    lines += ["", "### Initial actions", "", *(f"{i}. {e(a)}" for i, a in enumerate(c.initial_actions, 1)), ""]
    lines += ["### Escalation path", "", " → ".join(e(s) for s in c.escalation_path), ""]
    lines += ["### Draft communication", "", f"**Subject:** {e(c.communication_subject)}", ""]
    lines += [markdown_text(c.communication_body)]
    return "\n".join(lines) + "\n"
