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


# ---- who left, whose name, whose things, quoted words, untouched, another way --


@pytest.mark.parametrize(
    "text, quoted",
    [
        # the one who left named as the one who still held access and took data
        ("A former consultant still had a live deploy key and copied the accounts table with it.", "former consultant"),
        ("A developer who resigned in May kept her database password and exported the invoices.", "developer who resigned"),
        # a use negated early in the sentence, a later one not
        ("An ex-employee whose login was never revoked signed in and downloaded the member list.", "ex-employee"),
    ],
)
def test_someone_who_left_holding_access_and_taking_data_is_an_exposure(text, quoted):
    check(text, "sev1", quoted)


@pytest.mark.parametrize(
    "text",
    [
        "An ex-contractor still had a VPN seat until the access review took it away.",
        "A former employee still held an SSH key; the audit shows it was never used.",
    ],
)
def test_someone_who_left_still_holding_access_unused_is_not(text):
    assert run(text).severity != "sev1", run(text).reasons


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Shipping labels printed another buyer's name and phone number.", "another buyer's name"),
        ("The last patient's phone number showed on the check-in screen.", "the last patient's phone number"),
        ("Neighbours could see each other's saved cards in the app.", "each other's saved cards"),
        ("The digest contained someone else's login link.", "someone else's login"),
    ],
)
def test_another_partys_name_or_way_in_is_an_exposure(text, quoted):
    check(text, "sev1", quoted)


def test_a_wrong_or_old_name_without_an_owner_is_cosmetic():
    check("The receipt shows the wrong shop name.", "sev4", "wrong shop name")
    check("The welcome email still uses the previous brand name.", "sev4", "previous brand name")


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Designers who saved mock-ups before the cut-over lost those mock-ups.", "lost those mock-ups"),
        ("The migration scrambled several schools' timetables.", "scrambled several schools'"),
        ("An upgrade clobbered the pupils' seating plans.", "clobbered the pupils' seating"),
        ("The restore swapped the imported price lists for blank ones.", "for blank ones"),
        ("The primary lost two days of payments.", "lost two days of payments"),
    ],
)
def test_loss_of_things_just_named_or_of_someones_things(text, quoted):
    check(text, "sev1", quoted)


@pytest.mark.parametrize(
    "text",
    [
        "A few drivers lost their connection for a moment in the tunnel.",
        "We lost those three cache nodes in the dev cluster overnight.",
        "The hero banner was replaced with a blank image while the designer fixed it.",
    ],
)
def test_losing_a_connection_a_node_or_an_image_is_not_data_loss(text):
    assert run(text).severity != "sev1", run(text).reasons


@pytest.mark.parametrize(
    "text, quoted",
    [
        ('Typo on the status banner: it says "Outtage" instead of "Outage".', "only quoted"),
        ("The error page heading reads \u201cServr unavailable\u201d, a spelling slip.", "only quoted"),
    ],
)
def test_outage_words_quoted_in_a_cosmetic_fault_are_the_words_shown(text, quoted):
    check(text, "sev4", quoted)


def test_an_outage_word_outside_the_quotes_still_counts():
    result = run('A typo in the banner says "Welcom"; the checkout is down.')
    assert result.severity == "sev1", result.reasons
    assert run('There is a typo in the banner and the app is down, showing "Sorry".').severity != "sev4"


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("The seed script wiped the QA database; production was never touched.", "production was never touched"),
        ("A bad cron job emptied the staging bucket, and customers were unaffected.", "customers were unaffected"),
        ("The dev cluster lost its volumes; prod remained untouched.", "prod remained untouched"),
    ],
)
def test_production_or_customers_named_only_as_untouched_are_no_customer_impact(text, quoted):
    check(text, "sev4", quoted)


def test_other_users_unaffected_is_not_no_impact():
    check("Exports fail for a few tenants; other users are unaffected.", "sev3", "a few tenants")


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("The returns portal is down; support is processing returns by hand.", "workaround available"),
        ("The label service is offline and the warehouse is printing labels manually.", "workaround available"),
        ("Gift wrapping fails at checkout, but shoppers can still add it by phone.", "can still add it by"),
        ("The tablet app crashes on the reports tab, but managers can open the same reports from the web.",
         "can open the same reports from the web"),
    ],
)
def test_work_done_by_hand_or_another_way_lowers_one_level(text, quoted):
    check(text, "sev3", quoted)


@pytest.mark.parametrize(
    "text",
    [
        "Checkout was down for everyone until we restarted the payment workers by hand.",
        "Nobody can pay, but customers can still browse the shop.",
    ],
)
def test_a_fix_by_hand_or_something_else_that_works_is_no_workaround(text):
    assert run(text).severity == "sev1", run(text).reasons


def test_waiting_longer_than_usual_is_degraded():
    check("Order confirmations arrive later than usual.", "sev3", "later than usual")
    check("Users can't export their notes from the app.", "sev2", "can't export")
