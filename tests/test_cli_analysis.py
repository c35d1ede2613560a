"""`pir classify|timeline|review` as commands: inputs, outputs, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pir_reviews.cli import main

SEEDS = Path(__file__).parent / "data" / "seed-samples"


def test_interactive_classify_asks_one_question_at_a_time():
    answers = "Checkout is failing for everyone\ncheckout\n90\nyes\n\n\nno\nno\n\n"
    result = CliRunner().invoke(main, ["classify", "--interactive", "--format", "json"], input=answers)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["severity"] == "sev1"
    assert "90% of users affected (more than 75%) -> sev1" in report["reasons"]


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["timeline", str(SEEDS / "simple_timeline_events.json"), "--format", "json", "--output", str(target)])
    assert result.exit_code == 0 and result.output == ""
    report = json.loads(target.read_text())
    assert report["metrics"]["time_to_acknowledge_min"] == 5.0
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_output_refuses_a_symlink(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep")
    (tmp_path / "link.txt").symlink_to(real)
    result = CliRunner().invoke(main, ["classify", str(SEEDS / "simple_incident.json"), "--output", str(tmp_path / "link.txt")])
    assert result.exit_code == 1 and "symlink" in result.output
    assert real.read_text() == "keep"


def test_missing_input_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["review", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_broken_input_is_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: y\nservices: [a]\nsummary: s\nstarted_at: 2024-01-01T00:00:00\n")
    result = CliRunner().invoke(main, ["timeline", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}:5:13: started_at: '2024-01-01T00:00:00' has no UTC offset")


def test_old_timeline_metrics_are_never_zero_by_default():
    result = CliRunner().invoke(main, ["timeline", str(SEEDS / "simple_timeline_events.json"), "--format", "json"])
    metrics = json.loads(result.output)["metrics"]
    assert metrics["time_to_mitigate_min"] == 25.0
    assert metrics["time_to_resolve_min"] is None
    phases = [p["name"] for p in json.loads(result.output)["phases"]]
    assert len(phases) == len(set(phases))
