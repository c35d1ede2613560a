"""How the archive is ordered and grouped for browsing: slugs, newest first,
neighbours in time, and the groups by service, severity, tag and year.

Pure: typed records in, typed records out. Everything that could come out in an
arbitrary order is sorted, so the same archive always gives the same result.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Mapping, Sequence

from pir_reviews.core.models import SEVERITIES, Review

_SLUG_MAX = 60


# ---- slugs -----------------------------------------------------------------------


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def slug(name: str) -> str:
    """A URL- and file-safe form of a name: lowercase ASCII letters, digits and dashes.

    Accents are dropped (é -> e); a name with nothing left (e.g. only CJK or
    punctuation) becomes "x-" and a short hash of the name, so it is never empty.
    Distinct names may share a slug: use `slugs()` when they must not.
    """
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_form.lower()).strip("-")
    text = text[:_SLUG_MAX].rstrip("-")
    return text or f"x-{_short_hash(name)}"


def slugs(names: Iterable[str]) -> dict[str, str]:
    """A unique slug for each distinct name, the same whatever order names come in.

    When several names share a slug, the one already equal to it (else the
    first in sorted order) keeps it and the others get a short hash of their
    own name appended.
    """
    by_base: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_base[slug(name)].append(name)
    result: dict[str, str] = {}
    used: set[str] = set()
    for base in sorted(by_base):
        group = by_base[base]
        keeper = base if base in group else group[0]
        result[keeper] = base
        used.add(base)
    for base in sorted(by_base):
        for name in by_base[base]:
            if name in result:
                continue
            candidate, extra = f"{base}-{_short_hash(name)}", 2
            while candidate in used:
                candidate, extra = f"{base}-{_short_hash(name)}-{extra}", extra + 1
            result[name] = candidate
            used.add(candidate)
    return result


# ---- ordering --------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def newest_first(reviews: Iterable[Review]) -> tuple[Review, ...]:
    """Reviews by start time, newest first; incidents that started together by id."""
    by_id = sorted(reviews, key=lambda r: r.incident.id)
    return tuple(sorted(by_id, key=lambda r: _utc(r.incident.started_at), reverse=True))


def utc_day(moment: datetime) -> str:
    """The UTC day of a moment, YYYY-MM-DD."""
    return _utc(moment).strftime("%Y-%m-%d")


def last_changed(review: Review) -> datetime:
    """When a review last changed, as far as the file says: its updated_at day
    (taken as 00:00 UTC), else the start of the incident, whichever is later.

    Declared in the file, not taken from git: a shallow CI clone has no
    history, and the same commit must always build the same site.
    """
    started = _utc(review.incident.started_at)
    updated = review.incident.updated_at
    if updated is None:
        return started
    return max(started, datetime(updated.year, updated.month, updated.day, tzinfo=timezone.utc))


def recently_changed(reviews: Iterable[Review]) -> tuple[Review, ...]:
    """Reviews by last change (see last_changed), newest first; ties by id."""
    by_id = sorted(reviews, key=lambda r: r.incident.id)
    return tuple(sorted(by_id, key=last_changed, reverse=True))


def recently_updated(reviews: Iterable[Review], limit: int = 5) -> tuple[Review, ...]:
    """Up to `limit` reviews that declare updated_at, most recently updated first."""
    updated = [r for r in recently_changed(reviews) if r.incident.updated_at is not None]
    return tuple(updated[:limit])


def neighbours(reviews: Sequence[Review]) -> dict[str, tuple[str | None, str | None]]:
    """For each incident id: the ids of the incidents just before and after it in time."""
    ordered = sorted(reviews, key=lambda r: (_utc(r.incident.started_at), r.incident.id))
    ids = [r.incident.id for r in ordered]
    return {
        current: (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)
        for i, current in enumerate(ids)
    }


# ---- browse groupings ------------------------------------------------------------


@dataclass(frozen=True)
class Browse:
    """Reviews grouped for the browse pages; every group lists newest first."""

    by_service: Mapping[str, tuple[Review, ...]]  # services in name order
    by_severity: Mapping[str, tuple[Review, ...]]  # sev1..sev4, only those present
    by_tag: Mapping[str, tuple[Review, ...]]  # tags in name order
    by_year: Mapping[int, tuple[Review, ...]]  # newest year first


def groups(reviews: Sequence[Review]) -> Browse:
    """Group reviews by service, severity (declared, else computed), tag and year."""
    services: dict[str, list[Review]] = defaultdict(list)
    severities: dict[str, list[Review]] = defaultdict(list)
    tags: dict[str, list[Review]] = defaultdict(list)
    years: dict[int, list[Review]] = defaultdict(list)
    for review in newest_first(reviews):
        incident = review.incident
        for service in sorted(set(incident.services)):
            services[service].append(review)
        for tag in sorted(set(incident.tags)):
            tags[tag].append(review)
        severities[review.severity].append(review)
        years[_utc(incident.started_at).year].append(review)
    severity_order = {s: i for i, s in enumerate(SEVERITIES)}
    return Browse(
        by_service={k: tuple(services[k]) for k in sorted(services)},
        by_severity={
            k: tuple(severities[k]) for k in sorted(severities, key=lambda s: (severity_order.get(s, len(SEVERITIES)), s))
        },
        by_tag={k: tuple(tags[k]) for k in sorted(tags)},
        by_year={k: tuple(years[k]) for k in sorted(years, reverse=True)},
    )
