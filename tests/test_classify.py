"""Unit tests of the classifier's rules, its response plan and its output formats."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.load import sniff as inputs
from pir_reviews.core.classify import (
    DEFAULT_REASON,
    check_declared,
    classify,
    classify_input_from_incident,
    severity_for_share,
)
from pir_reviews.core.mentions import words
from pir_reviews.core.signals import SIGNALS, find_mentions
from pir_reviews.core.matrix import level
from pir_reviews.core.models import SEVERITIES, ClassifyInput, Impact, Incident, RootCause
from pir_reviews.report.classification import as_json, as_markdown, as_text


def run(text: str = "", services: tuple[str, ...] = (), declared: str | None = None, **impact):
    return classify(ClassifyInput(text=text, services=services, impact=Impact(**impact), declared=declared))


# ---- impact fields -----------------------------------------------------------


@pytest.mark.parametrize(
    "pct, expected",
    [(100, "sev1"), (75.1, "sev1"), (75, "sev2"), (50, "sev2"), (25, "sev2"), (24.99, "sev3"), (0.1, "sev3"), (0, "sev4")],
)
def test_share_of_users_follows_the_matrix(pct, expected):
    assert severity_for_share(pct) == expected
    result = run(users_affected_pct=pct)
    assert result.severity == expected
    assert result.confidence == 0.9
    assert result.reasons[0].startswith(f"{pct:g}% of users affected (")
    assert result.reasons[0].endswith(f"-> {expected}")


def test_share_reason_words():
    assert run(users_affected_pct=82).reasons[0] == "82% of users affected (more than 75%) -> sev1"
    assert run(users_affected_pct=30).reasons[0] == "30% of users affected (25% to 75%) -> sev2"
    assert run(users_affected_pct=3).reasons[0] == "3% of users affected (fewer than 25%) -> sev3"


@pytest.mark.parametrize("field", ["complete_outage", "data_loss", "security"])
def test_sev1_fields(field):
    result = run(users_affected_pct=2, **{field: True})
    assert result.severity == "sev1"
    assert result.confidence == 0.9


def test_sla_breach_is_at_least_sev2():
    assert run(sla_breached=True).severity == "sev2"
    assert run(sla_breached=True, users_affected_pct=1).severity == "sev2"
    assert run(sla_breached=True, users_affected_pct=90).severity == "sev1"
    assert run(sla_breached=True, workaround=True).severity == "sev2"


def test_workaround_lowers_one_level_within_limits():
    assert run(users_affected_pct=90, workaround=True).severity == "sev2"
    assert run(users_affected_pct=50, workaround=True).severity == "sev3"
    assert run(users_affected_pct=5, workaround=True).severity == "sev3"
    assert run(workaround=True).severity == "sev3"
    assert run(complete_outage=True, workaround=True).severity == "sev2"
    lowered = run(users_affected_pct=90, workaround=True)
    assert "workaround available -> lowered from sev1 to sev2" in lowered.reasons


@pytest.mark.parametrize("field", ["data_loss", "security"])
def test_workaround_never_lowers_data_loss_or_security(field):
    result = run(workaround=True, **{field: True})
    assert result.severity == "sev1"
    assert "a workaround does not lower a sev1 for data loss or exposure" in result.reasons


def test_internal_only_is_sev4_unless_data_lost_or_exposed():
    assert run(internal_only=True, users_affected_pct=80).severity == "sev4"
    assert run(internal_only=True, complete_outage=True).severity == "sev4"
    assert run(internal_only=True, data_loss=True).severity == "sev1"
    assert run(internal_only=True, security=True).severity == "sev1"
    # Text about data lost in staging is not user data lost (this expectation
    # was sev1 before text scope was read); data exposed there still is sev1.
    staging = run("staging database lost all rows; data loss confirmed")
    assert staging.severity == "sev4"
    assert any("in an internal or non-production system, not user data; ignored" in r for r in staging.reasons)
    assert run("the staging bucket with customer exports was publicly readable").severity == "sev1"


def test_false_field_overrules_the_text():
    result = run("possible data loss", data_loss=False)
    assert result.severity == "sev3"
    assert result.confidence == 0.3
    assert 'text mentions "data loss" but impact.data_loss is false; ignored' in result.reasons
    assert run("staging only", internal_only=False, users_affected_pct=50).severity == "sev2"


def test_text_internal_does_not_override_stated_customer_impact():
    result = run("we tried it on staging first", users_affected_pct=40)
    assert result.severity == "sev2"
    assert any("impact fields state customer impact; ignored" in r for r in result.reasons)


def test_fields_decide_the_breadth_over_the_text():
    result = run("the whole site is down for all users", users_affected_pct=10)
    assert result.severity == "sev3"
    assert any(r.endswith("the impact fields state the breadth; ignored") for r in result.reasons)


def test_text_that_agrees_with_the_fields_raises_confidence():
    assert run("the site is down for all users", users_affected_pct=90).confidence == 0.95
    assert run("", users_affected_pct=90).confidence == 0.9


# ---- text signals -------------------------------------------------------------


def test_nothing_matched_defaults_to_sev3_with_low_confidence():
    result = run("the cron host rebooted")
    assert (result.severity, result.confidence, result.reasons) == ("sev3", 0.3, (DEFAULT_REASON,))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the website was down", "sev1"),
        ("total outage in us-east", "sev1"),
        ("every customer got an error", "sev1"),
        ("billing service outage", "sev1"),
        ("the search service is down", "sev2"),
        ("image thumbnails offline", "sev2"),
        ("data corruption in the ledger", "sev1"),
        ("we lost customer records", "sev1"),
        ("API keys were leaked in logs", "sev1"),
        ("unauthorized access to the admin panel", "sev1"),
        ("we breached our SLA", "sev2"),
        ("SLA violation for two tenants", "sev2"),
        ("elevated error rates", "sev3"),
        ("intermittent timeouts", "sev3"),
        ("a small subset of users saw blank pages", "sev3"),
        ("only 10% of users were affected", "sev3"),
        ("90% of customers could not pay", "sev1"),
        ("the sandbox cluster went down", "sev4"),
        ("non-production database outage", "sev4"),
    ],
)
def test_text_signals(text, expected):
    result = run(text)
    assert result.severity == expected, result.reasons
    assert 0.55 <= result.confidence <= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "no data loss occurred",
        "No data loss.",
        "without any data loss",
        "zero data loss",
        "there is no evidence of data corruption",
        "data loss was ruled out",
        "the database was not down",
        "the API wasn't down",
        "the API wasn\u2019t down",
        "never completely down",
        "no SLA breached",
        "customer data was not exposed; no customer data was exposed",
    ],
)
def test_negated_mentions_are_ignored_and_reported(text):
    result = run(text)
    assert result.severity == "sev3"
    assert result.confidence == 0.3
    assert any("which is negated; ignored" in r for r in result.reasons), result.reasons


def test_a_phrase_negated_for_two_kinds_is_reported_once():
    # "nothing fully down" is negated both as a complete outage and as an outage.
    reasons = run("nothing fully down, but checkout is slow for some shoppers").reasons
    negated = [r for r in reasons if "which is negated; ignored" in r]
    assert negated == ['text mentions "nothing fully down", which is negated; ignored'], reasons


def test_negation_stays_in_its_clause():
    assert run("no alerts fired, and the site was down").severity == "sev1"
    assert run("no alerts fired; data loss confirmed").severity == "sev1"
    assert run("not paged until late but data was lost").severity == "sev1"


@pytest.mark.parametrize(
    "text",
    ["download page", "the shutdown script", "breakdown of costs", "countdown timer", "lossless codec",
     "a memory leak", "rundown of the week", "slowed down a bit", "latency went down to 20ms", "scroll down the page",
     "internal server error", "touchdown"],
)
def test_substring_and_sense_traps_do_not_fire_outage_loss_leak_or_internal(text):
    for kind in ("outage", "complete_outage", "data_loss", "exposure", "internal"):
        assert find_mentions(text, SIGNALS[kind]).kept == (), (kind, text)


def test_mentions_are_whole_words_case_insensitive_and_in_text_order():
    found = find_mentions("OUTAGES then Downtime, then an outage", SIGNALS["outage"])
    assert found.kept == ("outages", "downtime", "outage")


@given(st.lists(st.text("abcdeos' ", min_size=1, max_size=6).map(str.strip).filter(bool), min_size=1, max_size=12),
       st.text("abcdeos' ", max_size=8))
@settings(max_examples=100, deadline=None)
def test_a_word_tree_matches_exactly_the_words_given(spelled, probe):
    """words() builds a tree of letters; it must match what the plain alternation of the same words matches."""
    listed = [w.replace(" ", "_") for w in spelled]
    tree = re.compile(rf"(?:{words(' '.join(listed))})")
    plain = {w.replace("_", " ") for w in listed}
    for candidate in [*plain, probe.strip()]:
        assert bool(tree.fullmatch(candidate)) == (candidate in plain), (listed, candidate)


def test_reasons_quote_text_and_are_ordered_fields_then_text_then_notes():
    result = run("Customer data was exposed. No data loss occurred.", users_affected_pct=5)
    assert result.reasons == (
        "5% of users affected (fewer than 25%) -> sev3",
        'text mentions "customer data was exposed" (data exposed or a security breach) -> sev1',
        'text mentions "no data loss", which is negated; ignored',
    )
    assert result.severity == "sev1"


# ---- response plan --------------------------------------------------------------


def test_teams_are_roles_then_specialists_by_name_then_owners_by_name():
    result = run("Checkout broke; credentials leaked", services=("web", "payments-db", "edge-dns", "web", "Billing"),
                 users_affected_pct=90)
    roles = level("sev1").escalation
    assert result.teams == (*roles, "Database team", "Network team", "Payments team", "Security team",
                            "Billing owners", "edge-dns owners", "payments-db owners", "web owners")


def test_teams_come_from_services_not_from_a_word_in_the_text():
    # An endpoint-security outage whose impact mentions payment terminals.
    result = run("The endpoint agent update blocked payment terminals and the database admin laptops in all stores",
                 services=("endpoint-security",), users_affected_pct=30)
    assert "Payments team" not in result.teams and "Database team" not in result.teams
    assert result.teams == (*level(result.severity).escalation, "Security team", "endpoint-security owners")
    assert run("payments are failing at checkout", users_affected_pct=90).teams == level("sev1").escalation


def test_team_order_does_not_depend_on_input_order():
    a = run("database and dns trouble", services=("b", "a", "c"), users_affected_pct=30)
    b = run("dns and database trouble", services=("c", "b", "a"), users_affected_pct=30)
    assert a.teams == b.teams
    assert len(a.teams) == len(set(a.teams))


def test_response_targets_and_escalation_come_from_the_matrix():
    for sev, kwargs in (("sev1", {"users_affected_pct": 90}), ("sev2", {"users_affected_pct": 50}),
                        ("sev3", {"users_affected_pct": 5}), ("sev4", {"internal_only": True})):
        row = level(sev)
        result = run(**kwargs)
        assert result.severity == sev
        assert dict(result.response_targets) == {
            "acknowledge": row.acknowledge_min, "first_update": row.first_update_min,
            "update_interval": row.update_interval_min, "mitigate": row.mitigate_min, "resolve": row.resolve_min,
        }
        assert result.escalation_path == row.escalation
        assert f"Acknowledge within {row.acknowledge_min} minutes" in result.initial_actions[0 if sev in ("sev3", "sev4") else 1]


def test_conditional_actions_follow_the_signals():
    exposed = run("customer data was exposed")
    assert "Engage the security team and preserve evidence (logs, access records) before changing anything" in exposed.initial_actions
    assert not any("security team" in a for a in run("the site is down").initial_actions)
    assert any("snapshot" in a for a in run(data_loss=True).initial_actions)
    assert any("workaround" in a for a in run(users_affected_pct=40, workaround=True).initial_actions)


def test_communication_uses_only_input_facts_and_bracketed_placeholders():
    result = run("Checkout returns 500 errors. The pool is exhausted.", services=("payment-api",), users_affected_pct=45)
    assert result.communication_subject == "[SEV2] Checkout returns 500 errors (payment-api)"
    assert result.communication_body == (
        "Status: [investigating / identified / monitoring / resolved]\n"
        "Severity: SEV2 (Major)\n"
        "What is affected: payment-api, 45% of users\n"
        "What people see: Checkout returns 500 errors.\n"   # the first sentence only
        "Since: [start time, UTC]\n"
        "What we are doing: [what we are doing now]\n"
        "Incident commander: [name]\n"
        "Next update: within 60 minutes, by [time, UTC]\n")
    bare = run("")
    assert "What is affected: [affected services], [share of users affected]" in bare.communication_body
    assert "What people see: [what customers see, in one sentence]" in bare.communication_body
    assert bare.communication_subject == "[SEV3] Minor incident"


def test_communication_from_a_file_says_what_the_file_states():
    incident = Incident(
        id="INC-1", title="Card payments failing at checkout", started_at=datetime(2024, 3, 15, 14, 30, tzinfo=timezone.utc),
        services=("payment-api",), summary="A long summary. " * 20, status="identified", commander="Mike Rodriguez",
        impact=Impact(users_affected_pct=80, description="Long impact text " * 20),
        root_cause=RootCause(summary="The root cause, which a first message must not paste."),
        lines={"status": 4})
    c = classify(classify_input_from_incident(incident))
    assert c.communication_subject == "[SEV1] Card payments failing at checkout (payment-api)"
    assert c.communication_body == (
        "Status: Identified\n"
        "Severity: SEV1 (Critical)\n"
        "What is affected: payment-api, 80% of users\n"
        "What people see: Card payments failing at checkout\n"
        "Since: 2024-03-15 14:30 UTC\n"
        "What we are doing: We have found the cause and are working on a fix.\n"
        "Incident commander: Mike Rodriguez\n"
        "Next update: within 30 minutes, by [time, UTC]\n")
    unstated = classify(classify_input_from_incident(Incident(**{**incident.__dict__, "lines": {}})))
    assert unstated.communication_body.startswith("Status: [investigating / identified / monitoring / resolved]\n")


def test_partial_v1_input_fills_the_draft():
    data = b"title: Search is slow\nstatus: investigating\ncommander: Ana\nstarted_at: 2026-02-26T15:12:00Z\n"
    c = classify(inputs.classify_input(data, "partial.yaml"))
    assert "Status: Investigating\n" in c.communication_body and "Incident commander: Ana\n" in c.communication_body
    assert "Since: 2026-02-26 15:12 UTC\n" in c.communication_body
    assert c.communication_subject == "[SEV3] Search is slow"


# ---- declared severity --------------------------------------------------------------


def test_check_declared_with_field_evidence_flags_any_difference():
    c = run(users_affected_pct=82)
    assert check_declared(c, "sev1").disagreement is None
    off = check_declared(c, "sev2")
    assert off.declared == "sev2"
    assert off.disagreement == (
        "declared sev2 but the evidence points to sev1 (confidence 0.90): 82% of users affected (more than 75%) -> sev1"
    )


def test_check_declared_with_text_evidence_needs_two_levels():
    c = run("the search service is down")  # sev2 from text
    assert check_declared(c, "sev3").disagreement is None
    assert check_declared(c, "sev4").disagreement.startswith("declared sev4 but the evidence points to sev2")


def test_check_declared_never_disagrees_when_nothing_matched():
    c = run("something happened")
    assert check_declared(c, "sev1").disagreement is None
    assert check_declared(c, None).declared is None


def test_check_declared_reports_an_unknown_value_and_normalises_case():
    assert "is not one of" in check_declared(run(users_affected_pct=50), "p1").disagreement
    assert check_declared(run(users_affected_pct=50), "SEV2").disagreement is None


def test_classify_applies_the_declared_severity():
    result = run(users_affected_pct=90, declared="sev3")
    assert result.declared == "sev3"
    assert result.disagreement and "points to sev1" in result.disagreement


def test_input_from_incident():
    incident = Incident(
        id="INC-1", title="Checkout down", started_at=datetime(2024, 3, 15, 14, 30, tzinfo=timezone.utc),
        services=("payment-api",), summary="  Pool exhausted.  ", severity="sev2",
        impact=Impact(users_affected_pct=80, description=None), root_cause=RootCause(summary="Pool too small"),
    )
    inp = classify_input_from_incident(incident)
    assert inp.text == "Checkout down\n\nPool exhausted.\n\nPool too small"
    assert inp.services == ("payment-api",) and inp.declared == "sev2" and inp.impact.users_affected_pct == 80
    assert classify(inp).disagreement.startswith("declared sev2 but the evidence points to sev1")


# ---- output formats ------------------------------------------------------------------


def test_as_json_has_stable_keys_and_round_trips():
    data = as_json(run("checkout down", services=("pay",), declared="sev3"))
    assert list(data) == ["severity", "confidence", "reasons", "teams", "response_targets", "initial_actions",
                          "escalation_path", "communication", "declared", "disagreement"]
    assert list(data["communication"]) == ["subject", "body"]
    assert list(data["response_targets"]) == ["acknowledge", "first_update", "update_interval", "mitigate", "resolve"]
    assert json.loads(json.dumps(data)) == data


def test_as_text_heading_and_sections():
    text = as_text(run("Customer data was exposed", users_affected_pct=30))
    lines = text.splitlines()
    assert lines[0] == "SEV1 (Critical), confidence 0.55"  # the text, not the share, decided
    assert "Why:" in lines and "Teams:" in lines and "Initial actions:" in lines
    assert '  - text mentions "customer data was exposed" (data exposed or a security breach) -> sev1' in lines
    assert "  - Acknowledge: 5m" in lines
    assert "Escalation path: On-call engineer -> Incident commander -> Engineering manager -> VP Engineering -> CTO" in lines


def test_as_markdown_escapes_input_text():
    md = as_markdown(run("<script>alert(1)</script> site is down for *all users*", services=("<b>web</b>",)))
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert "*all users*" not in md
    assert md.startswith("**SEV1 (Critical)")
    assert "| Acknowledge | 5m |" in md


# ---- properties ------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["the", "site", "is", "down", "not", "no", "data", "loss", "all", "users", "slow", "workaround", "staging",
     "SLA", "breached", "checkout", "exposed", "customer", "degraded", "outage", ",", ".", "but", "download", "40%", "of"]
)
TEXT = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=25).map(" ".join))
IMPACT = st.builds(
    Impact,
    users_affected_pct=st.none() | st.floats(min_value=0, max_value=100, allow_nan=False),
    sla_breached=st.none() | st.booleans(), data_loss=st.none() | st.booleans(), security=st.none() | st.booleans(),
    workaround=st.none() | st.booleans(), complete_outage=st.none() | st.booleans(), internal_only=st.none() | st.booleans(),
)
INPUT = st.builds(ClassifyInput, text=TEXT, services=st.lists(st.sampled_from(["api", "db", "web", "payments"]), max_size=3).map(tuple),
                  impact=IMPACT, declared=st.none() | st.sampled_from(SEVERITIES))


@settings(max_examples=80, deadline=None)
@given(INPUT)
def test_classify_is_pure_and_bounded(inp):
    first, second = classify(inp), classify(inp)
    assert first == second
    assert as_text(first) == as_text(second)
    assert first.severity in SEVERITIES
    assert 0 <= first.confidence <= 1 and round(first.confidence, 2) == first.confidence
    assert first.reasons and first.teams == tuple(dict.fromkeys(first.teams))


@settings(max_examples=80, deadline=None)
@given(INPUT, st.sampled_from([" ", ". ", "\n\n", ", "]))
def test_adding_a_negated_data_loss_never_raises_severity(inp, separator):
    before = classify(inp)
    after = classify(ClassifyInput(text=inp.text + separator + "no data loss occurred", services=inp.services,
                                   impact=inp.impact, declared=inp.declared))
    assert SEVERITIES.index(after.severity) >= SEVERITIES.index(before.severity)
