"""The benchmark harness behind `make bench`: measures pir on large synthetic archives.

For each archive size N it writes a synthetic project (bench/synth.py), then
runs, each in its own subprocess so that time and peak memory are that
command's own: `pir validate`, the bare libyaml parse of the same files (the
floor generation is compared with), `pir generate` from clean, `pir generate`
again with nothing changed, `pir generate` after editing one incident, and
`pir build` from clean, and the MkDocs floor: bare MkDocs + Material building
N one-paragraph pages (the floor the build is compared with). It records the
site's size, the largest review page, the search index, the time of the first
search in Chromium (served on 127.0.0.1) and the bytes it fetched, and how
many generated files each rerun rewrote, and writes the figures with the
machine, the versions and the targets of issue 13 into docs/performance.md.

    make bench                                    # N = 1000, 3000
    make bench ARGS=--large                       # and 10000
    .venv/bin/python bench/run.py --quick         # N = 200, a smoke test
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search  # noqa: E402  (bench/ is not a package)
import synth  # noqa: E402

REPO = synth.REPO
AS_OF = "2026-01-01"
GENERATED = "docs/generated"
CACHE = ".pir-cache"
SEARCH_QUERY = "replication lag"  # words many synthetic incidents contain
PACKAGES = ("pir-reviews", "click", "PyYAML", "Jinja2", "Markdown", "mkdocs", "mkdocs-material", "pymdown-extensions",
            "pagefind_bin")

# The floor: read and parse every incident file with libyaml, nothing else.
PARSE_FLOOR = """
import json, sys, time
from pathlib import Path
import yaml
files = sorted(Path(sys.argv[1]).rglob("*.yaml"))
begin = time.perf_counter()
for path in files:
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
print(json.dumps({"files": len(files), "seconds": time.perf_counter() - begin}))
"""

# The other floor: bare MkDocs + Material, no plugin at all (not even search),
# building N one-paragraph pages and a home page. As in pir's own mkdocs.yml,
# the pages are left out of the navigation (`not_in_nav`) and the nav holds
# the home page only: a nav listing N pages is rendered into each of the N
# pages, which would make the floor quadratic and flatter pir's linear build.
FLOOR_CONFIG = """site_name: MkDocs floor
site_url: https://example.invalid/
use_directory_urls: true
theme:
  name: material
  font: false
plugins: []
nav:
  - Home: index.md
not_in_nav: |
  /pages/*.md
"""
FLOOR_PARAGRAPH = ("The primary database fell behind its replicas during the nightly batch, and the "
                   "checkout service read stale stock levels for twenty minutes before the on-call "
                   "engineer failed the traffic over to the standby region and paused the batch.")


@dataclass
class Run:
    """One command: wall time, its own peak resident memory, exit code."""

    seconds: float
    peak_mb: float
    code: int
    cpu_seconds: float = 0.0  # user + system: above `seconds` when more than one core worked
    stdout: str = ""
    stderr: str = ""

    def failed(self) -> str | None:
        if self.code == 0:
            return None
        lines = [line for line in (self.stderr + "\n" + self.stdout).splitlines() if line.strip()]
        return f"exit {self.code}: {lines[-1][:200] if lines else 'no output'}"


@dataclass
class Size:
    """The figures of one archive size."""

    n: int
    yaml_mb: float = 0.0
    validate: Run | None = None
    parse: Run | None = None
    parse_seconds: float | None = None  # the parse loop alone, timed inside the child
    generate: Run | None = None
    rerun: Run | None = None
    rerun_rewritten: int | None = None
    incremental: Run | None = None
    incremental_rewritten: list[str] = field(default_factory=list)
    incremental_page: str = ""
    build: Run | None = None
    floor: Run | None = None  # bare MkDocs + Material, N one-paragraph pages
    floor_site_mb: float | None = None
    site_mb: float | None = None
    largest_page_kb: float | None = None
    first_page_kb: float | None = None
    first_page: str = ""  # the incident whose page first_page_kb measures: the same one at every N
    search_index_mb: float | None = None
    first_search_seconds: float | None = None
    first_search_mb: float | None = None  # everything the server sent: page, assets, interface, index
    first_search_note: str = ""


def pir_command() -> list[str]:
    """The `pir` console script of this interpreter's environment, or the module."""
    script = Path(sys.executable).with_name("pir")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pir_reviews.cli"]


# A small process starts the command and reports its rusage: measured from the
# harness (or pytest) directly, ru_maxrss would include the memory the child
# inherited from its large parent at fork, not only its own.
_WRAPPER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    json.dump({"code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, handle)
"""


def measure(command: list[str], cwd: Path) -> Run:
    """Run a command; its wall time, and the peak RSS and CPU time of that process alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "usage.json"
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", _WRAPPER, str(report), *command], cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        seconds = time.perf_counter() - begin
        usage = json.loads(report.read_text())
        out.seek(0)
        err.seek(0)
        return Run(seconds=seconds, peak_mb=usage["maxrss"] / 1024, code=usage["code"], cpu_seconds=usage["cpu"],
                   stdout=out.read().decode("utf-8", "replace")[-4000:], stderr=err.read().decode("utf-8", "replace")[-4000:])


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """(mtime, content hash) of every file under folder, by relative path."""
    seen = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                seen[path.relative_to(folder).as_posix()] = (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return seen


def rewritten(before: dict, after: dict) -> list[str]:
    """Files written, created or removed between two snapshots, sorted."""
    return sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def clean(project: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(project / name, ignore_errors=True)


def edit_one(project: Path) -> Path:
    """Add a sentence to the summary of the incident in the middle of the archive."""
    files = sorted((project / "incidents").rglob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "\nsummary: |\n"
    assert marker in text, f"{path}: the synthetic summary is not a literal block"
    path.write_text(text.replace(marker, marker + "  Edited by the benchmark to time an incremental run.\n", 1), encoding="utf-8")
    return path


def write_floor(project: Path, n: int) -> None:
    """A bare MkDocs + Material project of n one-paragraph pages and a home page (FLOOR_CONFIG)."""
    shutil.rmtree(project, ignore_errors=True)
    pages = project / "docs" / "pages"
    pages.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    (project / "docs" / "index.md").write_text(f"# MkDocs floor\n\n{FLOOR_PARAGRAPH}\n", encoding="utf-8")
    for i in range(n):
        (pages / f"page-{i:05d}.md").write_text(f"# Page {i}\n\n{FLOOR_PARAGRAPH}\n", encoding="utf-8")


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def first_search(site: Path, query: str = SEARCH_QUERY, timeout_s: float = 60) -> tuple[float | None, float | None, str]:
    """Seconds from typing a query in the header search to the first result, in Chromium,
    the MB fetched in all (page, assets and index), and a note (bench/search.py measures both)."""
    found = search.first_search(site, query, timeout_s)
    fetched = found.fetched_bytes / 1e6 if found.files else None
    return found.seconds, fetched, f"{found.note}; {found.fetched_bytes / 1e6:.2f} MB fetched in {found.files} files"


def bench_size(n: int, seed: int, workdir: Path, browser: bool = True) -> Size:
    """Every measurement for one archive size."""
    pir = pir_command()
    project = workdir / f"n{n}"
    progress(f"N={n}: writing the synthetic archive into {project}")
    clean(project, GENERATED, CACHE, "site")
    synth.write(project, n, seed)
    result = Size(n=n, yaml_mb=folder_bytes(project / "incidents") / 1e6)
    first_id = next(synth.archive(1, seed))[0].rsplit("/", 1)[1].removesuffix(".yaml")

    progress(f"N={n}: pir validate")
    result.validate = measure([*pir, "validate", "incidents"], project)
    progress(f"N={n}: libyaml parse floor")
    result.parse = measure([sys.executable, "-c", PARSE_FLOOR, "incidents"], project)
    if result.parse.code == 0:
        result.parse_seconds = json.loads(result.parse.stdout)["seconds"]

    generate = [*pir, "generate", "--root", ".", "--as-of", AS_OF]
    progress(f"N={n}: pir generate (clean)")
    result.generate = measure(generate, project)
    if result.generate.code == 0:
        before = snapshot(project / GENERATED)
        progress(f"N={n}: pir generate (nothing changed)")
        result.rerun = measure(generate, project)
        result.rerun_rewritten = len(rewritten(before, snapshot(project / GENERATED)))
        edited = edit_one(project)
        before = snapshot(project / GENERATED)
        progress(f"N={n}: pir generate (one incident edited: {edited.name})")
        result.incremental = measure(generate, project)
        result.incremental_rewritten = rewritten(before, snapshot(project / GENERATED))
        result.incremental_page = edited.stem

    progress(f"N={n}: pir build (clean)")
    clean(project, GENERATED, CACHE, "site")
    result.build = measure([*pir, "build", "--root", ".", "--as-of", AS_OF], project)
    site = project / "site"
    if result.build.code == 0 and site.is_dir():
        result.site_mb = folder_bytes(site) / 1e6
        pages = [p.stat().st_size for p in (site / "reviews").glob("*/index.html")]
        result.largest_page_kb = max(pages) / 1024 if pages else None
        first = site / "reviews" / first_id / "index.html"
        result.first_page_kb = first.stat().st_size / 1024 if first.exists() else None
        result.first_page = first_id
        index = site / "pagefind"
        result.search_index_mb = folder_bytes(index) / 1e6 if index.is_dir() else None
        if browser:
            progress(f"N={n}: first search in Chromium")
            result.first_search_seconds, result.first_search_mb, result.first_search_note = first_search(site)

    floor = workdir / f"floor{n}"
    progress(f"N={n}: MkDocs floor (bare MkDocs + Material, {n} one-paragraph pages)")
    write_floor(floor, n)
    result.floor = measure([sys.executable, "-m", "mkdocs", "build", "-q"], floor)
    if result.floor.code == 0:
        result.floor_site_mb = folder_bytes(floor / "site") / 1e6
    return result


# A fixed piece of pure-Python work, timed alone and as two processes at once.
BUSY_LOOP = "x = 0\nfor i in range(6_000_000):\n    x += i * i % 7\n"


def _busy(copies: int, loop: str) -> float:
    """Seconds for `copies` processes running `loop` at the same time (the slowest of them)."""
    begin = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(copies)]
    for process in running:
        process.wait()
    return time.perf_counter() - begin


def two_at_once(loop: str = BUSY_LOOP) -> str:
    """How much two cores give here: two busy processes at once against one alone, best of three.

    On a virtual machine two cores are often not twice one (shared caches, a
    shared physical core), and every parallel stage of pir is bounded by this.
    """
    alone = min(_busy(1, loop) for _ in range(3))
    both = min(_busy(2, loop) for _ in range(3))
    return f"{2 * alone / both:.2f}x one process's throughput (each of two runs {both / alone:.2f}x as long as one alone)"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info = {"cores": str(os.cpu_count()), "usable cores": str(len(os.sched_getaffinity(0))),
            "platform": platform.platform(), "python": platform.python_version()}
    if len(os.sched_getaffinity(0)) > 1:
        info["two processes at once"] = two_at_once()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    for name in PACKAGES:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "not installed"
    return info


# --- docs/performance.md ------------------------------------------------------

TARGET_N = 10_000
# What follows this line in docs/performance.md is written by hand (why a target
# is missed, what to optimise) and kept when the benchmark rewrites the figures.
NOTES_MARK = "<!-- Written by hand below this line; bench/run.py keeps it when it rewrites the figures. -->"


def kept_notes(previous: str) -> str:
    """The hand-written part of the previous page (empty when there is none)."""
    return previous.split(NOTES_MARK, 1)[1].strip("\n") if NOTES_MARK in previous else ""


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _run(run: Run | None) -> str:
    if run is None:
        return "not run"
    if run.code != 0:
        return f"failed (exit {run.code})"
    return f"{run.seconds:,.1f} s / {run.peak_mb:,.0f} MB"


# The targets of issue 13. A figure judged "at 10,000" is measured when the run
# included 10,000 incidents, else extrapolated (and said to be).
FLOOR_N = 1_000
BUILD_FLOOR_LIMIT = 3.0  # `pir build` ÷ the MkDocs floor, at 1,000
BUILD_LIMIT_S = 120  # `pir build` at 10,000: about a minute, at most 2 minutes
SEARCH_SIZES = (1_000, TARGET_N)
SEARCH_LIMIT_S = 1.0
SEARCH_LIMIT_MB = 1.5
GENERATE_LIMIT = 3.0  # `pir generate` ÷ the libyaml parse
INCREMENTAL_LIMIT = 0.20  # `pir generate` after one edit ÷ a clean one
INCREMENTAL_FILES = 15
MEMORY_LIMIT_MB = 1024
SITE_LIMIT_MB = 400
PER_INCIDENT_LIMIT_KB = 40
SAME_SIZE_TOLERANCE = 0.01  # the same review page may differ by 1% across N

# (measure, target), word for word the table of issue 13.
TARGETS = (
    ("clean `pir build` of 1,000 incidents", "within 3x of bare MkDocs + Material building 1,000 one-paragraph pages "
     "(the bench measures that floor in the same run)"),
    ("clean `pir build` of 10,000", "about a minute, at most 2 minutes (report the figure)"),
    ("first search in Chromium, at 1,000 and at 10,000", "under 1 s, with at most 1.5 MB fetched in all (page, assets and index)"),
    ("`pir generate`", "within 3x of parsing the same files with libyaml"),
    ("`pir generate` after one edit", "at most 20% of a clean generate, at most 15 files rewritten"),
    ("memory of `generate` and `build` at 10,000", "under 1 GB"),
    ("site at 10,000", "under 400 MB, at most 40 KB per incident"),
    ("size of a review page's HTML", "independent of N"),
)


def _ok(run: Run | None) -> bool:
    return run is not None and run.code == 0


def _ratio(size: Size) -> float | None:
    """`pir generate` ÷ the libyaml parse of the same files."""
    if not _ok(size.generate) or not size.parse_seconds:
        return None
    return size.generate.seconds / size.parse_seconds


def _floor_ratio(size: Size) -> float | None:
    """`pir build` ÷ bare MkDocs + Material building as many one-paragraph pages."""
    if not _ok(size.build) or not _ok(size.floor) or size.floor.seconds <= 0:
        return None
    return size.build.seconds / size.floor.seconds


def _at_target(results: list[Size], figure) -> tuple[float | None, str]:
    """The figure at 10,000 incidents: measured, else a straight line through the two largest sizes."""
    points = [(r.n, figure(r)) for r in results if figure(r) is not None]
    for n, value in points:
        if n == TARGET_N:
            return value, "measured"
    if len(points) >= 2:
        (n1, v1), (n2, v2) = points[-2], points[-1]
        return v2 + (v2 - v1) / (n2 - n1) * (TARGET_N - n2), f"extrapolated from N={n1:,} and N={n2:,}"
    return None, "not measured: 10,000 not run, and two sizes are needed to extrapolate"


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _verdict(holds: bool | None) -> str:
    return "not measured" if holds is None else ("**holds**" if holds else "**does not hold**")


def _limited(value: float | None, how: str, text: str) -> str:
    return how if value is None else f"{text} ({how})"


def _search_missed(size: Size) -> bool:
    """The browser ran and found nothing: a failed first search, not an unmeasured one."""
    return size.first_search_seconds is None and size.first_search_note.startswith("no result")


def _search_figure(size: Size) -> str:
    if size.first_search_seconds is not None:
        return f"N={size.n:,}: {size.first_search_seconds:.2f} s, {_fmt(size.first_search_mb, 2)} MB fetched"
    return f"N={size.n:,}: {size.first_search_note or 'not run'}"


def _row_build_floor(results: list[Size]) -> tuple[str, str, str]:
    ratios = [(r, x) for r in results if (x := _floor_ratio(r)) is not None]
    measured = "; ".join(f"N={r.n:,}: `pir build` {r.build.seconds:,.1f} s, MkDocs floor {r.floor.seconds:,.1f} s"
                         for r, _ in ratios) or "–"
    at = next((x for r, x in ratios if r.n == FLOOR_N), None)
    if at is None:
        measured += f" (N={FLOOR_N:,} not measured)"
    ratio = ", ".join(f"{x:.1f}x the floor at N={r.n:,}" for r, x in ratios) or "–"
    return measured, ratio, _verdict(None if at is None else at <= BUILD_FLOOR_LIMIT)


def _row_build_large(results: list[Size]) -> tuple[str, str, str]:
    seconds, how = _at_target(results, lambda r: r.build.seconds if _ok(r.build) else None)
    if seconds is None:
        return how, "–", _verdict(None)
    return (f"{seconds:,.0f} s = {seconds / 60:.1f} min ({how})", f"{seconds / BUILD_LIMIT_S:.2f} of 2 min",
            _verdict(seconds <= BUILD_LIMIT_S))


def _row_search(results: list[Size]) -> tuple[str, str, str]:
    by_n = {r.n: r for r in results}
    shown = [_search_figure(r) for r in results if r.first_search_seconds is not None or r.first_search_note]
    shown += [f"N={n:,}: not run" for n in SEARCH_SIZES if n not in by_n]
    ratio = ", ".join(f"{r.first_search_seconds / SEARCH_LIMIT_S:.2f} of 1 s and {r.first_search_mb / SEARCH_LIMIT_MB:.2f} "
                      f"of 1.5 MB at N={r.n:,}" for r in results
                      if r.first_search_seconds is not None and r.first_search_mb is not None) or "–"
    judged = [by_n[n] for n in SEARCH_SIZES if n in by_n and (by_n[n].first_search_seconds is not None or _search_missed(by_n[n]))]
    missed = any(_search_missed(r) or r.first_search_seconds >= SEARCH_LIMIT_S
                 or (r.first_search_mb or 0) > SEARCH_LIMIT_MB for r in judged)
    holds = False if missed else (True if len(judged) == len(SEARCH_SIZES) else None)
    return "; ".join(shown).replace("|", "/") or "–", ratio, _verdict(holds)


def _row_generate(results: list[Size]) -> tuple[str, str, str]:
    ratios = [(r, x) for r in results if (x := _ratio(r)) is not None]
    measured = "; ".join(f"N={r.n:,}: `pir generate` {r.generate.seconds:,.1f} s, libyaml {r.parse_seconds:,.2f} s"
                         for r, _ in ratios) or "–"
    ratio = ", ".join(f"{x:.1f}x the parse at N={r.n:,}" for r, x in ratios) or "–"
    return measured, ratio, _verdict(all(x <= GENERATE_LIMIT for _, x in ratios) if ratios else None)


def _row_incremental(results: list[Size]) -> tuple[str, str, str]:
    runs = [r for r in results if _ok(r.incremental) and _ok(r.generate) and r.generate.seconds > 0]
    measured, ratios, holds = [], [], []
    for r in runs:
        fraction = r.incremental.seconds / r.generate.seconds
        count = len(r.incremental_rewritten)
        own = any(r.incremental_page in rel for rel in r.incremental_rewritten)
        measured.append(f"N={r.n:,}: {r.incremental.seconds:,.1f} s after a clean {r.generate.seconds:,.1f} s, "
                        f"{_files(count)} rewritten" + ("" if own else ", **not** the edited incident's page"))
        ratios.append(f"{fraction:.0%} of clean and {count}/{INCREMENTAL_FILES} files at N={r.n:,}")
        holds.append(fraction <= INCREMENTAL_LIMIT and count <= INCREMENTAL_FILES and own)
    return "; ".join(measured) or "–", ", ".join(ratios) or "–", _verdict(all(holds) if holds else None)


def _row_memory(results: list[Size]) -> tuple[str, str, str]:
    generate, how = _at_target(results, lambda r: r.generate.peak_mb if _ok(r.generate) else None)
    build, build_how = _at_target(results, lambda r: r.build.peak_mb if _ok(r.build) else None)
    if generate is None and build is None:
        return how, "–", _verdict(None)
    measured = f"`pir generate` {_limited(generate, how, f'{_fmt(generate, 0)} MB')}; `pir build` {_limited(build, build_how, f'{_fmt(build, 0)} MB')}"
    if generate is None or build is None:
        return measured, "–", _verdict(None)
    ratio = f"{generate / MEMORY_LIMIT_MB:.2f} (generate) and {build / MEMORY_LIMIT_MB:.2f} (build) of 1 GB"
    return measured, ratio, _verdict(generate < MEMORY_LIMIT_MB and build < MEMORY_LIMIT_MB)


def _row_site(results: list[Size]) -> tuple[str, str, str]:
    site, how = _at_target(results, lambda r: r.site_mb)
    each = ", ".join(f"{r.site_mb * 1000 / r.n:.1f} KB at N={r.n:,}" for r in results if r.site_mb is not None)
    if site is None:
        return how + (f"; per incident {each}" if each else ""), "–", _verdict(None)
    per = site * 1000 / TARGET_N
    measured = f"{site:,.0f} MB, {per:.1f} KB per incident ({how}); per incident {each}"
    ratio = f"{site / SITE_LIMIT_MB:.2f} of 400 MB, {per / PER_INCIDENT_LIMIT_KB:.2f} of 40 KB"
    return measured, ratio, _verdict(site < SITE_LIMIT_MB and per <= PER_INCIDENT_LIMIT_KB)


def _row_page(results: list[Size]) -> tuple[str, str, str]:
    pages = [r for r in results if r.first_page_kb is not None]
    if not pages:
        return "–", "–", _verdict(None)
    measured = ", ".join(f"{r.first_page_kb:.1f} KB at N={r.n:,}" for r in pages) + f" ({pages[0].first_page or 'the same incident'})"
    if len(pages) < 2:
        return measured + "; one size only", "–", _verdict(None)
    small, large = min(r.first_page_kb for r in pages), max(r.first_page_kb for r in pages)
    return measured, f"largest ÷ smallest {large / small:.3f}", _verdict(large - small <= SAME_SIZE_TOLERANCE * large)


def targets(results: list[Size]) -> list[tuple[str, str, str, str, str]]:
    """(measure, target, measured, ratio, verdict): the rows of issue 13's table, in its order."""
    rows = (_row_build_floor, _row_build_large, _row_search, _row_generate, _row_incremental, _row_memory, _row_site, _row_page)
    return [(measure, target, *row(results)) for (measure, target), row in zip(TARGETS, rows, strict=True)]


def _first_search_cell(r: Size) -> str:
    if r.first_search_seconds is None:
        return r.first_search_note or "not run"
    return f"{r.first_search_seconds:.2f} s, {r.first_search_note}"


def render(results: list[Size], info: dict[str, str], seed: int, command: str, notes: str = "") -> str:
    """The whole page: how to reproduce, the machine, the figures, the targets."""
    out = [
        "# Performance",
        "",
        "How fast `pir` validates, generates and builds a large archive, measured on",
        f"synthetic incidents (`bench/synth.py`, seed {seed}: 10-20 KB of YAML each, 15-60",
        "timeline events, five whys, contributing factors, 1-6 action items).",
        f"This page is written by the benchmark; reproduce it with `{command}`",
        "(`make bench` measures 1,000 and 3,000 incidents; `make bench ARGS=--large` adds 10,000).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in info.items()],
        "",
        "## Figures",
        "",
        "Each command runs in its own process: the time is wall-clock, the memory that",
        "process's peak resident set (with Pagefind, which `pir build` runs, it is the",
        "largest process of the two, not their sum). Two floors are measured in the same",
        "run. The libyaml parse reads and parses the same incident files with",
        "`yaml.CSafeLoader` and nothing else. The MkDocs floor is bare MkDocs + Material",
        "(`theme: {name: material, font: false}`, `plugins: []`, so no search either)",
        "building N one-paragraph pages and a home page with `python -m mkdocs build -q`.",
        "Its pages are kept out of the navigation (`not_in_nav`), as pir's review pages",
        "are, and the nav holds the home page only: a nav listing N pages is rendered",
        "into each of them, which would make the floor quadratic.",
        "",
        "| N | validate s / MB | generate s / MB | libyaml parse s | generate ÷ libyaml | build s / MB | MkDocs floor s | build ÷ MkDocs floor | incremental s, files rewritten |",
        "|---:|---|---|---:|---:|---|---:|---:|---|",
    ]
    for r in results:
        ratio, floor_ratio = _ratio(r), _floor_ratio(r)
        incremental = "not run" if r.incremental is None else (
            f"{r.incremental.seconds:.1f} s, {len(r.incremental_rewritten)}" if r.incremental.code == 0 else f"failed (exit {r.incremental.code})")
        floor = "not run" if r.floor is None else (f"{r.floor.seconds:,.1f}" if r.floor.code == 0 else f"failed (exit {r.floor.code})")
        out.append(f"| {r.n:,} | {_run(r.validate)} | {_run(r.generate)} | {_fmt(r.parse_seconds, 2)} | "
                   f"{'–' if ratio is None else f'{ratio:.1f}x'} | {_run(r.build)} | {floor} | "
                   f"{'–' if floor_ratio is None else f'{floor_ratio:.1f}x'} | {incremental} |")
    out += [
        "",
        "| N | incident YAML MB | generate again, nothing changed: s, files rewritten | CPU-s per s (generate) | site MB | site KB per incident | largest review page KB | MkDocs floor site MB | search index MB | first search in Chromium |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rerun = "not run" if not _ok(r.rerun) else f"{r.rerun.seconds:.1f} s, {r.rerun_rewritten}"
        cpu = _fmt(r.generate.cpu_seconds / r.generate.seconds, 2) if _ok(r.generate) and r.generate.seconds else "–"
        per = None if r.site_mb is None else r.site_mb * 1000 / r.n
        out.append(f"| {r.n:,} | {r.yaml_mb:,.1f} | {rerun} | {cpu} | {_fmt(r.site_mb)} | {_fmt(per)} | {_fmt(r.largest_page_kb)} | "
                   f"{_fmt(r.floor_site_mb)} | {_fmt(r.search_index_mb, 2)} | {_first_search_cell(r).replace('|', '/')} |")
    out += [
        "",
        "## Targets",
        "",
        "The targets of issue 13, as ratios measured in this run, with the absolute",
        "figures beside them. A figure at 10,000 is measured when the run included",
        "10,000 incidents (`make bench ARGS=--large`); otherwise it is extrapolated on a",
        "straight line through the two largest sizes, and says so.",
        "",
        "| measure | target | measured | ratio | verdict |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {' | '.join(row)} |" for row in targets(results)]
    last = next((r for r in reversed(results) if _ok(r.incremental)), None)
    if last is not None:
        shown = last.incremental_rewritten[:25]
        more = len(last.incremental_rewritten) - len(shown)
        out += ["", f"Files under `docs/generated/` rewritten after editing the summary of {last.incremental_page} (N={last.n:,}):", ""]
        out += [f"- `{name}`" for name in shown] + ([f"- and {more} more"] if more else [])
    failures = _failures(results)
    if failures:
        out += ["", "## Failures", ""] + [f"- N={n:,}, {name}: {why}" for n, name, why in failures]
    out += ["", NOTES_MARK]
    if notes:
        out += ["", notes]
    return "\n".join(out) + "\n"


COMMANDS = (("validate", "`pir validate`"), ("generate", "`pir generate`"), ("build", "`pir build`"), ("floor", "the MkDocs floor"))


def _failures(results: list[Size]) -> list[tuple[int, str, str]]:
    return [(r.n, label, run.failed()) for r in results for name, label in COMMANDS
            if (run := getattr(r, name)) is not None and run.failed()]


DEFAULT_SIZES = "1000,3000"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Benchmark pir on synthetic archives and write docs/performance.md.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated archive sizes (default {DEFAULT_SIZES})")
    parser.add_argument("--large", action="store_true", help="add 10000 incidents")
    parser.add_argument("--quick", action="store_true", help="only 200 incidents: a smoke test")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the synthetic projects go (default: a temporary folder, removed)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-browser", action="store_true", help="skip the first search in Chromium")
    return parser


def _sizes(text: str) -> list[int]:
    return sorted({int(s) for s in text.split(",") if s.strip()})


def make_command(argv: list[str]) -> str:
    """The `make bench` line that measures what these arguments do (where files go is left out)."""
    args = _parser().parse_args(argv)
    extra = []
    if args.quick:
        extra.append("--quick")
    elif _sizes(args.sizes) != _sizes(DEFAULT_SIZES):
        extra += ["--sizes", ",".join(map(str, _sizes(args.sizes)))]
    if args.large and not args.quick:
        extra.append("--large")
    if args.seed != 1:
        extra += ["--seed", str(args.seed)]
    if args.no_browser:
        extra.append("--no-browser")
    if not extra:
        return "make bench"
    return f"make bench ARGS={extra[0]}" if len(extra) == 1 else f"make bench ARGS='{' '.join(extra)}'"


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(given)
    sizes = [200] if args.quick else sorted(set(_sizes(args.sizes)) | ({TARGET_N} if args.large else set()))
    keep = args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pir-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sizes:
            results.append(bench_size(n, args.seed, workdir, browser=not args.no_browser))
            if not keep:  # free the disk before the next size
                shutil.rmtree(workdir / f"n{n}", ignore_errors=True)
                shutil.rmtree(workdir / f"floor{n}", ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    # The hand-written notes come from the page being rewritten, else from the repository's page.
    previous = args.out if args.out.exists() else REPO / "docs" / "performance.md"
    notes = kept_notes(previous.read_text(encoding="utf-8")) if previous.exists() else ""
    args.out.write_text(render(results, machine(), args.seed, make_command(given), notes), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2, default=str) + "\n", encoding="utf-8")
    progress(f"wrote {args.out}")
    failures = _failures(results)
    for n, name, why in failures:
        progress(f"N={n} {name}: {why}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
