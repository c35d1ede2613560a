"""The archive-wide pages: insights, the action-item ledger, feed.xml and incidents.json."""

from __future__ import annotations

import html

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
import yaml

from pir_reviews.core.browse import groups as group_reviews, slugs
from pir_reviews.core.analysis import analyse
from pir_reviews.core.models import ActionItem, ContributingFactor, Incident, RootCause
from pir_reviews.site.pages import SiteContext, feeds
from pir_reviews.site.pages import insights_page as insights
from pir_reviews.site.pages import ledger_page as ledger

AS_OF = date(2024, 6, 1)
HOSTILE = '<script>alert(1)</script>"><svg onload=alert(1)>|{: .x}\u2028</b>'


def incident(n: int, *, services=("api",), title=None, summary="Checkout failed.", actions=(), severity=None,
             detected=True) -> Incident:
    start = datetime(2024, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=9 * n)
    return Incident(
        id=f"INC-{n:03d}",
        title=title or f"Incident number {n}",
        started_at=start,
        services=services,
        summary=summary,
        severity=severity,
        tags=("db",),
        detected_at=start + timedelta(minutes=4) if detected else None,
        resolved_at=start + timedelta(minutes=90 + n),
        root_cause=RootCause(contributing_factors=(ContributingFactor("pool too small", "technology"),)),
        action_items=actions,
    )


def reviews_with_hostile_text():
    hostile = incident(
        1,
        services=(HOSTILE, "api"),
        title=HOSTILE,
        summary=HOSTILE,
        severity="sev2",
        actions=(
            ActionItem(HOSTILE, owner=HOSTILE, due=date(2024, 5, 1), link="javascript:alert(1)"),
            ActionItem("Add an alert", owner="ann", due=date(2024, 9, 1), link="https://tracker.example/T-1"),
            ActionItem("Closed already", status="done", due=date(2024, 1, 1)),
        ),
    )
    others = [incident(n, severity="sev3", detected=n % 2 == 0) for n in range(2, 6)]
    return [analyse(i, AS_OF) for i in [hostile, *others]]


@pytest.fixture(scope="module")
def reviews():
    return reviews_with_hostile_text()


class ActiveMarkup(HTMLParser):
    """Collects elements and attributes that would run or inject something."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "b"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag}[{name}]")


def front_of(page: str) -> dict:
    return yaml.safe_load(page.split("---\n", 2)[1])


def html_of(page: str) -> str:
    """The body of a page pir rendered to HTML (front matter `pir_html: true`)."""
    assert front_of(page)["pir_html"] is True
    return page.split("---\n", 2)[2]


_TAG = re.compile(r"<[^>]*>")


def rows_of(page: str) -> list[list[str]]:
    """Every table row of the page, as the text of its cells."""
    return [
        [html.unescape(_TAG.sub("", cell)) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html_of(page))
    ]


def assert_inert(page: str) -> None:
    parser = ActiveMarkup()
    parser.feed(html_of(page))
    assert parser.found == []


# ---- insights --------------------------------------------------------------------


def test_insights_page_shows_charts_tables_and_links(reviews):
    page = insights.render(reviews, SiteContext(as_of=AS_OF))["insights/index.md"]
    assert front_of(page)["title"] == "Insights"
    body = html_of(page)
    assert body.count("<svg ") == 6  # monthly bars and one per response metric (five)
    rows = rows_of(page)
    assert ["2024-01", "0", "1", "2", "0", "3"] in rows  # INC-001 (sev2), INC-002 and INC-003 (sev3)
    assert ["Time to detect", "all", "3 of 5", "4m", "4m", "4m", "4m"] in rows
    assert ["Time to acknowledge", "all", "0 of 5", "no known values", "", "", ""] in rows
    assert "mean" not in body.lower().replace("meaning", "")
    assert "average" in body  # the note says why there are none
    by_name = slugs(group_reviews(reviews).by_service)
    assert f'<a href="../browse/services/{by_name[HOSTILE]}.md">{html.escape(HOSTILE)}</a>' in body
    assert '<a href="../browse/services/api.md">api</a></td><td style="text-align: right;">5</td>' in body
    assert ["technology", "5"] in rows
    assert ["Open or in progress, overdue (due before 2024-06-01)", "1"] in rows
    assert "Open or in progress, <strong>overdue</strong> (due before 2024-06-01)" in body
    assert_inert(page)


def test_insights_page_is_deterministic(reviews):
    context = SiteContext(as_of=AS_OF)
    assert insights.render(reviews, context) == insights.render(list(reversed(reviews)), context)


def test_insights_page_with_no_incidents():
    page = insights.render([], SiteContext(as_of=AS_OF))["insights/index.md"]
    assert "no incidents in the archive yet" in page
    assert "<svg" not in page


# ---- ledger ----------------------------------------------------------------------


def test_ledger_page_lists_overdue_first_and_links_safely(reviews):
    pages = ledger.render(reviews, SiteContext(as_of=AS_OF))
    page = pages["action-items/index.md"]
    body = html_of(page)
    overdue = body.split('id="overdue"', 1)[1].split('id="by-owner"', 1)[0]
    assert overdue.count("<strong>Overdue</strong>: due 2024-05-01") == 1
    assert "Add an alert" not in body  # not overdue: on its owner's page only
    assert "Closed already" not in body
    assert "javascript" not in body
    assert '<a href="../reviews/INC-001.md">INC-001</a>' in overdue
    by_owner = body.split('id="by-owner"', 1)[1].split('id="by-incident"', 1)[0]
    rows = re.findall(r'<tr id="([^"]+)"><td><a href="([^"]+)">(.*?)</a></td>((?:<td>\d+</td>){4})</tr>', by_owner)
    # By name: "<" sorts before "a"; the ids are those of the old section headings.
    assert [(i, href) for i, href, _, _ in rows] == [
        ("scriptalert1scriptsvg-onloadalert1-xb", "owners/script-alert-1-script-svg-onload-alert-1-x-b.md"),
        ("ann", "owners/ann.md"),
    ]
    assert html.unescape(rows[0][2]) == HOSTILE  # shown as text, character for character
    assert rows[0][3] == "<td>1</td><td>0</td><td>1</td><td>0</td>" and rows[1][3] == "<td>1</td><td>0</td><td>0</td><td>0</td>"
    by_incident = body.split('id="by-incident"', 1)[1]
    (incident_row,) = re.findall(r"<tr id=.*?</tr>", by_incident)
    assert incident_row.startswith('<tr id="inc-001-scriptalert1scriptsvg-onloadalert1-xb"><td><a href="../reviews/INC-001.md#action-items">')
    assert incident_row.endswith("<td>2</td><td>1</td></tr>")
    assert "<li>Overdue: 1</li>" in body
    assert_inert(page)
    assert sorted(pages) == ["action-items/index.md", "action-items/owners/ann.md", rows[0][1].replace("owners/", "action-items/owners/")]


def test_each_open_item_appears_once_on_the_ledger_or_never_and_once_on_its_owner_page(reviews):
    pages = ledger.render(reviews, SiteContext(as_of=AS_OF))
    body = html_of(pages["action-items/index.md"])
    hostile_page = html_of(next(p for path, p in pages.items() if path.startswith("action-items/owners/script")))
    ann = html_of(pages["action-items/owners/ann.md"])
    assert body.count("<strong>Overdue</strong>: due 2024-05-01") == 1  # the overdue item, once on the ledger
    assert ann.count("Add an alert") == 1 and "Add an alert" not in hostile_page
    assert '(<a href="https://tracker.example/T-1">tracker</a>)' in ann
    assert '<a href="../../reviews/INC-001.md">INC-001</a>' in ann and '<a href="../index.md">' in ann
    assert hostile_page.count("<strong>Overdue</strong>: due 2024-05-01") == 1 and "javascript" not in hostile_page
    assert "Closed already" not in ann + hostile_page
    for page in pages.values():
        assert_inert(page)


def test_the_ledger_keeps_one_row_per_owner_and_incident_and_unassigned_gets_a_page():
    items = (ActionItem("late", owner="Sarah Chen", due=date(2024, 1, 1)), ActionItem("later", due=date(2025, 1, 1)),
             ActionItem("soon", owner="Sarah Chen", status="in_progress"))
    many = [analyse(incident(n, actions=items), AS_OF) for n in (1, 2)]
    pages = ledger.render(many, SiteContext(as_of=AS_OF))
    assert sorted(pages) == ["action-items/index.md", "action-items/owners/sarah-chen.md", "action-items/owners/unassigned.md"]
    body = html_of(pages["action-items/index.md"])
    assert re.findall(r'<tr id="([^"]+)">', body) == ["sarah-chen", "unassigned", "inc-001-incident-number-1", "inc-002-incident-number-2"]
    # The overdue item of each incident, each once: in the overdue table, not again per owner or incident.
    assert body.count("<td>late</td>") == 2 and body.count("<strong>Overdue</strong>: due 2024-01-01") == 2
    assert "later" not in body and "soon" not in body
    sarah = html_of(pages["action-items/owners/sarah-chen.md"])
    assert sarah.index("<strong>Overdue</strong>") < sarah.index("soon")  # overdue first
    assert sarah.count("no due date") == 2 and "later" not in sarah
    unassigned = html_of(pages["action-items/owners/unassigned.md"])
    assert "with no owner" in unassigned and unassigned.count("later") == 2


def test_ledger_page_without_open_items():
    quiet = [analyse(incident(2), AS_OF)]
    page = ledger.render(quiet, SiteContext(as_of=AS_OF))["action-items/index.md"]
    assert "No action item is open or in progress." in page


# ---- feed and export -------------------------------------------------------------


def test_feed_is_rss_with_newest_first_and_escaped_text(reviews):
    text = feeds.render(reviews, SiteContext(as_of=AS_OF, site_url="https://example.org/pir/"))["feed.xml"]
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert [i.findtext("link") for i in items][:2] == [
        "https://example.org/pir/reviews/INC-005/", "https://example.org/pir/reviews/INC-004/",
    ]
    last = items[-1]
    assert last.findtext("title") == f"INC-001: {HOSTILE}"
    # Readers render <description> as HTML: the summary arrives there as escaped text in a paragraph
    assert last.findtext("description") == "<p>" + html.escape(HOSTILE) + "</p>"
    assert last.find("guid").get("isPermaLink") == "true"
    assert last.findtext("pubDate") == "Wed, 10 Jan 2024 09:00:00 GMT"  # INC-001 starts 2024-01-10 09:00 UTC
    assert "<script>" not in text
    assert "lastBuildDate" not in text


def test_feed_keeps_twenty_newest_and_uses_relative_links_without_site_url():
    many = [analyse(incident(n), AS_OF) for n in range(1, 26)]
    root = ET.fromstring(feeds.render(many, SiteContext(as_of=AS_OF))["feed.xml"])
    items = root.findall("channel/item")
    assert len(items) == 20
    assert items[0].findtext("link") == "reviews/INC-025/"
    assert items[-1].findtext("link") == "reviews/INC-006/"
    assert items[0].find("guid").get("isPermaLink") == "false"


def test_export_is_json_sorted_by_id_with_metrics(reviews):
    text = feeds.render(list(reversed(reviews)), SiteContext(as_of=AS_OF))["incidents.json"]
    assert "</" not in text and "\u2028" not in text
    data = json.loads(text)
    records = data["incidents"]
    assert [r["id"] for r in records] == ["INC-001", "INC-002", "INC-003", "INC-004", "INC-005"]
    first = records[0]
    assert first["title"] == HOSTILE  # escaping is reversible: the text comes back exactly
    assert first["severity"]["declared"] == "sev2" and first["severity"]["filed"] == "sev2"
    assert first["severity"]["computed"] in ("sev1", "sev2", "sev3", "sev4")
    assert first["started_at"] == "2024-01-10T09:00:00Z"
    assert first["metrics"]["time_to_detect_min"] == 4
    assert first["metrics"]["time_to_acknowledge_min"] is None
    assert first["action_items"] == {"total": 3, "open": 2, "in_progress": 0, "done": 1, "wont_do": 0, "overdue": 1}
    assert first["url"] == "reviews/INC-001/"
    assert set(first["milestones"]) == {"started_at", "detected_at", "acknowledged_at", "contained_at", "mitigated_at",
                                          "resolved_at"}
    assert all({"name", "start", "end", "duration_min"} <= set(p) for p in first["phases"])
    assert feeds.render(reviews, SiteContext(as_of=AS_OF)) == feeds.render(list(reversed(reviews)), SiteContext(as_of=AS_OF))


def test_export_is_compact_with_one_incident_a_line(reviews):
    text = feeds.render(reviews, SiteContext(as_of=AS_OF))["incidents.json"]
    lines = text.split("\n")
    assert lines[0] == '{"format":"pir-incidents/1","incidents":['
    assert lines[-2:] == [f'],"overdue_as_of":"{AS_OF.isoformat()}"}}', ""]
    records = json.loads(text)["incidents"]
    assert len(lines) == len(records) + 3
    for line, record in zip(lines[1:-2], records):
        compact = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        compact = compact.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        assert line.removesuffix(",") == compact


def test_text_xml_forbids_is_dropped_not_breaking_the_feed():
    odd = analyse(incident(7, title="bell\x07 and \ufffe noncharacter", summary="nul\x00 byte"), AS_OF)
    text = feeds.render([odd], SiteContext(as_of=AS_OF))["feed.xml"]
    item = ET.fromstring(text).find("channel/item")
    assert item.findtext("title") == "INC-007: bell and  noncharacter"
    assert item.findtext("description") == "<p>nul byte</p>"


def test_charts_are_whole_svg_in_figures(reviews):
    html = html_of(insights.render(reviews, SiteContext(as_of=AS_OF))["insights/index.md"])
    assert html.count("<svg ") == 6 and html.count("</svg>") == 6
    assert '<figure class="pir-chart">' in html
