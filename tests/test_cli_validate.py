"""`pir validate`, `pir new` and `pir schema` as commands: exact messages and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pir_reviews.cli import main
from clihelp import run
from loadhelp import LOCATED, VALID

ROOT = Path(__file__).resolve().parent.parent




def test_valid_archive_exits_0(project):
    root = project({"incidents/2024/a.yaml": VALID})
    result = run(["validate"], root)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 file valid"


def test_broken_file_exits_1_with_located_messages(project):
    root = project({"incidents/a.yaml": VALID + "status: yes\n", "incidents/b.yaml": VALID.replace("001", "002")})
    result = run(["validate", "incidents"], root)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "incidents/a.yaml:6:9: status: 'yes' is not allowed; expected one of investigating, identified, monitoring, resolved"
    assert lines[-1] == "1 error, 0 warnings in 1 of 2 files"
    assert "Traceback" not in result.output


def test_json_format(project):
    root = project({"incidents/a.yaml": VALID + "titel: x\n"})
    result = run(["validate", "--format", "json"], root)
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert report["valid"] is False and report["errors"] == 1
    assert report["problems"][0]["line"] == 6 and report["problems"][0]["path"] == "incidents/a.yaml"


def test_warnings_pass_unless_strict(project):
    root = project({"incidents/a.yaml": VALID + "detected_at: 2024-01-01T09:00:00Z\n"})
    assert run(["validate"], root).exit_code == 0
    strict = run(["validate", "--strict"], root)
    assert strict.exit_code == 1 and "(--strict)" in strict.output


def test_usage_error_exits_2(project):
    root = project({})
    assert run(["validate", "--format", "xml"], root).exit_code == 2


def test_every_output_line_is_located(project):
    root = project({"incidents/a.yaml": b"id: [\n", "incidents/b.yaml": b"\xff\xfe", "incidents/c.yaml": b""})
    result = run(["validate"], root)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line and not line[0].isdigit()]
    assert len(problems) == 3 and all(LOCATED.match(line) for line in problems)


def test_new_scaffolds_a_valid_file_and_never_overwrites(project):
    root = project({"incidents/2024/INC-2024-0315-001.yaml": VALID.replace("INC-2024-0101-001", "INC-2024-0315-001")})
    args = ["new", "--title", "Search is slow", "--severity", "sev3", "--service", "search", "--started-at", "2024-03-15T09:00:00+01:00"]
    result = run(args, root)
    assert result.exit_code == 0, result.output
    created = root / "incidents/2024/INC-2024-0315-002.yaml"
    text = created.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/incident.schema.json\n")
    assert run(["validate", str(created.relative_to(root))], root).exit_code == 0
    again = run(args + ["--id", "INC-2024-0315-002"], root)
    assert again.exit_code == 1 and "already used" in again.output
    assert created.read_text() == text


def test_new_refuses_bad_values_without_writing(project):
    root = project({"incidents/.keep": ""})
    result = run(["new", "--title", "x", "--service", "s", "--started-at", "2024-03-15T09:00:00"], root)
    assert result.exit_code == 1
    assert result.output.startswith("--started-at: '2024-03-15T09:00:00' has no UTC offset")
    assert list((root / "incidents").rglob("*.yaml")) == []


def test_schema_file_is_generated_from_the_model():
    result = CliRunner().invoke(main, ["schema"])
    assert result.output == (ROOT / "schema/incident.schema.json").read_text()
    schema = json.loads(result.output)
    from pir_reviews.load import fields

    assert list(schema["properties"]) == [fd.name for fd in fields.INCIDENT.fields]
    assert schema["required"] == ["id", "title", "summary", "services", "started_at"]


def test_schema_nested_records_refuse_unknown_keys():
    schema = json.loads((ROOT / "schema/incident.schema.json").read_text())
    assert schema["additionalProperties"] is False
    assert schema["properties"]["impact"]["additionalProperties"] is False
    event = schema["properties"]["timeline"]["items"]
    assert event["required"] == ["at", "message"] and event["additionalProperties"] is False
    assert schema["properties"]["extra"] == {"type": "object", "description": "free-form; not checked"}


def test_internal_errors_exit_3_with_a_hint(project, monkeypatch):
    from pir_reviews.commands import checking as commands

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(commands, "validate", broken)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 3
    assert "internal error: KeyError" in result.output and "--debug" in result.output
    debug = CliRunner().invoke(main, ["--debug", "validate"])
    assert debug.exit_code == 3 and "Traceback" in debug.output
