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
from sitefixtures import AS_OF, PAYMENT, SEARCH

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


def test_the_same_input_gives_the_same_bundle(tmp_path):
    record = asdict(search.record(review_of(PAYMENT)))
    bundles = []
    for name in ("one", "two"):
        search_index.write_bundle(tmp_path / name, [record], [])
        folder = tmp_path / name / search_index.BUNDLE
        bundles.append({p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()})
    assert bundles[0] == bundles[1]


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
