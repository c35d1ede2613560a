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
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pir_reviews.core.errors import BuildFailed

BUNDLE = "pagefind"
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


def write_bundle(site_dir: Path, records: Iterable[Mapping[str, Any]], pages: Iterable[tuple[str, str]]) -> BundleReport:
    """Index the records and the pages, and write the bundle into site_dir/pagefind/.

    `records` are Pagefind custom records (url, content, language, meta);
    `pages` are (URL relative to the site root, built HTML).
    """
    folder = Path(site_dir) / BUNDLE
    with PagefindService(_executable()) as service:
        index_id = service.ask({"type": "NewIndex", "config": INDEX_CONFIG})["index_id"]
        requests = [
            {"type": "AddRecord", "index_id": index_id, "url": found["url"], "content": found["content"],
             "language": found["language"], "meta": found["meta"], "filters": None, "sort": None}
            for found in records
        ]
        added = len(requests)
        requests += [
            {"type": "AddFile", "index_id": index_id, "url": "/" + url.lstrip("/"), "file_path": None, "file_contents": html}
            for url, html in pages
        ]
        service.ask_all(requests)
        write = {"type": "WriteFiles", "index_id": index_id, "output_path": str(folder.resolve())}
        service.ask(write)
        if not _settled(folder):  # seen under load: files still empty after the answer; write them again
            service.ask(write)
            if not _settled(folder):
                raise BuildFailed(f"Pagefind left empty files in {folder}; the search index is incomplete")
    return BundleReport(records=added, pages=len(requests) - added, folder=folder)


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
