"""A small client for GitHub's issues REST API: list, create, get, update.

Only the standard library (urllib.request, json): four calls do not warrant
a dependency. Every failure is a TrackerError that names the request, the
HTTP status and GitHub's own message; a rate limit also says when it resets.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pir_reviews.core.errors import PirError

API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PER_PAGE = 100
TIMEOUT_SECONDS = 30
# A listing longer than this many pages is refused rather than followed forever.
MAX_PAGES = 100
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class TrackerError(PirError):
    """The tracker refused a request, or could not be reached; `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Issue:
    number: int
    url: str  # the issue's page (html_url), what an action item's link records
    state: str  # "open" | "closed"
    title: str
    body: str
    state_reason: str | None = None  # "completed", "not_planned", "reopened" or None


def _issue(data: Any) -> Issue:
    if not isinstance(data, dict) or not isinstance(data.get("number"), int):
        raise TrackerError("GitHub answered with something that is not an issue")
    return Issue(
        number=data["number"],
        url=str(data.get("html_url") or ""),
        state=str(data.get("state") or "open"),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        state_reason=data.get("state_reason"),
    )


class GitHub:
    """One repository's issues; `api_url` is https://HOST/api/v3 on GitHub Enterprise."""

    def __init__(self, repo: str, token: str, api_url: str = API_URL):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            raise TrackerError(f"--repo {repo!r} is not OWNER/NAME")
        if not token:
            raise TrackerError("GITHUB_TOKEN is not set; export a token that may read and write this repository's issues")
        parts = urllib.parse.urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TrackerError(f"--api-url {api_url!r} is not an http(s) address")
        self.repo = repo
        self.api_url = api_url.rstrip("/")
        self._token = token

    # ---- the four calls ----------------------------------------------------------

    def list_issues(self, label: str) -> list[Issue]:
        """Every issue (open and closed) with the label; pull requests left out."""
        query = urllib.parse.urlencode({"state": "all", "labels": label, "per_page": PER_PAGE})
        url: str | None = f"{self._repo_url()}/issues?{query}"
        found: list[Issue] = []
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise TrackerError(f"GET {self._repo_url()}/issues: more than {MAX_PAGES} pages; narrow the label")
            data, headers = self._request("GET", url)
            if not isinstance(data, list):
                raise TrackerError(f"GET {url}: expected a list of issues")
            found += [_issue(item) for item in data if not (isinstance(item, dict) and "pull_request" in item)]
            url = self._next_page(headers.get("Link"))
        return found

    def create_issue(self, title: str, body: str, labels: list[str], assignees: list[str]) -> Issue:
        payload: dict[str, Any] = {"title": title, "body": body, "labels": labels}
        if assignees:
            payload["assignees"] = assignees
        data, _ = self._request("POST", f"{self._repo_url()}/issues", payload)
        return _issue(data)

    def get_issue(self, number: int) -> Issue:
        data, _ = self._request("GET", f"{self._repo_url()}/issues/{number}")
        return _issue(data)

    def update_issue(self, number: int, **fields: Any) -> Issue:
        data, _ = self._request("PATCH", f"{self._repo_url()}/issues/{number}", fields)
        return _issue(data)

    # ---- plumbing ----------------------------------------------------------------

    def _repo_url(self) -> str:
        return f"{self.api_url}/repos/{self.repo}"

    def _next_page(self, link: str | None) -> str | None:
        """The rel="next" page of a Link header, refused if it leaves the API's host."""
        if not link:
            return None
        match = _NEXT.search(link)
        if match is None:
            return None
        target = match.group(1)
        if urllib.parse.urlsplit(target).netloc != urllib.parse.urlsplit(self.api_url).netloc:
            raise TrackerError(f"GitHub's next page {target} is on another host; refusing to send the token there")
        return target

    def _request(self, method: str, url: str, payload: Any = None) -> tuple[Any, Any]:
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "pir-actions-sync",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read()
                headers = response.headers
        except urllib.error.HTTPError as err:
            raise TrackerError(_http_failure(method, url, err), err.code) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise TrackerError(f"{method} {url}: cannot reach GitHub ({reason})") from None
        try:
            return (json.loads(raw) if raw else None), headers
        except ValueError:
            raise TrackerError(f"{method} {url}: GitHub's answer is not JSON") from None


def _http_failure(method: str, url: str, err: urllib.error.HTTPError) -> str:
    """The message for an HTTP error: status, GitHub's message and, for a rate limit, when to retry."""
    try:
        body = json.loads(err.read() or b"{}")
        detail = body.get("message") if isinstance(body, dict) else None
    except ValueError:
        detail = None
    headers = err.headers
    text = f"{method} {url}: HTTP {err.code}" + (f" {detail}" if detail else "")
    remaining = headers.get("x-ratelimit-remaining") if headers else None
    retry_after = headers.get("retry-after") if headers else None
    if err.code in (403, 429) and (remaining == "0" or retry_after):
        text += " (rate limit reached"
        if retry_after:
            text += f"; retry after {retry_after} s"
        reset = headers.get("x-ratelimit-reset")
        if reset and reset.isdigit():
            text += "; resets at " + datetime.fromtimestamp(int(reset), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        text += ")"
    elif err.code == 401:
        text += " (check GITHUB_TOKEN)"
    return text
