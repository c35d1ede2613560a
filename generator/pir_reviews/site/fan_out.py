"""Generated pages built on every core: the page shell of each, in worker processes.

MkDocs builds its pages one after the other, in one process, and on a large
archive that is most of `pir build` after `pir generate`: Material's page
template and compact_page, once per review. Once every page is read (MkDocs'
`on_env` event), the pir plugin forks one worker per core; each builds a
share of the generated pages with MkDocs' own page builder (the same
template, context and plugin events as in the main process) and writes them.
The main process, meanwhile, builds the hand-written pages and hands each
page a worker built a template that renders nothing, which MkDocs skips
without writing.

What the workers gather comes back to the main process when they finish:
the icons compact_page took out of their pages, and every warning and error
they logged, logged again there, so a strict build counts them as its own.
A worker that fails fails the build with its error.

Only where the result is the same as building in one process: no plugin but
pir's own (another plugin may keep state per page that a worker's copy would
lose), one thread (forking a threaded process is not safe), a build that is
neither served (`mkdocs serve`, `pir serve`) nor dirty, fork available, two
cores or more and enough pages to pay for the workers. Otherwise MkDocs builds every page itself, as before.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from pir_reviews.site.cores import workers

# The plugins whose events are known to be the same whichever process builds a page.
OWN_PLUGINS = frozenset({"pir", "pir-search"})
# Below this many generated pages, the workers cost more than they save.
FAN_OUT_FROM = 64
# The template a page built by a worker is given in the main process: it renders nothing.
BUILT_ELSEWHERE = "pir-built-elsewhere.html"
_LOGGER = "mkdocs"


@dataclass
class Result:
    """What one worker sends back."""

    icons: dict[str, str] = field(default_factory=dict)
    records: list[logging.LogRecord] = field(default_factory=list)
    failure: str | None = None


@dataclass
class Workers:
    """The running workers and the pipes their results come back on."""

    processes: list[multiprocessing.Process]
    pipes: list[Connection]
    quiet: logging.Filter | None = None


def eligible(config, pages: list, command: str | None = None, dirty: bool = False) -> bool:
    """Whether the generated pages may be built by workers (see the module's docstring).

    `command` and `dirty` are what MkDocs' `on_startup` said, when it ran (`pir build`
    calls MkDocs' build directly, without it): a served or dirty build is left to MkDocs.
    """
    return (command != "serve" and not dirty
            and len(pages) >= FAN_OUT_FROM and workers() > 1 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
            and set(config.plugins) <= OWN_PLUGINS)


def start(pages: list, config, files, nav, env, icons: dict[str, str]) -> Workers:
    """Fork the workers, each building every n-th page; the pages are then skipped here."""
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for name in {page.meta.get("template", "main.html") for page in pages}:  # compiled here, not in each worker
        env.get_template(name)
    context = multiprocessing.get_context("fork")
    count = workers()
    processes, pipes = [], []
    try:
        for number in range(count):
            receive, send = context.Pipe(duplex=False)
            share = pages[number::count]
            process = context.Process(target=_work, args=(share, config, doc_files, nav, env, icons, send),
                                      name=f"pir-pages-{number}", daemon=True)
            process.start()
            send.close()
            processes.append(process)
            pipes.append(receive)
    except BaseException:
        stop(Workers(processes, pipes))
        raise
    skipped = set()
    for page in pages:
        page.meta["template"] = BUILT_ELSEWHERE
        skipped.add(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
    quiet = _Quiet(skipped)
    logging.getLogger(mkdocs_build.__name__).addFilter(quiet)
    return Workers(processes, pipes, quiet)


def finish(running: Workers, icons: dict[str, str]) -> None:
    """Wait for the workers: their icons into `icons`, their log records logged here; PluginError if one failed."""
    failures = []
    try:
        for process, pipe in zip(running.processes, running.pipes):
            try:
                result: Result = pipe.recv()
            except EOFError:
                process.join()
                result = Result(failure=f"a worker building pages stopped (exit status {process.exitcode})")
            process.join()
            icons.update(result.icons)
            for record in result.records:
                logging.getLogger(record.name).handle(record)
            if result.failure:
                failures.append(result.failure)
    finally:
        stop(running)
    if failures:
        raise PluginError(failures[0])


def stop(running: Workers) -> None:
    """End the workers that are still running (a build that failed elsewhere) and close their pipes."""
    for process in running.processes:
        if process.is_alive():
            process.kill()
        process.join()
    for pipe in running.pipes:
        pipe.close()
    if running.quiet is not None:
        logging.getLogger(mkdocs_build.__name__).removeFilter(running.quiet)


class _Quiet(logging.Filter):
    """Drops MkDocs' note that it skipped a page, for the pages a worker built."""

    def __init__(self, messages: set[str]) -> None:
        super().__init__()
        self.messages = messages

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.messages


class _Gather(logging.Handler):
    """Keeps a worker's log records, to be logged again by the main process."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _work(pages: list, config, doc_files, nav, env, icons: dict[str, str], send: Connection) -> None:
    """In a worker: build each page as MkDocs would, then send back what was gathered."""
    logger = logging.getLogger(_LOGGER)
    gather = _Gather()
    logger.handlers = [gather]  # logged once, by the main process, not here as well
    logger.propagate = False
    result = Result()
    try:
        for page in pages:
            mkdocs_build._build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
    except Exception as err:  # noqa: BLE001 - any failure is the build's, reported by the main process
        result.failure = str(err) or traceback.format_exception_only(err)[-1].strip()
    result.icons = dict(icons)
    result.records = gather.records
    send.send(result)
    send.close()
