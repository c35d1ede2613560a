"""The GitHub Actions workflows, the pull-request template and the pre-commit hooks.

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


def load(name: str) -> dict:
    """A workflow file as a mapping; YAML 1.1 reads the key `on` as True, undo that."""
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_text(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


@pytest.fixture(scope="module")
def checks() -> dict:
    return load("checks.yml")


@pytest.fixture(scope="module")
def publish() -> dict:
    return load("publish.yml")


def test_checks_runs_on_pull_requests_only(checks):
    assert set(checks["on"]) == {"pull_request"}


def test_publish_runs_on_push_to_main_and_by_hand(publish):
    assert set(publish["on"]) == {"push", "workflow_dispatch"}
    assert publish["on"]["push"]["branches"] == ["main"]


@pytest.mark.parametrize("name", ["checks.yml", "publish.yml", "action-items.yml"])
def test_top_level_permissions_are_read_only(name):
    assert load(name)["permissions"] == {"contents": "read"}


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
    assert "gh-deploy" not in (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    assert "pir build" in run_text(publish)


def test_publish_uploads_the_site_folder(publish):
    upload = [s for s in steps(publish) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1
    assert upload[0]["with"]["path"].rstrip("/") == "site"


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


@pytest.mark.parametrize("name", ["checks.yml", "publish.yml", "action-items.yml"])
def test_every_action_is_pinned_to_a_version(name):
    uses = [s["uses"] for s in steps(load(name)) if "uses" in s]
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


def test_checks_caches_pip_on_the_lock_file(checks):
    setups = [s for s in steps(checks) if s.get("uses", "").startswith("actions/setup-python@")]
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


# ---- action-items.yml: the weekly follow-through ---------------------------------


@pytest.fixture(scope="module")
def reminders() -> dict:
    return load("action-items.yml")


def test_reminders_run_weekly_and_by_hand(reminders):
    assert set(reminders["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = reminders["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()


def test_reminders_job_has_only_the_permissions_it_needs(reminders):
    (job,) = reminders["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}


def test_reminders_sync_with_write_then_summarise_overdue_then_open_a_pull_request(reminders):
    (job,) = reminders["jobs"].values()
    names = [s.get("run", "") + s.get("uses", "") for s in job["steps"]]
    sync = next(i for i, text in enumerate(names) if "pir actions sync github" in text)
    summary = next(i for i, text in enumerate(names) if "pir actions --status overdue" in text)
    pull = next(i for i, text in enumerate(names) if text.startswith("peter-evans/create-pull-request@"))
    assert sync < summary < pull
    command = job["steps"][sync]["run"]
    assert '--repo "$GITHUB_REPOSITORY"' in command and '--api-url "$GITHUB_API_URL"' in command
    assert "--write" in command and "--dry-run" not in command
    assert job["steps"][sync]["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in job["steps"][summary]["run"]
    assert job["steps"][pull]["with"]["add-paths"] == "incidents/"


def test_reminders_run_commands_the_cli_has():
    from click.testing import CliRunner

    from generator.cli import main

    for args in (["actions", "--help"], ["actions", "sync", "github", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    text = CliRunner().invoke(main, ["actions", "sync", "github", "--help"]).output
    for option in ("--repo", "--api-url", "--label", "--dry-run", "--write"):
        assert option in text
