"""Paths and ids: traversal, NUL, newlines, duplicates apart from case, symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pir_reviews.load.loader import load_paths
from loadhelp import VALID, first_error


@pytest.mark.parametrize("ident", ["../../etc/passwd", "/etc/passwd", "a/b", "a\\\\b", "\"a\\0b\"", "\"a\\nb\"", ".hidden", "-x", "INC\u00a01", "ＩＮＣ-1"])
def test_ids_that_could_escape_a_path_are_refused(ident):
    line, message = first_error(VALID.replace("id: INC-2024-0101-001", f"id: {ident}"))
    assert line == 1 and message.startswith("id:")


def test_duplicate_ids_apart_from_case_name_both_files(project):
    root = project({
        "incidents/a.yaml": VALID,
        "incidents/2024/b.yaml": VALID.replace("INC-2024-0101-001", "inc-2024-0101-001"),
    })
    incidents, problems = load_paths([root / "incidents"], root)
    [problem] = problems
    assert problem.path == "incidents/a.yaml" and problem.line == 1
    assert problem.message.startswith("id 'INC-2024-0101-001' is already used by incidents/2024/b.yaml:1 ('inc-2024-0101-001')")


def test_symlinked_files_and_folders_are_refused_not_followed(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(VALID)
    root = project({"incidents/ok.yaml": VALID.replace("001", "002")})
    os.symlink(outside / "secret.yaml", root / "incidents/link.yaml")
    os.symlink(outside, root / "incidents/linked-dir")
    incidents, problems = load_paths([root / "incidents"], root)
    assert [i.id for i in incidents] == ["INC-2024-0101-002"]
    assert sorted((p.path, p.message.split(";")[0]) for p in problems) == [
        ("incidents/link.yaml", "is a symlink"),
        ("incidents/linked-dir", "is a symlink"),
    ]


def test_missing_path_is_reported(tmp_path):
    incidents, problems = load_paths([tmp_path / "nope"], tmp_path)
    assert incidents == [] and "no such file or folder" in problems[0].message


def test_listed_files_are_shown_as_each_file_alone_would_be(project, tmp_path, monkeypatch):
    """list_files resolves each folder once, not each file; what it shows must
    equal display_path of every file, through a symlinked parent of the root,
    from a relative path, and for a file outside the root."""
    from pir_reviews.load.loader import display_path, list_files

    root = project({"incidents/a.yaml": VALID, "incidents/2024/b.yaml": VALID, "incidents/2024/q3/c.yml": VALID})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "d.yaml").write_text(VALID)
    alias = tmp_path / "alias"
    os.symlink(root.parent, alias)
    through = alias / root.name
    monkeypatch.chdir(root)
    for base, paths in [
        (root, [root / "incidents", outside / "d.yaml"]),
        (through, [through / "incidents"]),
        (root, [through / "incidents"]),
        (through, [root / "incidents/2024"]),
        (root, [Path("incidents")]),
    ]:
        listed, problems = list_files(paths, base)
        assert problems == []
        assert listed and [shown for shown, _ in listed] == [display_path(path, base) for _, path in listed]
    listed, _ = list_files([root / "incidents"], root)
    assert [shown for shown, _ in listed] == ["incidents/2024/b.yaml", "incidents/2024/q3/c.yml", "incidents/a.yaml"]


def test_a_file_name_that_is_not_utf8_is_refused_not_a_crash(tmp_path, monkeypatch):
    # Linux hands such a name to Python as lone surrogates; the site pipeline writes every name as UTF-8.
    from click.testing import CliRunner

    from pir_reviews.cli import main
    from sitefixtures import make_project

    root = make_project(tmp_path / "p", {})
    (root / "incidents" / os.fsdecode(b"caf\xe9.yaml")).write_text(VALID)
    monkeypatch.chdir(root)
    for command in (["validate"], ["generate"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines()[0] == "incidents/caf\\xe9.yaml:1: the file's name is not valid UTF-8; rename it"
    assert not (root / "docs" / "generated").exists()


@pytest.mark.parametrize("name,shown", [("a\nb.yaml", "a\\x0ab.yaml"), ("tab\there.yaml", "tab\\x09here.yaml"),
                                        ("esc\x1b[31m.yaml", "esc\\x1b[31m.yaml")])
def test_a_file_name_with_a_control_character_is_refused_on_one_line(tmp_path, monkeypatch, name, shown):
    # A line break in the name would split its own PATH:LINE message in two; an escape would colour the terminal.
    from click.testing import CliRunner

    from pir_reviews.cli import main
    from sitefixtures import make_project

    root = make_project(tmp_path / "p", {})
    (root / "incidents" / name).write_text(VALID)
    monkeypatch.chdir(root)
    for command in (["validate"], ["generate"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines()[0] == (f"incidents/{shown}:1: the file's name has a control character "
                                                 "(a line break, a tab); rename it")
    assert not (root / "docs" / "generated").exists()
