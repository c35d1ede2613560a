"""Shared set-up of the Chromium tests: serve a built site on 127.0.0.1, and a
page that records everything a safe, offline site must never do."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def need_chromium(what: str) -> None:
    """Skip, saying why, where Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        print(f"skipping {what}: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def served(site_dir: Path) -> Iterator[str]:
    """The site on 127.0.0.1 in a thread; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def watched_page(local_files: bool = False) -> Iterator[tuple[object, dict[str, list[str]]]]:
    """A Chromium page and what it recorded: dialogs, requests to other hosts
    (aborted), console errors, page errors and failed requests. With
    `local_files`, file:// addresses count as local too (a site opened from disk)."""
    from playwright.sync_api import sync_playwright

    problems: dict[str, list[str]] = {"dialog": [], "foreign": [], "console": [], "pageerror": [], "failed": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()

            def guard(route):
                url = route.request.url
                local = ("data:", "blob:", "file:") if local_files else ("data:", "blob:")
                if url.startswith(local) or urlsplit(url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    problems["foreign"].append(url)
                    route.abort()

            def dialog(d):
                problems["dialog"].append(f"{d.type}: {d.message}")
                d.dismiss()

            context.route("**/*", guard)
            page = context.new_page()
            page.set_default_timeout(15000)
            page.on("dialog", dialog)
            page.on("console", lambda msg: problems["console"].append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda err: problems["pageerror"].append(str(err)))
            page.on("requestfailed", lambda req: problems["failed"].append(f"{req.url}: {req.failure}"))
            yield page, problems
        finally:
            browser.close()


RESULT = "a.pagefind-ui__result-link"


def search_for(page, query: str):
    """Open the header search, type a query and wait for the result list; returns its links."""
    panel = page.locator("details.pir-search")
    if not panel.evaluate("element => element.open"):
        page.locator("details.pir-search > summary").click()
    box = page.locator("input.pagefind-ui__search-input")
    box.wait_for(state="visible")
    box.fill("")
    box.press_sequentially(query)
    page.locator(".pagefind-ui__message").filter(has_text=query).wait_for(state="visible")
    return page.locator(RESULT)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
