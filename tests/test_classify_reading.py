"""How the classifier reads who and what a sentence is about: a belief or a
report the text refutes, test and demo accounts that are not customers, a
harmless word (typo, VPN, staff) next to a loss or an exposure, exposure and
loss told by what happened, and one feature broken for everyone against
everything down. Each test checks the level and that a reason quotes the
words that decided it."""

from __future__ import annotations

import pytest

from pir_reviews.core.modality import REACH

from classifyhelp import check, run


# ---- reported or believed, then refuted ----------------------------------------


@pytest.mark.parametrize(
    "text, expected, quoted",
    [
        # the people who use the product saw something wrong; the data is safe
        ("Shoppers think their wish lists were erased, but the lists are still stored.", "sev3", "still stored"),
        ("Members say their notes vanished; the notes come back after a refresh.", "sev3", "come back"),
        # nothing happened
        ("A blog post alleged that our user database had leaked; the claim was false.", "sev4", "claim was false"),
        ("The dashboard suggested invoices were deleted, but it turned out to be a display bug.", "sev4",
         "turned out to be a display bug"),
        ("Ops feared the audit tables had been dropped, but they were all intact.", "sev4", "were all intact"),
        ("Monitoring flagged that tokens might have been exposed; the review found no sign of it.", "sev4", "found no sign"),
    ],
)
def test_a_report_the_text_refutes_is_not_the_fact(text, expected, quoted):
    check(text, expected, quoted)
    assert any("refutes it" in reason for reason in run(text).reasons)


@pytest.mark.parametrize(
    "text, quoted",
    [
        # an unrefuted report counts: a report of harm is acted on until ruled out
        ("Two clinics report that their patient notes are gone since the update.", "notes are gone"),
        ("A user says she could see other people's receipts; we are still checking.", "other people's receipts"),
        # a copy being safe does not refute the loss of the original
        ("It looks like the orders table was wiped. The backups are still in the bucket.", "orders table was wiped"),
    ],
)
def test_a_report_nothing_refutes_still_counts(text, quoted):
    check(text, "sev1", quoted)


def test_a_refutation_far_from_the_report_does_not_refute_it():
    text = "Customers think their photos were deleted. " + "We are looking into it. " * (REACH // 20) + "The photos are still stored."
    check(text, "sev1", "photos were deleted")


# ---- test and demo accounts are not customers ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Refunds failed for the demo shopper account used in sales calls.",
        "Our sandbox tenant cannot sign in after the SSO change.",
        "Invoices for the dummy customers in the seed data came out blank.",
    ],
)
def test_stand_ins_for_customers_are_not_customers(text):
    result = run(text)
    assert result.severity == "sev4", result.reasons
    assert any("internal-only or non-production" in reason for reason in result.reasons), result.reasons


def test_real_customers_next_to_a_test_account_are_still_customers():
    check("Three customers and the QA merchant account report that search is slow.", "sev3", "three customers")


# ---- a harmless word does not hide a loss, an exposure or an outage -------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("A typo in the cleanup query deleted all saved payment methods.", "deleted all saved payment"),
        ("A stray emoji in a coupon name crashed the cart service for every shopper.", "every shopper"),
        ("A typo in the load balancer config broke sign-in for all users.", "for all users"),
    ],
)
def test_a_cosmetic_word_that_names_the_cause_is_not_cosmetic(text, quoted):
    check(text, "sev1", quoted)


def test_a_cosmetic_word_that_is_the_fault_still_is():
    assert run("A typo in the heading of the VPN sign-in page.").severity == "sev4"
    check("The wrong font on the settings page.", "sev4", "wrong font")


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("A former contractor's VPN login still worked and was used to download the CRM export.", "was used"),
        ("The API token of an engineer who left in June was used to read the billing tables.", "was used"),
    ],
)
def test_credentials_of_someone_who_left_used_are_an_exposure(text, quoted):
    check(text, "sev1", quoted)


def test_credentials_of_someone_who_left_never_used_are_not():
    assert run("A former employee's token was still active but was never used.").severity != "sev1"


# ---- exposure and loss told by what happened -----------------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("After the cache change a few patients opened a stranger's prescriptions.", "a stranger's prescriptions"),
        ("The reporting API returned invoices belonging to a different company.", "belonging to a different company"),
        ("Workspace search showed files from other workspaces.", "from other workspaces"),
        ("Some players found themselves signed in as another player.", "signed in as another player"),
    ],
)
def test_exposure_told_by_what_happened(text, quoted):
    check(text, "sev1", quoted)


@pytest.mark.parametrize(
    "text",
    [
        "Support received tickets from other customers about the same slow page.",
        "Support logged in as another user to reproduce the bug.",
    ],
)
def test_other_people_in_the_ordinary_course_are_not_an_exposure(text):
    assert run(text).severity != "sev1", run(text).reasons


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Someone dropped the invoices partition on the primary.", "dropped the invoices partition"),
        ("The reindex job purged thousands of active listings.", "purged thousands of active"),
        ("Reward points went back to zero for every member.", "points went back to zero"),
        ("Yesterday's appointments are no longer in the system.", "no longer in the system"),
        ("Restored contracts now open as blank PDFs.", "open as blank pdfs"),
    ],
)
def test_loss_told_by_what_happened(text, quoted):
    check(text, "sev1", quoted)


@pytest.mark.parametrize(
    "text",
    [
        "The hero image gets lost against the grey gradient background.",
        "We deleted all the stale feature flags after the launch.",
    ],
)
def test_loss_words_used_harmlessly_are_not_loss(text):
    assert run(text).severity != "sev1", run(text).reasons


# ---- one feature for everyone, or everything down ------------------------------


@pytest.mark.parametrize(
    "text, expected, quoted",
    [
        ("PDF exports fail for every customer.", "sev2", "one feature broken for everyone"),
        ("Everyone gets an error when they try to rename a folder.", "sev2", "one feature broken for everyone"),
        ("Sign-in is broken for every customer.", "sev1", "everyone or everything affected"),
        ("The storefront returns errors for all shoppers.", "sev1", "everyone or everything affected"),
        ("Every customer got an error.", "sev1", "everyone or everything affected"),
        ("Refunds fail for everyone.", "sev1", "everyone or everything affected"),
        ("Every customer gets errors from the load balancer.", "sev1", "everyone or everything affected"),
    ],
)
def test_one_feature_broken_for_everyone_against_everything_down(text, expected, quoted):
    check(text, expected, quoted)


@pytest.mark.parametrize(
    "text, expected, quoted",
    [
        ("Renewal reminders aren't being emailed to subscribers.", "sev2", "aren't being emailed"),
        ("The text on the pricing cards is hard to read.", "sev4", "hard to read"),
        ("The charts look squished on narrow screens.", "sev4", "squished"),
        ("The release bot in Slack stopped replying.", "sev4", "bot in slack"),
    ],
)
def test_stopped_sending_cosmetic_and_chat_bot_words(text, expected, quoted):
    check(text, expected, quoted)
