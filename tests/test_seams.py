"""The seams between stages: every command sees the same problems and the same severity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pir_reviews.cli import main
from sitefixtures import make_project

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "incidents").rglob("*.yaml"))
RESERVED = """\
id: {ident}
title: An incident whose id is a folder index
started_at: 2024-01-01T00:00:00Z
services: [api]
summary: s
"""


@pytest.mark.parametrize("ident", ["index", "README", "Index"])
def test_validate_refuses_an_id_the_site_reserves(tmp_path, ident, monkeypatch):
    root = make_project(tmp_path / "p", {f"incidents/{ident}.yaml": RESERVED.format(ident=ident)})
    monkeypatch.chdir(root)
    validated = CliRunner().invoke(main, ["validate"])
    assert validated.exit_code == 1
    expected = f"incidents/{ident}.yaml:1: id: {ident!r} is reserved for the site's index pages; choose another id (not index or readme)"
    assert expected in validated.output
    generated = CliRunner().invoke(main, ["generate"])
    assert generated.exit_code == 1
    assert expected in generated.output  # the same problem, from the same stage
    assert not (root / "docs" / "generated" / "reviews").exists()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_classify_and_review_agree_on_the_computed_severity(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    rel = path.relative_to(ROOT).as_posix()
    classified = CliRunner().invoke(main, ["classify", rel, "--format", "json"])
    reviewed = CliRunner().invoke(main, ["review", rel, "--format", "json", "--as-of", "2026-01-01"])
    assert classified.exit_code == 0 and reviewed.exit_code == 0
    alone = json.loads(classified.output)
    inside = json.loads(reviewed.output)["classification"]
    assert (alone["severity"], alone["confidence"], alone["reasons"]) == (inside["severity"], inside["confidence"], inside["reasons"])


def test_the_trigger_reaches_both_paths(tmp_path, monkeypatch):
    """The bug behind the seam: root_cause.trigger counted for one path only."""
    text = RESERVED.format(ident="INC-2024-0101-001") + "root_cause:\n  trigger: a migration caused data loss in the orders table\n"
    (tmp_path / "i.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    alone = json.loads(CliRunner().invoke(main, ["classify", "i.yaml", "--format", "json"]).output)
    inside = json.loads(CliRunner().invoke(main, ["review", "i.yaml", "--format", "json", "--as-of", "2026-01-01"]).output)
    assert alone["severity"] == inside["classification"]["severity"]
    assert any("data loss" in reason for reason in alone["reasons"]), alone["reasons"]


def test_a_partial_file_still_needs_whole_timeline_events(tmp_path, monkeypatch):
    """Found by fuzzing: `pir classify` reads any subset of the top-level fields,
    but an event without its message is refused, not a crash."""
    (tmp_path / "p.yaml").write_text("title: Checkout down\ntimeline:\n  - at: 2024-03-15T14:32:00Z\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["classify", "p.yaml"])
    assert result.exit_code == 1
    assert result.output == "p.yaml:3:5: timeline[0]: required field 'message' is missing (text)\n"
