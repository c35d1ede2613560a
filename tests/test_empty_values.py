"""An empty value is an error wherever it stands, and the JSON Schema agrees.

The sample incident below is built from the declarations in `generator.fields`,
so it fills every field at every level; each test empties one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import pytest
from click.testing import CliRunner

from pir_reviews.load import fields as f
from pir_reviews.cli import main
from pir_reviews.load.loader import parse

ROOT = Path(__file__).resolve().parent.parent
# The ways a person leaves a value empty: nothing, YAML's nulls, blank quotes.
EMPTY = ["", "~", "null", '""', "'  '"]


def sample(kind: f.Kind) -> Any:
    """A valid JSON value for the kind; records get every field, lists one entry."""
    if isinstance(kind, f.Record):
        return {fd.name: sample(fd.kind) for fd in kind.fields}
    if isinstance(kind, f.ListOf):
        return [sample(kind.item)]
    if isinstance(kind, f.FreeForm):
        return {"note": "kept as is"}
    if isinstance(kind, f.Choice):
        return kind.values[0]
    if isinstance(kind, f.Ident):
        return "INC-2024-0101-001"
    if isinstance(kind, f.Number):
        return 1
    if isinstance(kind, f.Boolean):
        return True
    if isinstance(kind, f.Timestamp):
        return "2024-01-01T10:00:00Z"
    if isinstance(kind, f.Day):
        return "2024-02-01"
    if isinstance(kind, f.Url):
        return "https://example.com/runbook"
    return "Some words"


def places(kind: f.Kind, where: str = "") -> Iterator[tuple[str, f.Kind]]:
    """Every field and list entry of the sample, as the loader names them."""
    if isinstance(kind, f.Record):
        for fd in kind.fields:
            sub = f"{where}.{fd.name}" if where else fd.name
            yield sub, fd.kind
            yield from places(fd.kind, sub)
    elif isinstance(kind, f.ListOf):
        yield f"{where}[0]", kind.item
        yield from places(kind.item, f"{where}[0]")


class Emitted:
    """Block-style YAML of a value, one key per line, with the value at `blank` replaced by `token`."""

    def __init__(self, value: Any, blank: str = "", token: str = ""):
        self.blank, self.token = blank, token
        self.lines: list[str] = []
        self.at: tuple[int, int] | None = None  # line and column of the emptied value
        self.emit(value, "", 0)

    @property
    def text(self) -> bytes:
        return ("\n".join(self.lines) + "\n").encode()

    def put(self, head: str, where: str, item: Any, indent: int) -> None:
        if where == self.blank:
            # YAML places an empty value just after the ": " or "- " (after the colon when bare).
            self.at = (len(self.lines) + 1, len(head) + (2 if self.token else 1))
            self.lines.append(f"{head} {self.token}".rstrip())
        elif isinstance(item, dict) and head.endswith("-"):
            first = len(self.lines)
            self.emit(item, where, indent + 2)
            self.lines[first] = head + self.lines[first][len(head):]
        elif isinstance(item, (dict, list)):
            self.lines.append(head)
            self.emit(item, where, indent + 2)
        else:
            self.lines.append(f"{head} {'true' if item is True else item}")

    def emit(self, value: Any, where: str, indent: int) -> None:
        pad = " " * indent
        if isinstance(value, dict):
            for key, item in value.items():
                self.put(f"{pad}{key}:", f"{where}.{key}" if where else key, item, indent)
        else:
            for index, item in enumerate(value):
                self.put(f"{pad}-", f"{where}[{index}]", item, indent)


FULL = sample(f.INCIDENT)
PLACES = list(places(f.INCIDENT))


def test_the_sample_fills_every_field_and_is_valid():
    incident, problems = parse(Emitted(FULL).text, "f.yaml")
    assert problems == [] and incident is not None
    assert incident.links[0].url == "https://example.com/runbook"
    assert len(PLACES) > 80  # every level: top, impact, timeline[0], root_cause.bow_tie, ...


@pytest.mark.parametrize("token", EMPTY)
@pytest.mark.parametrize("where,kind", PLACES, ids=[w for w, _ in PLACES])
def test_an_emptied_value_is_one_located_error(where, kind, token):
    emitted = Emitted(FULL, where, token)
    line, col = emitted.at
    incident, problems = parse(emitted.text, "f.yaml")
    assert incident is None
    assert [str(p) for p in problems] == [f"f.yaml:{line}:{col}: {where}: empty value; expected {kind.describe}"]


ISSUE = """\
id: INC-2024-0101-001
title:
started_at: 2024-01-01T00:00:00Z
services: [api]
summary: s
"""


def test_the_reported_case_through_the_cli(tmp_path):
    (tmp_path / "e.yaml").write_text(ISSUE)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "e.yaml")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{tmp_path / 'e.yaml'}:2:7: title: empty value; expected one line of text"
    assert "internal error" not in result.output


@pytest.mark.parametrize("value,message", [
    ("services: []", "f.yaml:4:11: services: needs at least 1 entry"),
    ("services:", "f.yaml:4:10: services: empty value; expected a list of one or more service names"),
    ("services: [api, ]", None),
    ("services: [api, '']", "f.yaml:4:17: services[1]: empty value; expected one line of text"),
])
def test_services_need_one_or_more_names(value, message):
    incident, problems = parse(ISSUE.replace("title:", "title: t").replace("services: [api]", value).encode(), "f.yaml")
    assert [str(p) for p in problems] == ([message] if message else [])


def test_classify_refuses_an_empty_value_in_a_partial_incident(tmp_path):
    (tmp_path / "c.yaml").write_text("summary: Database down for all users\nimpact:\n")
    result = CliRunner().invoke(main, ["classify", str(tmp_path / "c.yaml")])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'c.yaml'}:2:8: impact: empty value; expected a mapping\n"


SCHEMA = jsonschema.Draft202012Validator(json.loads((ROOT / "schema/incident.schema.json").read_text()))


def _replace(value: Any, where: str, new: Any, prefix: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            sub = f"{prefix}.{key}" if prefix else key
            out[key] = new if sub == where else _replace(item, where, new, sub)
        return out
    if isinstance(value, list):
        return [new if f"{prefix}[{i}]" == where else _replace(item, where, new, f"{prefix}[{i}]") for i, item in enumerate(value)]
    return value


def test_the_schema_accepts_the_full_sample():
    SCHEMA.validate(FULL)


@pytest.mark.parametrize("empty", [None, "", "  "])
@pytest.mark.parametrize("where", [w for w, _ in PLACES])
def test_the_schema_refuses_every_empty_value(where, empty):
    assert not SCHEMA.is_valid(_replace(FULL, where, empty))


def test_the_schema_refuses_an_empty_services_list():
    errors = list(SCHEMA.iter_errors({**FULL, "services": []}))
    assert [list(e.path) for e in errors] == [["services"]]
