"""The writer stage: atomic, minimal, owns only what it wrote, never follows links."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.core.errors import WriteRefused
from pir_reviews.site.writer import MANIFEST, WriteReport, check_relative, write_tree


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file under root (manifest included), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_first_write_creates_files_folders_and_manifest(tmp_path):
    target = tmp_path / "out"
    report = write_tree(target, {"index.md": "home\n", "reviews/INC-1.md": "one\n", "raw.bin": b"\x00\x01"})
    assert report == WriteReport(written=("index.md", "raw.bin", "reviews/INC-1.md"), unchanged=(), removed=())
    assert (target / "index.md").read_text(encoding="utf-8") == "home\n"
    assert (target / "reviews" / "INC-1.md").read_text(encoding="utf-8") == "one\n"
    assert (target / "raw.bin").read_bytes() == b"\x00\x01"
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {"files": ["index.md", "raw.bin", "reviews/INC-1.md"]}


def test_unicode_content_is_written_as_utf8(tmp_path):
    write_tree(tmp_path, {"a.md": "café – ✓\n"})
    assert (tmp_path / "a.md").read_bytes() == "café – ✓\n".encode("utf-8")


def test_unchanged_files_keep_their_mtime(tmp_path):
    write_tree(tmp_path, {"a.md": "A", "b.md": "B"})
    old = 1_000_000_000
    for name in ("a.md", "b.md", MANIFEST):
        os.utime(tmp_path / name, (old, old))
    report = write_tree(tmp_path, {"a.md": "A", "b.md": "B2"})
    assert report.unchanged == ("a.md",)
    assert report.written == ("b.md",)
    assert (tmp_path / "a.md").stat().st_mtime == old
    assert (tmp_path / "b.md").stat().st_mtime != old
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "B2"
    # The manifest did not change either: same set of files.
    assert (tmp_path / MANIFEST).stat().st_mtime == old


def test_files_no_longer_produced_are_removed_and_empty_folders_pruned(tmp_path):
    write_tree(tmp_path, {"reviews/2024/INC-1.md": "1", "reviews/INC-2.md": "2", "index.md": "i"})
    report = write_tree(tmp_path, {"index.md": "i"})
    assert report.removed == ("reviews/2024/INC-1.md", "reviews/INC-2.md")
    assert not (tmp_path / "reviews").exists()
    assert tree(tmp_path).keys() == {"index.md", MANIFEST}


def test_pruning_keeps_folders_holding_files_we_did_not_write(tmp_path):
    write_tree(tmp_path, {"reviews/INC-1.md": "1", "index.md": "i"})
    (tmp_path / "reviews" / "notes.txt").write_text("mine", encoding="utf-8")
    write_tree(tmp_path, {"index.md": "i"})
    assert (tmp_path / "reviews" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "reviews" / "INC-1.md").exists()


def test_foreign_file_not_produced_is_left_alone(tmp_path):
    (tmp_path / "hand.md").write_text("hand-written", encoding="utf-8")
    os.utime(tmp_path / "hand.md", (1_000_000_000, 1_000_000_000))
    write_tree(tmp_path, {"index.md": "i"})
    write_tree(tmp_path, {"other.md": "o"})
    assert (tmp_path / "hand.md").read_text(encoding="utf-8") == "hand-written"
    assert (tmp_path / "hand.md").stat().st_mtime == 1_000_000_000


def test_foreign_file_in_the_way_is_refused_and_nothing_changes(tmp_path):
    write_tree(tmp_path, {"old.md": "old"})
    (tmp_path / "hand.md").write_text("hand-written", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(WriteRefused) as caught:
        write_tree(tmp_path, {"hand.md": "generated", "new.md": "n"})
    assert "hand.md" in str(caught.value)
    assert "did not write it" in str(caught.value)
    assert tree(tmp_path) == before  # old.md not removed, new.md not written


def test_foreign_file_with_identical_content_is_adopted(tmp_path):
    (tmp_path / "same.md").write_text("same", encoding="utf-8")
    report = write_tree(tmp_path, {"same.md": "same"})
    assert report.unchanged == ("same.md",)
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"] == ["same.md"]
    # Now owned: it may change and be removed.
    write_tree(tmp_path, {"same.md": "changed"})
    assert write_tree(tmp_path, {}).removed == ("same.md",)


@pytest.mark.parametrize(
    "rel",
    ["../escape.md", "a/../../b.md", "/etc/passwd", "a\\b.md", "a\x00b.md", "", "a//b.md", "./a.md", "a/./b.md", MANIFEST],
)
def test_unsafe_paths_are_refused(tmp_path, rel):
    with pytest.raises(WriteRefused):
        write_tree(tmp_path / "out", {rel: "x", "fine.md": "ok"})
    assert not (tmp_path / "out" / "fine.md").exists()
    assert not (tmp_path / "escape.md").exists()


def test_target_that_is_a_symlink_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(WriteRefused) as caught:
        write_tree(tmp_path / "link", {"a.md": "x"})
    assert "link" in str(caught.value)
    assert list(real.iterdir()) == []


def test_symlinked_folder_on_the_way_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "reviews").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteRefused) as caught:
        write_tree(target, {"reviews/INC-1.md": "x"})
    assert str(target / "reviews") in str(caught.value)
    assert list(outside.iterdir()) == []


def test_file_that_is_a_symlink_is_refused_even_if_owned(tmp_path):
    write_tree(tmp_path / "out", {"a.md": "x"})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "out" / "a.md").unlink()
    (tmp_path / "out" / "a.md").symlink_to(victim)
    with pytest.raises(WriteRefused) as caught:
        write_tree(tmp_path / "out", {"a.md": "changed"})
    assert "a.md" in str(caught.value)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_removal_never_follows_a_link(tmp_path):
    target = tmp_path / "out"
    write_tree(target, {"reviews/INC-1.md": "1"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "INC-1.md").write_text("precious", encoding="utf-8")
    (target / "reviews" / "INC-1.md").unlink()
    (target / "reviews").rmdir()
    (target / "reviews").symlink_to(outside, target_is_directory=True)
    report = write_tree(target, {})
    assert report.removed == ()
    assert (outside / "INC-1.md").read_text(encoding="utf-8") == "precious"


def test_manifest_entries_that_leave_the_folder_are_ignored(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (tmp_path / "precious.md").write_text("p", encoding="utf-8")
    (target / MANIFEST).write_text(json.dumps({"files": ["../precious.md", "/etc/hosts"]}), encoding="utf-8")
    assert write_tree(target, {}).removed == ()
    assert (tmp_path / "precious.md").exists()


def test_a_path_both_file_and_folder_is_refused(tmp_path):
    with pytest.raises(WriteRefused):
        write_tree(tmp_path, {"a": "x", "a/b.md": "y"})


def test_file_turning_into_folder_when_owned(tmp_path):
    write_tree(tmp_path, {"a": "x"})
    report = write_tree(tmp_path, {"a/b.md": "y"})
    assert report.removed == ("a",)
    assert (tmp_path / "a" / "b.md").read_text(encoding="utf-8") == "y"


def test_no_temporary_files_are_left_behind(tmp_path):
    write_tree(tmp_path, {"a.md": "1", "d/b.md": "2"})
    write_tree(tmp_path, {"a.md": "3", "d/b.md": "4"})
    assert not [p for p in tmp_path.rglob(".pir-tmp-*")]


def test_check_relative_accepts_plain_paths():
    assert check_relative("reviews/INC-2024-0315-001.md").parts == ("reviews", "INC-2024-0315-001.md")


names = st.text(alphabet="abcdefgh-_.", min_size=1, max_size=6).filter(lambda s: s not in (".", "..") and not s.startswith(".pir-tmp-"))
paths = st.lists(names, min_size=1, max_size=3).map("/".join).filter(lambda p: p != MANIFEST)
trees = st.dictionaries(paths, st.text(max_size=20), max_size=8).filter(
    lambda d: not any(a != b and b.startswith(a + "/") for a in d for b in d)
)


@settings(max_examples=60, deadline=None)
@given(first=trees, second=trees)
def test_the_folder_ends_up_holding_exactly_the_files_produced(tmp_path_factory, first, second):
    target = tmp_path_factory.mktemp("w")
    write_tree(target, first)
    try:
        write_tree(target, second)
    except WriteRefused:
        # Only legitimate when a file of `first` must become a folder of `second` or vice versa.
        assert any(a == b.split("/")[0] or b.startswith(a + "/") or a.startswith(b + "/") for a in first for b in second)
        return
    expected = {rel: content.encode("utf-8") for rel, content in second.items()}
    expected[MANIFEST] = (json.dumps({"files": sorted(second)}, indent=1) + "\n").encode("utf-8")
    assert tree(target) == expected
    # Idempotent: writing the same again changes nothing.
    again = write_tree(target, second)
    assert again.written == () and again.removed == ()
