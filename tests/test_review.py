"""The PIR review: assembly, completeness policy, and the rendered document.

Incidents are built in Python; classification and timeline come from the real
classifier and timeline reconstruction.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import markdown

from pir_reviews.core.classify import check_declared, classify, classify_input_from_incident
from pir_reviews.core.models import (
    ActionItem,
    BowTie,
    ContributingFactor,
    Impact,
    Incident,
    Link,
    Responder,
    RootCause,
    TimelineEvent,
    Why,
)
from pir_reviews.report.review_document import as_json, as_markdown, as_text, body_markdown
from pir_reviews.core.completeness import assemble, completeness, timeline_analysis
from pir_reviews.core.timeline import reconstruct

EXTENSIONS = ["tables", "toc", "admonition", "attr_list", "md_in_html", "pymdownx.escapeall", "pymdownx.details"]
AS_OF = date(2024, 4, 1)


def at(hour: int, minute: int) -> datetime:
    return datetime(2024, 3, 15, hour, minute, tzinfo=timezone.utc)


def event(i: int, when: datetime, message: str, **kw) -> TimelineEvent:
    return TimelineEvent(at=when, message=message, order=i, **kw)


def full_incident(**changes) -> Incident:
    incident = Incident(
        id="INC-2024-031",
        title="Checkout database failover",
        started_at=at(14, 0),
        services=("checkout", "orders-db"),
        summary="The orders database primary ran out of disk; checkout failed for 40% of users "
                "for an hour until we failed over to the replica.",
        severity="sev2",
        review_status="final",
        regions=("eu-west-1",),
        tags=("database",),
        commander="Ana Ortiz",
        authors=("Ana Ortiz",),
        responders=(Responder("Bo Chen", "sre"), Responder("Cy Dam")),
        impact=Impact(users_affected_pct=40, description="Checkout requests failed with 500s.", sla_breached=True),
        timeline=(
            event(0, at(14, 5), "High error rate alert fired", source="datadog"),
            event(1, at(14, 10), "Bo acknowledged the page", actor="Bo Chen"),
            event(2, at(14, 20), "Escalated to the database team", actor="Bo Chen"),
            event(3, at(15, 40), "Failed over to the replica", actor="Cy Dam", type="mitigation"),
            event(4, at(15, 50), "Error rates back to normal"),
            event(5, at(16, 30), "Incident resolved", actor="Ana Ortiz"),
        ),
        root_cause=RootCause(
            summary="WAL archiving stalled, so write-ahead logs filled the primary's disk.",
            trigger="A storage-bucket permission change broke WAL uploads.",
            five_whys=(
                Why("Why did checkout fail?", "The primary database stopped accepting writes."),
                Why("Why did it stop?", "Its disk was full of WAL files."),
                Why("Why was the disk full?", "Uploads to the archive bucket failed silently."),
            ),
            contributing_factors=(
                ContributingFactor("No alert on WAL archive lag", "monitoring"),
                ContributingFactor("Permission change not reviewed", "process"),
                ContributingFactor("Small disk headroom"),
            ),
            bow_tie=BowTie(threats=("Bucket permission change",), preventive_barriers=("IAM review",),
                           mitigative_barriers=("Disk alert",), consequences=("Checkout outage",)),
        ),
        went_well=("Failover runbook worked first time",),
        went_wrong=("Alert fired 5 minutes after impact",),
        got_lucky=("Low traffic hour",),
        lessons=("Alert on archive lag, not only disk space",),
        action_items=(
            ActionItem("Alert on WAL archive lag", type="detect", owner="Bo Chen", priority="p1",
                       due=date(2024, 3, 20), status="open", link="https://tracker.example/OPS-1"),
            ActionItem("Review IAM changes to buckets", type="prevent", owner="Cy Dam", priority="p2",
                       due=date(2024, 3, 10), status="done"),
            ActionItem("Grow disk headroom", type="mitigate", owner="Ana Ortiz", priority="p2",
                       due=AS_OF, status="in_progress"),
        ),
        links=(Link("Dashboard", "https://grafana.example/d/1"),),
        extra={"ticket": {"jira": "OPS-42", "watchers": ["ana", "bo"]}, "cost_estimate": 1200},
    )
    return replace(incident, **changes)


def review_of(incident: Incident, as_of: date = AS_OF, **kw):
    found = check_declared(classify(classify_input_from_incident(incident)), incident.severity)
    timeline = reconstruct(incident, incident.severity or found.severity)
    return assemble(incident, found, timeline, as_of, **kw)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def rendered(md_text: str) -> _Reader:
    reader = _Reader()
    reader.feed(markdown.Markdown(extensions=EXTENSIONS).convert(md_text))
    return reader


def section(md_text: str, title: str) -> str:
    """The Markdown between a heading and the next heading of the same or higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}\n(.*?)(?=^#{{1,%d}} |\Z)" % 6, md_text, re.M | re.S)
    assert match, f"no section {title!r}"
    level = len(match.group(1))
    body = re.split(rf"^#{{1,{level}}} ", match.group(2), flags=re.M)[0]
    return body


# ---- the old defects ---------------------------------------------------------------------------


def test_timeline_given_shows_a_table_with_every_event():
    md = body_markdown(review_of(full_incident()))
    timeline = section(md, "Timeline")
    assert "| Time (UTC) | Type | Source | Actor | Event |" in md
    for e in full_incident().timeline:
        assert e.message in md
    assert "alert (inferred)" in md
    assert "| mitigation |" in md  # declared: not marked inferred
    assert "Not written yet" not in timeline


def test_action_items_and_lessons_given_are_shown():
    md = body_markdown(review_of(full_incident()))
    items = section(md, "Action items")
    assert "| Action | Type | Owner | Priority | Due | Status |" in items
    assert "[Alert on WAL archive lag](<https://tracker.example/OPS-1>)" in items
    assert "Review IAM changes to buckets" in items and "Grow disk headroom" in items
    assert "- Alert on archive lag, not only disk space" in section(md, "Lessons learned")


def test_five_whys_are_shown_as_written_and_absent_ones_are_not_invented():
    md = body_markdown(review_of(full_incident()))
    whys = section(md, "Five whys")
    assert "1. **Why?** Why did checkout fail? **Answer:** The primary database stopped accepting writes." in whys
    assert "3. **Why?**" in whys and "4. " not in whys

    bare = full_incident(root_cause=RootCause(summary="Disk filled up because archiving stalled silently."))
    md = body_markdown(review_of(bare))
    whys = section(md, "Five whys")
    assert "Not written yet" in whys
    assert "Answer" not in whys and "1." not in whys
    assert "Code review process missed" not in md
    assert "Not written yet" in section(md, "Contributing factors")
    assert "### Bow tie" not in md  # optional framework, not filled in: not shown


def test_missing_sections_say_so_plainly():
    minimal = Incident(id="INC-9", title="Blip", started_at=at(9, 0), services=("web",), summary="Short blip.")
    md = body_markdown(review_of(minimal))
    for title in ("Trigger", "What went well", "What went wrong", "Lessons learned", "Action items"):
        assert "Not written yet" in section(md, title), title
    assert "No timeline events are recorded" in section(md, "Timeline")
    assert "not named" in md and "unknown" in section(md, "Overview")


def test_rca_methods_select_the_frameworks():
    md = body_markdown(review_of(full_incident(), rca_methods=("fishbone",)))
    assert "### Five whys" not in md and "### Bow tie" not in md and "## Timeline analysis" not in md
    groups = section(md, "Contributing factors")
    # known categories in their fixed order (FACTOR_CATEGORIES), uncategorised last
    assert groups.index("process") < groups.index("monitoring") < groups.index("Uncategorised")
    assert groups.index("Uncategorised") < groups.index("Small disk headroom")
    md = body_markdown(review_of(full_incident()))
    assert "- **Threats**\n    - Bucket permission change" in section(md, "Bow tie")


# ---- overdue ------------------------------------------------------------------------------------


def test_overdue_marks_only_open_items_past_their_due_date():
    md = body_markdown(review_of(full_incident()))
    rows = {line.split("|")[1].strip(): line for line in section(md, "Action items").splitlines()
            if line.startswith("| ") and "---" not in line}
    assert "**overdue**" in rows["[Alert on WAL archive lag](<https://tracker.example/OPS-1>)"]
    assert "**overdue**" not in rows["Review IAM changes to buckets"]  # done
    assert "**overdue**" not in rows["Grow disk headroom"]  # due today
    assert "2 open, 1 overdue as of 2024-04-01." in md
    later = body_markdown(review_of(full_incident(), as_of=AS_OF + timedelta(days=1)))
    assert "2 open, 2 overdue" in later
    assert as_json(review_of(full_incident()))["overdue_action_items"] == ["Alert on WAL archive lag"]


# ---- completeness ----------------------------------------------------------------------------------


def categorised() -> Incident:
    incident = full_incident()
    factors = tuple(replace(f, category=f.category or "technology") for f in incident.root_cause.contributing_factors)
    return replace(incident, root_cause=replace(incident.root_cause, contributing_factors=factors))


def test_complete_final_review_meets_policy():
    c = review_of(categorised()).completeness
    assert c.meets_policy
    assert c.score == 100
    assert {i.section for i in c.items if i.required} == {"root_cause_summary", "timeline", "action_items"}
    assert "sev2" in c.policy


def test_final_sev2_without_owned_dated_action_item_fails_policy():
    items = (ActionItem("Do something"),)
    incident = full_incident(action_items=items)
    c = review_of(incident).completeness
    assert not c.meets_policy
    item = {i.section: i for i in c.items}["action_items"]
    assert item.status == "thin" and item.required
    assert "without an owner" in item.note and "due date" in item.note
    md = body_markdown(review_of(incident))
    assert "**Meets the policy:** no" in md


def test_drafts_are_never_blocked_but_show_what_is_needed():
    incident = full_incident(review_status="draft", action_items=(), root_cause=RootCause())
    review = review_of(incident)
    assert review.completeness.meets_policy
    assert "nothing is enforced" in review.completeness.policy
    md = body_markdown(review)
    assert "not enforced until final (still needed: Root cause summary, Action items)" in md


def test_sev3_final_does_not_require_action_items():
    incident = full_incident(severity="sev3", action_items=(),
                             impact=Impact(users_affected_pct=5, description="Slow search."))
    c = completeness(incident, review_of(incident).timeline)
    assert c.meets_policy
    assert not {i.section: i for i in c.items}["action_items"].required
    missing = replace(incident, timeline=())
    assert not completeness(missing, review_of(missing).timeline).meets_policy


def test_score_counts_thin_as_half():
    minimal = Incident(id="INC-9", title="Blip", started_at=at(9, 0), services=("web",), summary="Short blip.")
    c = review_of(minimal).completeness
    statuses = [i.status for i in c.items]
    assert statuses.count("ok") == 0 and statuses.count("thin") == 1  # the short summary
    assert c.score == 5


# ---- timeline analysis ---------------------------------------------------------------------------------


def test_timeline_analysis_detection_gaps_and_decisions():
    review = review_of(full_incident())
    analysis = timeline_analysis(review.timeline)
    assert analysis.detection_delay_min == 5
    assert [round(g.minutes) for g in analysis.longest_gaps] == sorted((round(g.minutes) for g in analysis.longest_gaps),
                                                                      reverse=True)
    assert analysis.longest_gaps and round(analysis.longest_gaps[0].minutes) == 80
    assert [p.type for p in analysis.decision_points] == ["escalation", "mitigation"]
    md = body_markdown(review)
    assert "- **Detection delay:** 5m" in md
    assert "1h 20m" in section(md, "Timeline analysis")


# ---- hostile text ---------------------------------------------------------------------------------------

EVIL = "<script>alert(1)</script><img src=x onerror=alert(1)> {{ 7*7 }} {: onclick=x } | ` [a](javascript:x) &lt;b&gt;"


def hostile_incident() -> Incident:
    e = EVIL
    return Incident(
        id="INC-" + e, title=e, started_at=at(10, 0), services=(e,), summary=e + "\n\n# " + e + "\n    " + e,
        severity="sev2", review_status="final", regions=(e,), tags=(e,), commander=e, authors=(e,),
        responders=(Responder(e, e),),
        impact=Impact(description=e, users_affected_pct=30),
        timeline=(event(0, at(10, 5), e, source=e, actor=e, type="alert"), event(1, at(10, 30), e + " resolved")),
        root_cause=RootCause(summary=e, trigger=e, five_whys=(Why(e, e),),
                             contributing_factors=(ContributingFactor(e, e), ContributingFactor(e)),
                             bow_tie=BowTie((e,), (e,), (e,), (e,))),
        went_well=(e,), went_wrong=(e,), got_lucky=(e,), lessons=(e,),
        action_items=(ActionItem(e, type=e, owner=e, priority=e, due=date(2024, 1, 1), status="open",
                                 link="javascript:alert(1)"),
                      ActionItem(e, link='https://ok.example/"><script>')),
        links=(Link(e, "javascript:alert(1)"), Link(e, "data:text/html,<script>"), Link(e, "https://ok.example/(x)")),
        extra={e: {e: [e, {e: None}]}, "n": 1},
    )


def test_hostile_text_in_every_field_renders_as_text():
    md = as_markdown(review_of(hostile_incident()))
    reader = rendered(md)
    tags = {t for t, _ in reader.tags}
    assert not tags & {"script", "img", "iframe", "style", "div", "object", "embed"}
    for tag, attrs in reader.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value.startswith("https://ok.example/"), value
    hrefs = [dict(a)["href"] for t, a in reader.tags if t == "a"]
    assert hrefs == ["https://ok.example/%28x%29"]  # the only safe link; the quoted one is refused
    text = "".join(reader.text)
    assert text.count("<script>alert(1)</script>") >= 30
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "&lt;b&gt;" in text
    # The hostile summary's "# ..." line is not a heading: only our own headings exist.
    headings = [t for t, _ in reader.tags if t in ("h1", "h2", "h3")]
    assert headings.count("h1") == 1


def test_extra_renders_as_nested_lists_without_python_reprs():
    md = body_markdown(review_of(full_incident()))
    extra = section(md, "Additional information")
    assert "- **ticket:**\n    - **jira:** OPS-42\n    - **watchers:**\n        - ana\n        - bo" in extra
    assert "- **cost\\_estimate:** 1200" in extra
    for repr_mark in ("{'", "['", "None", "OrderedDict"):
        assert repr_mark not in extra


def test_extra_renders_as_nested_html_lists_on_the_site():
    from pir_reviews.site.pages import SiteContext
    from pir_reviews.site.pages.review_page import render_page

    review = review_of(full_incident())
    html = render_page(review, SiteContext(as_of=review.as_of), (), None, None)
    extra = html[html.index('id="additional-information"'):html.index('id="related-incidents"')]
    assert "<li><strong>ticket:</strong> <ul>\n<li><strong>jira:</strong> OPS-42</li>" in extra
    assert "<li><strong>watchers:</strong> <ul>\n<li>ana</li>\n<li>bo</li>\n</ul>" in extra
    assert "<li><strong>cost_estimate:</strong> 1200</li>" in extra
    for repr_mark in ("{'", "['", "None", "OrderedDict"):
        assert repr_mark not in extra


# ---- the other formats and determinism ---------------------------------------------------------------


def test_rendering_is_deterministic():
    first = as_markdown(review_of(full_incident()))
    second = as_markdown(review_of(full_incident()))
    assert first == second
    assert json.dumps(as_json(review_of(full_incident())), sort_keys=False) == json.dumps(
        as_json(review_of(full_incident())), sort_keys=False)
    assert as_text(review_of(full_incident())) == as_text(review_of(full_incident()))
    assert "generated" not in first.lower()


def test_as_markdown_title_and_body():
    review = review_of(hostile_incident())
    md = as_markdown(review)
    assert md.startswith("# INC-&lt;script&gt;")
    assert md.endswith(body_markdown(review))
    assert not body_markdown(review).startswith("# ")


def test_as_json_has_stable_keys_and_utc_times():
    data = as_json(review_of(full_incident()))
    assert list(data) == ["incident", "severity", "classification", "timeline", "completeness",
                          "overdue_action_items", "rca_methods", "as_of"]
    assert data["incident"]["started_at"] == "2024-03-15T14:00:00Z"
    assert data["incident"]["timeline"][0]["at"] == "2024-03-15T14:05:00Z"
    assert data["incident"]["action_items"][0]["due"] == "2024-03-20"
    assert data["incident"]["extra"] == {"ticket": {"jira": "OPS-42", "watchers": ["ana", "bo"]}, "cost_estimate": 1200}
    assert data["completeness"]["score"] == 95 and data["as_of"] == "2024-04-01"
    assert data["classification"]["severity"] == "sev2"
    json.dumps(data)  # plain data only


def test_as_text_is_plain_and_has_no_control_characters():
    incident = full_incident(summary="Line one\x1b[31m red\nline two", title="Title\x07 bell")
    text = as_text(review_of(incident))
    assert "\x1b" not in text and "\x07" not in text
    assert "Line one [31m red" in text
    assert "\\-" not in text and "&amp;" not in text and "<br>" not in text
    assert "Alert on WAL archive lag <https://tracker.example/OPS-1>" in text
