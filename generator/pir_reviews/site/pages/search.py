"""The search records of the site: one per incident, written as one JSON file
(search-records.json) that the search plugin (generator.search_plugin) hands
to Pagefind after the MkDocs build.

A record is built from the review pir already holds, so no stage has to read
the built HTML of thousands of review pages again to find their text. It
carries what people search an incident by: its id, title, services, tags,
summary and root cause (summary and trigger). The timeline, metrics, action
items and checks stay out: they are long, repetitive and would make every
query fetch more of the index.

The content is escaped for Pagefind's result list, which inserts the
excerpt as HTML (`escape.search_excerpt`); the title is shown as text.

Records carry no filters (severity, service, year): Pagefind 1.5 writes
filters in hash-map order, so the bundle would differ from one build of the
same archive to the next.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Sequence

from pir_reviews.render import escape
from pir_reviews.core.models import Review
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.pages.feeds import review_url

RECORDS = "search-records.json"
FORMAT = "pir-search-records/1"
LANGUAGE = "en"


@dataclass(frozen=True)
class SearchRecord:
    """One entry of the search index, in the shape Pagefind's AddRecord takes.

    `url` is relative to the site root with a leading slash; the search script
    puts the site's own path in front of it, so the site works under a
    sub-path.
    """

    url: str
    content: str
    meta: dict[str, str]
    language: str = LANGUAGE


def _sentence(label: str, values: Sequence[str]) -> str:
    return f"{label}: {', '.join(values)}." if values else ""


def record(review: Review) -> SearchRecord:
    """The search record of one review."""
    incident = review.incident
    cause = incident.root_cause
    parts = [
        f"{incident.id}: {incident.title}.",
        _sentence("Services", incident.services),
        _sentence("Tags", incident.tags),
        incident.summary.strip(),
        f"Root cause: {cause.summary.strip()}" if cause.summary else "",
        f"Trigger: {cause.trigger.strip()}" if cause.trigger else "",
    ]
    content = " ".join(" ".join(part.split()) for part in parts if part)
    return SearchRecord(
        url="/" + review_url(incident.id, None),
        content=escape.search_excerpt(content),
        meta={"title": f"{incident.id}: {incident.title}"},
    )


def records_json(reviews: Sequence[Review]) -> str:
    """Every record, sorted by id, as deterministic JSON."""
    ordered = sorted(reviews, key=lambda r: r.incident.id)
    document = {"format": FORMAT, "records": [asdict(record(r)) for r in ordered]}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=0) + "\n"


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """search-records.json, read by the search plugin and left out of the built site."""
    return {RECORDS: records_json(reviews)}
