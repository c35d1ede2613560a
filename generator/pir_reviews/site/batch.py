"""Analyse and render a whole archive: on every core for large archives, reusing cached work.

Two ways in:

- `analyse_files` turns file contents into full reviews, with an in-memory
  `Cache` (pir validate, the public site);
- `pir generate` goes through a `Store`, the cache on disk in `.pir-cache/`
  (git-ignored), and never holds every full review at once.

The store keeps, in one small index (`index.pickle`) and sixteen shards of
entries (`entries-<hex>.pickle`, by the first digit of the content key, so
an edit rewrites one or two shards, not every summary):

- a stat index: incident path -> (mtime_ns, ctime_ns, size, inode, content
  key). A file whose stat matches is neither read nor hashed. A file written
  in the last RACY_NS before it was indexed gets no stat entry (the next run
  hashes it again), so two edits within one mtime tick are never missed;
- by content key (the file's bytes, the as-of day, the catalogue and the
  path), in its shard: the `ReviewSummary` and the problems of the incident,
  and the digests of what each archive page reads of it (`inputs`). The body of
  its review page, rendered by the worker that analysed it, is in its own
  file, `reviews/<digest>.body.z`, read only when its page must be written
  again (with its related incidents and neighbours, which need the whole
  archive);
- by generated page: the digest of its inputs and the size and mtime_ns
  of the file written for it. A page whose input digest did not change and whose file in
  docs/generated/ still has that stat is trusted as it is: not rendered, not
  read, not compared (the writer keeps it). A page someone edited or
  deleted there has another stat and is rendered again.

Every key includes a digest of pir's own code, so a cached result is only
reused where recomputing it would give the same thing. Neither the cache nor
the number of workers changes a byte of the output: results are put back in
input order.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from pir_reviews.core.errors import BuildFailed, Problem, cannot_write
from pir_reviews.core.models import Catalogue, Review
from pir_reviews.core.summary import ReviewSummary, slim_review, summarise
from pir_reviews.load import catalogue
from pir_reviews.load import loader
from pir_reviews.site.cores import workers
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.writer import replace_file

if TYPE_CHECKING:
    from pir_reviews.site.pages.review_page import ReviewBody

CACHE_DIR = ".pir-cache"
INDEX_FILE = "index.pickle"
SHARD_FILE = "entries-{}.pickle"
SHARDS = "0123456789abcdef"  # a content key begins with a hex digest
# What reading a missing, truncated or foreign pickle of the cache can raise: the cache is then ignored.
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError, ValueError, ImportError, IndexError)
JOBS_FILE = "jobs.pickle"
REVIEWS_DIR = "reviews"
SPOOL_PREFIX = "spool-"
LEGACY_FILE = "cache.pickle"  # the one-pickle cache of earlier versions
# Below this many files to work on, one process is faster than starting workers.
PARALLEL_FROM = 64
CHUNK = 32
# A file modified this close to the moment it was indexed is hashed again next time.
RACY_NS = 2_000_000_000

Progress = Callable[[str], None]


def _code_version() -> str:
    """A digest of pir's own code and templates: a change to either invalidates the cache."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def digest(*parts) -> str:
    """A digest of values that depends on the values only.

    Plain pickle output also depends on which equal objects are the same
    object (its memo), so a summary read from the cache and the same summary
    computed again would differ: the memo is switched off.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def part_digests(summary: ReviewSummary, reads: Mapping[str, Callable]) -> dict[str, bytes]:
    """By part, a short digest of what that part reads of one summary (`reads`: part -> what it reads)."""
    return {name: bytes.fromhex(digest(read(summary)))[:16] for name, read in reads.items()}


def _catalogue_digest(known: Catalogue | None) -> str:
    return hashlib.sha256(pickle.dumps(known, protocol=4)).hexdigest()[:16] if known is not None else "-"


def content_key(data: bytes, as_of: date, listed: str, shown: str) -> str:
    """What a file's analysis depends on: its bytes, the as-of day, the catalogue and its path."""
    return hashlib.sha256(data).hexdigest() + f":{as_of.isoformat()}:{listed}:{shown}"


def _analyse_one(shown: str, data: bytes, as_of: date, known: Catalogue | None) -> tuple[Review | None, tuple[Problem, ...]]:
    incident, problems = loader.parse(data, shown)
    if incident is not None and known is not None:
        incident, unknown = catalogue.resolve(incident, known)
        problems += unknown
    if incident is None:
        return None, tuple(problems)
    from pir_reviews.core import analysis

    owners = known.owners() if known is not None else ()
    return slim_review(analysis.analyse(incident, as_of, owners=owners)), tuple(problems)


# ---- full reviews in memory (pir validate, the public site) -------------------------


@dataclass
class Cache:
    """Reviews by file key, for one run (nothing is kept on disk)."""

    version: str
    reviews: dict[str, tuple[Review | None, tuple[Problem, ...]]] = field(default_factory=dict)


def _analyse_chunk(jobs: list[tuple[str, bytes, date, Catalogue | None]]) -> list[tuple[Review | None, tuple[Problem, ...]]]:
    return [_analyse_one(*job) for job in jobs]


def _run(function: Callable, jobs: list, progress: Progress | None = None, what: str = "analysed",
         meanwhile: Callable[[], None] | None = None) -> list:
    """function(chunk) over chunks of jobs, on every core when there are enough; results in order.

    `meanwhile()` runs in this process once the workers have started (before
    the jobs, without workers), so work that does not need the results fills
    the time this process would spend waiting for them.
    """
    results: list = []
    every = max(CHUNK, len(jobs) // 10)
    reported = 0

    def collect(chunk: list) -> None:
        nonlocal reported
        results.extend(chunk)
        if progress and (len(results) - reported >= every or len(results) == len(jobs)):
            reported = len(results)
            progress(f"{what} {len(results)}/{len(jobs)} incidents")

    if len(jobs) >= PARALLEL_FROM and workers() > 1:
        with multiprocessing.get_context("fork").Pool(workers()) as pool:
            chunks = pool.imap(function, _chunks(jobs, CHUNK))
            if meanwhile is not None:
                meanwhile()
            for chunk in chunks:
                collect(chunk)
    else:
        if meanwhile is not None:
            meanwhile()
        for chunk in _chunks(jobs, CHUNK):
            collect(function(chunk))
    return results


def analyse_files(files: Sequence[tuple[str, bytes]], as_of: date, cache: Cache,
                  progress: Progress | None = None, known: Catalogue | None = None) -> tuple[list[Review], list[Problem]]:
    """Reviews of the valid files (in input order) and every problem, reusing the cache.

    With a catalogue (services.yaml), services are checked against it and
    aliases become canonical names; the catalogue is part of the cache key.
    """
    listed = _catalogue_digest(known)
    keys = [content_key(data, as_of, listed, shown) for shown, data in files]
    todo = [i for i, key in enumerate(keys) if key not in cache.reviews]
    results = _run(_analyse_chunk, [(files[i][0], files[i][1], as_of, known) for i in todo], progress)
    for index, result in zip(todo, results):
        cache.reviews[keys[index]] = result
    reviews: list[Review] = []
    problems: list[Problem] = []
    for key in keys:
        review, found = cache.reviews[key]
        problems.extend(found)
        if review is not None:
            reviews.append(review)
    return reviews, problems


# ---- the store on disk (pir generate) -----------------------------------------------

Stamp = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode
Entry = tuple["ReviewSummary | None", tuple[Problem, ...]]


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


@dataclass
class Store:
    """The cache of `pir generate` (see the module docstring); what a run does not use is dropped on save."""

    root: Path | None
    version: str
    files: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # shown path -> (stamp, content key)
    entries: dict[str, Entry] = field(default_factory=dict)  # content key -> summary, problems
    # content key -> {part: digest of what that archive part reads of the summary}
    inputs: dict[str, dict[str, bytes]] = field(default_factory=dict)
    pages: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # rel -> (digest, size, mtime_ns)
    jobs_digest: str | None = None
    builders: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # builder -> (digest, its paths)
    # digest of mkdocs.yml -> what the pages take from it (pipeline.site_context)
    settings: tuple[str, tuple[str | None, str | None]] | None = None
    keys: dict[str, str] = field(default_factory=dict)  # incident id -> content key, this run
    used_files: set[str] = field(default_factory=set)
    used_entries: set[str] = field(default_factory=set)
    written_reviews: set[str] = field(default_factory=set)
    changed: bool = False
    dirty: set[str] = field(default_factory=set)  # shards to write again
    _spool: Path | None = None

    @property
    def folder(self) -> Path | None:
        return None if self.root is None else Path(self.root) / CACHE_DIR

    @classmethod
    def load(cls, root: Path | None) -> "Store":
        version = _code_version()
        if root is None:
            return cls(None, version)
        try:
            with open(Path(root) / CACHE_DIR / INDEX_FILE, "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("version") == version:
                store = cls(Path(root), version, files=stored["files"], pages=stored["pages"],
                            jobs_digest=stored["jobs_digest"], builders=stored["builders"], settings=stored["settings"])
                for shard in SHARDS:
                    store._load_shard(shard)
                return store
        except UNREADABLE:
            pass  # no cache, or one from other code: start afresh
        folder = Path(root) / CACHE_DIR
        if not folder.is_symlink() and (folder / REVIEWS_DIR).is_dir() and not (folder / REVIEWS_DIR).is_symlink():
            shutil.rmtree(folder / REVIEWS_DIR, ignore_errors=True)  # another version's files: nothing will read them
        return cls(Path(root), version, changed=True, dirty=set(SHARDS))

    def _load_shard(self, shard: str) -> None:
        """The entries of one shard; none (they are analysed again) when it is missing, broken or of other code."""
        assert self.folder is not None
        try:
            with open(self.folder / SHARD_FILE.format(shard), "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("version") != self.version:
                raise ValueError("another version")
            entries, inputs = stored["entries"], stored["inputs"]
        except UNREADABLE:
            self.dirty.add(shard)
            return
        self.entries.update(entries)
        self.inputs.update(inputs)

    def put_entry(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.inputs.pop(key, None)
        self.dirty.add(_shard(key))
        self.changed = True

    def put_inputs(self, key: str, digests: dict[str, bytes]) -> None:
        self.inputs[key] = digests
        self.dirty.add(_shard(key))
        self.changed = True

    # -- review page bodies, one file each

    def body_file(self, key: str) -> Path:
        assert self.folder is not None
        name = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / REVIEWS_DIR / name[:2] / f"{name[2:]}.body.z"

    def put_body(self, key: str, body: "ReviewBody") -> None:
        if self.folder is None:
            return
        _write_file(self.body_file(key), zlib.compress(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL), 1))

    def get_body(self, key: str) -> "ReviewBody | None":
        if self.folder is None:
            return None
        try:
            return pickle.loads(zlib.decompress(self.body_file(key).read_bytes()))
        except (OSError, EOFError, zlib.error, pickle.UnpicklingError, AttributeError, TypeError, ValueError, ImportError, IndexError):
            return None

    # -- generated files trusted as they are

    def trusted(self, target: Path, rel: str, digest: str) -> bool:
        """Whether target/rel is the file written for these inputs (same digest, same stat)."""
        known = self.pages.get(rel)
        if known is None or known[0] != digest:
            return False
        try:
            stat = os.lstat(target / rel)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == known[1:] and (stat.st_mode & 0o170000) == 0o100000

    def record_pages(self, target: Path, digests: dict[str, str]) -> None:
        """The stat of each written page, under the digest of its inputs."""
        pages: dict[str, tuple[str, int, int]] = {}
        for rel, digest in digests.items():
            known = self.pages.get(rel)
            try:
                stat = os.lstat(target / rel)
            except OSError:
                continue
            entry = (digest, stat.st_size, stat.st_mtime_ns)
            pages[rel] = entry
            if known != entry:
                self.changed = True
        if set(pages) != set(self.pages):
            self.changed = True
        self.pages = pages

    def save(self) -> None:
        folder = self.folder
        if folder is None:
            return
        files = {k: v for k, v in self.files.items() if k in self.used_files}
        dropped = [k for k in self.entries if k not in self.used_entries]
        dirty = self.dirty | {_shard(key) for key in dropped}
        if not self.changed and len(files) == len(self.files) and not dirty:
            return
        if folder.is_symlink():
            return  # never write through a symlink; the cache is only an optimisation
        kept: dict[str, list[str]] = {shard: [] for shard in dirty}
        for key in self.entries:
            if key in self.used_entries and _shard(key) in kept:
                kept[_shard(key)].append(key)
        for shard, keys in sorted(kept.items()):
            document = {"version": self.version, "entries": {k: self.entries[k] for k in keys},
                        "inputs": {k: self.inputs[k] for k in keys if k in self.inputs}}
            _write_file(folder / SHARD_FILE.format(shard), _dumps(document))
        document = {"version": self.version, "files": files, "pages": self.pages, "jobs_digest": self.jobs_digest,
                    "builders": self.builders, "settings": self.settings}
        _write_file(folder / INDEX_FILE, _dumps(document))
        for key in dropped:
            if key not in self.written_reviews:
                self.body_file(key).unlink(missing_ok=True)
        (folder / LEGACY_FILE).unlink(missing_ok=True)

    # -- pages rendered this run, waiting for the writer

    def spool(self) -> Path:
        """A fresh folder for this run's rendered pages (removed by clear_spool; a killed run's by the next)."""
        assert self.folder is not None
        if self._spool is None:
            self.clear_spool()
            self.folder.mkdir(exist_ok=True)
            self._spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=self.folder))
        return self._spool

    def clear_spool(self) -> None:
        """Remove the spool folders (the caller holds the archive lock, so none is in use)."""
        self._spool = None
        if self.folder is None or not self.folder.is_dir() or self.folder.is_symlink():
            return
        for folder in self.folder.glob(f"{SPOOL_PREFIX}*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)

    def load_jobs(self, digest: str) -> dict | None:
        if self.folder is None or digest != self.jobs_digest:
            return None
        try:
            with open(self.folder / JOBS_FILE, "rb") as handle:
                stored = pickle.load(handle)
            return stored["jobs"] if stored.get("digest") == digest else None
        except UNREADABLE:
            return None

    def save_jobs(self, digest: str, jobs: dict) -> None:
        if self.folder is None or self.folder.is_symlink():
            return
        _write_file(self.folder / JOBS_FILE, _dumps({"digest": digest, "jobs": jobs}))
        self.jobs_digest = digest
        self.changed = True


def _shard(key: str) -> str:
    """The shard of a content key: its first hex digit (SHARDS)."""
    return key[:1]


def _dumps(value) -> bytes:
    """Pickled without the memo: pickling every summary with it would hold a table as large as the summaries."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def _write_file(path: Path, data: bytes) -> None:
    """Atomically; CannotWrite naming the file on a full disk or a folder we may not write."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise cannot_write(path, err) from None
    replace_file(path, data, prefix=".cache-")


# What the forked workers read (set before the pool starts, cleared after).
_WORK: dict = {}


def _summarise_chunk(jobs: list[tuple[str, str]]) -> list[tuple]:
    """For each (shown, path): (shown, key, stamp, entry or None, read problem or None, part digests or None).

    The entry is None when the key is already in the store (nothing to analyse).
    Each review's page body is rendered here, while the review is at hand, and
    the digests of what each archive part reads of its summary (part_digests)
    are worked out here too, on every core, instead of one by one afterwards.
    """
    from pir_reviews.site.pages import review_page as review_pages

    store: Store = _WORK["store"]
    as_of, known, listed, reads = _WORK["as_of"], _WORK["known"], _WORK["listed"], _WORK["reads"]
    out = []
    for shown, path in jobs:
        data, stat, problem = loader.read_file(Path(path), shown)
        if problem is not None:
            out.append((shown, None, None, None, problem, None))
            continue
        key = content_key(data, as_of, listed, shown)
        if key in store.entries:
            out.append((shown, key, stamp_of(stat), None, None, None))
            continue
        review, problems = _analyse_one(shown, data, as_of, known)
        if review is not None:
            store.put_body(key, review_pages.render_body(review))
        summary = summarise(review) if review is not None else None
        parts = part_digests(summary, reads) if summary is not None and reads else None
        out.append((shown, key, stamp_of(stat), (summary, problems), None, parts))
    return out


def summarise_files(listed_files: Sequence[tuple[str, Path]], as_of: date, store: Store,
                    progress: Progress | None = None, known: Catalogue | None = None,
                    reads: Mapping[str, Callable] | None = None) -> tuple[list[ReviewSummary], list[Problem], list[Problem]]:
    """Summaries of the valid files (in input order), the read problems and the other problems.

    A file whose stat is in the store is not read; one whose content key is
    there is not analysed. A newly analysed review goes to its own file in the
    store, with the digests of what each part of `reads` reads of its summary.
    """
    listed = _catalogue_digest(known)
    suffix = f":{as_of.isoformat()}:{listed}:"
    found: dict[str, tuple] = {}
    todo: list[tuple[str, str]] = []
    for shown, path in listed_files:
        cached = store.files.get(shown)
        if cached is not None and cached[1].endswith(suffix + shown) and cached[1] in store.entries:
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
            if stat is not None and stamp_of(stat) == cached[0] and (stat.st_mode & 0o170000) == 0o100000:
                found[shown] = (shown, cached[1], cached[0], None, None, None)
                continue
        todo.append((shown, str(path)))
    if todo:
        from pir_reviews.core import analysis  # noqa: F401  (imported once, before the workers fork)
        from pir_reviews.site.pages import review_page  # noqa: F401
    _WORK.update(store=store, as_of=as_of, known=known, listed=listed, reads=reads or {})
    try:
        results = _run(_summarise_chunk, todo, progress)
    finally:
        _WORK.clear()
    now = time.time_ns()
    for result in results:
        shown, key, stamp, entry, _, parts = result
        found[shown] = result
        if key is None:
            continue
        if entry is not None:
            store.put_entry(key, entry)
            store.written_reviews.add(key)
            if parts is not None:
                store.put_inputs(key, parts)
        if stamp[0] < now - RACY_NS and stamp[1] < now - RACY_NS:
            if store.files.get(shown) != (stamp, key):
                store.files[shown] = (stamp, key)
                store.changed = True
        elif shown in store.files:
            del store.files[shown]
            store.changed = True
    summaries: list[ReviewSummary] = []
    unread: list[Problem] = []
    problems: list[Problem] = []
    for shown, _ in listed_files:
        _, key, _, _, problem, _ = found[shown]
        if problem is not None:
            unread.append(problem)
            continue
        store.used_files.add(shown)
        store.used_entries.add(key)
        summary, more = store.entries[key]
        problems.extend(more)
        if summary is not None:
            summaries.append(summary)
            store.keys[summary.incident.id] = key
    return summaries, unread, problems


def reload_reviews(listed_files: Sequence[tuple[str, Path]], keys: Iterable[str], as_of: date, store: Store,
                   known: Catalogue | None = None) -> None:
    """Analyse again the files whose page body is missing from the store (someone cleared part of it)."""
    from pir_reviews.site.pages import review_page as review_pages

    listed = _catalogue_digest(known)
    paths = dict(listed_files)
    for key in sorted(set(keys)):
        shown = key.split(":", 3)[-1]  # the content key ends with the file's path (content_key)
        path = paths.get(shown)
        data = loader.read_file(path, shown)[0] if path is not None else None
        if data is None or content_key(data, as_of, listed, shown) != key:
            raise BuildFailed(f"{shown or key}: changed while pir was generating; run pir generate again")
        review, _ = _analyse_one(shown, data, as_of, known)
        if review is not None:
            store.put_body(key, review_pages.render_body(review))


# ---- review pages ------------------------------------------------------------------


def _render_chunk(jobs: list[tuple]) -> list[str | tuple[str, int]]:
    """Each page finished from its body read back from the store; into a spool file when the store has one."""
    from pir_reviews.site.pages import review_page as review_pages

    store: Store = _WORK["store"]
    context, finish, spool = _WORK["context"], _WORK["finish"], _WORK["spool"]
    out: list[str | tuple[str, int]] = []
    for index, path, key, related, previous, following in jobs:
        body = store.get_body(key)
        if body is None:
            raise BuildFailed(f"the cached review of {key.split(':', 3)[-1]} vanished while pir was generating; run pir generate again")
        text = finish(path, review_pages.page_from_body(body, context, related, previous, following))
        if spool is None:
            out.append(text)
            continue
        data = text.encode("utf-8")
        spooled = os.path.join(spool, f"{index}.page")
        with open(spooled, "wb") as handle:
            handle.write(data)
        out.append((spooled, len(data)))
    return out


def render_reviews(jobs: Sequence[tuple[str, str, tuple, object, object]], context: SiteContext, store: Store,
                   finish: Callable[[str, str], str], progress: Progress | None = None,
                   meanwhile: Callable[[], None] | None = None) -> list[str | tuple[str, int]]:
    """finish(path, the page) of each (path, key, related, previous, following), in order, each body read from the store.

    With a store on disk, each page goes to a spool file (its path and size
    are returned) instead of staying in memory: see Store.spool.
    """
    if jobs:
        from pir_reviews.site.pages import review_page  # noqa: F401  (imported once, before the workers fork)
    spool = str(store.spool()) if store.folder is not None and jobs else None
    _WORK.update(store=store, context=context, finish=finish, spool=spool)
    try:
        return _run(_render_chunk, [(i, *job) for i, job in enumerate(jobs)], progress, what="rendered the pages of",
                    meanwhile=meanwhile)
    finally:
        _WORK.clear()
