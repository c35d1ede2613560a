"""Related incidents: which other reviews a review page points to, and why.

Pure: typed records in, typed records out; deterministic for the same archive.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from pir_reviews.core.browse import newest_first
from pir_reviews.core.models import Review

# How much one shared key adds to the relatedness of two incidents.
WEIGHTS = {"service": 4, "tag": 2, "category": 1}
# A key shared by more incidents than this only offers its most recent members
# as candidates, so relatedness stays near-linear on a large archive.
CANDIDATE_CAP = 100


@dataclass(frozen=True)
class Related:
    id: str
    title: str
    reasons: tuple[str, ...]  # e.g. "shared service: payments-api"


def _keys(review: Review) -> set[tuple[str, str]]:
    incident = review.incident
    keys = {("service", s) for s in incident.services}
    keys |= {("tag", t) for t in incident.tags}
    keys |= {("category", f.category) for f in incident.root_cause.contributing_factors if f.category}
    return keys


_REASON = {"service": "shared service", "tag": "shared tag", "category": "shared factor category"}
_KIND_ORDER = {"service": 0, "tag": 1, "category": 2}


def related(reviews: Sequence[Review], limit: int = 5) -> dict[str, tuple[Related, ...]]:
    """Up to `limit` related incidents for each incident, most related first.

    Two incidents are related when they share services, tags or contributing
    factor categories; each shared service counts 4, tag 2, category 1. Equal
    scores go to the more recent incident, then to the smaller id. Candidates
    come from an inverted index, not from comparing every pair.
    """
    ordered = newest_first(reviews)
    rank = {r.incident.id: i for i, r in enumerate(ordered)}  # 0 = newest
    keys_of = {r.incident.id: _keys(r) for r in ordered}
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for review in ordered:  # newest first, so each list is too
        for key in keys_of[review.incident.id]:
            index[key].append(review.incident.id)
    titles = {r.incident.id: r.incident.title for r in ordered}

    result: dict[str, tuple[Related, ...]] = {}
    for review in ordered:
        me = review.incident.id
        scores: Counter[str] = Counter()
        for key in keys_of[me]:
            for other in index[key][:CANDIDATE_CAP]:
                if other != me:
                    scores[other] += WEIGHTS[key[0]]
        best = heapq.nsmallest(limit, scores, key=lambda other: (-scores[other], rank[other], other))
        result[me] = tuple(
            Related(
                id=other,
                title=titles[other],
                reasons=tuple(
                    f"{_REASON[kind]}: {value}"
                    for kind, value in sorted(keys_of[me] & keys_of[other], key=lambda k: (_KIND_ORDER[k[0]], k[1]))
                ),
            )
            for other in best
        )
    return result
