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

import hashlib
import logging
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from pir_reviews.core.browse import newest_first
from pir_reviews.site import batch
from pir_reviews.load import catalogue
from pir_reviews.load import loader
from pir_reviews.core.errors import BuildFailed, InvalidInput, Problem, UsageError, WriteRefused, cannot_write
from pir_reviews.core.models import Review
from pir_reviews.core.summary import ReviewSummary
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.pages import listings as index_pages
from pir_reviews.site.lock import locked
from pir_reviews.site.writer import KEEP, MANIFEST, Keep, Spooled, clear_stale, is_staging, replace_tree, staging_folder, swap_in, write_tree

CONFIG_FILE = "mkdocs.yml"
INCIDENTS = "incidents"
DOCS = "docs"
GENERATED = "docs/generated"
SITE = "site"
# The customer-facing site (`pir build --audience public`): its own pages and output.
PUBLIC_GENERATED = "docs/generated-public"
PUBLIC_SITE = "site-public"
PUBLIC_NAV = [{"Home": "index.md"}, {"Incident reports": "reviews/index.md"}]

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


def site_context(root: Path, as_of: date, store: batch.Store | None = None) -> SiteContext:
    """What the pages need from mkdocs.yml: the site URL and where files are edited.

    MkDocs's own loader reads them (importing it and its plugins costs a
    quarter of a second); the store keeps them by the digest of mkdocs.yml,
    so a run after an unchanged one skips it. A file that takes values from
    the environment (!ENV) or from another file (INHERIT) is always loaded.
    """
    try:
        raw = (Path(root) / CONFIG_FILE).read_bytes()
    except OSError:
        raw = None  # _load_config says what is wrong
    digest = hashlib.sha256(raw).hexdigest() if raw is not None and b"!ENV" not in raw and b"INHERIT" not in raw else None
    if store is not None and digest is not None and store.settings is not None and store.settings[0] == digest:
        site_url, edit_base = store.settings[1]
        return SiteContext(as_of=as_of, site_url=site_url, edit_base=edit_base)
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
    site_url = config.get("site_url") or None
    if store is not None and digest is not None:
        store.settings = (digest, (site_url, edit_base))
        store.changed = True
    return SiteContext(as_of=as_of, site_url=site_url, edit_base=edit_base)


def handwritten_files(root: Path) -> dict[str, bytes]:
    """The files of docs/ (not docs/generated/), by path relative to docs/,
    over pir's default playbooks (playbooks/<name>.md).

    A file in docs/playbooks/ replaces the default page of the same name.
    Default pages have no source in the archive, so they carry no edit button.
    Symbolic links are refused: following one could publish a file from
    outside the repository.
    """
    from pir_reviews import playbooks

    docs = Path(root) / DOCS
    generated = (Path(root) / GENERATED, Path(root) / PUBLIC_GENERATED)
    found: dict[str, bytes] = {
        f"playbooks/{name}": mark_generated(text.decode("utf-8")).encode("utf-8")
        for name, text in playbooks.default_pages().items()
    }
    if not docs.is_dir():
        return found
    for current, dirs, names in os.walk(docs):
        base = Path(current)
        for name in list(dirs):
            if (base / name).is_symlink():
                raise WriteRefused(f"refusing to publish {base / name}: it is a symbolic link")
        dirs[:] = sorted(d for d in dirs if (base / d) not in generated and not is_staging(d))
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


def _builders() -> tuple:
    """The archive page builders: (name, render(summaries, context), the inputs it reads of each summary).

    A builder's pages are rendered again only when the digest of what it
    reads changes (or a file it wrote was changed or removed under
    docs/generated/), so an edit to one incident's summary renders the search
    records and the feed, not the listings, the ledger or insights. Each
    `inputs` must name every field its builder reads: tests/test_incremental.py
    compares incremental runs after edits of each kind with clean runs.
    """
    from pir_reviews.site.pages import feeds
    from pir_reviews.site.pages import insights_page as insights
    from pir_reviews.site.pages import ledger_page as ledger
    from pir_reviews.site.pages import search

    def items(i):
        # Without their line in the file (which moves with any edit above them);
        # the ledger's tie-break by line is kept by their order.
        return tuple((a.title, a.type, a.owner, a.priority, a.due, a.status, a.link) for a in i.action_items)

    def listing(s):
        i = s.incident
        return (i.id, i.title, i.started_at, s.severity, i.services, i.tags, i.status, i.review_status, i.updated_at,
                s.timeline.metrics.get("duration_min"), items(i))

    def ledger_inputs(s):
        return (s.incident.id, s.incident.title, items(s.incident))

    def insight(s):
        i = s.incident
        return (i.id, i.started_at, s.severity, sorted(s.timeline.metrics.items()), i.services, items(i),
                tuple(f.category for f in i.root_cause.contributing_factors))

    def feed(s):
        i = s.incident
        return (i.id, i.title, i.started_at, i.updated_at, s.severity, i.summary)

    def export(s):
        i = s.incident
        return (i.id, i.title, i.severity, s.computed_severity, i.status, i.review_status, i.services, i.tags, i.started_at,
                sorted(s.timeline.milestones.items()), sorted(s.timeline.metrics.items()), s.timeline.phases, items(i))

    def search_inputs(s):
        i = s.incident
        return (i.id, i.title, i.services, i.tags, i.summary, i.root_cause.summary, i.root_cause.trigger)

    return (
        ("listings", index_pages.render, listing),
        ("ledger", ledger.render, ledger_inputs),
        ("insights", insights.render, insight),
        ("feed", lambda r, c: {"feed.xml": feeds.rss(r, c)}, feed),
        ("export", lambda r, c: {"incidents.json": feeds.export(r, c)}, export),
        ("search", search.render, search_inputs),
    )


def _related_inputs(s: ReviewSummary) -> tuple:
    """What the related incidents and the neighbours of review_page.page_jobs read."""
    i = s.incident
    return (i.id, i.title, i.started_at, i.services, i.tags, i.root_cause.trigger, i.root_cause.summary)


RELATED = "related"


def _reads() -> dict[str, Callable]:
    """By part (an archive builder, or RELATED), what it reads of one summary."""
    return {name: read for name, _, read in _builders()} | {RELATED: _related_inputs}


def _input_digests(summaries: Sequence[ReviewSummary], store: batch.Store, parts: dict[str, Callable]) -> dict[str, str]:
    """By part (an archive builder, or RELATED), a digest of what it reads of every summary, in order.

    What a part reads of one summary depends on its content key only, so
    each summary's share is worked out once and kept in the store
    (batch.Store.inputs): an unchanged archive costs a hash of short digests.
    A summary analysed in this run had its share worked out by the worker
    that made it (batch.summarise_files).
    """
    joined = {name: hashlib.sha256() for name in parts}
    for s in summaries:
        key = store.keys[s.incident.id]
        known = store.inputs.get(key)
        if known is None or known.keys() != parts.keys():
            known = batch.part_digests(s, parts)
            store.put_inputs(key, known)
        for name, digest in known.items():
            joined[name].update(digest)
    return {name: digest.hexdigest() for name, digest in joined.items()}


def _page_jobs(summaries: Sequence[ReviewSummary], context: SiteContext, store: batch.Store, related: str) -> list[tuple]:
    """(path, content key, digest of the rest, related, previous, following) of every review page, newest first.

    The related incidents and neighbours are computed again only when what
    they read changed (`related`, the digest of it).
    """
    from pir_reviews.site.pages import review_page as review_pages

    digest = batch.digest(store.version, related)
    around = store.load_jobs(digest)
    if around is None:
        around = {job[0].incident.id: (batch.digest(*job[2:]), *job[2:]) for job in review_pages.page_jobs(summaries, context)}
        store.save_jobs(digest, around)
    return [(review_pages.page_path(s.incident.id), store.keys[s.incident.id], *around[s.incident.id]) for s in summaries]


def render_pages(summaries: Sequence[ReviewSummary], context: SiteContext, store: batch.Store, target: Path,
                 listed_files: Sequence = (), known=None, progress: Progress | None = None) -> tuple[dict[str, str | Keep], dict[str, str]]:
    """Every generated page of the site by path relative to docs/generated/, and the digest of each one's inputs.

    A page is KEEP when the file in `target` is the one written for the
    same inputs (batch.Store.trusted): the writer leaves it as it is.
    """
    pages: dict[str, str | Keep] = {}
    digests: dict[str, str] = {}

    def add(path: str, content: str | Keep, digest: str) -> None:
        if path in pages:
            raise WriteRefused(f"two page builders produce {path}")
        pages[path] = _finish(path, content) if isinstance(content, str) else content
        digests[path] = digest

    builders = _builders()
    inputs = _input_digests(summaries, store, _reads())

    def archive_pages() -> None:
        for name, build_pages, _ in builders:
            digest = batch.digest(store.version, name, context, inputs[name])
            known_digest, paths = store.builders.get(name, (None, ()))
            if known_digest == digest and all(store.trusted(target, path, digest) for path in paths):
                for path in paths:
                    add(path, KEEP, digest)
                continue
            built = build_pages(summaries, context)
            for path, content in built.items():
                add(path, content, digest)
            store.builders[name] = (digest, tuple(built))
            store.changed = True

    todo = []
    kept: list[tuple[str, str]] = []
    pending: dict[str, str] = {}
    shared = batch.digest(store.version, context)
    for path, key, around_digest, *around in _page_jobs(summaries, context, store, inputs[RELATED]):
        digest = hashlib.sha256(f"{shared}\n{key}\n{around_digest}".encode()).hexdigest()
        if store.trusted(target, path, digest):
            kept.append((path, digest))
        else:
            todo.append((path, key, *around))
            pending[path] = digest
    missing = [key for _, key, *_ in todo if not store.body_file(key).is_file()]
    if missing:
        batch.reload_reviews(listed_files, missing, context.as_of, store, known)
    # The archive pages are built here while the workers render the review pages.
    rendered = batch.render_reviews(todo, context, store, _finish, progress, meanwhile=archive_pages)
    for path, digest in kept:
        add(path, KEEP, digest)
    for job, page in zip(todo, rendered):
        add(job[0], page if isinstance(page, str) else Spooled(Path(page[0]), page[1]), pending[job[0]])
    return pages, digests


def _finish(path: str, content: str) -> str:
    """A generated file as written: Markdown pages marked as generated (mark_generated)."""
    return mark_generated(content) if path.endswith(".md") else content


def _check_project(root: Path) -> None:
    if not (root / CONFIG_FILE).exists():
        raise BuildFailed(f"{root / CONFIG_FILE}: not found; run pir in the archive's folder (the one with {CONFIG_FILE} and {INCIDENTS}/) or pass --root")


def _archive_checks(incidents: list, known, problems: list[Problem]) -> None:
    problems += loader.duplicate_ids(incidents)
    problems += catalogue.archive_problems(incidents, known)
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)


def analyse_archive(root: Path, as_of: date, cache: batch.Cache, progress: Progress | None = None) -> tuple[list[Review], list[Problem]]:
    """The full reviews of incidents/ newest first, and the warnings; InvalidInput on any error.

    Every rule that can refuse an incident lives in the load stage, so this
    reports exactly what `pir validate` reports. `pir generate` reads summaries
    instead (summarise_archive); the public site needs the full incidents.
    """
    _check_project(root)
    # No incidents/ folder yet (git keeps no empty folder) is an empty archive.
    known, problems = catalogue.load(root)
    files, unread = loader.read_files([root / INCIDENTS], root) if (root / INCIDENTS).exists() else ([], [])
    problems += unread
    total = len(files)
    report = (progress or _stderr) if total > PROGRESS_FROM else None
    reviews, found = batch.analyse_files(files, as_of, cache, report, known=known)
    problems += found
    _archive_checks([r.incident for r in reviews], known, problems)
    return list(newest_first(reviews)), problems


def summarise_archive(root: Path, as_of: date, store: batch.Store, progress: Progress | None = None):
    """The summaries of incidents/ newest first, the warnings, the incident files and the catalogue.

    The same checks and problems as analyse_archive; InvalidInput on any error.
    """
    _check_project(root)
    known, problems = catalogue.load(root)
    listed, refused = loader.list_files([root / INCIDENTS], root) if (root / INCIDENTS).exists() else ([], [])
    report = (progress or _stderr) if len(listed) > PROGRESS_FROM else None
    summaries, unread, found = batch.summarise_files(listed, as_of, store, report, known=known, reads=_reads())
    problems += refused + unread + found
    _archive_checks([s.incident for s in summaries], known, problems)
    return list(newest_first(summaries)), problems, listed, known


@locked
def generate(root: Path, as_of: date, *, progress: Progress | None = None, whole: bool = True) -> GenerateReport:
    """Validate incidents/ and write the site's pages into docs/generated/.

    Stops with InvalidInput (every problem found) before writing anything if
    any incident is broken: a broken incident never publishes. `whole`
    switches docs/generated/ in one step (a killed run leaves the previous
    pages); `serve` writes file by file, as its live reload needs. The
    archive pages are built from summaries, and each review page from its own
    review read back from the cache (batch.Store), so the full reviews are
    never all in memory.
    """
    root = Path(root)
    store = batch.Store.load(root)
    try:
        try:
            summaries, warnings, listed, known = summarise_archive(root, as_of, store, progress)
        except InvalidInput:
            store.save()  # what was analysed stays valid: the next run (the fix) reuses it
            raise
        target = root / GENERATED
        target.mkdir(parents=True, exist_ok=True)  # MkDocs wants docs_dir to exist
        context = site_context(root, as_of, store)
        pages, digests = render_pages(summaries, context, store, target, listed, known)
        files: dict[str, str | bytes | Keep | Spooled] = dict(pages)
        for rel, content in handwritten_files(root).items():
            if rel in files:
                raise WriteRefused(f"{DOCS}/{rel} has the path of a generated page; rename it")
            if rel == MANIFEST:
                continue
            files[rel] = content
        report = (replace_tree if whole else write_tree)(target, files)
        store.record_pages(target, digests)
        store.save()
    finally:
        store.clear_spool()
    return GenerateReport(
        reviews=len(summaries),
        written=len(report.written),
        unchanged=len(report.unchanged),
        removed=len(report.removed),
        warnings=tuple(warnings),
    )


def generate_public(root: Path, as_of: date, *, progress: Progress | None = None) -> GenerateReport:
    """Write the customer-facing pages into docs/generated-public/.

    The whole archive is validated first, exactly as for the internal site;
    then only public incidents, reduced to their public fields
    (generator.public), reach the page builders. No hand-written page is
    copied: playbooks and guides are for the team.
    """
    from pir_reviews.core import analysis
    from pir_reviews.core import public
    from pir_reviews.site.pages import public_site as public_pages
    from pir_reviews.site.pages import search

    root = Path(root)
    reviews, warnings = analyse_archive(root, as_of, batch.Cache(version=""), progress)
    shown = [analysis.analyse(incident, as_of) for incident in public.public_archive(r.incident for r in reviews)]
    context = SiteContext(as_of=as_of, site_url=None, edit_base=None)
    files: dict[str, str | bytes] = {
        path: mark_generated(content) if path.endswith(".md") else content
        for path, content in public_pages.render(shown, context).items()
    }
    # Its own search: records of the public incidents only, from their public fields.
    files.update(search.render(shown, context))
    report = write_tree(root / PUBLIC_GENERATED, files)
    return GenerateReport(len(shown), len(report.written), len(report.unchanged), len(report.removed), tuple(warnings))


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


@locked
def build(root: Path, as_of: date, *, site_dir: Path | None = None, progress: Progress | None = None,
          audience: str = "internal") -> GenerateReport:
    """Generate, then build the site with MkDocs (strict) into site/; returns what generate did.

    The build goes to a temporary folder next to site/, swapped in only on
    success: a failed build leaves the previous site/ as it was. The public
    audience builds the customer-facing site from docs/generated-public/ into
    site-public/ (or site_dir), with its own navigation and no repository or
    edit links.
    """
    from mkdocs.commands.build import build as mkdocs_build

    root = Path(root)
    overrides: dict = {}
    if audience == "public":
        report = generate_public(root, as_of, progress=progress)
        overrides = dict(docs_dir=str(root / PUBLIC_GENERATED), nav=PUBLIC_NAV, site_url="", repo_url="", repo_name="", edit_uri="")
    else:
        report = generate(root, as_of, progress=progress)
    default = SITE if audience != "public" else PUBLIC_SITE
    final = Path(site_dir) if site_dir is not None else root / default
    final = final if final.is_absolute() else root / final
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_symlink():
        raise WriteRefused(f"refusing to replace {final}: it is a symbolic link")
    clear_stale(final)
    staging = staging_folder(final)
    collect = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collect)
    try:
        config = _load_config(root, strict=True, site_dir=staging, **overrides)
        mkdocs_build(config)
    except BuildFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as err:  # a full disk or an unwritable folder
        shutil.rmtree(staging, ignore_errors=True)
        raise cannot_write(final, err) from None
    except (Exception, SystemExit) as err:  # MkDocs' Abort is a SystemExit
        shutil.rmtree(staging, ignore_errors=True)
        details = "\n".join(f"  {m}" for m in collect.messages)
        raise BuildFailed(f"MkDocs build failed: {err}" + (f"\n{details}" if details else "")) from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_logger.removeHandler(collect)
    swap_in(staging, final)
    return report


def built_message(report: GenerateReport, site_dir: Path) -> str:
    """What `pir build` says: where the site is, and how many warnings it has and how to read them."""
    count = len(report.warnings)
    if not count:
        return f"site built in {site_dir}"
    return f"site built in {site_dir}, with {count} warning{'' if count == 1 else 's'}; run pir validate to see {'it' if count == 1 else 'them'}"


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file that should trigger a regeneration."""
    seen: dict[str, tuple[int, int]] = {}
    generated = (root / GENERATED, root / PUBLIC_GENERATED)
    listed = root / catalogue.FILE
    if listed.is_file():
        stat = listed.stat()
        seen[str(listed)] = (stat.st_mtime_ns, stat.st_size)
    for folder in (root / INCIDENTS, root / DOCS):
        if not folder.is_dir():
            continue
        for current, dirs, names in os.walk(folder):
            base = Path(current)
            dirs[:] = [d for d in dirs if (base / d) not in generated]
            for name in names:
                try:
                    stat = (base / name).stat()
                except OSError:
                    continue
                seen[str(base / name)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def watch(root: Path, as_of: date, stop: threading.Event, interval: float = POLL_SECONDS,
          report: Progress = _stderr) -> None:
    """Regenerate whenever incidents/, services.yaml or docs/ (not docs/generated/) changes, until `stop`.

    Errors are reported and the previous pages stay, so a half-typed edit
    does not take the site down.
    """
    from pir_reviews.core.errors import PirError

    before = _snapshot(root)
    while not stop.wait(interval):
        now = _snapshot(root)
        if now == before:
            continue
        before = now
        try:
            result = generate(root, as_of, progress=lambda _message: None, whole=False)
        except PirError as err:
            report(f"not regenerated, the previous pages stay:\n{err}")
            continue
        except Exception as err:  # a bug must not stop the preview either; say so and keep watching
            report(f"not regenerated, the previous pages stay (a bug in pir, please report it): {type(err).__name__}: {err}")
            continue
        report(f"regenerated: {result.written} written, {result.removed} removed")


def serve_url(dev_addr: str) -> str:
    """Where `pir serve` answers: the root of HOST:PORT, whatever path site_url has."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--dev-addr: {dev_addr!r} is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return f"http://{host}:{port}/"


def serve(root: Path, as_of: date, dev_addr: str = "127.0.0.1:8000", report: Progress = _stderr) -> None:
    """Generate, then serve with live reload; edits to incidents/ or docs/ show at once.

    Locally the site is served at the root of dev_addr, not under the path of
    the published site_url (such as /post-incident-reviews/), so the URLs the
    docs give (/reviews/ID/) work as written.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    root = Path(root)
    url = serve_url(dev_addr)
    generate(root, as_of)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, as_of, stop), name="pir-watch", daemon=True)
    watcher.start()
    try:
        report(f"serving the site at {url} once it is built (Ctrl-C stops)")
        mkdocs_serve(config_file=str(root / CONFIG_FILE), livereload=True, dev_addr=dev_addr, site_url=url)
    finally:
        stop.set()
        watcher.join(timeout=5)
