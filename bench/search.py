"""The first search in Chromium: how long it takes and how much it fetches.

The built site is served on 127.0.0.1 by a server that counts the bytes of
every file it sends. A fresh browser (empty cache) opens the home page,
opens the header search and types the query as soon as the box is there.
`seconds` runs from typing the query to the first result on screen (the
index chunks, the search and the result fragments); `from_open` runs from
the click on the search button, so it adds loading Pagefind's interface and
WebAssembly. The bytes are everything the server sent from the first request
on: page, assets, interface and index.

    .venv/bin/python bench/search.py SITE_DIR [--query "replication lag"] [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUERY = "replication lag"  # words many synthetic incidents contain


@dataclass(frozen=True)
class FirstSearch:
    """One first search: seconds to the first result, bytes and files served."""

    seconds: float | None
    fetched_bytes: int
    files: int
    note: str = ""
    from_open: float | None = None


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and adds the size of every file it sends to `sent`."""

    sent: list[int]

    def copyfile(self, source, outputfile):
        self.sent.append(os.fstat(source.fileno()).st_size)
        super().copyfile(source, outputfile)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def first_search(site: Path, query: str = QUERY, timeout_s: float = 60) -> FirstSearch:
    """Measure one first search on the built site in a fresh Chromium."""
    if not CHROMIUM.exists():
        return FirstSearch(None, 0, 0, f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return FirstSearch(None, 0, 0, "playwright is not installed")
    sent: list[int] = []
    handler = functools.partial(type("Handler", (_Counting,), {"sent": sent}), directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_context().new_page()
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/", wait_until="load")
                opened = time.perf_counter()
                page.locator("details.pir-search > summary").click()
                box = page.locator("input.pagefind-ui__search-input")
                box.wait_for(state="visible", timeout=timeout_s * 1000)
                typed = time.perf_counter()
                box.fill(query)
                page.locator("a.pagefind-ui__result-link").first.wait_for(state="visible", timeout=timeout_s * 1000)
                done = time.perf_counter()
                page.wait_for_load_state("networkidle")
                return FirstSearch(done - typed, sum(sent), len(sent), f"query {query!r}", from_open=done - opened)
            except Error as err:
                return FirstSearch(None, sum(sent), len(sent), f"no result: {str(err).splitlines()[0][:120]}")
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for run in range(1, args.runs + 1):
        found = first_search(args.site, args.query)
        if found.seconds is None:
            print(f"run {run}: no result, {found.fetched_bytes / 1e6:.3f} MB in {found.files} files ({found.note})")
            continue
        print(f"run {run}: {found.seconds:.3f} s from typing, {found.from_open:.3f} s from opening the search, "
              f"{found.fetched_bytes / 1e6:.3f} MB in {found.files} files ({found.note}), load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
