"""`pir actions sync github` against a real HTTP server on 127.0.0.1 that stands in for GitHub's issues API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings, strategies as st

from pir_reviews.load import loader
from pir_reviews.cli import main
from pir_reviews.commands.follow_up import owner_logins
from pir_reviews.core.errors import InvalidInput
from pir_reviews.tracker import edits
from tests import issuesapi

REPO = "acme/ops"

CHECKOUT = """\
# Checkout outage, reviewed 2024-04-02
id: INC-2024-0401-001
title: Checkout errors after deploy
severity: sev2
summary: Checkout failed for a third of customers.
services: [checkout]
started_at: 2024-04-01T10:00:00Z
action_items:
  # the first fix, agreed in the review meeting
  - title: Add a canary stage to checkout deploys
    type: prevent
    owner: Lisa Park   # platform team
    priority: p1
    due: 2024-05-01
  - title: Alert on checkout error rate
    owner: Tom Wilson
    status: in_progress
  - title: Write the runbook
    status: done
  - title: Already tracked elsewhere
    link: https://tracker.example.com/OPS-1
"""

SEARCH = """\
id: INC-2024-0502-001
title: Search slow
summary: |
  Search was slow.
services: [search]
started_at: 2024-05-02T08:00:00Z
action_items:
  - {title: Cap query fan-out, owner: Ana Ribeiro, due: 2024-06-01}
"""

MKDOCS = "site_name: Reviews\nsite_url: https://reviews.example/\ndocs_dir: docs/generated\n"


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    (tmp_path / "incidents" / "2024").mkdir(parents=True)
    (tmp_path / "incidents" / "2024" / "checkout.yaml").write_text(CHECKOUT, encoding="utf-8")
    (tmp_path / "incidents" / "2024" / "search.yaml").write_text(SEARCH, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (tmp_path / "owners.yaml").write_text("Lisa Park: lpark\nTom Wilson: twilson\n", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def api():
    with issuesapi.running(REPO) as server:
        yield server


def sync(archive: Path, api, *extra: str, token: str = "t0ken"):
    env = {"GITHUB_TOKEN": token} if token else {"GITHUB_TOKEN": ""}
    args = ["actions", "--root", str(archive), "--as-of", "2024-06-15", "sync", "github",
            "--repo", REPO, "--api-url", api.url + issuesapi.PREFIX, *extra]
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def files(archive: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((archive / "incidents").rglob("*.yaml"))}


def test_without_a_token_it_says_so_and_exits_1(archive, api):
    result = sync(archive, api, token="")
    assert result.exit_code == 1
    assert "GITHUB_TOKEN is not set" in result.output
    assert api.requests == []


def test_dry_run_only_reads_and_changes_nothing(archive, api):
    before = files(archive)
    result = sync(archive, api, "--dry-run")
    assert result.exit_code == 0, result.output
    assert {r.method for r in api.requests} == {"GET"}
    assert "would INC-2024-0401-001 'Add a canary stage to checkout deploys': open an issue assigned to lpark" in result.output
    assert "3 changes planned; dry run, nothing changed" in result.output
    assert files(archive) == before
    assert api.issues == {}


def test_opens_one_issue_per_open_item_without_a_link(archive, api):
    result = sync(archive, api)
    assert result.exit_code == 0, result.output
    posts = api.made("POST")
    assert [p.body["title"] for p in posts] == [
        "Add a canary stage to checkout deploys", "Alert on checkout error rate", "Cap query fan-out"]
    first = posts[0]
    assert first.path == f"/api/v3/repos/{REPO}/issues"
    assert first.headers["authorization"] == "Bearer t0ken"
    assert first.headers["accept"] == "application/vnd.github+json"
    assert first.headers["x-github-api-version"] == "2022-11-28"
    assert first.body["labels"] == ["pir-action", "prevent", "p1"]
    assert first.body["assignees"] == ["lpark"]
    assert "assignees" not in posts[2].body  # Ana Ribeiro is not in owners.yaml
    assert "https://reviews.example/reviews/INC-2024-0401-001/" in first.body["body"]
    assert "- Due: 2024-05-01" in first.body["body"]
    assert "<!-- pir:INC-2024-0401-001:add-a-canary-stage-to-checkout-deploys -->" in first.body["body"]
    listing = next(r for r in api.requests if r.method == "GET")
    assert listing.query == {"state": ["all"], "labels": ["pir-action"], "per_page": ["100"]}
    assert "run with --write" in result.output
    assert "open an issue assigned to lpark (#1 https://github.example/acme/ops/issues/1)" in result.output


def test_a_second_run_opens_no_duplicate(archive, api):
    assert sync(archive, api).exit_code == 0
    api.requests.clear()
    again = sync(archive, api)
    assert again.exit_code == 0, again.output
    assert api.made("POST") == []
    assert "nothing to do" not in again.output  # links are still unrecorded, so it offers them
    # Three issues, PAGE_SIZE 2: the listing followed the Link header to page 2.
    assert [r.query.get("page") for r in api.made("GET")] == [None, ["2"]]
    assert len(api.issues) == 3


def test_write_records_links_and_keeps_comments(archive, api):
    result = sync(archive, api, "--write")
    assert result.exit_code == 0, result.output
    checkout = (archive / "incidents/2024/checkout.yaml").read_text(encoding="utf-8")
    assert checkout.startswith("# Checkout outage, reviewed 2024-04-02\n")
    assert "  # the first fix, agreed in the review meeting\n" in checkout
    assert "    owner: Lisa Park   # platform team\n" in checkout
    assert "    due: 2024-05-01\n    link: https://github.example/acme/ops/issues/1\n  - title: Alert" in checkout
    assert "    status: in_progress\n    link: https://github.example/acme/ops/issues/2\n" in checkout
    search = (archive / "incidents/2024/search.yaml").read_text(encoding="utf-8")
    assert "  - {title: Cap query fan-out, owner: Ana Ribeiro, due: 2024-06-01, link: \"https://github.example/acme/ops/issues/3\"}\n" in search
    for name, text in files(archive).items():
        incident, problems = loader.parse(text.encode(), name)
        assert incident is not None, problems
    api.requests.clear()
    again = sync(archive, api, "--write")
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert {r.method for r in api.requests} == {"GET"}


def test_state_is_read_back_closed_is_done_and_reopened_is_open(archive, api):
    assert sync(archive, api, "--write").exit_code == 0
    api.issues[1].update(state="closed", state_reason="completed")
    api.issues[3].update(state="closed", state_reason="not_planned")
    result = sync(archive, api, "--write")
    assert result.exit_code == 0, result.output
    assert "status open -> done" in result.output
    checkout = (archive / "incidents/2024/checkout.yaml").read_text(encoding="utf-8")
    assert "    due: 2024-05-01\n    link: https://github.example/acme/ops/issues/1\n    status: done\n" in checkout
    assert 'status: "wont_do"}' in (archive / "incidents/2024/search.yaml").read_text(encoding="utf-8")
    api.issues[1].update(state="open", state_reason="reopened")
    assert sync(archive, api, "--write").exit_code == 0
    checkout = (archive / "incidents/2024/checkout.yaml").read_text(encoding="utf-8")
    assert "    link: https://github.example/acme/ops/issues/1\n    status: open\n" in checkout
    assert api.made("PATCH") == []


def test_an_item_done_in_the_archive_closes_its_issue(archive, api):
    assert sync(archive, api, "--write").exit_code == 0
    path = archive / "incidents/2024/checkout.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    status: in_progress\n", "    status: done\n"), encoding="utf-8")
    api.requests.clear()
    result = sync(archive, api, "--write")
    assert result.exit_code == 0, result.output
    (patch,) = api.made("PATCH")
    assert patch.path == f"/api/v3/repos/{REPO}/issues/2"
    assert patch.body == {"state": "closed", "state_reason": "completed"}


def test_a_linked_issue_missing_from_the_label_listing_is_fetched(archive, api):
    other = api.add("Made by hand", "no marker", labels=("bug",))
    path = archive / "incidents/2024/search.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("due: 2024-06-01}", f"due: 2024-06-01, link: '{other['html_url']}'}}"), encoding="utf-8")
    other.update(state="closed", state_reason="completed")
    result = sync(archive, api, "--write")
    assert result.exit_code == 0, result.output
    assert any(r.method == "GET" and r.path.endswith(f"/issues/{other['number']}") for r in api.requests)
    assert 'status: "done"}' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("status", "headers", "expected"), [
    (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1718000000"}, "HTTP 403 API rate limit exceeded (rate limit reached; resets at 2024-06-10T06:13:20Z)"),
    (429, {"retry-after": "60"}, "HTTP 429 API rate limit exceeded (rate limit reached; retry after 60 s)"),
    (401, {}, "HTTP 401 API rate limit exceeded (check GITHUB_TOKEN)"),
])
def test_rate_limits_and_http_errors_are_reported_with_their_status(archive, api, status, headers, expected):
    api.failures.append((status, headers, {"message": "API rate limit exceeded"}))
    before = files(archive)
    result = sync(archive, api, "--write")
    assert result.exit_code == 1
    assert f"pir: GET {api.url}/api/v3/repos/{REPO}/issues?state=all&labels=pir-action&per_page=100: {expected}" in result.output
    assert files(archive) == before


def test_a_failure_half_way_writes_nothing_and_the_next_run_resumes(archive, api):
    api.fail_after = 2  # the listing and the first creation succeed
    api.failures.append((500, {}, {"message": "Server Error"}))
    before = files(archive)
    result = sync(archive, api, "--write")
    assert result.exit_code == 1
    assert "HTTP 500 Server Error" in result.output
    assert files(archive) == before
    assert len(api.issues) == 1
    result = sync(archive, api, "--write")
    assert result.exit_code == 0, result.output
    assert len(api.issues) == 3  # the first one was found by its marker, not opened twice
    assert "issues/1" in (archive / "incidents/2024/checkout.yaml").read_text(encoding="utf-8")


def test_pull_requests_in_the_listing_are_not_issues(archive, api):
    api.add("A PR", "<!-- pir:INC-2024-0502-001:cap-query-fan-out -->", pull_request=True)
    assert sync(archive, api).exit_code == 0
    assert "Cap query fan-out" in [p.body["title"] for p in api.made("POST")]


def test_a_bad_owners_file_is_located(archive, api):
    (archive / "owners.yaml").write_text("Lisa Park: lpark\nTom Wilson: [twilson]\n", encoding="utf-8")
    result = sync(archive, api)
    assert result.exit_code == 1
    assert "owners.yaml:2:13: Tom Wilson: expected a GitHub login" in result.output
    assert api.made("POST") == []


def test_dry_run_and_write_exclude_each_other(archive, api):
    result = sync(archive, api, "--dry-run", "--write")
    assert result.exit_code == 2 and "exclude each other" in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_owners_file_fuzz_never_a_traceback(tmp_path, data):
    (tmp_path / "owners.yaml").write_bytes(data)
    try:
        logins = owner_logins(tmp_path)
    except InvalidInput as exc:
        assert all(str(p).startswith("owners.yaml:") for p in exc.problems)
    else:
        assert all(isinstance(v, str) for v in logins.values())


@settings(max_examples=40, deadline=None)
@given(link=st.text(min_size=1, max_size=40).map(lambda s: "https://x.example/" + s),
       status=st.sampled_from(["open", "in_progress", "done", "wont_do"]))
@example(link="https://x.example/:", status="open")  # a colon at the end of a plain value starts a mapping
def test_edits_round_trip_through_the_loader(link, status):
    changes = [edits.ItemChange(0, link=link, status=status), edits.ItemChange(3, status=status)]
    for source in (CHECKOUT, SEARCH):
        wanted = changes if source is CHECKOUT else changes[:1]
        text = edits.apply(source, "x.yaml", wanted)
        incident, problems = loader.parse(text.encode(), "x.yaml")
        if incident is None:  # the URL itself may be refused by the loader, never the file's shape
            assert all("link" in p.message for p in problems if p.level == "error"), problems
            continue
        assert incident.action_items[0].link == link.strip() or incident.action_items[0].link == link
        assert incident.action_items[0].status == status


def test_a_next_page_on_another_host_is_refused(archive, api):
    api.failures.append((200, {"Link": '<https://elsewhere.example/page2>; rel="next"'}, []))
    result = sync(archive, api)
    assert result.exit_code == 1
    assert "GitHub's next page https://elsewhere.example/page2 is on another host; refusing to send the token there" in result.output
    assert len(api.requests) == 1


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON)
def test_any_answer_from_the_api_is_an_error_or_a_listing_never_a_traceback(archive, api, body):
    api.failures.append((200, {}, body))
    api.requests.clear()
    result = CliRunner().invoke(main, ["actions", "--root", str(archive), "sync", "github", "--repo", REPO,
                                       "--api-url", api.url + issuesapi.PREFIX, "--dry-run"],
                                env={"GITHUB_TOKEN": "t"}, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


def test_issue_bodies_mention_nobody(archive, api):
    path = archive / "incidents/2024/checkout.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: Tom Wilson", "owner: '@everyone on the team'"), encoding="utf-8")
    assert sync(archive, api).exit_code == 0
    body = next(p.body["body"] for p in api.made("POST") if p.body["title"] == "Alert on checkout error rate")
    assert "- Owner: \\@\u200beveryone on the team" in body
    assert "@everyone" not in body


def test_unreachable_api_and_bad_options_are_clear_errors(archive):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = ["actions", "--root", str(archive), "sync", "github"]
    env = {"GITHUB_TOKEN": "t"}
    result = CliRunner().invoke(main, [*base, "--repo", REPO, "--api-url", f"http://127.0.0.1:{port}/api/v3"], env=env)
    assert result.exit_code == 1 and "cannot reach GitHub" in result.output
    result = CliRunner().invoke(main, [*base, "--repo", "not a repo"], env=env)
    assert result.exit_code == 1 and "pir: --repo 'not a repo' is not OWNER/NAME" in result.output
    result = CliRunner().invoke(main, [*base, "--repo", REPO, "--api-url", "ftp://x"], env=env)
    assert result.exit_code == 1 and "is not an http(s) address" in result.output
