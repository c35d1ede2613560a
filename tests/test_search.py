"""The search records (generator.pages.search), the plugin's reading of them
(generator.search_plugin) and the Pagefind service (generator.search_index),
the last one against the real binary from the pagefind-bin wheel.

What a reader sees of a record comes from Pagefind's result list: the title
as text, the excerpt as HTML, the excerpt after
Pagefind's script has turned `<` and `>` into entities. `shown_excerpt` models
that; tests/test_hostile_browser.py checks the real thing.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings, strategies as st
from mkdocs.exceptions import PluginError

from pir_reviews.render import escape
from pir_reviews.site import search_index
from pir_reviews.core.analysis import analyse
from pir_reviews.core.errors import BuildFailed
from pir_reviews.load.loader import parse
from pir_reviews.site.pages import search
from pir_reviews.site.search_plugin import read_records
from pir_reviews.site import pipeline
from sitefixtures import AS_OF, PAYMENT, SAMPLES, SEARCH, in_parts, make_project

QUICK = settings(max_examples=60, deadline=None)


class Shown(HTMLParser):
    """The elements and the text a browser makes of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def shown_html(fragment: str) -> tuple[list[str], str]:
    found = Shown(fragment)
    return found.tags, "".join(found.text)


def shown_excerpt(content: str) -> tuple[list[str], str]:
    """What Pagefind's result list shows of a record's content (it escapes < and > first)."""
    return shown_html(content.replace("<", "&lt;").replace(">", "&gt;"))


def review_of(text: str):
    incident, problems = parse(text.encode("utf-8"), "incidents/x.yaml")
    assert incident is not None, problems
    return analyse(incident, AS_OF)


def test_a_record_carries_what_people_search_an_incident_by():
    found = search.record(review_of(PAYMENT))
    assert found.url == "/reviews/INC-2024-0315-001/"
    assert found.meta == {"title": "INC-2024-0315-001: Payment API database connection pool exhaustion"}
    assert found.language == "en"
    _, text = shown_excerpt(found.content)
    for words in ("INC-2024-0315-001", "Payment API database connection pool exhaustion", "payment-api, checkout-service",
                  "database, deployment", "ran out of database connections after a deploy",
                  "Root cause: The deploy halved the connection pool size.", "Trigger: Deploy of v2.3"):
        assert words in text
    # The long, repetitive parts stay out of the index.
    for left_out in ("High error rate", "Rolled back to v2.2", "Add connection pool utilisation alerts", "Fast rollback"):
        assert left_out not in text


def test_records_are_sorted_by_id_and_the_same_for_the_same_reviews():
    reviews = [review_of(PAYMENT), review_of(SEARCH)]
    first = search.records_json(reviews)
    assert first == search.records_json(list(reversed(reviews)))
    document = json.loads(first)
    assert document["format"] == search.FORMAT
    assert [r["url"] for r in document["records"]] == ["/reviews/INC-2024-0315-001/", "/reviews/INC-2024-0402-002/"]
    assert search.render(reviews, None) == {search.RECORDS: first}


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@QUICK
@given(TEXT)
def test_an_excerpt_shows_any_text_as_typed_and_never_as_markup(value):
    tags, text = shown_excerpt(escape.search_excerpt(value))
    assert tags == []
    assert text == escape._clean(value)


# ---- the records file, as the plugin reads it -----------------------------------


def test_missing_records_say_how_to_build(tmp_path):
    with pytest.raises(PluginError) as caught:
        read_records(tmp_path / search.RECORDS)
    assert str(caught.value).startswith(f"{tmp_path / search.RECORDS}: not found; build the site with `pir build`")


@pytest.mark.parametrize("content", [b"", b'{"format": "pir-search-records/1", "rec', b"\xff\xfe\x00", b"[]",
                                     b'{"format": "other", "records": []}',
                                     b'{"format": "pir-search-records/1", "records": [{"url": 1}]}',
                                     b'{"format": "pir-search-records/1", "records": [{"url": "/x/", "content": "x", '
                                     b'"language": "en", "meta": {"title": 2}}]}'])
def test_damaged_records_name_the_file(tmp_path, content):
    path = tmp_path / search.RECORDS
    path.write_bytes(content)
    with pytest.raises(PluginError) as caught:
        read_records(path)
    assert str(caught.value).startswith(f"{path}: ") and "pir generate" in str(caught.value)


@QUICK
@given(st.binary(max_size=200))
def test_any_bytes_give_records_or_a_located_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("records") / search.RECORDS
    path.write_bytes(content)
    try:
        assert isinstance(read_records(path), list)
    except PluginError as err:
        assert str(err).startswith(f"{path}: ")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                        ["url", "content", "language", "meta", "title", "x"]), inner, max_size=5), max_leaves=12)


@QUICK
@given(st.lists(JSON, max_size=3))
def test_records_of_any_shape_are_accepted_whole_or_refused(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("records") / search.RECORDS
    path.write_text(json.dumps({"format": search.FORMAT, "records": records}), encoding="utf-8")
    try:
        found = read_records(path)
    except PluginError as err:
        assert str(err).startswith(f"{path}: ")
        return
    for record in found:  # everything write_bundle reads is there, with the right type
        assert all(isinstance(record[key], str) for key in ("url", "content", "language"))
        assert isinstance(record["meta"], dict)


def test_truncated_real_records_are_refused(tmp_path):
    path = tmp_path / search.RECORDS
    whole = search.records_json([review_of(PAYMENT)]).encode("utf-8")
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PluginError):
        read_records(path)


# ---- the Pagefind service ---------------------------------------------------------


def fragments(folder) -> list[dict]:
    """The result fragments of a bundle (gzip, after Pagefind's signature)."""
    found = []
    for path in sorted((folder / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[data.index(b"{"):]))
    return found


def test_a_bundle_holds_the_records_the_pages_and_the_interface(tmp_path):
    record = asdict(search.record(review_of(PAYMENT)))
    page = ("<html><body><nav>Navigation words</nav><article><h1>Severity matrix"
            '<a class="headerlink" href="#x">&para;</a></h1><p>SEV1 is critical &amp; rare.</p></article></body></html>')
    report = search_index.write_bundle(tmp_path, [record], [("playbooks/severity-matrix/", page)])
    assert (report.records, report.pages) == (1, 1)
    bundle = tmp_path / search_index.BUNDLE
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    by_url = {f["url"]: f for f in fragments(bundle)}
    assert set(by_url) == {"/reviews/INC-2024-0315-001/", "/playbooks/severity-matrix/"}
    assert by_url["/reviews/INC-2024-0315-001/"]["meta"]["title"] == record["meta"]["title"]
    playbook = by_url["/playbooks/severity-matrix/"]
    assert playbook["meta"]["title"] == "Severity matrix"
    assert "SEV1 is critical & rare" in playbook["content"]
    assert "Navigation" not in playbook["content"] and "\u00b6" not in playbook["content"]


def bundle_files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("per_part", [search_index.RECORDS_PER_PART, 1], ids=["one part", "in parts"])
def test_the_same_input_gives_the_same_bundle(tmp_path, per_part):
    records = [asdict(search.record(review_of(text))) for text in (PAYMENT, SEARCH)]
    bundles = []
    for name in ("one", "two"):
        search_index.write_bundle(tmp_path / name, records, [], per_part)
        bundles.append(bundle_files(tmp_path / name / search_index.BUNDLE))
    assert bundles[0] == bundles[1]
    assert sum(name.endswith("pagefind-entry.json") for name in bundles[0]) == (1 if per_part > 1 else 2)


def numbered_records(count: int) -> list[dict]:
    return [{"url": f"/reviews/INC-{n:04d}/", "content": f"incident number{n} replication lag", "language": "en",
             "meta": {"title": f"INC-{n:04d}"}} for n in range(count)]


@QUICK
@given(st.integers(0, 60), st.integers(1, 25))
def test_records_are_dealt_in_turn_into_parts_of_at_most_the_size_set(count, per_part):
    records = numbered_records(count)
    parts = search_index.split(records, per_part)
    assert len(parts) == max(1, -(-count // per_part))
    assert all(len(part) <= per_part for part in parts)
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
    assert sorted((r["url"] for part in parts for r in part)) == [r["url"] for r in records]
    # In turn: record n is in part n modulo the number of parts, so every part spans the whole archive.
    for number, part in enumerate(parts):
        assert part == records[number::len(parts)]


@pytest.mark.parametrize("per_part", [0, -3])
def test_a_part_of_no_records_is_refused(per_part):
    with pytest.raises(ValueError, match="at least 1"):
        search_index.split(numbered_records(3), per_part)


def test_a_large_archive_is_indexed_in_parts_that_hold_an_index_only(tmp_path):
    page = "<html><body><article><h1>Severity matrix</h1><p>SEV1 is critical.</p></article></body></html>"
    report = search_index.write_bundle(tmp_path, numbered_records(7), [("playbooks/severity-matrix/", page)], 3)
    assert (report.records, report.pages, report.parts) == (7, 1, 3)
    bundle = tmp_path / search_index.BUNDLE
    listed = json.loads((bundle / search_index.PARTS).read_text(encoding="utf-8"))
    assert listed == {"format": search_index.PARTS_FORMAT, "parts": ["part1/", "part2/"]}
    urls = []
    for folder in (bundle, bundle / "part1", bundle / "part2"):
        urls.append(sorted(f["url"] for f in fragments(folder)))
    # The first part carries the hand-written pages and the interface; the others an index only.
    assert urls == [sorted(["/reviews/INC-0000/", "/reviews/INC-0003/", "/reviews/INC-0006/", "/playbooks/severity-matrix/"]),
                    ["/reviews/INC-0001/", "/reviews/INC-0004/"], ["/reviews/INC-0002/", "/reviews/INC-0005/"]]
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind.js").is_file()
    for number in (1, 2):
        kept = sorted(path.name for path in (bundle / f"part{number}").iterdir())
        assert [name for name in kept if not name.endswith(".pf_meta")] == ["fragment", "index", "pagefind-entry.json"]
        assert len(kept) == 4


def test_no_part_of_an_earlier_larger_archive_stays_behind(tmp_path):
    search_index.write_bundle(tmp_path, numbered_records(5), [], 2)
    bundle = tmp_path / search_index.BUNDLE
    assert (bundle / "part2" / "pagefind-entry.json").is_file()
    report = search_index.write_bundle(tmp_path, numbered_records(5), [], 10)
    assert report.parts == 1
    assert not any(path.name.startswith("part") for path in bundle.iterdir())
    assert json.loads((bundle / search_index.PARTS).read_text(encoding="utf-8"))["parts"] == []
    assert len(fragments(bundle)) == 5


def test_a_request_pagefind_refuses_is_a_build_failure(tmp_path):
    with pytest.raises(BuildFailed) as caught:
        with search_index.PagefindService(search_index._executable()) as service:
            service.ask({"type": "AddRecord", "index_id": 7, "url": "/x/", "content": "x", "language": "en",
                         "meta": None, "filters": None, "sort": None})
    assert str(caught.value).startswith("Pagefind refused a AddRecord request: ")
    assert list(tmp_path.iterdir()) == []


def test_a_refusal_among_many_requests_stops_the_batch():
    bad = {"type": "AddRecord", "index_id": 7, "url": "/x/", "content": "x", "language": "en", "meta": None,
           "filters": None, "sort": None}
    with pytest.raises(BuildFailed) as caught:
        with search_index.PagefindService(search_index._executable()) as service:
            index_id = service.ask({"type": "NewIndex", "config": search_index.INDEX_CONFIG})["index_id"]
            service.ask_all([{**bad, "index_id": index_id}, bad, {**bad, "index_id": index_id}])
    assert str(caught.value).startswith("Pagefind refused a AddRecord request: ")


@pytest.mark.parametrize("value", ["0", "-2", "true", "lots"])
def test_a_part_size_that_is_no_whole_number_of_at_least_one_stops_the_build(tmp_path, value, caplog):
    root = in_parts(make_project(tmp_path / "project", SAMPLES), value)
    with pytest.raises(BuildFailed, match="mkdocs.yml: invalid MkDocs configuration"):
        pipeline.build(root, AS_OF)
    assert "'records_per_part'" in caplog.text
    assert not (root / "site").exists()
