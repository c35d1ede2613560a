"""Every command is documented, and the README keeps the two set-up commands."""

from __future__ import annotations

from pathlib import Path

from pir_reviews.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in main.commands if f"`pir {name}" not in readme]
    assert missing == []


def test_every_option_has_help_or_is_obvious():
    for name, command in main.commands.items():
        assert command.help, f"pir {name} has no help text"


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()
