"""The benchmark harness behind `make bench`: measures pir on large synthetic archives.

For each archive size N it writes a synthetic project (bench/synth.py), then
runs, each in its own subprocess so that time and peak memory are that
command's own: `pir validate`, the bare libyaml parse of the same files (the
floor generation is compared with), `pir generate` from clean, `pir generate`
again with nothing changed, `pir generate` after editing one incident, and
`pir build` from clean. It records the site's size, the largest review page,
the search index, the time of the first search in Chromium (served on
127.0.0.1), and how many generated files each rerun rewrote, and writes
the table with the machine, the versions and the targets into
docs/performance.md.

    .venv/bin/python bench/run.py                 # N = 1000, 3000
    .venv/bin/python bench/run.py --large         # and 10000
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
PACKAGES = ("pir-reviews", "click", "PyYAML", "Jinja2", "Markdown", "mkdocs", "mkdocs-material", "pymdown-extensions")

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
    site_mb: float | None = None
    largest_page_kb: float | None = None
    first_page_kb: float | None = None
    search_index_mb: float | None = None
    first_search_seconds: float | None = None
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


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def first_search(site: Path, query: str = SEARCH_QUERY, timeout_s: float = 60) -> tuple[float | None, str]:
    """Seconds from typing a query in the header search to the first result, in Chromium,
    and a note with what was fetched in all (bench/search.py measures both)."""
    found = search.first_search(site, query, timeout_s)
    return found.seconds, f"{found.note}; {found.fetched_bytes / 1e6:.2f} MB fetched in {found.files} files"


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
        index = site / "pagefind"
        result.search_index_mb = folder_bytes(index) / 1e6 if index.is_dir() else None
        if browser:
            progress(f"N={n}: first search in Chromium")
            result.first_search_seconds, result.first_search_note = first_search(site)
    return result


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info = {"cores": str(os.cpu_count()), "usable cores": str(len(os.sched_getaffinity(0))),
            "platform": platform.platform(), "python": platform.python_version()}
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


def _ratio(size: Size) -> float | None:
    if size.generate is None or size.generate.code != 0 or not size.parse_seconds:
        return None
    return size.generate.seconds / size.parse_seconds


def _ok(run: Run | None) -> bool:
    return run is not None and run.code == 0


def _at_target(results: list[Size], figure) -> tuple[float | None, str]:
    """The figure at 10,000 incidents: measured, else a straight line through the two largest sizes."""
    points = [(r.n, figure(r)) for r in results if figure(r) is not None]
    for n, value in points:
        if n == TARGET_N:
            return value, "measured"
    if len(points) >= 2:
        (n1, v1), (n2, v2) = points[-2], points[-1]
        return v2 + (v2 - v1) / (n2 - n1) * (TARGET_N - n2), f"extrapolated from N={n1} and N={n2}"
    return None, "needs 10,000 or two sizes"


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _verdict(holds: bool | None) -> str:
    return "not measured" if holds is None else ("**holds**" if holds else "**does not hold**")


def targets(results: list[Size]) -> list[tuple[str, str, str]]:
    """(target, figure, verdict) rows; a figure that could not be measured says so."""
    rows = []
    ratios = [(r.n, _ratio(r)) for r in results if _ratio(r) is not None]
    rows.append(("`pir generate` within 3x of the libyaml parse",
                 ", ".join(f"{x:.1f}x at N={n:,}" for n, x in ratios) or "–",
                 _verdict(all(x <= 3 for _, x in ratios) if ratios else None)))
    memory, how = _at_target(results, lambda r: r.generate.peak_mb if _ok(r.generate) else None)
    rows.append(("`pir generate` memory under 1 GB at 10,000", f"{_fmt(memory, 0)} MB ({how})",
                 _verdict(None if memory is None else memory < 1024)))
    per = [(r.n, r.build.seconds / r.n * 1000) for r in results if _ok(r.build)]
    linear = None if len(per) < 2 else per[-1][1] <= per[0][1] * 1.25
    rows.append(("`pir build` linear in N", ", ".join(f"{x:.1f} s per 1,000 at N={n:,}" for n, x in per) or "–",
                 _verdict(linear)))
    build, how = _at_target(results, lambda r: r.build.seconds if _ok(r.build) else None)
    rows.append(("`pir build` of 10,000 in about 60 s", f"{_fmt(build, 0)} s ({how})",
                 _verdict(None if build is None else build <= 75)))
    pages = [(r.n, r.first_page_kb) for r in results if r.first_page_kb is not None]
    same = None if len(pages) < 2 else max(k for _, k in pages) - min(k for _, k in pages) <= 0.01 * max(k for _, k in pages)
    rows.append(("A review page's size independent of N", ", ".join(f"{k:.1f} KB at N={n:,}" for n, k in pages) + " (the same incident)" if pages else "–",
                 _verdict(same)))
    site, how = _at_target(results, lambda r: r.site_mb)
    rows.append(("Site under 500 MB at 10,000", f"{_fmt(site, 0)} MB ({how})", _verdict(None if site is None else site < 500)))
    index, how = _at_target(results, lambda r: r.search_index_mb)
    searches = [(r.n, r.first_search_seconds) for r in results if r.first_search_seconds is not None]
    big = [s for n, s in searches if n == TARGET_N]
    # The index only grows with N: a first search over 1 s at a smaller size already fails.
    search_holds = big[0] < 1 if big else (False if any(s >= 1 for _, s in searches) else None)
    rows.append(("First search under 1 s in Chromium at 10,000 (a lean index)",
                 ", ".join(f"{s:.2f} s at N={n:,}" for n, s in searches) + f"; search_index.json {_fmt(index, 1)} MB at 10,000 ({how})",
                 _verdict(search_holds)))
    last = next((r for r in reversed(results) if _ok(r.incremental) and _ok(r.generate)), None)
    if last is None:
        rows.append(("One edited incident: only its pages rewritten, a fraction of a full run", "–", _verdict(None)))
    else:
        fraction = last.incremental.seconds / last.generate.seconds
        own = last.incremental_page
        rows.append(("One edited incident: only its pages rewritten, a fraction of a full run",
                     f"N={last.n:,}: {_files(len(last.incremental_rewritten))} rewritten, {last.incremental.seconds:.1f} s = {fraction:.0%} of a clean run",
                     _verdict(fraction <= 0.5 and any(own in f for f in last.incremental_rewritten) and len(last.incremental_rewritten) <= 40)))
    cores = [(r.n, r.generate.cpu_seconds / r.generate.seconds) for r in results if _ok(r.generate) and r.generate.seconds > 0]
    rows.append(("Both cores used where it pays", ", ".join(f"`pir generate` {c:.2f} CPU-s per s at N={n:,}" for n, c in cores) or "–",
                 _verdict(cores[-1][1] >= 1.3 if cores else None)))
    return rows


def render(results: list[Size], info: dict[str, str], seed: int, command: str, notes: str = "") -> str:
    """The whole page: how to reproduce, the machine, the figures, the targets."""
    out = [
        "# Performance",
        "",
        "How fast `pir` validates, generates and builds a large archive, measured on",
        f"synthetic incidents (`bench/synth.py`, seed {seed}: 10-20 KB of YAML each, 15-60",
        "timeline events, five whys, contributing factors, 1-6 action items).",
        f"This page is written by the benchmark; reproduce it with `{command}`",
        "(`make bench` measures 1,000 and 3,000 incidents; add `--large` for 10,000).",
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
        "process's peak resident set. The parse floor is the time to read and parse the",
        "same files with libyaml (`yaml.CSafeLoader`) and nothing else.",
        "",
        "| N | validate s / MB | generate s / MB | parse floor s | generate ÷ floor | build s / MB | site MB | largest page KB | search index MB | incremental s, files rewritten |",
        "|---:|---|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in results:
        ratio = _ratio(r)
        incremental = "not run" if r.incremental is None else (
            f"{r.incremental.seconds:.1f} s, {len(r.incremental_rewritten)}" if r.incremental.code == 0 else f"failed (exit {r.incremental.code})")
        out.append(f"| {r.n:,} | {_run(r.validate)} | {_run(r.generate)} | {_fmt(r.parse_seconds, 2)} | "
                   f"{'–' if ratio is None else f'{ratio:.1f}x'} | {_run(r.build)} | {_fmt(r.site_mb)} | "
                   f"{_fmt(r.largest_page_kb)} | {_fmt(r.search_index_mb, 2)} | {incremental} |")
    out += [
        "",
        "| N | incident YAML MB | generate again, nothing changed: s, files rewritten | CPU-s per s (generate) | first search in Chromium |",
        "|---:|---:|---|---:|---|",
    ]
    for r in results:
        rerun = "not run" if not _ok(r.rerun) else f"{r.rerun.seconds:.1f} s, {r.rerun_rewritten}"
        cpu = _fmt(r.generate.cpu_seconds / r.generate.seconds, 2) if _ok(r.generate) and r.generate.seconds else "–"
        search = f"{r.first_search_seconds:.2f} s" if r.first_search_seconds is not None else (r.first_search_note or "not run")
        out.append(f"| {r.n:,} | {r.yaml_mb:,.1f} | {rerun} | {cpu} | {search.replace('|', '/')} |")
    out += ["", "## Targets", "", "| target | figure | verdict |", "|---|---|---|"]
    out += [f"| {t} | {f} | {v} |" for t, f, v in targets(results)]
    last = next((r for r in reversed(results) if _ok(r.incremental)), None)
    if last is not None:
        shown = last.incremental_rewritten[:25]
        more = len(last.incremental_rewritten) - len(shown)
        out += ["", f"Files under `docs/generated/` rewritten after editing the summary of {last.incremental_page} (N={last.n:,}):", ""]
        out += [f"- `{name}`" for name in shown] + ([f"- and {more} more"] if more else [])
    failures = [(r.n, name, run.failed()) for r in results for name in ("validate", "generate", "build")
                if (run := getattr(r, name)) is not None and run.failed()]
    if failures:
        out += ["", "## Failures", ""] + [f"- N={n:,}, `pir {name}`: {why}" for n, name, why in failures]
    out += ["", NOTES_MARK]
    if notes:
        out += ["", notes]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark pir on synthetic archives and write docs/performance.md.")
    parser.add_argument("--sizes", default="1000,3000", help="comma-separated archive sizes (default 1000,3000)")
    parser.add_argument("--large", action="store_true", help="add 10000 incidents")
    parser.add_argument("--quick", action="store_true", help="only 200 incidents: a smoke test")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the synthetic projects go (default: a temporary folder, removed)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-browser", action="store_true", help="skip the first search in Chromium")
    args = parser.parse_args(argv)

    sizes = [200] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()} | ({10_000} if args.large else set()))
    keep = args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pir-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sizes:
            results.append(bench_size(n, args.seed, workdir, browser=not args.no_browser))
            if not keep:  # free the disk before the next size
                shutil.rmtree(workdir / f"n{n}", ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    given = sys.argv[1:] if argv is None else argv
    command = "make bench" if not given else "python bench/run.py " + " ".join(given)
    notes = kept_notes(args.out.read_text(encoding="utf-8")) if args.out.exists() else ""
    args.out.write_text(render(results, machine(), args.seed, command, notes), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2, default=str) + "\n", encoding="utf-8")
    progress(f"wrote {args.out}")
    failures = [f"N={r.n} {name}: {run.failed()}" for r in results for name in ("validate", "generate", "build")
                if (run := getattr(r, name)) is not None and run.failed()]
    for line in failures:
        progress(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
