"""The site's search bundle, written by Pagefind into site/pagefind/.

Pagefind splits the index into chunks by word and the text into one
fragment per page, so the browser fetches only what a query needs: the
first search costs about the same at 1,000 incidents as at 10,000. It also
ships the search interface (pagefind-ui.js and .css) and the highlighting
script inside the bundle, so the site needs nothing from another host.

The binary comes from the `pagefind-bin` wheel and runs as a service
(`pagefind --service`): requests and answers are base64-encoded JSON
messages, each followed by a comma, on its standard input and output. pir
speaks that protocol itself instead of using the `pagefind` Python package,
which waits a tenth of a second before reading each answer (about 17
minutes for 10,000 incidents).

Incidents arrive as records (generator.pages.search), already escaped for
the result list; the few hand-written pages arrive as their built HTML, of
which Pagefind reads the article only.

A large archive is indexed in parts of at most `records_per_part` records.
Pagefind 1.5's search compares every matching page with every matching
word of every page, so a query that matches half of 10,000 incidents takes
over a second in the browser, where in five parts of 2,000 it takes a
fifth of that (docs/performance.md). The first part is the bundle in
site/pagefind/, with the interface and the hand-written pages; each other
part is an index only (its entry file, metadata, chunks and fragments) in
site/pagefind/partN/, and pir-parts.json names them, for the search script
to merge into the one result list (Pagefind's mergeIndex). Records go to
the parts in turn, so every part holds incidents of every year and its
word weights (which rank the results) stay close to those of one index.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pir_reviews.core.errors import BuildFailed

BUNDLE = "pagefind"
PARTS = "pir-parts.json"
PARTS_FORMAT = "pir-search-parts/1"
RECORDS_PER_PART = 2000
# What a part other than the first keeps: what Pagefind's mergeIndex fetches.
PART_KEEPS = ("pagefind-entry.json", "index", "fragment")
LANGUAGE = "en"
# What Pagefind reads of a hand-written page: the article, without the
# permalink signs of its headings and the edit button.
INDEX_CONFIG = {
    "force_language": LANGUAGE,
    "root_selector": "article",
    "exclude_selectors": [".headerlink", ".md-content__button"],
}


@dataclass(frozen=True)
class BundleReport:
    """What went into the bundle."""

    records: int
    pages: int
    folder: Path
    parts: int = 1


def _executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as err:
        raise BuildFailed("the search index needs Pagefind: install pir with its dependencies (pagefind-bin)") from err
    try:
        return Path(get_executable())
    except FileNotFoundError as err:
        raise BuildFailed(f"the search index needs Pagefind's binary: {err}") from err


class PagefindService:
    """One `pagefind --service` process: one request and its answer (`ask`), or many (`ask_all`)."""

    def __init__(self, executable: Path) -> None:
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
            )
        except OSError as err:
            self._log.close()
            raise BuildFailed(f"could not start Pagefind ({executable}): {err}") from err
        self._buffer = bytearray()
        self._next_id = 0

    def ask(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Send one request and return the payload of its answer; BuildFailed on an error."""
        self._send([payload])
        return self._answer(payload)

    def ask_all(self, payloads: Sequence[Mapping[str, Any]]) -> None:
        """Send many requests while reading their answers; BuildFailed on the first error.

        One request at a time would wait for each answer in turn; a thread
        writes them instead, so neither side's pipe fills while the other waits.
        """
        failed: list[BuildFailed] = []

        def send() -> None:
            try:
                self._send(payloads)
            except BuildFailed as err:
                failed.append(err)

        sender = threading.Thread(target=send, name="pagefind-send", daemon=True)
        sender.start()
        try:
            for payload in payloads:
                if failed:
                    break
                self._answer(payload)
        finally:
            if sender.is_alive():
                self._process.kill()  # an answer went wrong: stop the writer too
            sender.join()
        if failed:
            raise failed[0]

    def _send(self, payloads: Iterable[Mapping[str, Any]]) -> None:
        try:
            for payload in payloads:
                self._next_id += 1
                message = json.dumps({"message_id": self._next_id, "payload": payload}, ensure_ascii=False)
                self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()
        except OSError as err:
            raise BuildFailed(f"Pagefind stopped: {err}{self._stderr()}") from err

    def _answer(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        answer = json.loads(base64.b64decode(self._read_message()))
        result = answer.get("payload") or {}
        if result.get("type") == "Error":
            raise BuildFailed(f"Pagefind refused a {payload.get('type')} request: {result.get('message')}")
        return result

    def _read_message(self) -> bytes:
        while b"," not in self._buffer:
            chunk = self._process.stdout.read1(1 << 16)
            if not chunk:
                raise BuildFailed(f"Pagefind stopped before it answered{self._exit()}{self._stderr()}")
            self._buffer += chunk
        message, _, rest = bytes(self._buffer).partition(b",")
        self._buffer = bytearray(rest)
        return message

    def _exit(self) -> str:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return " (it closed its output but is still running)"
        return f" (exit status {code})"

    def _stderr(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return f": {text.splitlines()[-1]}" if text else ""

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=300)  # writing the bundle of a large archive takes a while; never cut it short
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._log.close()

    def __enter__(self) -> "PagefindService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def split(records: Sequence[Mapping[str, Any]], per_part: int) -> list[list[Mapping[str, Any]]]:
    """The records in parts of at most `per_part`, dealt in turn: one part when they fit in one."""
    if per_part < 1:
        raise ValueError(f"records_per_part must be at least 1, not {per_part}")
    count = max(1, -(-len(records) // per_part))
    return [list(records[start::count]) for start in range(count)]


def part_name(number: int) -> str:
    """The folder of part `number` (1 and on) inside the bundle."""
    return f"part{number}"


def write_bundle(site_dir: Path, records: Sequence[Mapping[str, Any]], pages: Iterable[tuple[str, str]],
                 records_per_part: int = RECORDS_PER_PART) -> BundleReport:
    """Index the records and the pages, and write the bundle into site_dir/pagefind/.

    `records` are Pagefind custom records (url, content, language, meta);
    `pages` are (URL relative to the site root, built HTML). The records
    beyond `records_per_part` go to further parts (see the module's note).
    """
    folder = Path(site_dir) / BUNDLE
    if folder.exists():
        shutil.rmtree(folder)  # ours alone: no part of an earlier, larger archive stays behind
    parts = split(records, records_per_part)
    pages = list(pages)
    with PagefindService(_executable()) as service:
        index_ids = [service.ask({"type": "NewIndex", "config": INDEX_CONFIG})["index_id"] for _ in parts]
        requests = [
            {"type": "AddRecord", "index_id": index_id, "url": found["url"], "content": found["content"],
             "language": found["language"], "meta": found["meta"], "filters": None, "sort": None}
            for index_id, part in zip(index_ids, parts) for found in part
        ]
        requests += [
            {"type": "AddFile", "index_id": index_ids[0], "url": "/" + url.lstrip("/"), "file_path": None,
             "file_contents": html}
            for url, html in pages
        ]
        service.ask_all(requests)
        for number, index_id in enumerate(index_ids):
            target = folder / part_name(number) if number else folder
            _write(service, index_id, target)
            if number:
                _keep_index_only(target)
    names = [part_name(number) + "/" for number in range(1, len(parts))]
    document = {"format": PARTS_FORMAT, "parts": names}
    (folder / PARTS).write_text(json.dumps(document, sort_keys=True) + "\n", encoding="utf-8")
    return BundleReport(records=len(records), pages=len(pages), folder=folder, parts=len(parts))


def _write(service: "PagefindService", index_id: int, folder: Path) -> None:
    write = {"type": "WriteFiles", "index_id": index_id, "output_path": str(folder.resolve())}
    service.ask(write)
    if not _settled(folder):  # seen under load: files still empty after the answer; write them again
        service.ask(write)
        if not _settled(folder):
            raise BuildFailed(f"Pagefind left empty files in {folder}; the search index is incomplete")


def _keep_index_only(folder: Path) -> None:
    """Remove the interface, scripts and WebAssembly a merged part never fetches."""
    for path in folder.iterdir():
        if path.name in PART_KEEPS or path.suffix == ".pf_meta":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _settled(folder: Path, timeout_s: float = 20.0, step_s: float = 0.1) -> bool:
    """Whether the bundle's files stop changing, none of them empty, within `timeout_s`.

    Pagefind answers WriteFiles while it may still be writing; the service is
    only closed (which ends the process) once the files are whole.
    """
    deadline = time.monotonic() + timeout_s
    before = None
    while time.monotonic() < deadline:
        now = sorted((str(p), p.stat().st_size) for p in folder.rglob("*") if p.is_file())
        if now and now == before and all(size > 0 for _, size in now):
            return True
        before = now
        time.sleep(step_s)
    return False
