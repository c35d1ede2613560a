"""The customer-facing site: `pir build --audience public` from the sample archive.

Both sites are built from the real samples; the public one must hold the
public incidents' public fields and nothing else.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pir_reviews.load import loader
from pir_reviews.core import public
from pir_reviews.site import pipeline as site
from pir_reviews.cli import main
from tests.sitefixtures import make_project

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = make_project(tmp_path_factory.mktemp("public") / "archive", {})
    shutil.copytree(REPO / "incidents", root / "incidents", dirs_exist_ok=True)
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--as-of", AS_OF.isoformat(),
                                       "--audience", "public", "--site-dir", str(root / "out-public")])
    assert result.exit_code == 0, result.output
    site.build(root, AS_OF)  # after the public build: it must not pick up docs/generated-public/
    return root, root / "site", root / "out-public"


def sample_incidents():
    incidents, problems = loader.load_paths([REPO / "incidents"], REPO)
    assert not [p for p in problems if p.level == "error"]
    return incidents


def all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".md", ".txt", ".js"))


def people(incidents) -> set[str]:
    names = set()
    for i in incidents:
        names |= {i.commander, *i.authors, *(r.name for r in i.responders)}
        names |= {a.owner for a in i.action_items}
        names |= {e.actor for e in i.timeline}
    return {n for n in names if n}


def test_the_samples_have_a_public_incident_with_people_and_links():
    incidents = sample_incidents()
    shown = [i for i in incidents if public.is_public(i)]
    assert [i.id for i in shown] == ["INC-2025-0930-001"]
    assert people(shown) and any(a.owner for a in shown[0].action_items) and shown[0].links


def test_public_site_holds_only_public_incidents_and_their_public_fields(built):
    root, internal, public_site = built
    text = all_text(public_site)
    incidents = sample_incidents()
    (chosen,) = [i for i in incidents if public.is_public(i)]
    assert chosen.public.title in text
    assert "browsers refused to load them" in text
    assert "Expiry notices from certificate authorities go to a team address" in text
    for name in sorted(people(incidents)):
        assert name not in text, f"a person's name reached the public site: {name}"
    for incident in incidents:
        for url in [a.link for a in incident.action_items if a.link] + [link.url for link in incident.links]:
            assert url not in text, f"an internal link reached the public site: {url}"
        if not public.is_public(incident):
            assert incident.id not in text and incident.title not in text
    assert chosen.title not in text  # the internal title, replaced by the public one
    assert chosen.root_cause.summary.split("\n")[0] not in text
    for internal_only in ("example.github.io", "github.com/example", "Edit this incident", "Action items", "Playbooks",
                          "Actor", "Owner", "27400"):
        assert internal_only not in text, internal_only


def test_public_site_has_its_own_index_search_and_feed(built):
    root, _, public_site = built
    index = (public_site / "index.html").read_text(encoding="utf-8")
    assert "Product images did not load on our website" in index
    assert "Recently updated" in index
    # Its own search: Pagefind's index of the public incidents' records, nothing else.
    records = json.loads((root / "docs" / "generated-public" / "search-records.json").read_text(encoding="utf-8"))["records"]
    assert [r["url"] for r in records] == ["/reviews/INC-2025-0930-001/"]
    entry = json.loads((public_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 1
    feed = (public_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 1 and "INC-2025-0930-001" in feed
    assert not (public_site / "playbooks").exists() and not (public_site / "action-items").exists()


def test_the_default_build_is_unchanged(built):
    root, internal, _ = built
    text = all_text(internal / "reviews")
    assert "Ravi Shankar" in text and "INC-2024-0315-001" in text
    assert (internal / "action-items" / "index.html").exists()
    assert (root / site.PUBLIC_GENERATED / "index.md").exists()
    assert "generated-public/index.md" not in site.handwritten_files(root)
    assert not (internal / "generated-public").exists()
    assert "Product images failed to load after the static-asset TLS certificate expired" in all_text(internal)


MINIMAL = """\
id: INC-1
title: Outage
summary: Down.
services: [web]
started_at: 2024-01-01T00:00:00Z
visibility: public
"""


@pytest.mark.parametrize("public_part", ["", "public:\n  impact: Slow pages.\n"])
def test_a_public_incident_needs_a_public_summary(public_part):
    incident, problems = loader.parse((MINIMAL + public_part).encode(), "x.yaml")
    assert incident is None
    assert [str(p) for p in problems] == ["x.yaml:6: visibility is public but public.summary is missing; write what customers should read under public: summary:"]
    incident, problems = loader.parse((MINIMAL + "public:\n  summary: Our website was down.\n").encode(), "x.yaml")
    assert incident is not None and incident.public.summary == "Our website was down."


def test_public_transform_keeps_only_the_allowed_fields():
    (chosen,) = [i for i in sample_incidents() if public.is_public(i)]
    shown = public.public_incident(chosen)
    assert (shown.commander, shown.authors, shown.responders, shown.timeline, shown.action_items, shown.links, shown.tags) == (None, (), (), (), (), (), ())
    assert shown.impact.revenue_usd is None and shown.impact.description == chosen.public.impact
    assert shown.summary == chosen.public.summary and shown.extra == {} and shown.path == "INC-2025-0930-001.yaml"


# ---- recently updated (updated_at), on the internal site ---------------------------


def test_home_lists_recently_updated_reviews(built):
    _, internal, _ = built
    home = (internal / "index.html").read_text(encoding="utf-8")
    section = home.split('id="recently-updated"', 1)[1]
    assert section.index("2026-02-10") < section.index("PUB-2019-0702-001") < section.index("2025-10-14") < section.index("INC-2025-0930-001")


def test_feed_brings_a_back_filled_review_up_dated_by_its_update(built):
    _, internal, _ = built
    feed = (internal / "feed.xml").read_text(encoding="utf-8")
    items = feed.split("<item>")[1:]
    ids = [item.split("<title>")[1].split(":")[0] for item in items]
    assert ids[:3] == ["INC-2026-1125-001", "INC-2026-0226-001", "PUB-2019-0702-001"]
    assert "<pubDate>Tue, 10 Feb 2026 00:00:00 GMT</pubDate>" in items[2]


def test_an_update_before_the_incident_is_a_warning():
    incident, problems = loader.parse((MINIMAL.replace("visibility: public\n", "updated_at: 2023-12-31\n")).encode(), "x.yaml")
    assert incident is not None
    assert [str(p) for p in problems] == ["x.yaml:6: warning: updated_at 2023-12-31 is before the incident started (2024-01-01T00:00:00Z); a review changes after its incident"]


HOSTILE = MINIMAL.replace("title: Outage\n", "title: Internal name of the outage\n") + """\
commander: Jo Secret
public:
  title: "<script>alert(1)</script> & [x](javascript:alert(2))"
  summary: |
    <img src=x onerror=alert(3)> **bold** {{ not_a_variable }}
  changes:
    - "<b>tag</b> | pipe"
"""


def test_public_text_is_escaped_where_it_lands(tmp_path):
    root = make_project(tmp_path / "archive", {"incidents/x.yaml": HOSTILE})
    site.build(root, AS_OF, audience="public", site_dir=root / "pub")
    text = all_text(root / "pub")
    assert "<script>alert(1)" not in text and "<img src=x" not in text and "<b>tag</b>" not in text
    assert 'href="javascript:' not in text
    assert "<p>&lt;img src=x onerror=alert(3)&gt; **bold** {{ not_a_variable }}</p>" in text
    assert "Jo Secret" not in text and "Internal name of the outage" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (root / "pub" / "reviews" / "INC-1" / "index.html").read_text(encoding="utf-8")


