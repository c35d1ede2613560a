"""Properties of `pir import`: what it prints always loads back as the same events, its JSON
reader agrees with the standard library, and mangled exports never end in a traceback."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from pir_reviews.load import loader
from pir_reviews.core.errors import InvalidInput
from pir_reviews.importers import common, csv_events, into, json_tree
from pir_reviews.importers.yaml_events import as_yaml
from importhelp import CHANNEL, CSV, FIXTURES, PAGES, SLACK, run

QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BARE = """\
id: INC-1
title: t
started_at: 2024-03-15T22:38:00Z
services: [s]
summary: s
"""

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _plain(found: json_tree.Located):
    if isinstance(found.value, dict):
        return {key: _plain(value) for key, value in found.value.items()}
    if isinstance(found.value, list):
        return [_plain(item) for item in found.value]
    return found.value


@QUICK
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_the_located_json_reader_reads_what_json_writes(value, indent, ascii_only):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert _plain(json_tree.parse(text, "f.json", "x")) == json.loads(text)


@QUICK
@given(st.lists(json_values, min_size=1, max_size=3), st.sampled_from(["", "\n", " \n\t"]))
def test_documents_back_to_back_are_read_one_by_one(values, between):
    text = between.join(json.dumps(value) for value in values)
    if any(not isinstance(v, (dict, list, str)) for v in values) and not between:
        return  # 1 2 written as "12" is one number
    assert [_plain(found) for found in json_tree.parse_several(text, "f.json", "x")] == values


@QUICK
@given(st.text(alphabet='{}[]",: \n\t0123456789.eE+-tfrulnas\\', max_size=40))
def test_the_located_json_reader_refuses_what_json_refuses(text):
    try:
        expected = json.loads(text)
    except ValueError:
        expected = InvalidInput
    try:
        found = _plain(json_tree.parse(text, "f.json", "x"))
    except InvalidInput as exc:
        assert str(exc).startswith("f.json:")
        found = InvalidInput
    assert found == expected


@QUICK
@given(json_values.filter(lambda v: json.dumps(v, ensure_ascii=True).count("null") > 0), st.sampled_from([None, 2]),
       st.sampled_from(["NaN", "-Infinity", "Infinity", "-" + "7" * 4301, "9" * 5000]), st.data())
def test_a_refused_number_or_constant_is_named_where_it_is_written(value, indent, refused, data):
    text = json.dumps(value, indent=indent, ensure_ascii=True)
    nulls = [i for i in range(len(text)) if text.startswith("null", i) and not _in_string(text, i)]
    if not nulls:
        return
    at = data.draw(st.sampled_from(nulls))
    text = text[:at] + refused + text[at + 4:]
    line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    with pytest.raises(InvalidInput) as caught:
        json_tree.parse(text, "f.json", "x")
    assert str(caught.value).startswith(f"f.json:{line}:{col}: not valid JSON ("), (str(caught.value)[:120], line, col)


def _in_string(text: str, index: int) -> bool:
    """Whether `index` of a document json.dumps wrote falls inside a string."""
    inside, i = False, 0
    while i < index:
        if text[i] == "\\" and inside:
            i += 2
            continue
        if text[i] == '"':
            inside = not inside
        i += 1
    return inside


one_line = st.text(max_size=30)
texts = st.text(max_size=120) | st.sampled_from(["yes", "null", "~", "a: b", "x #y", "- item", "'q'", '"q"', "a\n\n  b", "12:30", "1e3", "\u2028", "\ufeff!", "tab\tbed"])


@QUICK
@given(texts, one_line, one_line, st.datetimes(timezones=st.just(timezone.utc), min_value=datetime(1971, 1, 1), max_value=datetime(9998, 1, 1)))
def test_what_is_printed_loads_back_as_the_same_event(message, actor, source, at):
    found = common.event(at, message, order=0, source=source or None, actor=actor or None)
    if found is None:
        return
    printed = as_yaml([found])
    again = yaml.safe_load(printed)["timeline"][0]
    assert (again["message"], again.get("actor"), again.get("source")) == (found.message, found.actor, found.source)
    incident, problems = loader.parse((BARE + printed).encode(), "x.yaml")
    assert problems == [] and incident is not None
    event = incident.timeline[0]
    assert (event.message, event.actor, event.source, event.type) == (found.message, found.actor, found.source, None)
    assert event.at == found.at.replace(microsecond=0)


@FUZZ
@given(st.lists(st.tuples(texts, st.integers(min_value=0, max_value=86400)), min_size=1, max_size=6))
def test_into_keeps_every_line_loads_and_is_idempotent(items):
    original = BARE + "timeline:\n  # kept\n  - at: 2024-03-15T12:00:00Z\n    message: noon   # kept too\n"
    start = datetime(2024, 3, 15, tzinfo=timezone.utc).timestamp()
    events = [common.event(datetime.fromtimestamp(start + offset, timezone.utc), text, order=i, source="fuzz")
              for i, (text, offset) in enumerate(items)]
    events = [e for e in events if e is not None]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "i.yaml"
        path.write_text(original)
        into.add_events(path, common.ordered(events))
        after = path.read_text()
        rest = iter(after.splitlines())
        assert all(any(line == other for other in rest) for line in original.splitlines())
        incident, problems = loader.parse(after.encode(), "i.yaml")
        assert incident is not None, problems
        assert into.add_events(path, events).added == 0 and path.read_text() == after


# What a spreadsheet cell may hold, with the characters that end a line for str.splitlines but not for CSV.
cells = st.text(st.sampled_from('ab ,"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029') | st.characters(blacklist_categories=("Cs",)), max_size=40)


@QUICK
@given(st.lists(cells, min_size=1, max_size=5))
def test_a_csv_file_the_csv_module_writes_is_read_row_by_row(messages):
    import csv
    import io

    messages = [m for m in messages if common.clean_message(m.strip())]
    written = io.StringIO(newline="")
    out = csv.writer(written)  # lines end in \r\n, and a value holding \r or \n is quoted
    out.writerow(["at", "message"])
    out.writerows([f"2024-03-15T10:00:{second:02d}Z", message] for second, message in enumerate(messages))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "events.csv"
        source.write_text(written.getvalue(), encoding="utf-8")
        found = csv_events.read_file(source)
    assert [e.message for e in found.events] == [common.clean_message(m.strip()) for m in messages]


def _mangled(data: bytes, cut: int, at: int, junk: bytes) -> bytes:
    at = at % (len(data) + 1)
    return (data[:at] + junk + data[at:])[: max(0, len(data) + len(junk) - cut)]


def _never_a_traceback(result) -> None:
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


mangles = (st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=10_000), st.binary(max_size=12))


@FUZZ
@given(st.sampled_from(["users.json", "channels.json", f"{CHANNEL}/2024-03-15.json"]), *mangles)
def test_mangled_slack_exports_are_reported_not_crashed(name, cut, at, junk):
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export"
        shutil.copytree(SLACK, export)
        target = export / name
        target.write_bytes(_mangled(target.read_bytes(), cut, at, junk))
        _never_a_traceback(run("slack", export, "--channel", CHANNEL))


@pytest.mark.parametrize(("kind", "original"), [
    ("pagerduty", PAGES[0]), ("csv", CSV), ("github-deployments", FIXTURES / "github" / "deployments.json"),
])
@FUZZ
@given(*mangles)
def test_mangled_files_are_reported_not_crashed(kind, original, cut, at, junk):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / original.name
        source.write_bytes(_mangled(original.read_bytes(), cut, at, junk))
        _never_a_traceback(run(kind, source))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_are_refused_by_every_kind(data):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "x"
        source.write_bytes(data)
        _never_a_traceback(run("pagerduty", source))
        _never_a_traceback(run("csv", source))
        _never_a_traceback(run("github-deployments", source))
        _never_a_traceback(run("slack", source, "--channel", CHANNEL))
        export = Path(folder) / "export"
        shutil.copytree(SLACK, export)
        (export / CHANNEL / "2024-03-16.json").write_bytes(data)
        _never_a_traceback(run("slack", export, "--channel", CHANNEL))


@FUZZ
@given(*mangles)
def test_mangled_slack_zip_files_are_reported_not_crashed(cut, at, junk):
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(SLACK.rglob("*.json")):
            out.write(path, path.relative_to(SLACK).as_posix())
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "export.zip"
        archive.write_bytes(_mangled(packed.getvalue(), cut, at * 3, junk))
        _never_a_traceback(run("slack", archive, "--channel", CHANNEL))
