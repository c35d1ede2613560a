"""Machine-readable outputs: an RSS 2.0 feed of the newest reviews (feed.xml)
and a JSON export of every incident with its computed metrics (incidents.json).

Neither carries a build date, so the same archive gives byte-identical files.
Links are absolute when the site's URL is known, relative to the site root
otherwise.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any, Sequence
from urllib.parse import quote

from pir_reviews.core.browse import last_changed, newest_first, recently_changed
from pir_reviews.render.charts import xml_text
from pir_reviews.render.escape import html_text
from pir_reviews.core.models import MILESTONES, Review
from pir_reviews.render.urls import review_url
from pir_reviews.site.pages import SiteContext

FEED_SIZE = 20
FEED_TITLE = "Post-incident reviews"
FEED_DESCRIPTION = "The most recent post-incident reviews of the archive."
EXPORT_FORMAT = "pir-incidents/1"

def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


def _iso(moment: datetime | None) -> str | None:
    moment = _utc(moment)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rss(reviews: Sequence[Review], context: SiteContext) -> str:
    """RSS 2.0 with the FEED_SIZE most recently changed reviews (browse.last_changed, then id)."""
    absolute = context.site_url is not None
    channel_link = context.site_url if absolute else "./"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "<channel>",
        f"<title>{xml_text(FEED_TITLE)}</title>",
        f"<link>{xml_text(channel_link)}</link>",
        f"<description>{xml_text(FEED_DESCRIPTION)}</description>",
        "<language>en</language>",
    ]
    # Most recently changed first: a review back-filled or finalised later
    # (updated_at) comes back to the top of the feed, dated by that change.
    for review in recently_changed(reviews)[:FEED_SIZE]:
        incident = review.incident
        url = review_url(incident.id, context.site_url)
        permalink = "true" if absolute else "false"
        lines += [
            "<item>",
            f"<title>{xml_text(f'{incident.id}: {incident.title}')}</title>",
            f"<link>{xml_text(url)}</link>",
            f'<guid isPermaLink="{permalink}">{xml_text(url)}</guid>',
            f"<pubDate>{format_datetime(last_changed(review), usegmt=True)}</pubDate>",
            f"<category>{xml_text(review.severity)}</category>",
            f"<description>{xml_text(description_html(incident.summary))}</description>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)


def _number(value: float | None) -> float | None:
    """Rounded to 2 decimals; None for unknown (and for a value that is not finite)."""
    return None if value is None or not math.isfinite(value) else round(float(value), 2)


def record(review: Review, context: SiteContext) -> dict[str, Any]:
    """One incident of the export: what it declares and what was computed from it."""
    incident, timeline = review.incident, review.timeline
    items = incident.action_items
    milestones = {}
    for name in MILESTONES:
        found = timeline.milestones.get(name)
        milestones[name] = (
            {"at": None, "origin": "unknown", "rule": None}
            if found is None
            else {"at": _iso(found.at), "origin": found.origin, "rule": found.rule}
        )
    return {
        "id": incident.id,
        "title": incident.title,
        "severity": {
            "declared": incident.severity,
            "computed": review.computed_severity,
            "filed": review.severity,
        },
        "status": incident.status,
        "review_status": incident.review_status,
        "services": list(incident.services),
        "tags": list(incident.tags),
        "started_at": _iso(incident.started_at),
        "milestones": milestones,
        "metrics": {name: _number(value) for name, value in sorted(timeline.metrics.items())},
        "phases": [
            {
                "name": phase.name,
                "start": _iso(phase.start),
                "end": _iso(phase.end),
                "duration_min": _number(phase.duration_min),
                "events": phase.event_count,
            }
            for phase in timeline.phases
        ],
        "action_items": {
            "total": len(items),
            "open": sum(item.status == "open" for item in items),
            "in_progress": sum(item.status == "in_progress" for item in items),
            "done": sum(item.status == "done" for item in items),
            "wont_do": sum(item.status == "wont_do" for item in items),
            "overdue": sum(item.overdue(context.as_of) for item in items),
        },
        "url": review_url(incident.id, context.site_url),
    }


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def export(reviews: Sequence[Review], context: SiteContext) -> str:
    """Every incident, sorted by id, as JSON that is also safe to inline in HTML.

    Compact, one incident a line: indentation was a quarter of the file, and
    a line per incident still diffs and greps by incident. The keys are
    sorted, as json.dumps(sort_keys=True) would give them.
    """
    incidents = [_compact(record(r, context)) for r in sorted(reviews, key=lambda r: r.incident.id)]
    text = (
        f'{{"format":{_compact(EXPORT_FORMAT)},"incidents":[\n'
        + ",\n".join(incidents)
        + f'\n],"overdue_as_of":{_compact(context.as_of.isoformat())}}}'
    )
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text + "\n"


def description_html(summary: str) -> str:
    """The summary as the HTML that feed readers render from <description>: text only, in paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", summary.replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{html_text(p)}</p>" for p in paragraphs)


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """feed.xml and incidents.json."""
    return {"feed.xml": rss(reviews, context), "incidents.json": export(reviews, context)}
