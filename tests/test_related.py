"""Related incidents: shared services, tags and cause words, closeness in time;
ranked, capped, explained, never from a factor category alone."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st

from pir_reviews.core import related as rel
from pir_reviews.core.models import (
    Classification,
    Completeness,
    ContributingFactor,
    Incident,
    Review,
    RootCause,
    Timeline,
)

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def review(id: str, day: float = 0, services=("api",), tags=(), categories=(), trigger=None, cause=None) -> Review:
    incident = Incident(
        id=id, title=f"Incident {id}", started_at=START + timedelta(days=day), services=tuple(services),
        summary="s", tags=tuple(tags),
        root_cause=RootCause(summary=cause, trigger=trigger,
                             contributing_factors=tuple(ContributingFactor("f", c) for c in categories)),
    )
    classification = Classification(severity="sev3", confidence=0.8, reasons=(), teams=(), response_targets={},
                                     initial_actions=(), escalation_path=(), communication_subject="",
                                     communication_body="")
    timeline = Timeline(events=(), milestones={}, metrics={}, phases=(), gaps=(), gap_threshold_min=30, targets=(),
                        severity=None)
    return Review(incident, classification, timeline, Completeness(0, (), "", True), as_of=date(2025, 1, 1))


def ids(found) -> list[str]:
    return [r.id for r in found]


def test_services_outrank_tags_outrank_words_and_each_says_why():
    me = review("ME", 100, services=("db",), tags=("cache",), cause="A backtracking regex exhausted the CPU")
    by_service = review("S", 0, services=("db",))
    by_tag = review("T", 10, services=("x",), tags=("cache",))
    by_words = review("W", 5, services=("y",), trigger="Catastrophic backtracking in a regex rule")
    found = rel.related([by_words, me, by_tag, by_service])["ME"]
    assert ids(found) == ["S", "T", "W"]
    assert [r.reasons for r in found] == [
        ("shared service: db",), ("shared tag: cache",), ("shared trigger or root-cause words: backtracking, regex",)]


def test_never_related_on_a_factor_category_or_on_time_alone():
    me = review("ME", 0, services=("a",), categories=("process", "technology"))
    same_day = review("D", 0.1, services=("b",), categories=("process", "technology"))
    assert rel.related([me, same_day]) == {"ME": (), "D": ()}


def test_one_shared_word_is_not_enough_and_common_words_never_count():
    me = review("ME", 0, services=("a",), cause="The incident was caused by an error in the service")
    other = review("O", 1, services=("b",), cause="An error in the service caused the incident; a timeout too")
    single = review("X", 2, services=("c",), cause="A timeout on the queue")
    found = rel.related([me, other, single])
    assert found["ME"] == () and found["X"] == ()  # "timeout" alone: one point


def test_a_word_used_by_many_incidents_is_not_distinctive():
    many = [review(f"M{i}", i, services=(f"s{i}",), cause="kubernetes nodes drained") for i in range(12)]
    assert all(v == () for v in rel.related(many).values())  # 12 > max(3, sqrt(12)) uses each


def test_plurals_count_as_their_singular():
    a = review("A", 0, services=("x",), cause="Slow queries on replicas")
    b = review("B", 1, services=("y",), cause="One slow query hit the replica")
    assert rel.related([a, b])["A"][0].reasons[0] == "shared trigger or root-cause words: query, replica, slow"


def test_closeness_in_time_ranks_and_is_explained():
    me = review("ME", 100, tags=("dns",), services=("a",))
    near = review("NEAR", 102, tags=("dns",), services=("b",))
    far = review("FAR", 10, tags=("dns",), services=("c",))
    found = rel.related([far, me, near])["ME"]
    assert ids(found) == ["NEAR", "FAR"]
    assert found[0].reasons == ("shared tag: dns", "started 2d apart")
    assert found[1].reasons == ("shared tag: dns",)


def test_ties_go_to_the_nearer_in_time_then_id_and_the_limit_holds():
    reviews = [review("ME", 50), review("B", 60), review("A", 60), review("C", 39), review("Z", 0)]
    found = rel.related(reviews, limit=3)
    assert ids(found["ME"]) == ["A", "B", "C"]
    assert rel.related(list(reversed(reviews)), limit=3) == found


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["a", "b", "c"]), st.sampled_from(["", "dns", "tls"]),
                          st.sampled_from(["", "regex backtracking", "disk full", "regex cache"])),
                min_size=1, max_size=12), st.randoms())
def test_order_of_the_input_changes_nothing_and_links_are_explained(rows, rnd):
    reviews = [review(f"I{i}", day, services=(svc,), tags=(tag,) if tag else (), cause=cause or None)
               for i, (day, svc, tag, cause) in enumerate(rows)]
    found = rel.related(reviews)
    shuffled = list(reviews)
    rnd.shuffle(shuffled)
    assert rel.related(shuffled) == found
    for me, links in found.items():
        assert me not in ids(links) and len(links) <= 5 and len(set(ids(links))) == len(links)
        assert all(any(r.startswith("shared ") for r in link.reasons) for link in links)


def test_candidates_stay_capped_on_a_large_archive():
    """Near-linear: every incident scores at most CANDIDATE_CAP others per key, however large the archive."""
    rng = random.Random(5)
    words = [f"word{i}" for i in range(300)]
    reviews = [
        review(f"INC-{i:05d}", i / 24, services=(f"svc-{i % 40}", "shared-everywhere"), tags=(f"tag-{i % 7}",),
               categories=("process",), cause=" ".join(rng.sample(words, 4)))
        for i in range(10_000)
    ]
    index = rel._Index(reviews)
    assert max(len(index.candidates(p)) for p in range(0, 10_000, 97)) <= rel.CANDIDATE_CAP * 7
    assert all(len(index.members[key]) <= 100 for key in index.members if key[0] == "word")
    found = rel.related(reviews)
    assert len(found) == 10_000 and all(len(v) == 5 for v in found.values())
    # A key with more incidents than the cap counts only for the nearest: "shared-everywhere" adds its
    # points to INC-04960 (40 hours away), not to INC-04720 (which shares svc-0 and tag-2, 12 days away).
    assert [r.id for r in found["INC-05000"][:2]] == ["INC-04960", "INC-05040"]
    assert found["INC-05000"][0].reasons == ("shared service: shared-everywhere", "shared service: svc-0",
                                             "started 1d 16h apart")
