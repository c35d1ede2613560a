"""Shared by the `pir import` tests: the fixture exports and a way to run the command."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from pir_reviews.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SLACK = FIXTURES / "slack"
CHANNEL = "inc-2024-0315-checkout"
PAGES = sorted((FIXTURES / "pagerduty").glob("log_entries-*.json"))
CSV = FIXTURES / "csv" / "events.csv"


def run(*args: str, stdin: bytes | None = None) -> Result:
    """`pir import ARGS...` in-process, with `stdin` as standard input; stdout and stderr stay apart."""
    return CliRunner().invoke(main, ["import", *map(str, args)], input=stdin)


def events(result: Result) -> list[dict]:
    """The printed timeline, read back with PyYAML (a reader other than ours)."""
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)["timeline"]


def copy_export(tmp_path: Path) -> Path:
    """A copy of the Slack fixture export that a test may change."""
    target = tmp_path / "export"
    shutil.copytree(SLACK, target)
    return target
