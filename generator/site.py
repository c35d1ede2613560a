"""The site pipeline behind `pir generate`, `pir build` and `pir serve`.

load (incidents/) -> analyse (one Review per incident) -> render (every page
module) -> write (docs/generated/, through the writer) -> MkDocs.

docs/generated/ is the MkDocs docs_dir. It receives the generated pages and a
copy of the hand-written files of docs/ at the same relative paths, so one
folder holds the whole site and the URLs stay the documented ones. The
generated folder is owned by the generator (its manifest says which files);
everything else in the project is only read.

`as_of` is the only date that reaches the pages: the same incidents and the
same `as_of` give byte-identical files.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from generator import archive, batch, loader
from generator.errors import BuildFailed, InvalidInput, Problem, WriteRefused
from generator.models import Review
from generator.pages import SiteContext
from generator.pages import index as index_pages
from generator.pages import review as review_pages
from generator.writer import MANIFEST, write_tree

CONFIG_FILE = "mkdocs.yml"
INCIDENTS = "incidents"
DOCS = "docs"
GENERATED = "docs/generated"
SITE = "site"

# Show progress on stderr when analysing more incidents than this.
PROGRESS_FROM = 200
# How often `serve` looks for changed incidents or hand-written pages.
POLL_SECONDS = 1.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class GenerateReport:
    """What `generate` did."""

    reviews: int
    written: int
    unchanged: int
    removed: int
    warnings: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        lines = [str(w) for w in self.warnings]
        lines.append(
            f"generated {self.reviews} reviews into {GENERATED}/: "
            f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"
        )
        return "\n".join(lines)


def _stderr(message: str) -> None:
    print(f"pir: {message}", file=sys.stderr, flush=True)


def site_context(root: Path, as_of: date) -> SiteContext:
    """What the pages need from mkdocs.yml: the site URL and where files are edited."""
    config = _load_config(root, strict=False)
    repo_url = config.get("repo_url")
    edit_uri = config.get("edit_uri") or ""
    edit_base = None
    if repo_url and edit_uri:
        # edit_uri points into docs/ ("edit/main/docs/"); incident paths are
        # relative to the project root, so drop the docs/ part.
        prefix = edit_uri.strip("/")
        if prefix.endswith("/" + DOCS) or prefix == DOCS:
            prefix = prefix[: -len(DOCS)].rstrip("/")
        edit_base = repo_url.rstrip("/") + "/" + (prefix + "/" if prefix else "")
    return SiteContext(as_of=as_of, site_url=config.get("site_url") or None, edit_base=edit_base)


def handwritten_files(root: Path) -> dict[str, bytes]:
    """The files of docs/ (not docs/generated/), by path relative to docs/.

    Symbolic links are refused: following one could publish a file from
    outside the repository.
    """
    docs = Path(root) / DOCS
    generated = Path(root) / GENERATED
    found: dict[str, bytes] = {}
    if not docs.is_dir():
        return found
    for current, dirs, names in os.walk(docs):
        base = Path(current)
        for name in list(dirs):
            if (base / name).is_symlink():
                raise WriteRefused(f"refusing to publish {base / name}: it is a symbolic link")
        dirs[:] = sorted(d for d in dirs if (base / d) != generated)
        for name in sorted(names):
            path = base / name
            if path.is_symlink():
                raise WriteRefused(f"refusing to publish {path}: it is a symbolic link")
            found[path.relative_to(docs).as_posix()] = path.read_bytes()
    return found


GENERATED_MARK = "pir_generated: true"


def mark_generated(markdown: str) -> str:
    """The page with `pir_generated: true` in its front matter.

    The theme shows no "edit this page" button on a generated page (its
    Markdown is not in the repository) unless the page names its own edit URL.
    """
    if markdown.startswith("---\n"):
        head, sep, rest = markdown[4:].partition("\n---\n")
        if sep and GENERATED_MARK not in head.split("\n"):
            return f"---\n{GENERATED_MARK}\n{head}\n---\n{rest}"
        if sep:
            return markdown
    return f"---\n{GENERATED_MARK}\n---\n\n{markdown}"


def render_pages(reviews: Sequence[Review], context: SiteContext, cache: batch.Cache | None = None) -> dict[str, str]:
    """Every generated page of the site, by path relative to docs/generated/."""
    from generator.pages import feeds, insights, ledger, search

    cache = cache if cache is not None else batch.Cache(version="")
    pages: dict[str, str] = {}
    builders = (index_pages.render, lambda r, c: batch.render_review_pages(r, c, cache), ledger.render, insights.render, feeds.render, search.render)
    for build_pages in builders:
        for path, content in build_pages(reviews, context).items():
            if path in pages:
                raise WriteRefused(f"two page builders produce {path}")
            pages[path] = mark_generated(content) if path.endswith(".md") else content
    return pages


def analyse_archive(root: Path, as_of: date, cache: batch.Cache, progress: Progress | None = None) -> tuple[list[Review], list[Problem]]:
    """The reviews of incidents/ newest first, and the warnings; InvalidInput on any error.

    Ids that MkDocs would turn into a folder index ("index", "README") are
    refused: the review page of such an incident could not have its own URL.
    """
    if not (root / CONFIG_FILE).exists():
        raise BuildFailed(f"{root / CONFIG_FILE}: not found; run pir in the archive's folder (the one with {CONFIG_FILE} and {INCIDENTS}/) or pass --root")
    # No incidents/ folder yet (git keeps no empty folder) is an empty archive.
    files, problems = loader.read_files([root / INCIDENTS], root) if (root / INCIDENTS).exists() else ([], [])
    total = len(files)
    report = (progress or _stderr) if total > PROGRESS_FROM else None
    reviews, found = batch.analyse_files(files, as_of, cache, report)
    problems += found
    incidents = [r.incident for r in reviews]
    problems += loader.duplicate_ids(incidents)
    problems += [
        Problem(i.path, i.line_of("id"), None, f"id {i.id!r} is reserved for the site's index pages; choose another id")
        for i in incidents
        if i.id.lower() in review_pages.RESERVED_IDS
    ]
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    return list(archive.newest_first(reviews)), problems


def generate(root: Path, as_of: date, *, progress: Progress | None = None) -> GenerateReport:
    """Validate incidents/ and write the site's pages into docs/generated/.

    Stops with InvalidInput (every problem found) before writing anything if
    any incident is broken: a broken incident never publishes.
    """
    root = Path(root)
    cache = batch.Cache.load(root)
    reviews, warnings = analyse_archive(root, as_of, cache, progress)
    (root / GENERATED).mkdir(parents=True, exist_ok=True)  # MkDocs wants docs_dir to exist
    context = site_context(root, as_of)
    files: dict[str, str | bytes] = dict(render_pages(reviews, context, cache))
    for rel, content in handwritten_files(root).items():
        if rel in files:
            raise WriteRefused(f"{DOCS}/{rel} has the path of a generated page; rename it")
        if rel == MANIFEST:
            continue
        files[rel] = content
    report = write_tree(root / GENERATED, files)
    cache.save(root)
    return GenerateReport(
        reviews=len(reviews),
        written=len(report.written),
        unchanged=len(report.unchanged),
        removed=len(report.removed),
        warnings=tuple(warnings),
    )


def _load_config(root: Path, strict: bool, site_dir: Path | None = None, **options):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = Path(root) / CONFIG_FILE
    if not config_file.is_file():
        raise BuildFailed(f"{config_file}: no such file; the site needs its MkDocs configuration")
    extra = {"site_dir": str(site_dir)} if site_dir is not None else {}
    try:
        return load_config(config_file=str(config_file), strict=strict, **extra, **options)
    except ConfigurationError as err:
        raise BuildFailed(f"{config_file}: {err}") from err
    except SystemExit as err:  # MkDocs aborts this way on an invalid configuration
        raise BuildFailed(f"{config_file}: invalid MkDocs configuration ({err})") from err


class _Collect(logging.Handler):
    """Keeps the warnings MkDocs logs, to say why a strict build failed."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build(root: Path, as_of: date, *, site_dir: Path | None = None, progress: Progress | None = None) -> None:
    """Generate, then build the site with MkDocs (strict) into site/.

    The build goes to a temporary folder next to site/, swapped in only on
    success: a failed build leaves the previous site/ as it was.
    """
    from mkdocs.commands.build import build as mkdocs_build

    root = Path(root)
    generate(root, as_of, progress=progress)
    final = Path(site_dir) if site_dir is not None else root / SITE
    final = final if final.is_absolute() else root / final
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_symlink():
        raise WriteRefused(f"refusing to replace {final}: it is a symbolic link")
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-", dir=final.parent))
    collect = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collect)
    try:
        config = _load_config(root, strict=True, site_dir=staging)
        mkdocs_build(config)
    except BuildFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (Exception, SystemExit) as err:  # MkDocs' Abort is a SystemExit
        shutil.rmtree(staging, ignore_errors=True)
        details = "\n".join(f"  {m}" for m in collect.messages)
        raise BuildFailed(f"MkDocs build failed: {err}" + (f"\n{details}" if details else "")) from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_logger.removeHandler(collect)
    _swap(staging, final)


def _swap(staging: Path, final: Path) -> None:
    """Put the new site in place of the old one with two renames."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
        os.rmdir(old)
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file that should trigger a regeneration."""
    seen: dict[str, tuple[int, int]] = {}
    generated = root / GENERATED
    for folder in (root / INCIDENTS, root / DOCS):
        if not folder.is_dir():
            continue
        for current, dirs, names in os.walk(folder):
            base = Path(current)
            dirs[:] = [d for d in dirs if (base / d) != generated]
            for name in names:
                try:
                    stat = (base / name).stat()
                except OSError:
                    continue
                seen[str(base / name)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def watch(root: Path, as_of: date, stop: threading.Event, interval: float = POLL_SECONDS,
          report: Progress = _stderr) -> None:
    """Regenerate whenever incidents/ or docs/ (not docs/generated/) changes, until `stop`.

    Errors are reported and the previous pages stay, so a half-typed edit
    does not take the site down.
    """
    from generator.errors import PirError

    before = _snapshot(root)
    while not stop.wait(interval):
        now = _snapshot(root)
        if now == before:
            continue
        before = now
        try:
            result = generate(root, as_of, progress=lambda _message: None)
        except PirError as err:
            report(f"not regenerated, the previous pages stay:\n{err}")
            continue
        report(f"regenerated: {result.written} written, {result.removed} removed")


def serve(root: Path, as_of: date, dev_addr: str = "127.0.0.1:8000") -> None:
    """Generate, then serve with live reload; edits to incidents/ or docs/ show at once."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    root = Path(root)
    generate(root, as_of)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, as_of, stop), name="pir-watch", daemon=True)
    watcher.start()
    try:
        mkdocs_serve(config_file=str(root / CONFIG_FILE), livereload=True, dev_addr=dev_addr)
    finally:
        stop.set()
        watcher.join(timeout=5)
