"""The benchmark's own parts: the synthetic archive and the harness's measurements.

The benchmark itself (minutes of work) is not run here; these tests check that
what it measures is what it claims: realistic, valid, deterministic input, and
honest counting of time, memory and rewritten files.
"""

from __future__ import annotations

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


def _size(n: int, generate: float, build: float, page: float, site: float) -> run.Size:
    ok = run.Run(seconds=generate, peak_mb=100 + n / 100, code=0, cpu_seconds=generate * 1.8)
    return run.Size(n=n, parse_seconds=generate / 2, generate=ok, build=run.Run(seconds=build, peak_mb=300, code=0),
                    incremental=run.Run(seconds=generate / 10, peak_mb=90, code=0),
                    incremental_rewritten=["index.md", "reviews/INC-X.md"], incremental_page="INC-X",
                    first_page_kb=page, site_mb=site, search_index_mb=site / 10)


def test_targets_extrapolate_to_10000_and_say_which_hold():
    verdicts = dict((t, (f, v)) for t, f, v in run.targets([_size(1000, 4, 6, 30.0, 40), _size(3000, 12, 18, 30.0, 120)]))
    assert verdicts["`pir generate` within 3x of the libyaml parse"][1] == "**holds**"
    build_figure, build_verdict = verdicts["`pir build` of 10,000 in about 60 s"]
    assert "60 s (extrapolated from N=1000 and N=3000)" in build_figure and build_verdict == "**holds**"
    assert verdicts["Site under 500 MB at 10,000"][1] == "**holds**"
    assert verdicts["A review page's size independent of N"][1] == "**holds**"
    grown = dict((t, v) for t, _, v in run.targets([_size(1000, 4, 6, 30.0, 40), _size(3000, 12, 30, 45.0, 400)]))
    assert grown["`pir build` linear in N"] == "**does not hold**"
    assert grown["A review page's size independent of N"] == "**does not hold**"
    assert grown["Site under 500 MB at 10,000"] == "**does not hold**"
    slow = _size(3000, 12, 18, 30.0, 120)
    slow.first_search_seconds = 2.5
    verdict = dict((t, v) for t, _, v in run.targets([slow]))["First search under 1 s in Chromium at 10,000 (a lean index)"]
    assert verdict == "**does not hold**"  # already too slow at a smaller size


def test_the_page_shows_failures_instead_of_figures():
    failed = run.Size(n=200, generate=run.Run(seconds=1, peak_mb=50, code=1, stderr="incidents/x.yaml:3: boom"))
    text = run.render([failed], {"cores": "2"}, 1, "make bench")
    assert "| 200 | not run | failed (exit 1) |" in text
    assert "- N=200, `pir generate`: exit 1: incidents/x.yaml:3: boom" in text
    assert "| cores | 2 |" in text


def test_hand_written_notes_survive_a_rewrite():
    first = run.render([run.Size(n=10)], {}, 1, "make bench")
    assert run.kept_notes(first) == ""
    edited = first + "\n## Why\n\nThe search index holds every word.\n"
    again = run.render([run.Size(n=20)], {}, 1, "make bench", run.kept_notes(edited))
    assert again.endswith(run.NOTES_MARK + "\n\n## Why\n\nThe search index holds every word.\n")
    assert run.kept_notes(again) == run.kept_notes(edited)
