"""Archive-wide statistics for the insights page: distributions with their n
(medians and nearest-rank percentiles, never means), incidents per month,
recurring factor categories, the busiest services and action-item follow-through.

Pure: typed records in, typed records out.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Mapping, Sequence

from pir_reviews.core.browse import groups
from pir_reviews.core.ledger import UNASSIGNED, owner_of
from pir_reviews.core.models import SEVERITIES, Review

# The response metrics the insights page reports, in the order a response runs.
RESPONSE_METRICS = (
    "time_to_detect_min",
    "time_to_acknowledge_min",
    "time_to_contain_min",
    "time_to_mitigate_min",
    "time_to_resolve_min",
)
TOP_SERVICES = 10


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


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
