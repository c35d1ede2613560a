"""The benchmark's own parts: the synthetic archive and the harness's measurements.

The benchmark itself (minutes of work) is not run here; these tests check that
what it measures is what it claims: realistic, valid, deterministic input, and
honest counting of time, memory and rewritten files.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import run  # noqa: E402
import synth  # noqa: E402



@pytest.fixture(scope="module")
def sample() -> list[tuple[str, str]]:
    return list(synth.archive(30, seed=3))


def test_same_seed_same_bytes_and_other_seed_differs():
    first = list(synth.archive(8, seed=11))
    assert first == list(synth.archive(8, seed=11))
    assert [text for _, text in first] != [text for _, text in synth.archive(8, seed=12)]


def test_a_small_archive_is_the_start_of_a_large_one():
    # The harness compares the same incident's page across archive sizes.
    assert list(synth.archive(5, seed=2)) == list(synth.archive(12, seed=2))[:5]


def test_files_are_10_to_20_kb(sample):
    sizes = [len(text.encode("utf-8")) for _, text in sample]
    assert min(sizes) >= synth.MIN_BYTES
    assert max(sizes) <= synth.MAX_BYTES


def test_content_is_in_the_advertised_ranges(sample):
    severities, statuses, bow_ties = set(), set(), 0
    for rel, text in sample:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        assert rel == f"incidents/{data['id'][4:8]}/{data['id']}.yaml"
        assert synth.MIN_EVENTS <= len(data["timeline"]) <= synth.MAX_EVENTS
        assert all("at" in event and "message" in event for event in data["timeline"])
        assert len(data["root_cause"]["five_whys"]) == 5
        assert data["root_cause"]["contributing_factors"]
        assert 1 <= len(data["action_items"]) <= 6
        assert set(data["services"]) <= set(synth.SERVICES)
        severities.add(data["severity"])
        statuses |= {item["status"] for item in data["action_items"]}
        bow_ties += "bow_tie" in data["root_cause"]
    assert {"sev2", "sev3", "sev4"} <= severities <= {"sev1", "sev2", "sev3", "sev4"}
    assert statuses == {"open", "in_progress", "done", "wont_do"}
    assert 0 < bow_ties < len(sample)


def test_ids_are_unique_and_timestamps_carry_an_offset(sample):
    ids = [yaml.load(text, Loader=yaml.CBaseLoader)["id"].lower() for _, text in sample]
    assert len(set(ids)) == len(ids)
    for _, text in sample:
        data = yaml.load(text, Loader=yaml.CBaseLoader)
        for stamp in [data["started_at"], *(event["at"] for event in data["timeline"])]:
            assert stamp.endswith("Z") or stamp[-6] in "+-", stamp


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_scalars_read_back_as_written(value):
    block = yaml.load(f"key: {synth.scalar(value)}\n", Loader=yaml.BaseLoader)
    assert block == {"key": value}
    flow = yaml.load(f"key: [{synth.scalar(value, flow=True)}, end]\n", Loader=yaml.BaseLoader)
    assert flow == {"key": [value, "end"]}


def test_write_makes_a_buildable_project(tmp_path):
    synth.write(tmp_path, 3, seed=5)
    assert (tmp_path / "mkdocs.yml").read_bytes() == (synth.REPO / "mkdocs.yml").read_bytes()
    assert not (tmp_path / "theme").exists()  # the theme is package data of pir
    assert (tmp_path / "docs" / "contributing.md").is_file()
    assert not (tmp_path / "docs" / "generated").exists()
    assert len(list((tmp_path / "incidents").rglob("*.yaml"))) == 3


def test_every_synthetic_incident_loads_without_errors(sample):
    from pir_reviews.load import loader

    for rel, text in sample:
        incident, problems = loader.parse(text.encode("utf-8"), rel)
        assert incident is not None, problems
        assert [p for p in problems if p.level == "error"] == []


def test_pir_validate_accepts_a_synthetic_archive(tmp_path):
    synth.write(tmp_path, 20, seed=1)
    done = subprocess.run([sys.executable, "-m", "pir_reviews.cli", "validate", "incidents"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "20 files valid" in done.stdout


def test_measure_reports_the_childs_own_peak_memory_and_exit_code(tmp_path):
    small = run.measure([sys.executable, "-c", "pass"], tmp_path)
    big = run.measure([sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); raise SystemExit(3)"], tmp_path)
    assert small.code == 0 and big.code == 3
    assert big.peak_mb >= 200 > small.peak_mb
    assert big.seconds > 0 and big.cpu_seconds > 0


def test_measure_includes_the_peak_of_a_child_it_waited_for(tmp_path):
    # `pir build` runs Pagefind in a process of its own: its peak must count (the larger of the two, not their sum).
    child = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    script = tmp_path / "parent.py"
    script.write_text(f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {child!r}], check=True)\n")
    assert run.measure([sys.executable, str(script)], tmp_path).peak_mb >= 200


def test_rewritten_counts_changed_new_and_removed_files(tmp_path):
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "gone.md").write_text("x")
    before = run.snapshot(tmp_path)
    (tmp_path / "b.md").write_text("B")
    (tmp_path / "gone.md").unlink()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "new.md").write_text("n")
    assert run.rewritten(before, run.snapshot(tmp_path)) == ["b.md", "gone.md", "sub/new.md"]
    assert run.rewritten(before, before) == []


def test_edit_one_changes_only_the_summary(tmp_path):
    synth.write(tmp_path, 4, seed=9)
    files = sorted((tmp_path / "incidents").rglob("*.yaml"))
    before = {p: yaml.load(p.read_text(), Loader=yaml.CSafeLoader) for p in files}
    edited = run.edit_one(tmp_path)
    after = {p: yaml.load(p.read_text(), Loader=yaml.CSafeLoader) for p in files}
    assert [p for p in files if before[p] != after[p]] == [edited]
    changed = {k for k in before[edited] if before[edited][k] != after[edited][k]}
    assert changed == {"summary"}


def test_incremental_generate_rewrites_only_the_edited_incidents_pages(tmp_path):
    synth.write(tmp_path, 12, seed=4)
    generate = [sys.executable, "-m", "pir_reviews.cli", "generate", "--root", ".", "--as-of", run.AS_OF]
    first = run.measure(generate, tmp_path)
    assert first.code == 0, first.stderr
    generated = tmp_path / run.GENERATED
    before = run.snapshot(generated)
    again = run.measure(generate, tmp_path)
    assert again.code == 0 and run.rewritten(before, run.snapshot(generated)) == []
    edited = run.edit_one(tmp_path).stem
    before = run.snapshot(generated)
    assert run.measure(generate, tmp_path).code == 0
    changed = run.rewritten(before, run.snapshot(generated))
    assert f"reviews/{edited}.md" in changed
    # Must not: another incident's review page. Every rewritten page lists the edited incident.
    assert [c for c in changed if c.startswith("reviews/") and c != "reviews/index.md" and edited not in c] == []
    for rel in changed:
        assert edited in (generated / rel).read_text(encoding="utf-8"), rel


def _size(n: int, generate: float, build: float, page: float, site: float, floor: float | None = None,
          search: float | None = 0.5, fetched: float = 0.7, rewritten: int = 2) -> run.Size:
    ok = run.Run(seconds=generate, peak_mb=100 + n / 100, code=0, cpu_seconds=generate * 1.8)
    return run.Size(n=n, parse_seconds=generate / 2, generate=ok, build=run.Run(seconds=build, peak_mb=300, code=0),
                    floor=run.Run(seconds=floor if floor is not None else build / 2, peak_mb=80, code=0),
                    incremental=run.Run(seconds=generate / 10, peak_mb=90, code=0),
                    incremental_rewritten=["index.md", "reviews/INC-X.md", *(f"x{i}.md" for i in range(rewritten - 2))],
                    incremental_page="INC-X", first_page_kb=page, first_page="INC-A", site_mb=site, search_index_mb=site / 10,
                    first_search_seconds=search, first_search_mb=fetched if search is not None else None)


def _verdicts(results: list[run.Size]) -> dict[str, tuple[str, str, str]]:
    rows = run.targets(results)
    assert [(measure, target) for measure, target, *_ in rows] == list(run.TARGETS)
    return {measure: tuple(rest) for measure, _, *rest in rows}


BUILD_1000, BUILD_10000, SEARCH, GENERATE, EDIT, MEMORY, SITE, PAGE = (measure for measure, _ in run.TARGETS)


def test_the_targets_are_issue_13s_table_in_its_order():
    assert [m for m, _ in run.TARGETS] == [
        "clean `pir build` of 1,000 incidents", "clean `pir build` of 10,000", "first search in Chromium, at 1,000 and at 10,000",
        "`pir generate`", "`pir generate` after one edit", "memory of `generate` and `build` at 10,000", "site at 10,000",
        "size of a review page's HTML"]


def test_targets_extrapolate_to_10000_and_say_which_hold():
    rows = _verdicts([_size(1000, 4, 6, 30.0, 40), _size(3000, 12, 18, 30.0, 120)])
    assert rows[BUILD_1000] == ("N=1,000: `pir build` 6.0 s, MkDocs floor 3.0 s; N=3,000: `pir build` 18.0 s, MkDocs floor 9.0 s",
                                "2.0x the floor at N=1,000, 2.0x the floor at N=3,000", "**holds**")
    assert rows[BUILD_10000] == ("60 s = 1.0 min (extrapolated from N=1,000 and N=3,000)", "0.50 of 2 min", "**holds**")
    assert rows[GENERATE][2] == "**holds**"
    assert rows[EDIT][2] == "**holds**" and "10% of clean and 2/15 files at N=3,000" in rows[EDIT][1]
    assert rows[SITE] == ("400 MB, 40.0 KB per incident (extrapolated from N=1,000 and N=3,000); per incident 40.0 KB at N=1,000, 40.0 KB at N=3,000",
                          "1.00 of 400 MB, 1.00 of 40 KB", "**does not hold**")  # under 400 MB is a strict limit
    assert rows[PAGE] == ("30.0 KB at N=1,000, 30.0 KB at N=3,000 (INC-A)", "largest ÷ smallest 1.000", "**holds**")
    assert "extrapolated" in rows[MEMORY][0] and rows[MEMORY][2] == "**holds**"
    # The first search is judged at 1,000 and 10,000 only: 10,000 did not run.
    assert rows[SEARCH][2] == "not measured" and "N=10,000: not run" in rows[SEARCH][0]


def test_measured_figures_at_10000_are_used_and_not_extrapolated():
    rows = _verdicts([_size(1000, 4, 6, 30.0, 40), _size(10_000, 40, 150, 30.0, 390, search=0.9, fetched=1.2)])
    assert rows[BUILD_10000] == ("150 s = 2.5 min (measured)", "1.25 of 2 min", "**does not hold**")
    assert rows[SITE][0].startswith("390 MB, 39.0 KB per incident (measured)") and rows[SITE][2] == "**holds**"
    assert rows[SEARCH][2] == "**holds**"
    assert "0.90 of 1 s and 0.80 of 1.5 MB at N=10,000" in rows[SEARCH][1]
    assert rows[MEMORY][0] == "`pir generate` 200 MB (measured); `pir build` 300 MB (measured)"


def test_targets_that_are_missed_say_so():
    rows = _verdicts([_size(1000, 4, 13, 30.0, 40, floor=4, search=0.8, fetched=1.6, rewritten=16),
                      _size(3000, 12, 39, 45.0, 400, floor=12)])
    assert rows[BUILD_1000][2] == "**does not hold**" and "3.2x the floor at N=1,000" in rows[BUILD_1000][1]
    assert rows[SEARCH][2] == "**does not hold**"  # 1.6 MB fetched at 1,000, whatever 10,000 does
    assert rows[EDIT][2] == "**does not hold**"  # 16 files at N=1,000
    assert rows[PAGE][2] == "**does not hold**"
    assert rows[SITE][2] == "**does not hold**"
    slow = _size(1000, 4, 6, 30.0, 40)
    slow.parse_seconds = 1
    slow.incremental = run.Run(seconds=1, peak_mb=90, code=0)  # 25% of a clean generate
    rows = _verdicts([slow])
    assert rows[GENERATE][2] == "**does not hold**" and rows[EDIT][2] == "**does not hold**"
    failed = _size(1000, 4, 6, 30.0, 40, search=None)
    failed.first_search_note = "no result: Timeout 60000ms exceeded"
    assert _verdicts([failed])[SEARCH][2] == "**does not hold**"


def test_one_small_size_measures_little_and_says_so():
    rows = _verdicts([_size(200, 1, 2, 30.0, 10, search=None)])
    assert rows[BUILD_1000][2] == "not measured" and "(N=1,000 not measured)" in rows[BUILD_1000][0]
    for measure in (BUILD_10000, SEARCH, MEMORY, SITE, PAGE):
        assert rows[measure][2] == "not measured", measure
    assert rows[BUILD_10000][0].startswith("not measured: 10,000 not run")
    assert rows[GENERATE][2] == "**holds**" and rows[EDIT][2] == "**holds**"


def test_the_mkdocs_floor_is_bare_material_with_pages_out_of_the_nav(tmp_path):
    run.write_floor(tmp_path / "floor", 3)
    config = yaml.safe_load((tmp_path / "floor" / "mkdocs.yml").read_text())
    assert config["theme"] == {"name": "material", "font": False}
    assert config["plugins"] == []  # not even search (MkDocs adds it when the key is missing)
    assert config["nav"] == [{"Home": "index.md"}] and config["not_in_nav"].split() == ["/pages/*.md"]
    pages = sorted((tmp_path / "floor" / "docs").rglob("*.md"))
    assert [p.relative_to(tmp_path / "floor" / "docs").as_posix() for p in pages] == [
        "index.md", "pages/page-00000.md", "pages/page-00001.md", "pages/page-00002.md"]
    assert (tmp_path / "floor" / "docs" / "pages" / "page-00001.md").read_text().count("\n\n") == 1  # a title, one paragraph


def test_the_page_names_the_make_command_not_the_files_it_wrote():
    assert run.make_command([]) == "make bench"
    assert run.make_command(["--large", "--out", "/tmp/x.md", "--json", "/tmp/x.json"]) == "make bench ARGS=--large"
    assert run.make_command(["--sizes", "3000,1000", "--workdir", "/tmp/w"]) == "make bench"
    assert run.make_command(["--sizes", "300", "--no-browser"]) == "make bench ARGS='--sizes 300 --no-browser'"
    assert run.make_command(["--quick", "--large"]) == "make bench ARGS=--quick"


def test_the_page_shows_failures_instead_of_figures():
    failed = run.Size(n=200, generate=run.Run(seconds=1, peak_mb=50, code=1, stderr="incidents/x.yaml:3: boom"))
    text = run.render([failed], {"cores": "2"}, 1, "make bench")
    assert "| 200 | not run | failed (exit 1) |" in text
    assert "- N=200, `pir generate`: exit 1: incidents/x.yaml:3: boom" in text
    assert "| 200 | not run | failed (exit 1) | – | – | not run | not run | – | not run |" in text
    assert "| cores | 2 |" in text


def test_hand_written_notes_survive_a_rewrite():
    first = run.render([run.Size(n=10)], {}, 1, "make bench")
    assert run.kept_notes(first) == ""
    edited = first + "\n## Why\n\nThe search index holds every word.\n"
    again = run.render([run.Size(n=20)], {}, 1, "make bench", run.kept_notes(edited))
    assert again.endswith(run.NOTES_MARK + "\n\n## Why\n\nThe search index holds every word.\n")
    assert run.kept_notes(again) == run.kept_notes(edited)


def test_two_processes_at_once_is_reported_as_a_throughput_against_one():
    text = run.two_at_once("x = sum(range(200_000))")
    assert re.fullmatch(r"\d+\.\d\dx one process's throughput \(each of two runs \d+\.\d\dx as long as one alone\)", text), text
