"""Related incidents: the other reviews a reader of one review should look at.

Why it works this way: links made from sharing a generic contributing-factor
category ("technology", "process") were noise, since nearly every incident
has one. Two incidents are related here only by what is specific to them:

- each shared service adds 4 points, each shared tag 2;
- each shared distinctive word of the trigger or the root-cause summary adds
  1, counting at most 3. A word is distinctive when it has four letters or
  more, is not a stop-word (STOP_WORDS: English function words and words
  every incident review uses, such as "incident", "error", "service"), and
  appears in the causes of few incidents: at most max(3, square root of the
  archive's size). Plurals count as their singular ("queries" as "query").
- Two incidents are related when these add up to at least RELATED_MIN (2): a
  tag, a service, or two distinctive words. A factor category never counts,
  and neither does time on its own.
- Starting within CLOSE_DAYS of each other adds 1 to the rank of incidents
  already related.

Each incident lists at most `limit` others, by rank, then by closeness in
time, then by id, each with its reasons in words. Nothing depends on input
order.

Near-linear on a large archive: an inverted index maps each service, tag and
word to its incidents in time order, and each key offers as candidates only
the CANDIDATE_CAP incidents nearest in time to the one being linked; its
points go to those candidates only. So a service shared by thousands of
incidents links each one to its neighbours in time, not to all of them. A
word used by many incidents is not distinctive and has no index entry at all.

Pure: typed records in, typed records out.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from pir_reviews.core.models import Incident, Review
from pir_reviews.core.timeformat import duration

POINTS = {"service": 4, "tag": 2, "word": 1}
WORD_POINTS_MAX = 3
RELATED_MIN = 2
CLOSE_DAYS = 7
CANDIDATE_CAP = 100
_WORDS_SHOWN = 5

STOP_WORDS = frozenset("""
    about above after again against also another back because been before began being below between both cannot
    cause caused causing change could customer does doing down during each error even ever every failed failing
    failure first from further have having here hour incident instead into issue itself just last leading left
    like made make many minute more most much must never none once only other over part problem production
    request result resulted root same service should since some start started still stopped such system team
    than that their them then there these they this those through time under until used user using very well
    were what when where which while whole whom whose will with within without would your yours
""".split())

_WORD = re.compile(r"[^\W\d_][^\W_]{3,}")


@dataclass(frozen=True)
class Related:
    id: str
    title: str
    reasons: tuple[str, ...]  # e.g. "shared service: payments-api"


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


def cause_words(incident: Incident) -> frozenset[str]:
    """The candidate distinctive words of an incident's trigger and root-cause summary."""
    text = " ".join(part for part in (incident.root_cause.trigger, incident.root_cause.summary) if part).lower()
    words = {_singular(word) for word in _WORD.findall(text) if word not in STOP_WORDS}
    return frozenset(words - STOP_WORDS)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


Key = tuple[str, str]  # ("service" | "tag" | "word", value)


class _Index:
    """The archive in time order, each incident's keys, and the incidents of each key."""

    def __init__(self, reviews: Sequence[Review]):
        ordered = sorted(reviews, key=lambda r: (_utc(r.incident.started_at), r.incident.id))
        self.incidents = [r.incident for r in ordered]
        self.starts = [_utc(i.started_at) for i in self.incidents]
        self.seconds = [int(at.timestamp()) for at in self.starts]
        words = [cause_words(i) for i in self.incidents]
        used = Counter(word for found in words for word in found)
        most = max(3, math.isqrt(len(self.incidents)))
        self.keys: list[frozenset[Key]] = [
            frozenset({("service", s) for s in incident.services} | {("tag", t) for t in incident.tags}
                      | {("word", w) for w in found if used[w] <= most})
            for incident, found in zip(self.incidents, words)
        ]
        self.members: dict[Key, list[int]] = defaultdict(list)
        for position, keys in enumerate(self.keys):  # in time order, so every list is too
            for key in keys:
                self.members[key].append(position)

    def nearest(self, key: Key, position: int) -> list[int]:
        """The incidents of `key` nearest in time to `position` (itself included): at most CANDIDATE_CAP + 1."""
        members = self.members[key]
        if len(members) <= CANDIDATE_CAP + 1:
            return members
        at = bisect_left(members, position)
        low = max(0, min(at - CANDIDATE_CAP // 2, len(members) - CANDIDATE_CAP - 1))
        return members[low: low + CANDIDATE_CAP + 1]

    def candidates(self, position: int) -> set[int]:
        """The positions sharing a key with `position`, as the nearest-in-time cap allows."""
        found = {other for key in self.keys[position] for other in self.nearest(key, position)}
        found.discard(position)
        return found

    def points(self, position: int) -> dict[int, int]:
        """Points for each candidate of `position` (POINTS, words capped at WORD_POINTS_MAX)."""
        points: dict[int, int] = defaultdict(int)
        words: dict[int, int] = defaultdict(int)
        for key in self.keys[position]:
            if key[0] == "word":
                for other in self.nearest(key, position):
                    words[other] += 1
            else:
                weight = POINTS[key[0]]
                for other in self.nearest(key, position):
                    points[other] += weight
        for other, count in words.items():
            points[other] += POINTS["word"] * min(WORD_POINTS_MAX, count)
        points.pop(position, None)
        return points


def _reasons(shared: frozenset[Key], apart: timedelta, close: bool) -> tuple[str, ...]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in sorted(shared):
        by_kind[kind].append(value)
    reasons = [f"shared service: {s}" for s in by_kind["service"]]
    reasons += [f"shared tag: {t}" for t in by_kind["tag"]]
    if by_kind["word"]:
        reasons.append("shared trigger or root-cause words: " + ", ".join(by_kind["word"][:_WORDS_SHOWN]))
    if close:
        reasons.append(f"started {duration(apart.total_seconds() / 60)} apart")
    return tuple(reasons)


def related(reviews: Sequence[Review], limit: int = 5) -> dict[str, tuple[Related, ...]]:
    """Up to `limit` related incidents for each incident, most related first (rules in the module docstring)."""
    index = _Index(reviews)
    close_within = CLOSE_DAYS * 86400
    result: dict[str, tuple[Related, ...]] = {}
    for me, incident in enumerate(index.incidents):
        mine, scored = index.seconds[me], index.points(me)
        # Closeness adds at most 1, so only candidates within 1 point of the
        # limit-th best can make the list: the rest need no ranking.
        best = heapq.nlargest(limit, scored.values())
        floor = max(RELATED_MIN, best[-1] - 1) if best else RELATED_MIN
        ranked = []
        for other, points in scored.items():
            if points >= floor:
                apart = abs(mine - index.seconds[other])
                ranked.append((-(points + (apart <= close_within)), apart, index.incidents[other].id, other))
        links = []
        for _, apart, other_id, other in heapq.nsmallest(limit, ranked):
            shared = index.keys[me] & index.keys[other]
            links.append(Related(id=other_id, title=index.incidents[other].title,
                                 reasons=_reasons(shared, timedelta(seconds=apart), apart <= close_within)))
        result[incident.id] = tuple(links)
    return result
