"""Analyse and render a whole archive: on every core for large archives, reusing cached work.

The cache (`.pir-cache/` in the project, git-ignored) maps an incident file's
bytes to its review, and a review page's inputs to its Markdown. Both keys
include pir's own code and the as-of day, so a cached result is only reused
where recomputing it would give the same thing: after an edit to one incident,
one file is parsed and analysed again and only the pages whose inputs changed
are rendered. Neither the cache nor the number of workers changes a byte of
the output: results are put back in input order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from pir_reviews.core import analysis
from pir_reviews.load import catalogue
from pir_reviews.load import loader
from pir_reviews.core.errors import Problem, cannot_write
from pir_reviews.core.models import Catalogue, Review
from pir_reviews.site.pages import SiteContext
from pir_reviews.site.pages import review_page as review_pages

CACHE_DIR = ".pir-cache"
CACHE_FILE = "cache.pickle"
# Below this many files to work on, one process is faster than starting workers.
PARALLEL_FROM = 64
CHUNK = 32
# Field lines kept on cached and transferred incidents (all the site needs).
KEPT_LINES = ("id", "severity", "services")

Progress = Callable[[str], None]


def _code_version() -> str:
    """A digest of pir's own code and templates: a change to either invalidates the cache."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Cache:
    """Reviews by file key and page Markdown by page key; what a run does not use is dropped on save."""

    version: str
    reviews: dict[str, tuple[Review | None, tuple[Problem, ...]]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    used_reviews: set[str] = field(default_factory=set)
    used_pages: set[str] = field(default_factory=set)
    changed: bool = False
    # The file key each analysed incident came from (by id): a page key is built on it.
    review_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path | None) -> "Cache":
        version = _code_version()
        if root is None:
            return cls(version)
        path = Path(root) / CACHE_DIR / CACHE_FILE
        try:
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("version") == version:
                return cls(version, stored["reviews"], stored["pages"])
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError, ValueError, ImportError):
            pass  # no cache, or one from other code: start afresh
        return cls(version)

    def save(self, root: Path | None) -> None:
        if root is None:
            return
        reviews = {k: v for k, v in self.reviews.items() if k in self.used_reviews}
        pages = {k: v for k, v in self.pages.items() if k in self.used_pages}
        if not self.changed and len(reviews) == len(self.reviews) and len(pages) == len(self.pages):
            return
        folder = Path(root) / CACHE_DIR
        if folder.is_symlink():
            return  # never write through a symlink; the cache is only an optimisation
        folder.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".cache-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"version": self.version, "reviews": reviews, "pages": pages}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, folder / CACHE_FILE)
        except OSError as err:  # a full disk: say so, and keep the previous cache
            Path(temp).unlink(missing_ok=True)
            raise cannot_write(folder / CACHE_FILE, err) from None
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _slim(review: Review) -> Review:
    incident = review.incident
    lines = {k: incident.lines[k] for k in KEPT_LINES if k in incident.lines}
    return replace(review, incident=replace(incident, lines=lines))


def _analyse_one(shown: str, data: bytes, as_of: date, known: Catalogue | None) -> tuple[Review | None, tuple[Problem, ...]]:
    incident, problems = loader.parse(data, shown)
    if incident is not None and known is not None:
        incident, unknown = catalogue.resolve(incident, known)
        problems += unknown
    if incident is None:
        return None, tuple(problems)
    owners = known.owners() if known is not None else ()
    return _slim(analysis.analyse(incident, as_of, owners=owners)), tuple(problems)


def _analyse_chunk(jobs: list[tuple[str, bytes, date, Catalogue | None]]) -> list[tuple[Review | None, tuple[Problem, ...]]]:
    return [_analyse_one(*job) for job in jobs]


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def analyse_files(files: Sequence[tuple[str, bytes]], as_of: date, cache: Cache,
                  progress: Progress | None = None, known: Catalogue | None = None) -> tuple[list[Review], list[Problem]]:
    """Reviews of the valid files (in input order) and every problem, reusing the cache.

    With a catalogue (services.yaml), services are checked against it and
    aliases become canonical names; the catalogue is part of the cache key.
    """
    listed = hashlib.sha256(pickle.dumps(known, protocol=4)).hexdigest()[:16] if known is not None else "-"
    keys = [hashlib.sha256(data).hexdigest() + f":{as_of.isoformat()}:{listed}:{shown}" for shown, data in files]
    todo = [i for i, key in enumerate(keys) if key not in cache.reviews]
    jobs = [(files[i][0], files[i][1], as_of, known) for i in todo]
    results: list[tuple[Review | None, tuple[Problem, ...]]] = []
    every = max(CHUNK, len(jobs) // 10)
    reported = 0

    def collect(chunk: list) -> None:
        nonlocal reported
        results.extend(chunk)
        if progress and (len(results) - reported >= every or len(results) == len(jobs)):
            reported = len(results)
            progress(f"analysed {len(results)}/{len(jobs)} incidents")

    if len(jobs) >= PARALLEL_FROM and _workers() > 1:
        with multiprocessing.get_context("fork").Pool(_workers()) as pool:
            for chunk in pool.imap(_analyse_chunk, _chunks(jobs, CHUNK)):
                collect(chunk)
    else:
        for chunk in _chunks(jobs, CHUNK):
            collect(_analyse_chunk(chunk))
    for index, result in zip(todo, results):
        cache.reviews[keys[index]] = result
        cache.changed = True
    reviews: list[Review] = []
    problems: list[Problem] = []
    for key in keys:
        cache.used_reviews.add(key)
        review, found = cache.reviews[key]
        problems.extend(found)
        if review is not None:
            reviews.append(review)
            cache.review_keys[review.incident.id] = key
    return reviews, problems


# ---- review pages ------------------------------------------------------------------

_PAGE_JOBS: list[tuple] = []  # set before forking the render workers, read by them


def _render_range(bounds: tuple[int, int]) -> list[str]:
    return [review_pages.render_page(*job) for job in _PAGE_JOBS[bounds[0]:bounds[1]]]


def render_review_pages(reviews: Sequence[Review], context: SiteContext, cache: Cache) -> dict[str, str]:
    """Every review page by path; pages whose inputs did not change come from the cache."""
    jobs = review_pages.page_jobs(reviews, context)
    keys = []
    for job in jobs:
        review = job[0]
        source = cache.review_keys.get(review.incident.id) or pickle.dumps(review, protocol=4)
        keys.append(hashlib.sha256(pickle.dumps((source,) + job[1:], protocol=4)).hexdigest())
    todo = [i for i, key in enumerate(keys) if key not in cache.pages]
    global _PAGE_JOBS
    _PAGE_JOBS = [jobs[i] for i in todo]
    try:
        if len(todo) >= PARALLEL_FROM and _workers() > 1:
            step = max(1, -(-len(todo) // (_workers() * 4)))
            with multiprocessing.get_context("fork").Pool(_workers()) as pool:
                texts = [t for part in pool.map(_render_range, [(i, i + step) for i in range(0, len(todo), step)]) for t in part]
        else:
            texts = _render_range((0, len(todo)))
    finally:
        _PAGE_JOBS = []
    for index, text in zip(todo, texts):
        cache.pages[keys[index]] = text
        cache.changed = True
    cache.used_pages.update(keys)
    return {review_pages.page_path(job[0].incident.id): cache.pages[key] for job, key in zip(jobs, keys)}
