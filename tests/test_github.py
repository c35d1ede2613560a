"""GitHub Actions output: workflow-command annotations and the job summary."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.core.errors import Problem
from pir_reviews.core.models import (
    Classification,
    Completeness,
    CompletenessItem,
    Incident,
    Review,
    TargetCheck,
    Timeline,
    TimelineEvent,
)
from pir_reviews.core.analysis import analyse
from pir_reviews.render.escape import inline
from pir_reviews.load.loader import parse
from pir_reviews.report.github import annotations, escape_data, escape_property, summary

T0 = datetime(2024, 5, 1, 14, 0, tzinfo=timezone.utc)


# ---- annotations -----------------------------------------------------------------


def test_error_annotation_has_file_line_col_and_title():
    out = annotations([Problem("incidents/a.yaml", 12, 5, "severity: 'sev9' is not one of sev1..sev4")])
    assert out == (
        "::error file=incidents/a.yaml,line=12,col=5,title=pir validate::"
        "severity: 'sev9' is not one of sev1..sev4\n"
    )


def test_warning_annotation_and_col_omitted_when_unknown():
    out = annotations([Problem("incidents/b.yml", 3, None, "no action items", level="warning")])
    assert out == "::warning file=incidents/b.yml,line=3,title=pir validate::no action items\n"


def test_message_escapes_percent_cr_lf_but_keeps_colons_and_commas():
    out = annotations([Problem("a.yaml", 1, None, "100% down\r\nsecond line: a, b")])
    assert out.endswith("::100%25 down%0D%0Asecond line: a, b\n")
    assert out.count("\n") == 1


def test_path_with_colon_and_comma_is_escaped_as_property():
    out = annotations([Problem("incidents/db: pool, eu.yaml", 2, 1, "bad")])
    assert out.startswith("::error file=incidents/db%3A pool%2C eu.yaml,line=2,col=1,")


def test_escape_functions_match_toolkit_rules():
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    # '%' first, so an already-escaped looking sequence is not left ambiguous
    assert escape_data("%0A") == "%250A"


def test_annotations_sorted_by_place_and_empty_for_no_problems():
    problems = [
        Problem("b.yaml", 1, None, "z"),
        Problem("a.yaml", 9, None, "y"),
        Problem("a.yaml", 2, 3, "x", level="warning"),
    ]
    lines = annotations(problems).splitlines()
    assert [line.split(",")[0] for line in lines] == ["::warning file=a.yaml", "::error file=a.yaml", "::error file=b.yaml"]
    assert "line=2" in lines[0] and "line=9" in lines[1]
    assert annotations([]) == ""


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@settings(max_examples=80, deadline=None)
@given(st.text(), st.text())
def test_escaping_round_trips_and_leaves_no_separators(message, path):
    data = escape_data(message)
    prop = escape_property(path)
    assert "\n" not in data and "\r" not in data
    assert ":" not in prop and "," not in prop and "\n" not in prop
    assert _unescape(data) == message
    assert _unescape(prop) == path


# ---- summary -----------------------------------------------------------------------


def make_review(
    ident: str = "INC-1",
    path: str = "incidents/inc-1.yaml",
    *,
    title: str = "Checkout errors",
    declared: str | None = "sev2",
    computed: str = "sev2",
    disagreement: str | None = None,
    metrics: dict[str, float | None] | None = None,
    items: tuple[CompletenessItem, ...] = (),
    score: int = 100,
    meets: bool = True,
    summary_text: str = "Payments failed for a third of users.",
) -> Review:
    incident = Incident(
        id=ident,
        title=title,
        started_at=T0,
        services=("checkout",),
        summary=summary_text,
        severity=declared,
        timeline=(TimelineEvent(at=T0, message="Error rate rises", type="trigger"),),
        path=path,
    )
    classification = Classification(
        severity=computed,
        confidence=0.8,
        reasons=("33% of users affected",),
        teams=("payments",),
        response_targets={"acknowledge": 15},
        initial_actions=(),
        escalation_path=(),
        communication_subject="",
        communication_body="",
        declared=declared,
        disagreement=disagreement,
    )
    timeline = Timeline(
        events=(),
        milestones={},
        metrics=metrics if metrics is not None else {
            "time_to_detect_min": 4.0,
            "time_to_acknowledge_min": 11.5,
            "time_to_mitigate_min": None,
            "time_to_resolve_min": 95.0,
        },
        phases=(),
        gaps=(),
        gap_threshold_min=30,
        targets=(TargetCheck("time_to_acknowledge_min", 15, 11.5, "met"),),
        severity=computed,
    )
    completeness = Completeness(score=score, items=items, policy="sev2 final: all sections", meets_policy=meets)
    return Review(incident=incident, classification=classification, timeline=timeline,
                  completeness=completeness, as_of=date(2024, 6, 1))


def test_headline_passed_without_problems():
    text = summary([], [make_review()])
    assert text.splitlines()[0] == "## pir validate: passed, no problems (1 incident checked)"


def test_headline_counts_errors_warnings_and_files():
    problems = [
        Problem("incidents/a.yaml", 1, None, "e1"),
        Problem("incidents/a.yaml", 2, None, "w1", level="warning"),
        Problem("incidents/b.yaml", 3, 4, "e2"),
    ]
    first = summary(problems, []).splitlines()[0]
    assert first == "## pir validate: failed, 2 errors, 1 warning in 2 files"
    only_warnings = summary([problems[1]], []).splitlines()[0]
    assert only_warnings.startswith("## pir validate: passed with 1 warning in 1 file")


def test_lists_every_problem_grouped_per_file_beyond_ten():
    problems = [Problem("incidents/big.yaml", n, None, f"problem number {n}") for n in range(1, 26)]
    problems.append(Problem("incidents/other.yaml", 7, 2, "bad *emphasis* and <tag>", level="warning"))
    text = summary(problems, [])
    for n in range(1, 26):
        assert f"- line {n}: **error**: problem number {n}\n" in text
    assert text.index("#### incidents/big.yaml") < text.index("#### incidents/other.yaml")
    assert "- line 7, col 2: **warning**: bad \\*emphasis\\* and &lt;tag&gt;" in text
    assert "### Problems (26)" in text


def test_incident_section_shows_severity_metrics_and_completeness():
    missing = (
        CompletenessItem("action_items", "missing", "no action items", True),
        CompletenessItem("lessons", "thin", "one lesson only", False),
        CompletenessItem("timeline", "ok", "", True),
    )
    review = make_review(declared="sev3", computed="sev2",
                         disagreement="Declared sev3, but 33% of users affected points to sev2.",
                         items=missing, score=70, meets=False)
    text = summary([], [review])
    assert "### INC-1: Checkout errors" in text
    assert "**Computed severity:** sev2 (declared: sev3)" in text
    assert "> **Note:** Declared sev3, but 33% of users affected points to sev2." in text
    assert "| Time to detect | 4m | no target |" in text
    assert "| Time to acknowledge | 12m | 15m, met |" in text
    assert "| Time to mitigate | unknown | no target |" in text
    assert "| Time to resolve | 1h 35m | no target |" in text
    assert "**Completeness:** 70/100, policy **not met**" in text
    assert "- action\\_items: missing (required): no action items" in text
    assert "- lessons: thin (optional): one lesson only" in text
    assert "- timeline:" not in text


def test_no_disagreement_note_when_severity_agrees():
    text = summary([], [make_review()])
    assert "**Computed severity:** sev2 (declared: sev2)" in text
    assert "**Note:**" not in text
    assert "**Completeness:** 100/100, policy met" in text


def test_rendered_review_is_collapsed_with_escaped_summary():
    review = make_review(title="<script>alert(1)</script> & more")
    text = summary([], [review])
    assert "<details><summary>Rendered review: INC-1: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</summary>" in text
    details = text[text.index("<details>"):]
    assert "Payments failed for a third of users." in details
    assert details.rstrip().endswith("</details>")


def test_only_changed_incidents_are_described():
    reviews = [make_review("INC-2", "incidents/inc-2.yaml"), make_review("INC-1", "incidents/inc-1.yaml")]
    text = summary([], reviews, changed={"incidents/inc-2.yaml"})
    assert "### INC-2" in text and "### INC-1" not in text
    assert "incidents changed in this pull request (1)" in text
    everything = summary([], reviews)
    assert everything.index("### INC-1") < everything.index("### INC-2")
    none = summary([], reviews, changed=set())
    assert "No incident file changed in this pull request." in none
    # paths relative to the archive folder match the repository-relative diff paths
    relative = summary([], [make_review("INC-3", "inc-3.yaml")], changed={"incidents/inc-3.yaml"})
    assert "### INC-3" in relative


def test_summary_is_deterministic():
    problems = [Problem("b.yaml", 2, None, "x"), Problem("a.yaml", 1, 1, "y")]
    reviews = [make_review("INC-2", "incidents/inc-2.yaml"), make_review()]
    assert summary(problems, reviews) == summary(list(reversed(problems)), list(reversed(reviews)))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_rendered_reviews_dropped_first_when_too_large():
    long_summary = "Payments failed. " * 4000  # about 68 kB of review body per incident
    reviews = [make_review(f"INC-{n}", f"incidents/inc-{n}.yaml", summary_text=long_summary) for n in range(1, 9)]
    limit = 200_000
    text = summary([Problem("incidents/inc-1.yaml", 1, None, "e")], reviews, limit_bytes=limit)
    assert _size(text) <= limit
    assert 0 < text.count("<details>") < 8
    assert "of 8 rendered reviews left out" in text
    assert "site-preview" in text
    # every incident still has its severity and metrics
    for n in range(1, 9):
        assert f"### INC-{n}:" in text
    assert "- line 1: **error**: e" in text


def test_huge_input_stays_under_limit_and_counts_what_was_left_out():
    problems = [Problem(f"incidents/f{n % 50:02}.yaml", n, None, "é" * 200 + f" #{n}") for n in range(20_000)]
    reviews = [make_review(f"INC-{n}", f"incidents/inc-{n}.yaml") for n in range(30)]
    limit = 1_000_000
    text = summary(problems, reviews, limit_bytes=limit)
    assert _size(text) <= limit
    assert "<details>" not in text
    assert "30 rendered reviews left out" in text
    shown = text.count("**error**")
    assert 0 < shown < 20_000
    assert f"**{20_000 - shown} more problems not shown** (of 20000)" in text
    assert text.splitlines()[0] == "## pir validate: failed, 20000 errors, 0 warnings in 50 files"


@pytest.mark.parametrize("limit", [50, 600, 5_000])
def test_tiny_limits_are_still_respected(limit):
    problems = [Problem("incidents/a.yaml", n, None, "x" * 100) for n in range(100)]
    text = summary(problems, [make_review()], limit_bytes=limit)
    assert _size(text) <= limit


# ---- through the real pipeline ----------------------------------------------------

GOOD = """\
id: INC-2024-007
title: Checkout failed for EU users
severity: sev3
review_status: in_review
summary: Card payments failed for 40% of users in the EU after a config push.
services: [checkout, payments]
started_at: 2024-05-01T14:00:00Z
detected_at: 2024-05-01T14:06:00Z
acknowledged_at: 2024-05-01T14:10:00Z
mitigated_at: 2024-05-01T14:50:00Z
resolved_at: 2024-05-01T16:00:00Z
impact:
  users_affected_pct: 40
timeline:
  - at: 2024-05-01T14:00:00Z
    message: Config push to the payment gateway
  - at: 2024-05-01T14:06:00Z
    type: alert
    message: Checkout error rate alert fires
action_items:
  - title: Validate gateway config before rollout
    owner: payments-team
    due: 2024-06-01
"""


def _pipeline_review(text: str, path: str) -> tuple[Review | None, list[Problem]]:
    incident, problems = parse(text.encode("utf-8"), path)
    review = analyse(incident, date(2024, 6, 1)) if incident is not None else None
    return review, problems


def test_summary_of_a_real_review_notes_the_severity_disagreement():
    review, problems = _pipeline_review(GOOD, "incidents/2024-05-01-checkout.yaml")
    assert review is not None
    text = summary(problems, [review], changed={"incidents/2024-05-01-checkout.yaml"})
    assert "### INC-2024-007: Checkout failed for EU users" in text
    # 40% of users affected is sev2 on the matrix; the author declared sev3
    assert "**Computed severity:** sev2 (declared: sev3)" in text
    assert review.classification.disagreement is not None
    assert "> **Note:** " + inline(review.classification.disagreement) in text
    assert "| Time to detect | 6m |" in text
    assert "| Time to resolve | 2h |" in text
    assert f"**Completeness:** {review.completeness.score}/100" in text
    assert "<details><summary>Rendered review: INC-2024-007: Checkout failed for EU users</summary>" in text
    assert "Validate gateway config before rollout" in text[text.index("<details>"):]


# ---- pir validate --format github --summary ----------------------------------------

BROKEN = GOOD.replace("severity: sev3", "severity: sev9")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_cli_annotates_a_broken_incident_on_its_line(project, monkeypatch):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    root = project({"incidents/bad.yaml": BROKEN, "incidents/good.yaml": GOOD.replace("INC-2024-007", "INC-2024-008")})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["validate", "incidents/", "--format", "github",
                                       "--summary", "summary.md", "--changed", "incidents/bad.yaml"])
    assert result.exit_code == 1, result.output
    line = _line_of(BROKEN, "severity: sev9")
    errors = [out for out in result.stdout.splitlines() if out.startswith("::error ")]
    assert errors and all(out.startswith("::error file=incidents/bad.yaml,") for out in errors)
    assert any(f",line={line}," in out and "sev9" in out for out in errors)
    text = (root / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("## pir validate: failed, ")
    assert "#### incidents/bad.yaml" in text
    # the broken file has no review; the good one was not changed by the pull request
    assert "incidents changed in this pull request (0)" in text
    assert "<details>" not in text


def test_cli_summary_of_a_good_incident_holds_its_review(project, monkeypatch):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    root = project({"incidents/2024/checkout.yaml": GOOD})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["validate", "--format", "github", "--summary", "summary.md",
                                       "--changed", "incidents/2024/checkout.yaml", "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    assert "::error" not in result.stdout
    # declared sev3 while 40% of users affected is sev2: a warning, not a failure
    line = _line_of(GOOD, "severity: sev3")
    assert result.stdout.startswith(f"::warning file=incidents/2024/checkout.yaml,line={line},title=pir validate::")
    text = (root / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("## pir validate: passed with 1 warning in 1 file (1 incident checked)")
    assert "### INC-2024-007: Checkout failed for EU users" in text
    assert "<details><summary>Rendered review: INC-2024-007: Checkout failed for EU users</summary>" in text
    assert "Validate gateway config before rollout" in text


def test_cli_empty_changed_list_shows_no_review(project, monkeypatch):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    root = project({"incidents/2024/checkout.yaml": GOOD, "changed.txt": ""})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["validate", "--format", "github", "--summary", "summary.md",
                                       "--changed-list", "changed.txt", "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    text = (root / "summary.md").read_text(encoding="utf-8")
    assert "No incident file changed in this pull request." in text
    assert "<details>" not in text


def test_default_cap_is_about_900_kb_and_says_what_was_left_out():
    from pir_reviews.report.github import SUMMARY_LIMIT

    problems = [Problem(f"incidents/f{n % 40:02}.yaml", n, None, "x" * 300) for n in range(4_000)]
    text = summary(problems, [])
    assert SUMMARY_LIMIT == 900_000
    assert 800_000 < _size(text) <= SUMMARY_LIMIT
    shown = text.count("**error**")
    assert f"**{4_000 - shown} more problems not shown** (of 4000)" in text
