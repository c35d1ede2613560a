"""Archive-wide analysis: slugs, groupings, statistics, ledger (related incidents: test_related.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.core.browse import groups as group_reviews, neighbours, slug, slugs
from pir_reviews.core.ledger import ledger as build_ledger
from pir_reviews.core.related import related as find_related
from pir_reviews.core.statistics import insights as compute_insights, median, percentile
from pir_reviews.core.models import (
    ActionItem,
    Classification,
    Completeness,
    ContributingFactor,
    Incident,
    Review,
    RootCause,
    Timeline,
)

AS_OF = date(2024, 6, 1)


def make_review(
    id: str,
    started: str = "2024-03-15T14:30:00",
    *,
    title: str | None = None,
    services: tuple[str, ...] = ("api",),
    tags: tuple[str, ...] = (),
    categories: tuple[str | None, ...] = (),
    severity: str | None = None,
    computed: str = "sev3",
    metrics: dict | None = None,
    actions: tuple[ActionItem, ...] = (),
    summary: str = "Something broke.",
) -> Review:
    """A review built by hand: the analysis under test only reads these fields."""
    incident = Incident(
        id=id,
        title=title or f"Incident {id}",
        started_at=datetime.fromisoformat(started).replace(tzinfo=timezone.utc),
        services=services,
        summary=summary,
        severity=severity,
        tags=tags,
        root_cause=RootCause(contributing_factors=tuple(ContributingFactor("factor", c) for c in categories)),
        action_items=actions,
    )
    classification = Classification(
        severity=computed, confidence=0.8, reasons=(), teams=(), response_targets={}, initial_actions=(),
        escalation_path=(), communication_subject="", communication_body="",
    )
    timeline = Timeline(
        events=(), milestones={}, metrics=dict(metrics or {}), phases=(), gaps=(), gap_threshold_min=30,
        targets=(), severity=None,
    )
    return Review(incident, classification, timeline, Completeness(0, (), "", True), as_of=AS_OF)


# ---- slugs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Payments API", "payments-api"),
        ("  --Crème brûlée__v2!! ", "creme-brulee-v2"),
        ("a...b///c", "a-b-c"),
    ],
)
def test_slug_examples(name, expected):
    assert slug(name) == expected


def test_slug_never_empty_and_stable_for_unsluggable_names():
    first = slug("支付")
    assert first.startswith("x-") and len(first) == 10
    assert slug("支付") == first
    assert slug("!!!") != first


def test_slugs_disambiguate_collisions_deterministically():
    names = ["Payments API", "payments-api", "payments api", "other"]
    result = slugs(names)
    assert result["payments-api"] == "payments-api"  # the name that already is its slug keeps it
    assert len(set(result.values())) == 4
    assert result["Payments API"].startswith("payments-api-")
    assert slugs(reversed(names)) == result
    assert slugs(names + ["zzz"])["Payments API"] == result["Payments API"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=12))
def test_slugs_always_unique_and_safe(names):
    result = slugs(names)
    assert set(result) == set(names)
    assert len(set(result.values())) == len(result)
    for value in result.values():
        assert value and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in value)
        assert not value.startswith("-") and not value.endswith("-")


# ---- ordering, related, groups ---------------------------------------------------


def test_neighbours_follow_start_time_then_id():
    reviews = [
        make_review("B", "2024-01-02T00:00:00"),
        make_review("A", "2024-01-02T00:00:00"),
        make_review("C", "2023-12-31T00:00:00"),
    ]
    assert neighbours(reviews) == {"C": (None, "A"), "A": ("C", "B"), "B": ("A", None)}


def test_groups_order_keys_and_list_newest_first():
    reviews = [
        make_review("A", "2023-05-01T00:00:00", services=("web", "api"), tags=("dns",), severity="sev2"),
        make_review("B", "2024-01-01T00:00:00", services=("api",), computed="sev1"),
        make_review("C", "2024-02-01T00:00:00", services=("api",), tags=("dns",), severity="sev2", computed="sev4"),
    ]
    browse = group_reviews(reviews)
    assert list(browse.by_service) == ["api", "web"]
    assert [r.incident.id for r in browse.by_service["api"]] == ["C", "B", "A"]
    assert list(browse.by_severity) == ["sev1", "sev2"]
    assert [r.incident.id for r in browse.by_severity["sev2"]] == ["C", "A"]
    assert [r.incident.id for r in browse.by_tag["dns"]] == ["C", "A"]
    assert list(browse.by_year) == [2024, 2023]


# ---- statistics ------------------------------------------------------------------


def test_median_and_nearest_rank_p90_on_known_samples():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
    assert percentile(list(range(1, 11)), 90) == 9  # rank ceil(9.0) = 9
    assert percentile([1, 2, 3, 4], 90) == 4  # rank ceil(3.6) = 4
    assert percentile([7], 90) == 7
    assert percentile([], 90) is None
    assert percentile(list(range(1, 21)), 90) == 18


def test_distributions_exclude_unknown_values_instead_of_counting_zero():
    reviews = [
        make_review("A", metrics={"time_to_detect_min": 10.0}, computed="sev1"),
        make_review("B", metrics={"time_to_detect_min": None}, computed="sev1"),
        make_review("C", metrics={"time_to_detect_min": 30.0}, computed="sev2"),
        make_review("D", metrics={}, computed="sev2"),
        make_review("E", metrics={"time_to_detect_min": 2.0}, computed="sev2"),
    ]
    result = compute_insights(reviews, AS_OF)
    detect = {d.group: d for d in result.distributions if d.metric == "time_to_detect_min"}
    assert list(detect) == ["all", "sev1", "sev2"]
    overall = detect["all"]
    assert (overall.incidents, overall.n) == (5, 3)
    assert (overall.median, overall.p90, overall.min, overall.max) == (10.0, 30.0, 2.0, 30.0)
    assert overall.values == (2.0, 10.0, 30.0)
    assert (detect["sev1"].n, detect["sev1"].median) == (1, 10.0)
    assert (detect["sev2"].incidents, detect["sev2"].n, detect["sev2"].median) == (3, 2, 16.0)
    resolve = {d.group: d for d in result.distributions if d.metric == "time_to_resolve_min"}
    assert resolve["all"].n == 0 and resolve["all"].median is None and resolve["all"].values == ()


def test_months_are_zero_filled_between_first_and_last():
    reviews = [
        make_review("A", "2023-11-20T00:00:00", computed="sev1"),
        make_review("B", "2024-02-01T00:00:00", computed="sev3"),
        make_review("C", "2024-02-28T23:59:00", severity="sev1"),
    ]
    result = compute_insights(reviews, AS_OF)
    assert result.months == ("2023-11", "2023-12", "2024-01", "2024-02")
    assert result.per_month["sev1"] == (1, 0, 0, 1)
    assert result.per_month["sev3"] == (0, 0, 0, 1)
    assert result.per_month["sev2"] == (0, 0, 0, 0)
    assert compute_insights([], AS_OF).months == ()


def test_categories_services_and_follow_through():
    def item(title, status="open", due=None, owner=None):
        return ActionItem(title=title, status=status, due=due, owner=owner)

    reviews = [
        make_review(
            "A",
            services=("api", "db"),
            categories=("process", "process", "technology"),
            actions=(
                item("late", due=date(2024, 5, 1), owner="ann"),
                item("late too", status="in_progress", due=date(2024, 1, 1)),
                item("future", due=date(2024, 6, 1), owner="bob"),
                item("finished", status="done", due=date(2024, 1, 1)),
            ),
        ),
        make_review(
            "B",
            services=("api",),
            categories=("process",),
            actions=(item("no date"), item("dropped", status="wont_do"), item("done2", status="done"),
                     item("late3", due=date(2024, 5, 30), owner=" ann ")),
        ),
    ]
    result = compute_insights(reviews, AS_OF)
    assert result.factor_categories == (("process", 2), ("technology", 1))
    assert result.top_services == (("api", 2), ("db", 1))
    ft = result.follow_through
    assert (ft.total, ft.done, ft.done_with_due, ft.wont_do) == (8, 2, 1, 1)
    assert (ft.overdue, ft.open_not_yet_due, ft.open_no_due) == (3, 1, 1)
    assert ft.overdue_by_owner == (("ann", 2), ("Unassigned", 1))


def test_top_services_capped_at_ten():
    reviews = [make_review(f"I{i}", services=(f"s{i:02d}",)) for i in range(15)]
    assert len(compute_insights(reviews, AS_OF).top_services) == 10


# ---- ledger ----------------------------------------------------------------------


def test_ledger_overdue_first_then_due_incident_title_and_grouping():
    reviews = [
        make_review(
            "INC-2",
            actions=(
                ActionItem("b later", due=date(2024, 9, 1), owner="zoe"),
                ActionItem("a overdue", due=date(2024, 5, 1)),
                ActionItem("closed", status="done", due=date(2024, 1, 1)),
            ),
        ),
        make_review(
            "INC-1",
            actions=(
                ActionItem("z no due", owner="amy"),
                ActionItem("y overdue", status="in_progress", due=date(2024, 5, 1), owner="amy"),
                ActionItem("x sooner", due=date(2024, 7, 1), owner="Bob"),
                ActionItem("dropped", status="wont_do"),
            ),
        ),
    ]
    book = build_ledger(reviews, AS_OF)
    assert [e.item.title for e in book.items] == ["y overdue", "a overdue", "x sooner", "b later", "z no due"]
    assert [e.overdue for e in book.items] == [True, True, False, False, False]
    assert (book.overdue, book.no_due, book.in_progress) == (2, 1, 1)
    assert [owner for owner, _ in book.by_owner] == ["amy", "Bob", "zoe", "Unassigned"]
    assert [e.item.title for e in dict(book.by_owner)["amy"]] == ["y overdue", "z no due"]
    assert [incident for incident, _ in book.by_incident] == ["INC-1", "INC-2"]
    assert book.items[0].incident_title == "Incident INC-1"
    assert build_ledger(list(reversed(reviews)), AS_OF) == book


def test_item_due_today_is_not_overdue():
    book = build_ledger([make_review("A", actions=(ActionItem("today", due=AS_OF),))], AS_OF)
    assert book.overdue == 0
