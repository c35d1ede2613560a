"""Every broken fixture is refused by `pir validate`: exit 1, a located first error on the documented line, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pir_reviews.cli import main
from pir_reviews.load.loader import load_paths
from loadhelp import LOCATED

FIXTURES = Path(__file__).parent / "fixtures"
TABLE = re.compile(r"^\| ([a-z0-9-]+\.yaml) \| (\d+) \|", re.MULTILINE)
EXPECTED = dict((name, int(line)) for name, line in TABLE.findall((FIXTURES / "README.md").read_text()))


def test_every_broken_fixture_is_documented():
    files = sorted(p.name for p in (FIXTURES / "broken").glob("*.yaml"))
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_is_refused_on_its_line(name, tmp_path, monkeypatch):
    path = FIXTURES / "broken" / name
    incidents, problems = load_paths([path])
    assert incidents == []
    errors = [p for p in problems if p.level == "error"]
    assert errors and errors[0].line == EXPECTED[name], [str(p) for p in problems]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line and not re.match(r"^\d+ (error|file)", line)]
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert list(tmp_path.iterdir()) == []


def test_big_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: BIG\nsummary: |\n" + ("  " + "x" * 100 + "\n") * 60_000)
    incidents, problems = load_paths([big], tmp_path)
    assert str(problems[0]).startswith("big.yaml:1: file is 6,") and "limit is 1,048,576 bytes (1 MiB)" in str(problems[0])


@pytest.mark.parametrize("folder", ["bom", "coercion-ok", "hostile"])
def test_edge_fixtures_are_valid(folder):
    incidents, problems = load_paths([FIXTURES / folder])
    assert incidents and [p for p in problems if p.level == "error"] == []


def test_coercion_fixture_keeps_text():
    [incident], _ = load_paths([FIXTURES / "coercion-ok"])
    assert incident.id == "0012"
    assert incident.extra["answer"] == "yes"
