"""Whole outputs of `pir classify|timeline|review` on the samples and the seed files, against golden files.

Rewrite them with `pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pir_reviews.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "data" / "seed-samples"
SAMPLES = sorted((ROOT / "incidents").rglob("*.yaml"))
AS_OF = "2026-01-01"

CASES = (
    [("classify", p, fmt) for p in SAMPLES for fmt in ("json", "text")]
    + [("timeline", p, fmt) for p in SAMPLES for fmt in ("json", "text")]
    + [("review", p, fmt) for p in SAMPLES for fmt in ("markdown", "json")]
    + [("classify", SEEDS / n, fmt) for n in ("sample_incident_classification.json", "simple_incident.json") for fmt in ("json", "text", "markdown")]
    + [("timeline", SEEDS / "simple_timeline_events.json", fmt) for fmt in ("json", "text", "markdown")]
    + [("review", SEEDS / n, fmt) for n in ("simple_timeline_events.json", "legacy_pir.json") for fmt in ("markdown", "json", "text")]
)


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Run from the repository root, so paths in the outputs are relative and the same on every clone."""
    monkeypatch.chdir(ROOT)


def run(command: str, path: Path, fmt: str) -> str:
    args = [command, path.relative_to(ROOT).as_posix(), "--format", fmt]
    if command == "review":
        args += ["--as-of", AS_OF]
    if command == "timeline" and fmt == "text":
        args.append("--gap-analysis")
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command,path,fmt", CASES, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_golden(command, path, fmt, golden):
    first = run(command, path, fmt)
    assert run(command, path, fmt) == first  # byte-identical across runs
    extension = {"markdown": "md", "json": "json", "text": "txt"}[fmt]
    golden(f"{command}/{path.stem}.{extension}", first)


def test_review_with_a_separate_timeline_file(golden):
    seeds = SEEDS.relative_to(ROOT).as_posix()
    result = CliRunner().invoke(main, ["review", f"{seeds}/legacy_pir.json", "--timeline", f"{seeds}/simple_timeline_events.json", "--as-of", AS_OF, "--rca-method", "five_whys"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "High CPU utilization detected on web servers" in result.output
    golden("review/legacy_pir_with_timeline.md", result.output)


def test_stdin_input():
    data = (SEEDS / "simple_incident.json").read_bytes()
    from_stdin = CliRunner().invoke(main, ["classify", "-", "--format", "json"], input=data)
    from_file = CliRunner().invoke(main, ["classify", str(SEEDS / "simple_incident.json"), "--format", "json"])
    assert from_stdin.exit_code == 0 and from_stdin.output == from_file.output
