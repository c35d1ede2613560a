"""A stand-in for GitHub's issues REST API on 127.0.0.1, for the sync tests.

It keeps issues in memory, answers list (paged by PAGE_SIZE with a Link
header), create, get and update the way GitHub does, and records every
request it receives (method, path, headers, JSON body). `fail_next` makes it
answer the next requests with an error, e.g. a rate limit.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 2
PREFIX = "/api/v3"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class IssuesAPI:
    repo: str
    issues: dict[int, dict] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    # (status, headers, body) answers for the next requests, or "after" a number of successful ones
    failures: list[tuple[int, dict[str, str], dict]] = field(default_factory=list)
    fail_after: int = 0
    url: str = ""

    def add(self, title: str, body: str, state: str = "open", state_reason: str | None = None,
            labels: tuple[str, ...] = ("pir-action",), pull_request: bool = False) -> dict:
        number = len(self.issues) + 1
        issue = {
            "number": number, "title": title, "body": body, "state": state, "state_reason": state_reason,
            "labels": [{"name": name} for name in labels], "assignees": [],
            "html_url": f"https://github.example/{self.repo}/issues/{number}",
        }
        if pull_request:
            issue["pull_request"] = {"url": "x"}
        self.issues[number] = issue
        return issue

    def made(self, method: str) -> list[Received]:
        return [r for r in self.requests if r.method == method]


def _handler(api: IssuesAPI):
    base = f"{PREFIX}/repos/{api.repo}/issues"

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass

        def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            api.requests.append(Received(self.command, parts.path, parse_qs(parts.query),
                                         {k.lower(): v for k, v in self.headers.items()},
                                         json.loads(raw) if raw else None))
            if api.failures:
                if api.fail_after > 0:
                    api.fail_after -= 1
                else:
                    status, headers, body = api.failures.pop(0)
                    return self._answer(status, body, headers)
            if parts.path == base and self.command == "GET":
                return self._list(parse_qs(parts.query))
            if parts.path == base and self.command == "POST":
                body = json.loads(raw)
                issue = api.add(body["title"], body.get("body", ""), labels=tuple(body.get("labels", ())))
                issue["assignees"] = [{"login": login} for login in body.get("assignees", [])]
                return self._answer(201, issue)
            if parts.path.startswith(base + "/"):
                number = int(parts.path.rsplit("/", 1)[1])
                issue = api.issues.get(number)
                if issue is None:
                    return self._answer(404, {"message": "Not Found"})
                if self.command == "PATCH":
                    issue.update(json.loads(raw))
                return self._answer(200, issue)
            return self._answer(404, {"message": "Not Found"})

        def _list(self, query: dict[str, list[str]]) -> None:
            label = query.get("labels", [""])[0]
            state = query.get("state", ["open"])[0]
            page = int(query.get("page", ["1"])[0])
            chosen = [
                i for _, i in sorted(api.issues.items())
                if any(lab["name"] == label for lab in i["labels"]) and (state == "all" or i["state"] == state)
            ]
            start = (page - 1) * PAGE_SIZE
            headers = {}
            if start + PAGE_SIZE < len(chosen):
                headers["Link"] = f'<{api.url}{base}?state={state}&labels={label}&page={page + 1}>; rel="next"'
            self._answer(200, chosen[start:start + PAGE_SIZE], headers)

        do_GET = do_POST = do_PATCH = _handle

    return Handler


@contextlib.contextmanager
def running(repo: str = "acme/ops") -> Iterator[IssuesAPI]:
    """The API in a thread on 127.0.0.1; `api.url + "/api/v3"` is what --api-url takes."""
    api = IssuesAPI(repo=repo)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
