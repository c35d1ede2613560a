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
from pir_reviews.core.models import Review
from pir_reviews.render.review_markdown import TEMPLATE, body_markdown, document_context, utc_iso

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
    body = _plain_environment().get_template(TEMPLATE).render(**document_context(review, _plain_line))
    return f"{_plain_line(incident.id)}: {_plain_line(incident.title)}\n\n" + _plain_layout(body)


# ---- JSON ---------------------------------------------------------------------------------


def _data(value: Any) -> Any:
    """Plain JSON data: datetimes as UTC ISO with a Z, dates as ISO, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "lines"}
    if isinstance(value, datetime):
        return utc_iso(value)
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
