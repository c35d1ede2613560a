"""What the archive as a whole says: browse groupings, statistics for the
insights page and the ledger of open action items (related incidents are in
generator.related).

Pure: typed records in, typed records out. Everything that could come out in an
arbitrary order is sorted, so the same archive always gives the same result.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable, Mapping, Sequence

from generator.models import SEVERITIES, ActionItem, Review

# The response metrics the insights page reports, in the order a response runs.
RESPONSE_METRICS = (
    "time_to_detect_min",
    "time_to_acknowledge_min",
    "time_to_contain_min",
    "time_to_mitigate_min",
    "time_to_resolve_min",
)

UNASSIGNED = "Unassigned"
TOP_SERVICES = 10
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


# ---- statistics ------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    """The middle value of the sorted values; for an even count, halfway between the two middle ones."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the value at rank ceil(p/100 * n) of the sorted values.

    Always one of the observed values, never an interpolation.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Distribution:
    """How one response metric spread over a group of incidents.

    `n` counts incidents whose value is known; `incidents` counts the group.
    """

    metric: str
    group: str  # "all" or a severity
    incidents: int
    n: int
    median: float | None
    p90: float | None
    min: float | None
    max: float | None
    values: tuple[float, ...]  # sorted, for plotting


def distribution(metric: str, group: str, reviews: Sequence[Review]) -> Distribution:
    """The spread of one metric over some reviews; unknown values are left out, not counted as 0."""
    values = []
    for review in reviews:
        value = review.timeline.metrics.get(metric)
        if value is not None and math.isfinite(value):
            values.append(float(value))
    values.sort()
    return Distribution(
        metric=metric,
        group=group,
        incidents=len(reviews),
        n=len(values),
        median=median(values),
        p90=percentile(values, 90),
        min=values[0] if values else None,
        max=values[-1] if values else None,
        values=tuple(values),
    )


@dataclass(frozen=True)
class FollowThrough:
    """What can honestly be said about action items, as of one day.

    Completion dates are not recorded, so "done on time" cannot be measured:
    `done_with_due` only says how many finished items had a due date.
    """

    total: int
    done: int
    done_with_due: int
    wont_do: int
    open_not_yet_due: int  # open or in progress, due today or later
    overdue: int  # open or in progress, due before as_of
    open_no_due: int  # open or in progress, no due date
    overdue_by_owner: tuple[tuple[str, int], ...]  # most first; Unassigned last


@dataclass(frozen=True)
class Insights:
    as_of: date
    incidents: int
    months: tuple[str, ...]  # "YYYY-MM", every month from the first incident to the last
    per_month: Mapping[str, tuple[int, ...]]  # severity -> count per month, aligned with months
    distributions: tuple[Distribution, ...]  # by metric, then "all", sev1..sev4
    factor_categories: tuple[tuple[str, int], ...]  # incidents per category, most first
    top_services: tuple[tuple[str, int], ...]  # incidents per service, at most TOP_SERVICES
    follow_through: FollowThrough


def _month_span(first: datetime, last: datetime) -> tuple[str, ...]:
    year, month = first.year, first.month
    months = []
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def owner_of(item: ActionItem) -> str:
    """The owner shown for an action item; a missing or blank owner is "Unassigned"."""
    return (item.owner or "").strip() or UNASSIGNED


def _owner_order(owner: str) -> tuple[int, str, str]:
    return (owner == UNASSIGNED, owner.casefold(), owner)


def _follow_through(reviews: Sequence[Review], as_of: date) -> FollowThrough:
    items = [item for review in reviews for item in review.incident.action_items]
    overdue = [item for item in items if item.overdue(as_of)]
    by_owner = Counter(owner_of(item) for item in overdue)
    return FollowThrough(
        total=len(items),
        done=sum(item.status == "done" for item in items),
        done_with_due=sum(item.status == "done" and item.due is not None for item in items),
        wont_do=sum(item.status == "wont_do" for item in items),
        open_not_yet_due=sum(item.is_open and item.due is not None and item.due >= as_of for item in items),
        overdue=len(overdue),
        open_no_due=sum(item.is_open and item.due is None for item in items),
        overdue_by_owner=tuple(
            sorted(by_owner.items(), key=lambda pair: (pair[0] == UNASSIGNED, -pair[1], pair[0].casefold(), pair[0]))
        ),
    )


def insights(reviews: Sequence[Review], as_of: date) -> Insights:
    """Archive-wide statistics: medians and percentiles, never means (see the insights page)."""
    ordered = sorted(reviews, key=lambda r: (_utc(r.incident.started_at), r.incident.id))
    months = _month_span(_utc(ordered[0].incident.started_at), _utc(ordered[-1].incident.started_at)) if ordered else ()
    position = {m: i for i, m in enumerate(months)}
    counts = {s: [0] * len(months) for s in SEVERITIES}
    for review in ordered:
        started = _utc(review.incident.started_at)
        counts.setdefault(review.severity, [0] * len(months))[position[f"{started.year:04d}-{started.month:02d}"]] += 1

    by_severity = groups(ordered).by_severity
    distributions = []
    for metric in RESPONSE_METRICS:
        distributions.append(distribution(metric, "all", ordered))
        for severity, members in by_severity.items():
            distributions.append(distribution(metric, severity, members))

    categories: Counter[str] = Counter()
    services: Counter[str] = Counter()
    for review in ordered:
        categories.update({f.category for f in review.incident.root_cause.contributing_factors if f.category})
        services.update(set(review.incident.services))

    def most_first(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))

    return Insights(
        as_of=as_of,
        incidents=len(ordered),
        months=months,
        per_month={s: tuple(c) for s, c in sorted(counts.items(), key=lambda kv: (kv[0] not in SEVERITIES, kv[0]))},
        distributions=tuple(distributions),
        factor_categories=tuple(most_first(categories)),
        top_services=tuple(most_first(services)[:TOP_SERVICES]),
        follow_through=_follow_through(ordered, as_of),
    )


# ---- the action-item ledger ------------------------------------------------------


@dataclass(frozen=True)
class LedgerItem:
    incident_id: str
    incident_title: str
    item: ActionItem
    owner: str  # "Unassigned" when missing
    overdue: bool


@dataclass(frozen=True)
class Ledger:
    """Every open or in-progress action item of the archive, as of one day."""

    as_of: date
    items: tuple[LedgerItem, ...]  # overdue first, then by due date, incident, title
    by_owner: tuple[tuple[str, tuple[LedgerItem, ...]], ...]  # owners by name, Unassigned last
    by_incident: tuple[tuple[str, tuple[LedgerItem, ...]], ...]  # incidents by id

    @property
    def overdue(self) -> int:
        return sum(entry.overdue for entry in self.items)

    @property
    def no_due(self) -> int:
        return sum(entry.item.due is None for entry in self.items)

    @property
    def in_progress(self) -> int:
        return sum(entry.item.status == "in_progress" for entry in self.items)


def _ledger_order(entry: LedgerItem) -> tuple:
    due = entry.item.due
    return (not entry.overdue, due is None, due or date.max, entry.incident_id, entry.item.title, entry.item.line)


def ledger(reviews: Sequence[Review], as_of: date) -> Ledger:
    """Collect open and in-progress action items; overdue ones (due before as_of) first."""
    entries = sorted(
        (
            LedgerItem(
                incident_id=review.incident.id,
                incident_title=review.incident.title,
                item=item,
                owner=owner_of(item),
                overdue=item.overdue(as_of),
            )
            for review in reviews
            for item in review.incident.action_items
            if item.is_open
        ),
        key=_ledger_order,
    )
    by_owner: dict[str, list[LedgerItem]] = defaultdict(list)
    by_incident: dict[str, list[LedgerItem]] = defaultdict(list)
    for entry in entries:
        by_owner[entry.owner].append(entry)
        by_incident[entry.incident_id].append(entry)
    return Ledger(
        as_of=as_of,
        items=tuple(entries),
        by_owner=tuple((owner, tuple(by_owner[owner])) for owner in sorted(by_owner, key=_owner_order)),
        by_incident=tuple((incident, tuple(by_incident[incident])) for incident in sorted(by_incident)),
    )
