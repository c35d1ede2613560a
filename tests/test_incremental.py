"""The incremental path: an edit rewrites exactly the pages that show what changed; the cache and the
number of workers never change a byte of the output."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from pir_reviews.load import loader
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


def generated_project(folder: Path, incidents: dict[str, str]) -> Path:
    root = make_project(folder / "p", incidents)
    site.generate(root, AS_OF)
    return root


def copy_of(root: Path, tmp_path: Path) -> Path:
    """A fresh copy of a generated archive for each test (mtimes kept), so tests that edit it stay independent."""
    copy = tmp_path / "p"
    shutil.copytree(root, copy, copy_function=shutil.copy2)
    return copy


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory):
    return generated_project(tmp_path_factory.mktemp("inc"), dict(numbered_incident(n) for n in range(COUNT)))


@pytest.fixture
def archive(generated_once, tmp_path):
    return copy_of(generated_once, tmp_path)


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


def test_the_workers_digests_of_each_summary_are_the_ones_read_back(archive):
    # The workers work out what each archive part reads of the summaries they
    # make; worked out again from the summaries read back from the cache, they
    # are the same, so a later run trusts the pages it wrote.
    store = batch.Store.load(archive)
    assert len(store.inputs) == COUNT
    for key, (summary, _) in store.entries.items():
        assert store.inputs[key] == batch.part_digests(summary, site._reads())


def test_the_workers_work_out_what_each_part_reads(tmp_path):
    root = make_project(tmp_path / "p", dict(numbered_incident(n) for n in range(COUNT)))
    listed, _ = loader.list_files([root / "incidents"], root)
    store = batch.Store.load(root)
    summaries, _, _ = batch.summarise_files(listed, AS_OF, store, reads={"ids": lambda s: s.incident.id})
    assert len(summaries) == COUNT
    for summary in summaries:  # each one's share, put in the store by the worker that made it
        assert store.inputs[store.keys[summary.incident.id]] == {"ids": bytes.fromhex(batch.digest(summary.incident.id))[:16]}


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


# ---- incremental runs give what a clean run gives -----------------------------------------

BENCH = Path(__file__).resolve().parent.parent / "bench"


def synthetic(count: int) -> dict[str, str]:
    """Realistic incidents (action items, root causes, long timelines), from the benchmark's generator."""
    import sys

    sys.path.insert(0, str(BENCH))
    try:
        import synth
    finally:
        sys.path.remove(str(BENCH))
    return dict(synth.archive(count, seed=5))


@pytest.fixture(scope="module")
def rich_once(tmp_path_factory):
    return generated_project(tmp_path_factory.mktemp("rich"), synthetic(COUNT))


@pytest.fixture
def rich(rich_once, tmp_path):
    return copy_of(rich_once, tmp_path)


def clean_copy(root: Path, where: Path) -> dict[str, bytes]:
    """What a clean run (no cache, no previous pages) writes for the same sources."""
    fresh = where / "clean"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".pir-cache", "generated"))
    site.generate(fresh, AS_OF)
    return snapshot(fresh)


def incidents_of(root: Path) -> list[Path]:
    return sorted((root / "incidents").rglob("*.yaml"))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "summary": lambda p: replace_once(p, "\nsummary: |\n", "\nsummary: |\n  Edited to test an incremental run.\n"),
    "title": lambda p: p.write_text(re.sub(r'(?m)^title: ("?)', r"title: \1Renamed ", p.read_text(), count=1), encoding="utf-8"),
    "severity": lambda p: p.write_text(re.sub(r"(?m)^severity: sev\d", "severity: sev1", p.read_text()), encoding="utf-8"),
    "tags": lambda p: replace_once(p, "\ntags: [", "\ntags: [edited-tag, "),
    "action item status": lambda p: p.write_text(re.sub(r"(?m)^    status: (open|in_progress|done|wont_do)$", lambda m: "    status: " + ("open" if m.group(1) != "open" else "done"), p.read_text(), count=1), encoding="utf-8"),
    "timeline": lambda p: replace_once(p, "\ntimeline:\n", "\ntimeline:\n  - at: 2020-01-01T00:00:00Z\n    message: An early note added by the test.\n"),
    "root cause": lambda p: replace_once(p, "\nroot_cause:\n", "\nroot_cause:\n  trigger: A rotated certificate nobody renewed in the gateway.\n")
    if "\n  trigger:" not in p.read_text() else p.write_text(re.sub(r"(?m)^  trigger: .*$", "  trigger: A rotated certificate nobody renewed.", p.read_text(), count=1), encoding="utf-8"),
    "removed": lambda p: p.unlink(),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_an_incremental_run_writes_what_a_clean_run_writes(rich, tmp_path, kind):
    files = incidents_of(rich)
    EDITS[kind](files[len(files) // 2])
    if kind != "removed":
        EDITS["summary" if kind != "summary" else "title"](files[3])  # two edits in one run
    site.generate(rich, AS_OF)
    assert snapshot(rich) == clean_copy(rich, tmp_path)


def test_one_summary_edit_rewrites_few_files_and_renders_no_listing(rich, monkeypatch):
    from pir_reviews.site.pages import insights_page, ledger_page, listings

    called = []
    for module in (listings, ledger_page, insights_page):
        real = module.render
        monkeypatch.setattr(module, "render", lambda r, c, real=real, name=module.__name__: called.append(name) or real(r, c))
    files = incidents_of(rich)
    changed = rewritten(rich, lambda: EDITS["summary"](files[len(files) // 2]))
    assert 1 <= len(changed) <= 15
    assert any(p.startswith("reviews/INC-") for p in changed) and "search-records.json" in changed
    assert called == []


def test_a_generated_page_edited_or_deleted_by_hand_is_written_again(rich, tmp_path):
    reviews = sorted((rich / "docs/generated/reviews").glob("INC-*.md"))
    edited, deleted = reviews[1], reviews[2]
    edited.write_text(edited.read_text() + "\nA line someone added by hand.\n")
    deleted.unlink()
    (rich / "docs/generated/insights/index.md").write_text("replaced by hand\n")
    site.generate(rich, AS_OF)
    assert snapshot(rich) == clean_copy(rich, tmp_path)


def test_another_as_of_day_gives_what_a_clean_run_gives(rich, tmp_path):
    later = AS_OF.replace(year=AS_OF.year + 1)
    site.generate(rich, later)
    fresh = tmp_path / "clean"
    shutil.copytree(rich, fresh, ignore=shutil.ignore_patterns(".pir-cache", "generated"))
    site.generate(fresh, later)
    assert snapshot(rich) == snapshot(fresh)


def test_an_edited_mkdocs_yml_gives_what_a_clean_run_gives(rich, tmp_path):
    before = snapshot(rich)
    config = rich / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "https://github.com/example/post-incident-reviews" in text and "site_url: https://example.github.io/" in text
    config.write_text(text.replace("https://github.com/example/post-incident-reviews", "https://git.example.org/sre/reviews")
                      .replace("site_url: https://example.github.io/", "site_url: https://reviews.example.org/"), encoding="utf-8")
    site.generate(rich, AS_OF)
    after = snapshot(rich)
    assert after != before and any("https://git.example.org/sre/reviews/edit/" in page.decode("utf-8", "replace") for page in after.values())
    assert after == clean_copy(rich, tmp_path)


def test_an_unchanged_mkdocs_yml_is_not_loaded_again_unless_it_reads_the_environment(archive, monkeypatch):
    loads = []
    real = site._load_config
    monkeypatch.setattr(site, "_load_config", lambda *a, **k: loads.append(a) or real(*a, **k))
    site.generate(archive, AS_OF)
    assert loads == []  # the store has what the pages take from it
    config = archive / "mkdocs.yml"
    replace_once(config, "site_name: Post-incident reviews\n", "site_name: !ENV [PIR_TEST_SITE_NAME, Post-incident reviews]\n")
    site.generate(archive, AS_OF)
    site.generate(archive, AS_OF)
    assert len(loads) == 2  # a value from the environment may change between runs: loaded each time


def test_an_unchanged_file_is_not_read_once_its_stat_is_indexed(archive, monkeypatch):
    from pir_reviews.load import loader

    monkeypatch.setattr(batch, "RACY_NS", -10**12)  # index every stat, however recent
    monkeypatch.setattr(batch, "PARALLEL_FROM", 10**9)  # count the reads in this process
    site.generate(archive, AS_OF)  # indexes the stats
    reads = []
    real = loader.read_file
    monkeypatch.setattr(loader, "read_file", lambda path, shown: reads.append(shown) or real(path, shown))
    site.generate(archive, AS_OF)
    assert reads == []
    # A same-size edit with the mtime put back is still seen: the index holds the ctime and inode too.
    path = archive / "incidents/gen/INC-GEN-0013.yaml"
    stat = path.stat()
    path.write_text(path.read_text().replace("Generated incident number 13", "Generated incident number XIII"[:len("Generated incident number 13")]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = rewritten(archive, lambda: None)
    assert reads == ["incidents/gen/INC-GEN-0013.yaml"]
    assert "reviews/INC-GEN-0013.md" in changed


def test_a_broken_incident_writes_nothing_and_keeps_the_cache_usable(archive, tmp_path):
    from pir_reviews.core.errors import InvalidInput

    before = snapshot(archive)
    path = archive / "incidents/gen/INC-GEN-0014.yaml"
    good = path.read_text()
    path.write_text(good.replace("severity: sev", "severity: nonsense"))
    with pytest.raises(InvalidInput):
        site.generate(archive, AS_OF)
    assert snapshot(archive) == before
    path.write_text(good)
    site.generate(archive, AS_OF)
    assert snapshot(archive) == before


def test_a_cleared_review_cache_is_rebuilt(archive, tmp_path):
    shutil.rmtree(archive / ".pir-cache" / batch.REVIEWS_DIR)
    path = archive / "incidents/gen/INC-GEN-0015.yaml"
    path.write_text(path.read_text().replace("Generated incident number 15", "Renamed incident fifteen"))
    site.generate(archive, AS_OF)
    assert snapshot(archive) == clean_copy(archive, tmp_path)


def shard_stamps(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / ".pir-cache").glob("entries-*.pickle")}


def test_one_edit_rewrites_one_shard_of_the_entries(archive):
    before = shard_stamps(archive)
    assert sorted(before) == [batch.SHARD_FILE.format(c) for c in batch.SHARDS]
    path = archive / "incidents/gen/INC-GEN-0016.yaml"
    rewritten(archive, lambda: path.write_text(path.read_text().replace("summary: A generated", "summary: An edited")))
    after = shard_stamps(archive)
    # the new entry's shard, and the old one's (its entry is dropped): the same shard or two
    assert 1 <= len([name for name in after if after[name] != before[name]]) <= 2


@pytest.mark.parametrize("damage", ["missing", "broken", "other code"])
def test_a_damaged_shard_is_analysed_again(archive, tmp_path, damage, monkeypatch):
    import pickle

    shard = archive / ".pir-cache" / batch.SHARD_FILE.format("7")
    if damage == "missing":
        shard.unlink()
    elif damage == "broken":
        shard.write_bytes(shard.read_bytes()[:100])
    else:
        stored = pickle.loads(shard.read_bytes())
        shard.write_bytes(pickle.dumps({**stored, "version": "another"}))
    analysed = []
    real = batch._analyse_one
    monkeypatch.setattr(batch, "PARALLEL_FROM", 10**9)  # count the analyses in this process
    monkeypatch.setattr(batch, "_analyse_one", lambda shown, *rest: analysed.append(shown) or real(shown, *rest))
    site.generate(archive, AS_OF)
    assert analysed  # the shard's incidents, and only those, were analysed again
    store = batch.Store.load(archive)
    keys = {key.rsplit(":", 1)[-1]: key for key in store.entries}  # a content key ends with the path
    assert all(keys[shown][:1] == "7" for shown in analysed)
    assert snapshot(archive) == clean_copy(archive, tmp_path)
