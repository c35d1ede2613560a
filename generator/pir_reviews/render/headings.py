"""Heading ids of the pages pir renders to HTML itself.

They are the ids Python-Markdown's toc extension gave the same headings when
the pages were Markdown (its default slugify), so anchors people saved,
such as reviews/INC-1/#timeline, keep working.
"""

from __future__ import annotations

import re
import unicodedata

# The fixed headings of a review page, in page order (see page_review.html.j2).
REVIEW_IDS = frozenset({
    "phases", "executive-summary", "overview", "impact", "timeline", "lead-up", "detection", "triage",
    "mitigation", "recovery", "post-incident", "response-metrics", "root-cause", "summary", "trigger",
    "five-whys", "contributing-factors", "bow-tie", "timeline-analysis", "what-went-well", "what-went-wrong",
    "where-we-got-lucky", "lessons-learned", "action-items", "classification-check", "completeness-check",
    "links", "additional-information", "related-incidents", "around-this-incident",
})

_NOT_WORD = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")


def slug(text: str) -> str:
    """A heading's id: ASCII letters, digits, `_` and `-`, lower case (Python-Markdown's rule)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub("-", _NOT_WORD.sub("", ascii_text).strip().lower())


def unique_id(wanted: str, taken: frozenset[str] | set[str]) -> str:
    """`wanted`, or `wanted_1`, `wanted_2`, ... when the page already has it (or it is empty)."""
    if wanted and wanted not in taken:
        return wanted
    number = 1
    while f"{wanted}_{number}" in taken:
        number += 1
    return f"{wanted}_{number}"
