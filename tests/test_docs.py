"""Every command is documented, and the README keeps the two set-up commands."""

from __future__ import annotations

from pathlib import Path

from pir_reviews.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in main.commands if f"`pir {name}" not in readme]
    assert missing == []


def _commands(group, prefix="pir"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix} {name}")


def test_every_command_and_option_has_help():
    missing = []
    for name, command in [("pir", main), *_commands(main)]:
        if not command.help:
            missing.append(f"{name}: no help text")
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden and not (param.help or "").strip():
                missing.append(f"{name} {param.opts[0]}: no help text")
    assert missing == []


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()
