"""The GitHub Actions workflows, the pull-request template and the pre-commit hooks.

The workflows of this repository and the ones `pir init` writes into an
adopting archive are held to the same properties.

actionlint is not available offline, so these tests check the properties that
matter for safety and for the product: triggers, least-privilege permissions,
pinned actions, and the commands each workflow runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def scaffolded() -> dict[str, str]:
    """The workflows `pir init` writes, by file name."""
    from pir_reviews import archive_init

    settings = archive_init.ArchiveSettings("Reviews", "https://acme.github.io/incidents/", "https://github.com/acme/incidents")
    prefix = ".github/workflows/"
    return {path[len(prefix):]: text for path, text in archive_init.planned_files(settings).items() if path.startswith(prefix)}


INIT = scaffolded()


def load(name: str, source: str = "repository") -> dict:
    """A workflow file as a mapping; YAML 1.1 reads the key `on` as True, undo that."""
    text = (WORKFLOWS / name).read_text(encoding="utf-8") if source == "repository" else INIT[name]
    data = yaml.safe_load(text)
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_text(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


SOURCES = ["repository", "init"]


@pytest.fixture(scope="module", params=SOURCES)
def checks(request) -> dict:
    return load("checks.yml", request.param)


@pytest.fixture(scope="module", params=SOURCES)
def publish(request) -> dict:
    return load("publish.yml", request.param)


def test_checks_runs_on_pull_requests_only(checks):
    assert set(checks["on"]) == {"pull_request"}


def test_publish_runs_on_push_to_main_and_by_hand(publish):
    assert set(publish["on"]) == {"push", "workflow_dispatch"}
    assert publish["on"]["push"]["branches"] == ["main"]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", ["checks.yml", "publish.yml", "action-items.yml"])
def test_top_level_permissions_are_read_only(name, source):
    assert load(name, source)["permissions"] == {"contents": "read"}


def test_only_the_deploy_job_may_write_pages(checks, publish):
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for workflow in (checks, publish):
        for job_name, job in workflow["jobs"].items():
            if job_name != "deploy":
                assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}, job_name


def test_deploy_job_uses_pages_environment_and_concurrency(publish):
    deploy = publish["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy_step = next(s for s in deploy["steps"] if s.get("uses", "").startswith("actions/deploy-pages@"))
    assert deploy_step["id"] == "deployment"


def test_publish_never_pushes_a_gh_pages_branch(publish):
    assert "gh-deploy" not in str(publish)
    assert "pir build" in run_text(publish)


def test_publish_uploads_the_site_folder(publish):
    upload = [s for s in steps(publish) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1
    assert upload[0]["with"]["path"].rstrip("/") == "site"


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", ["checks.yml", "publish.yml", "action-items.yml"])
def test_every_action_is_pinned_to_a_version(name, source):
    uses = [s["uses"] for s in steps(load(name, source)) if "uses" in s]
    assert uses, "expected actions in the workflow"
    for ref in uses:
        assert PINNED.match(ref), f"{ref} is not pinned to a version tag or commit SHA"


def test_checks_diffs_against_the_base_with_full_history(checks):
    checkout = next(s for s in steps(checks) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    text = run_text(checks)
    assert "git diff --name-only --diff-filter=AMR" in text
    assert "-- incidents/" in text
    assert "github.event.pull_request.base.sha" in str(steps(checks))


def test_checks_caches_pip_on_the_lock_file():
    setups = [s for s in steps(load("checks.yml")) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups
    for setup in setups:
        assert setup["with"]["python-version"] == "3.11"
        assert setup["with"]["cache"] == "pip"
        assert setup["with"]["cache-dependency-path"] == "requirements.lock"


def test_checks_validates_with_annotations_and_summary_then_builds(checks):
    text = run_text(checks)
    validate = next(line for line in text.splitlines() if "pir validate" in line)
    assert "--format github" in validate
    assert '--summary "$GITHUB_STEP_SUMMARY"' in validate
    assert "--changed" in text
    assert text.index("pir validate") < text.index("pir build")


def test_checks_uploads_the_site_preview(checks):
    upload = next(s for s in steps(checks) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site-preview"
    assert upload["with"]["path"].rstrip("/") == "site"
    assert 1 <= upload["with"]["retention-days"] <= 14


def test_no_untrusted_pull_request_text_is_interpolated_into_scripts(checks):
    # Titles, bodies and branch names are attacker-controlled; only SHAs may appear.
    for step in steps(checks):
        for expr in re.findall(r"\$\{\{(.*?)\}\}", step.get("run", "")):
            assert "head_ref" not in expr and ".title" not in expr and ".body" not in expr


def test_pull_request_template_covers_the_review_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8").lower()
    for topic in ("timeline", "offset", "impact", "human error", "owner", "due date",
                  "blameless", "secrets", "personal data", "severity matrix", "site-preview"):
        assert topic in text, topic
    assert text.count("- [ ]") >= 8


def test_pre_commit_hook_validates_the_whole_archive():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "pir-validate")
    assert hook["language"] == "python"
    assert hook["entry"] == "pir validate"
    assert hook["pass_filenames"] is False and hook["args"] == ["incidents/"]
    assert re.search(hook["files"], "incidents/2024-05-01-checkout.yaml")
    assert re.search(hook["files"], "incidents/a.yml")
    assert not re.search(hook["files"], "docs/index.md")


def test_pre_commit_config_uses_the_local_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    assert hook["id"] == "pir-validate"
    assert hook["language"] == "system"
    assert hook["entry"] == ".venv/bin/pir validate incidents/"
    assert hook["pass_filenames"] is False


# Current major versions: hosted runners dropped Node 20 in 2026, and each of
# these is the first major (or a later one) whose action.yml runs on node24
# (upload-pages-artifact is a composite action that calls upload-artifact@v7).
CURRENT = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/upload-artifact": "v7",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}


@pytest.mark.parametrize(("source", "name"), [("repository", p.name) for p in sorted(WORKFLOWS.glob("*.yml"))] + [("init", n) for n in sorted(INIT)])
def test_every_action_is_at_its_current_major(source, name):
    for step in steps(load(name, source)):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert CURRENT.get(action) == version, f"{name}: {step['uses']}; current: {CURRENT.get(action)}"


def test_init_writes_three_workflows():
    assert sorted(INIT) == ["action-items.yml", "checks.yml", "publish.yml"]


@pytest.fixture(scope="module", params=SOURCES)
def action_items(request) -> dict:
    return load("action-items.yml", request.param)


def test_action_items_run_weekly_and_by_hand(action_items):
    assert set(action_items["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = action_items["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    assert action_items["permissions"] == {"contents": "read"}
    (job,) = action_items["jobs"].values()
    assert job["permissions"] == {"contents": "write", "issues": "write", "pull-requests": "write"}


def test_action_items_sync_summarise_then_open_a_pull_request(action_items):
    text = run_text(action_items)
    sync = 'pir actions sync github --repo "$GITHUB_REPOSITORY" --write'
    overdue = 'pir actions --status overdue --format markdown >> "$GITHUB_STEP_SUMMARY"'
    assert text.index(sync) < text.index(overdue) < text.index("gh pr create")
    assert "git diff --quiet -- incidents/" in text
    sync_step = next(s for s in steps(action_items) if sync in s.get("run", ""))
    assert sync_step["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}


@pytest.mark.parametrize("name", sorted(INIT))
def test_init_workflows_interpolate_no_expression_into_scripts(name):
    for step in steps(load(name, "init")):
        assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')}: pass values through env"


def test_reminders_run_commands_the_cli_has():
    from click.testing import CliRunner

    from pir_reviews.cli import main

    for args in (["actions", "--help"], ["actions", "sync", "github", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    text = CliRunner().invoke(main, ["actions", "sync", "github", "--help"]).output
    for option in ("--repo", "--api-url", "--label", "--dry-run", "--write"):
        assert option in text
