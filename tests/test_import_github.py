"""`pir import github-deployments`: deploys as actions, rollbacks as mitigations, pages of gh api --paginate."""

from __future__ import annotations

from importhelp import FIXTURES, events, run

DEPLOYMENTS = FIXTURES / "github" / "deployments.json"


def test_deployments_become_actions_each_once_in_time_order():
    found = events(run("github-deployments", DEPLOYMENTS))
    assert [(e["at"].strftime("%H:%M:%S"), e.get("type"), e["actor"], e["message"]) for e in found] == [
        ("21:02:40", "action", "mlindqvist", "Deployed acme/checkout v2024.03.15-981 (5d0c2a7) to staging"),
        ("22:31:04", "action", "mlindqvist", "Deployed acme/checkout v2024.03.15-981 (5d0c2a7) to production: Release 981"),
        ("22:52:15", None, "pnatarajan", "Deployed acme/checkout v2024.03.15-980 (0b6e91d) to production: Rollback to release 980"),
    ]
    assert "    # type: mitigation (inferred)\n    source: github\n" in run("github-deployments", DEPLOYMENTS).stdout


def test_grep_keeps_production_only():
    found = events(run("github-deployments", DEPLOYMENTS, "--grep", "to production"))
    assert [e["at"].strftime("%H:%M") for e in found] == ["22:31", "22:52"]


def test_something_else_is_not_deployments(tmp_path):
    other = tmp_path / "runs.json"
    other.write_text('{"total_count": 0, "workflow_runs": []}')
    result = run("github-deployments", other)
    assert result.exit_code == 1
    assert result.stderr == f"{other.as_posix()}:1:1: expected GitHub deployments: the JSON array that gh api repos/OWNER/REPO/deployments prints, found an object\n"
    other.write_text('[\n  {"id": 1, "sha": "abc"}\n]')
    result = run("github-deployments", other)
    assert result.exit_code == 1 and result.stderr.startswith(f"{other.as_posix()}:2:3: expected a deployment")


def test_deployments_from_standard_input():
    piped = run("github-deployments", "-", stdin=DEPLOYMENTS.read_bytes())
    assert piped.exit_code == 0 and piped.stdout == run("github-deployments", DEPLOYMENTS).stdout
