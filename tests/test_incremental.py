"""The incremental path: an edit rewrites exactly the pages that show what changed; the cache and the
number of workers never change a byte of the output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pir_reviews.site import batch
from pir_reviews.site import pipeline as site
from sitefixtures import AS_OF, make_project, numbered_incident

COUNT = batch.PARALLEL_FROM + 6  # large enough to use the worker pool


def snapshot(root: Path) -> dict[str, bytes]:
    generated = root / "docs" / "generated"
    return {p.relative_to(generated).as_posix(): p.read_bytes() for p in sorted(generated.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, int]:
    generated = root / "docs" / "generated"
    return {p.relative_to(generated).as_posix(): p.stat().st_mtime_ns for p in generated.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("inc") / "p", dict(numbered_incident(n) for n in range(COUNT)))
    site.generate(root, AS_OF)
    return root


@pytest.fixture
def archive(generated_once, tmp_path):
    """A fresh copy of the generated archive for each test (mtimes kept), so tests that edit it stay independent."""
    copy = tmp_path / "p"
    shutil.copytree(generated_once, copy, copy_function=shutil.copy2)
    return copy


def rewritten(root: Path, edit) -> set[str]:
    before = stamps(root)
    edit()
    site.generate(root, AS_OF)
    after = stamps(root)
    return {path for path in after if before.get(path) != after[path]} | (set(before) - set(after))


def test_parallel_cached_and_serial_output_are_identical(archive, tmp_path, monkeypatch):
    serial = make_project(tmp_path / "serial", dict(numbered_incident(n) for n in range(COUNT)))
    monkeypatch.setattr(batch, "PARALLEL_FROM", 10**9)
    site.generate(serial, AS_OF)
    assert snapshot(serial) == snapshot(archive)
    (serial / ".pir-cache" / batch.INDEX_FILE).write_bytes(b"not a pickle")  # a broken cache is ignored
    site.generate(serial, AS_OF)
    assert snapshot(serial) == snapshot(archive)


def test_nothing_changed_rewrites_nothing(archive):
    assert rewritten(archive, lambda: None) == set()


def test_summary_edit_rewrites_only_that_review(archive):
    path = archive / "incidents/gen/INC-GEN-0010.yaml"

    def edit():
        path.write_text(path.read_text().replace("summary: A generated", "summary: An edited"))

    # The search records hold the summary too.
    assert rewritten(archive, edit) == {"reviews/INC-GEN-0010.md", "search-records.json"}


def test_title_edit_rewrites_the_pages_that_list_it(archive):
    path = archive / "incidents/gen/INC-GEN-0011.yaml"

    def edit():
        path.write_text(path.read_text().replace("Generated incident number 11", "Renamed incident eleven"))

    changed = rewritten(archive, edit)
    assert "reviews/INC-GEN-0011.md" in changed and "reviews/index.md" in changed
    assert "browse/services/service-2.md" in changed  # 11 % 3 == 2
    assert "browse/services/service-0.md" not in changed
    # the neighbours link to it by title; the other reviews stay untouched
    assert {p for p in changed if p.startswith("reviews/INC-")} <= {"reviews/INC-GEN-0010.md", "reviews/INC-GEN-0011.md", "reviews/INC-GEN-0012.md"} | {f"reviews/INC-GEN-{n:04d}.md" for n in range(COUNT) if n % 3 == 2 or n % 5 == 1}


def test_removed_incident_removes_its_page(archive):
    path = archive / "incidents/gen/INC-GEN-0012.yaml"
    changed = rewritten(archive, path.unlink)
    assert "reviews/INC-GEN-0012.md" in changed
    assert not (archive / "docs/generated/reviews/INC-GEN-0012.md").exists()
