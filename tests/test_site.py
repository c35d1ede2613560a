"""Real site builds: `site.generate` + strict MkDocs, checked through the output HTML."""

from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path

import pytest

from pir_reviews.site import pipeline as site
from pir_reviews.core.errors import BuildFailed, InvalidInput, WriteRefused
from pir_reviews.site.writer import MANIFEST
from sitefixtures import AS_OF, HANDWRITTEN, HOSTILE, SAMPLES, build_project, make_project, numbered_incident, page

IDS_NEWEST_FIRST = ["INC-2024-0501-666", "INC-2024-0402-002", "INC-2024-0315-001", "INC-2023-1201-001"]
EDIT = "https://github.com/example/post-incident-reviews/edit/main/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample project, built once for the module: (root, site folder)."""
    root = make_project(tmp_path_factory.mktemp("sample") / "project", SAMPLES)
    mkdocs_log = logging.getLogger("mkdocs")
    warnings: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    keeper = Keep(level=logging.WARNING)
    mkdocs_log.addHandler(keeper)
    try:
        site_dir = build_project(root)
    finally:
        mkdocs_log.removeHandler(keeper)
    assert warnings == [], "a strict build must be clean"
    return root, site_dir


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() not in skip
    }


def table_ids(text: str) -> list[str]:
    body = text.split("<tbody>", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td><a href="([^"/]+)/">', body)


# ---- URLs and pages -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "", "reviews/", "action-items/", "insights/", "playbooks/", "browse/",
        "browse/severity/sev1/", "browse/services/payment-api/", "browse/tags/database/", "browse/years/2024/",
        "contributing/", "security/", "performance/", "playbooks/severity-matrix/",
        "feed.xml", "incidents.json", "assets/pir/archive-table.js", "assets/pir/pir.css", "assets/pir/search.js",
        "pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css",
    ]
    + [f"reviews/{i}/" for i in IDS_NEWEST_FIRST],
)
def test_every_permanent_url_exists(built, url):
    _, site_dir = built
    assert page(site_dir, url)


def test_review_page_has_header_phases_body_and_links(built):
    _, site_dir = built
    text = page(site_dir, "reviews/INC-2024-0315-001/")
    assert "<title>INC-2024-0315-001: Payment API database connection pool exhaustion - Post-incident reviews</title>" in text
    # Badges
    assert '<span class="pir-badge pir-sev pir-sev--sev2"><span class="pir-badge__name">Severity</span>SEV2 (declared)</span>' in text
    assert "pir-status--resolved" in text and "pir-review--final" in text
    assert '<span class="pir-badge__name">Duration</span>1h 30m</span>' in text
    # The targets are judged once, in the response metrics table (no badges repeat them);
    # the phase bar: the response phases proportional to their durations
    # (6+34+50 = 90 minutes); the 10-minute lead-up is listed beside the bar, not drawn
    assert '<tr><td>Time to acknowledge<td>4m<td>15m<td class="pir-verdict--met">met' in text
    assert "(target 15m)" not in text and "pir-targets" not in text
    assert 'class="pir-phase pir-phase--triage" style="width: 37.78%"' in text
    assert 'class="pir-phase pir-phase--recovery" style="width: 55.55%"' in text
    assert 'pir-phase pir-phase--lead_up" style' not in text
    assert "Lead-up: 10m (before impact began, not drawn to scale)" in text
    # The review body: timeline table, root cause, action items with the overdue one marked
    assert "Rolled back to v2.2" in text
    assert "The deploy halved the connection pool size." in text
    assert "Add connection pool utilisation alerts" in text
    assert re.search(r"2024-04-01 <strong>overdue</strong>", text)
    # Related, neighbours, edit links (body link and theme button both point at the YAML)
    assert 'href="../INC-2024-0402-002/"' in text
    assert "shared tag: database" in text
    assert re.search(r'Previous incident: <a href="../INC-2023-1201-001/">', text)
    assert re.search(r'Next incident: <a href="../INC-2024-0402-002/">', text)
    yaml_url = EDIT + "incidents/2024/INC-2024-0315-001.yaml"
    assert f'<a href="{yaml_url}">Edit this incident\'s YAML file</a>' in text
    assert re.search(rf'<a href="{re.escape(yaml_url)}" title="Edit this page" class="md-content__button md-icon" rel="edit">', text)
    # Not in the navigation: no review page is listed in the nav of another page
    assert "INC-2023-1201-001" not in page(site_dir, "contributing/")


def test_edit_buttons_point_at_sources(built):
    _, site_dir = built
    assert f'href="{EDIT}docs/contributing.md"' in page(site_dir, "contributing/")
    assert f'href="{EDIT}docs/playbooks/index.md"' in page(site_dir, "playbooks/")
    # Generated pages other than reviews have no Markdown in the repository: no edit button.
    for url in ("", "reviews/", "browse/", "browse/tags/database/", "action-items/"):
        assert 'rel="edit"' not in page(site_dir, url), url


def test_archive_index_lists_every_incident_newest_first(built):
    _, site_dir = built
    text = page(site_dir, "reviews/")
    assert table_ids(text) == IDS_NEWEST_FIRST
    assert "data-pir-archive" in text
    assert 'src="../assets/pir/archive-table.js"' in text
    # The built page leaves out the optional </td> and </tr> (site/html_bodies.py): a row ends where the next begins.
    row = re.search(r"<tr><td data-sort=\"2024-04-02T07:00:00Z\">.*?(?=<tr|</table>)", text, re.S).group(0)
    for cell in ("2024-04-02", "Search results delayed by indexer backlog", "SEV3", "search", ">2h<", "Resolved", "1 overdue"):
        assert cell in row
    assert 'href="../browse/"' in text


def test_home_page(built):
    _, site_dir = built
    text = page(site_dir, "")
    assert "4 reviews" in text
    assert "3 open action items" in text
    assert 'href="playbooks/"' in text and 'href="contributing/"' in text
    assert text.index("INC-2024-0501-666") < text.index("INC-2023-1201-001")


def test_browse_pages_group_incidents(built):
    _, site_dir = built
    browse = page(site_dir, "browse/")
    for href in ("severity/sev1/", "services/payment-api/", "tags/database/", "years/2023/"):
        assert f'href="{href}"' in browse
    database = page(site_dir, "browse/tags/database/")
    assert database.index("INC-2024-0402-002") < database.index("INC-2024-0315-001")
    assert "INC-2023-1201-001" not in database
    assert "INC-2023-1201-001" in page(site_dir, "browse/years/2023/")
    assert "INC-2024-0315-001" not in page(site_dir, "browse/years/2023/")


# ---- hostile text ---------------------------------------------------------------


def test_hostile_incident_shows_as_text_everywhere(built):
    _, site_dir = built
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site_dir)
        for bad in ("<script>alert", "<img src=x", "<iframe", "<svg onload", "</title><script>", "<b>svc</b>"):
            assert bad not in text, f"{bad!r} in {where}"
        assert not re.search(r"""<[a-z][^<>]*\s(href|src)\s*=\s*["']?\s*javascript:""", text, re.I), where
        assert "onerror=alert" not in text.replace("onerror=alert(&#39;s&#39;)", "").replace(
            "onerror=alert(&#x27;s&#x27;)", ""
        ).replace("onerror=alert('s')&gt;", ""), where
    text = page(site_dir, "reviews/INC-2024-0501-666/")
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert html.unescape(title) == (
        "INC-2024-0501-666: <script>alert('t')</script> **bold** [x](javascript:alert(1)) {{ 7*7 }} "
        '--8<-- "/etc/passwd" - Post-incident reviews'
    )
    assert "{{ 7*7 }}" in text  # rendered once, never as a template
    assert "&lt;img src=x onerror=alert(" in text


# ---- determinism, scale ---------------------------------------------------------


def test_two_builds_give_identical_files(built, tmp_path):
    root, site_dir = built
    first_site = snapshot(site_dir, skip=("sitemap.xml.gz",))
    first_docs = snapshot(root / "docs" / "generated")
    other = make_project(tmp_path / "elsewhere", SAMPLES)
    build_project(other)
    assert snapshot(other / "site", skip=("sitemap.xml.gz",)) == first_site
    assert snapshot(other / "docs" / "generated") == first_docs
    report = site.generate(other, AS_OF)
    assert (report.written, report.removed) == (0, 0)


def test_review_page_size_does_not_grow_with_the_archive(tmp_path):
    sizes = []
    for count in (3, 30):
        incidents = dict(numbered_incident(n) for n in range(count))
        root = make_project(tmp_path / f"p{count}", incidents)
        site_dir = build_project(root)
        sizes.append(len(page(site_dir, "reviews/INC-GEN-0001/").encode("utf-8")))
    small, large = sizes
    # Only the short, capped list of related incidents may differ.
    assert abs(large - small) <= 0.05 * small, sizes


# ---- rebuilding -----------------------------------------------------------------


def test_failed_builds_keep_the_previous_site(tmp_path):
    root = make_project(tmp_path / "p", {"incidents/a.yaml": SAMPLES["incidents/2023/INC-2023-1201-001.yaml"]})
    site_dir = build_project(root)
    before_site = snapshot(site_dir)
    before_docs = snapshot(root / "docs" / "generated")

    (root / "incidents" / "broken.yaml").write_text("id: INC-X\ntitle: no start\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        site.build(root, AS_OF)
    assert "broken.yaml" in str(caught.value)
    assert snapshot(site_dir) == before_site
    assert snapshot(root / "docs" / "generated") == before_docs
    (root / "incidents" / "broken.yaml").unlink()

    # An archive's own custom_dir comes before pir's theme: a broken override breaks the build.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: theme\n"), encoding="utf-8")
    (root / "theme").mkdir()
    (root / "theme" / "main.html").write_text('{% extends "base.html" %}{% block htmltitle %}{{ oops(', encoding="utf-8")
    with pytest.raises(BuildFailed):
        site.build(root, AS_OF)
    assert snapshot(site_dir) == before_site
    assert not [p for p in tmp_path.glob("p/.site-*")], "no staging folder left behind"


def test_removed_incident_loses_its_page_and_foreign_files_stay(tmp_path):
    incidents = {
        "incidents/a.yaml": SAMPLES["incidents/2023/INC-2023-1201-001.yaml"],
        "incidents/b.yaml": SAMPLES["incidents/2024/INC-2024-0402-002.yaml"],
    }
    root = make_project(tmp_path / "p", incidents)
    generated = root / "docs" / "generated"
    generated.mkdir(parents=True)
    foreign = generated / "notes.md"
    foreign.write_text("# Notes\n\nMine.\n", encoding="utf-8")
    os.utime(foreign, (1_000_000_000, 1_000_000_000))
    site_dir = build_project(root)
    assert (site_dir / "reviews" / "INC-2024-0402-002" / "index.html").exists()
    assert "notes.md" not in (generated / MANIFEST).read_text(encoding="utf-8")

    (root / "incidents" / "b.yaml").unlink()
    build_project(root)
    assert not (generated / "reviews" / "INC-2024-0402-002.md").exists()
    assert not (site_dir / "reviews" / "INC-2024-0402-002").exists()
    assert "INC-2024-0402-002" not in page(site_dir, "reviews/")
    assert foreign.read_text(encoding="utf-8") == "# Notes\n\nMine.\n"
    assert foreign.stat().st_mtime == 1_000_000_000


def test_foreign_file_in_the_way_of_a_page_is_refused(tmp_path):
    root = make_project(tmp_path / "p", {"incidents/a.yaml": HOSTILE})
    (root / "docs" / "generated" / "reviews").mkdir(parents=True)
    (root / "docs" / "generated" / "reviews" / "index.md").write_text("hand\n", encoding="utf-8")
    with pytest.raises(WriteRefused) as caught:
        site.generate(root, AS_OF)
    assert "reviews/index.md" in str(caught.value)
    assert (root / "docs" / "generated" / "reviews" / "index.md").read_text(encoding="utf-8") == "hand\n"


def test_handwritten_page_at_a_generated_path_is_refused(tmp_path):
    root = make_project(tmp_path / "p", {"incidents/a.yaml": HOSTILE}, extra={"docs/reviews/index.md": "# Mine\n"})
    with pytest.raises(WriteRefused) as caught:
        site.generate(root, AS_OF)
    assert "docs/reviews/index.md" in str(caught.value)


def test_unchanged_pages_keep_their_mtime(tmp_path):
    root = make_project(tmp_path / "p", {"incidents/a.yaml": SAMPLES["incidents/2024/INC-2024-0402-002.yaml"]})
    site.generate(root, AS_OF)
    page_file = root / "docs" / "generated" / "reviews" / "INC-2024-0402-002.md"
    os.utime(page_file, (1_000_000_000, 1_000_000_000))
    report = site.generate(root, AS_OF)
    assert report.written == 0 and report.unchanged > 0
    assert page_file.stat().st_mtime == 1_000_000_000


def test_reserved_ids_are_refused(tmp_path):
    incident = SAMPLES["incidents/2024/INC-2024-0402-002.yaml"].replace("id: INC-2024-0402-002", "id: Index")
    root = make_project(tmp_path / "p", {"incidents/a.yaml": incident})
    with pytest.raises(InvalidInput) as caught:
        site.generate(root, AS_OF)
    assert "reserved" in str(caught.value)


def test_progress_line_for_long_runs(tmp_path, monkeypatch):
    from pir_reviews.site import batch

    incidents = [numbered_incident(n) for n in range(3)]
    root = make_project(tmp_path / "p", dict(incidents))
    messages: list[str] = []
    site.analyse_archive(root, AS_OF, batch.Cache(version=""), progress=messages.append)
    assert messages == []  # short runs stay quiet
    monkeypatch.setattr(site, "PROGRESS_FROM", 2)
    site.analyse_archive(root, AS_OF, batch.Cache(version=""), progress=messages.append)
    assert messages == ["analysed 3/3 incidents"]


def test_mark_generated_adds_the_flag_once():
    assert site.mark_generated("# Hi\n") == "---\npir_generated: true\n---\n\n# Hi\n"
    assert site.mark_generated("---\ntitle: X\n---\n\n# X\n") == "---\npir_generated: true\ntitle: X\n---\n\n# X\n"
    marked = "---\npir_generated: true\n---\n\n# X\n"
    assert site.mark_generated(marked) == marked


def test_watch_regenerates_on_edit_and_keeps_pages_on_error(tmp_path):
    import threading
    import time

    incident = SAMPLES["incidents/2024/INC-2024-0402-002.yaml"]
    root = make_project(tmp_path / "p", {"incidents/a.yaml": incident})
    site.generate(root, AS_OF)
    page_file = root / "docs" / "generated" / "reviews" / "INC-2024-0402-002.md"
    messages: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=site.watch, args=(root, AS_OF, stop, 0.05, messages.append), daemon=True)
    watcher.start()

    def wait_for(condition) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return False

    try:
        time.sleep(0.2)
        (root / "incidents" / "a.yaml").write_text(incident.replace("indexer backlog", "indexer backlog (edited)"), encoding="utf-8")
        assert wait_for(lambda: "(edited)" in page_file.read_text(encoding="utf-8"))
        before = page_file.read_text(encoding="utf-8")
        (root / "incidents" / "b.yaml").write_text("id: [\n", encoding="utf-8")
        assert wait_for(lambda: any("not regenerated" in m for m in messages))
        assert page_file.read_text(encoding="utf-8") == before
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


def test_search_indexes_each_incident_from_its_record_and_only_the_handwritten_pages(built):
    root, site_dir = built
    records = json.loads((root / "docs/generated/search-records.json").read_text(encoding="utf-8"))["records"]
    assert sorted(r["url"] for r in records) == sorted(f"/reviews/{i}/" for i in IDS_NEWEST_FIRST)
    # The records are the plugin's input, not part of the published site; Material's index is gone.
    assert not (site_dir / "search-records.json").exists() and not (site_dir / "search").exists()
    entry = json.loads(page(site_dir, "pagefind/pagefind-entry.json"))
    handwritten = len(HANDWRITTEN)  # the hand-written stand-in pages of sitefixtures
    assert entry["languages"]["en"]["page_count"] == len(IDS_NEWEST_FIRST) + handwritten
    # No page of the site asks Material's search for anything.
    assert "md-search" not in page(site_dir, "") and 'class="pir-search"' in page(site_dir, "")


def test_index_row_says_ongoing_for_an_unresolved_incident_without_an_end():
    from dataclasses import replace

    from pir_reviews.core.analysis import analyse
    from pir_reviews.load.loader import parse
    from pir_reviews.site.pages import SiteContext
    from pir_reviews.site.pages.listings import row
    from sitefixtures import numbered_incident

    _, text = numbered_incident(1)
    incident, _ = parse(text.replace("resolved_at:", "# resolved_at:").replace("    type: resolution\n", "    type: note\n").encode(), "a.yaml")
    open_one = analyse(replace(incident, status="investigating"), AS_OF)
    assert open_one.timeline.metrics["duration_min"] is None
    assert row(open_one, SiteContext(as_of=AS_OF)).duration == "ongoing"
    closed = analyse(incident, AS_OF)
    assert row(closed, SiteContext(as_of=AS_OF)).duration == "unknown"


def test_outside_an_archive_says_where_to_run(tmp_path):
    from click.testing import CliRunner

    from pir_reviews.cli import main

    result = CliRunner().invoke(main, ["generate", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"pir: {tmp_path / 'mkdocs.yml'}: not found; run pir in the archive's folder")
    assert not (tmp_path / "docs").exists()


def test_an_archive_without_incidents_builds(tmp_path):
    root = make_project(tmp_path / "p", {})
    (root / "incidents").rmdir()
    site_dir = build_project(root)
    assert "There are no incidents in the archive yet" in page(site_dir, "insights/")
    assert (site_dir / "reviews" / "index.html").exists()
