"""Paths and ids: traversal, NUL, newlines, duplicates apart from case, symlinks."""

from __future__ import annotations

import os

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
