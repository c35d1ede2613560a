"""`pir actions`: every action item of the archive, selected and formatted."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pir_reviews.cli import main
from tests.test_actions_sync import CHECKOUT, MKDOCS, SEARCH


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "checkout.yaml").write_text(CHECKOUT, encoding="utf-8")
    (tmp_path / "incidents" / "search.yaml").write_text(SEARCH, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return tmp_path


def run(archive: Path, *args: str):
    result = CliRunner().invoke(main, ["actions", "--root", str(archive), "--as-of", "2024-05-15", *args], catch_exceptions=False)
    return result


def test_text_lists_open_items_overdue_first(archive):
    result = run(archive)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "INC-2024-0401-001  Add a canary stage to checkout deploys  [open, due 2024-05-01 (OVERDUE), Lisa Park, p1, prevent]"
    assert lines[1] == "INC-2024-0502-001  Cap query fan-out  [open, due 2024-06-01, Ana Ribeiro]"
    assert "Write the runbook" not in result.output
    assert lines[-1] == "4 action items, 1 overdue, as of 2024-05-15"


@pytest.mark.parametrize(("status", "titles"), [
    ("overdue", ["Add a canary stage to checkout deploys"]),
    ("done", ["Write the runbook"]),
    ("all", ["Add a canary stage to checkout deploys", "Cap query fan-out", "Alert on checkout error rate",
             "Write the runbook", "Already tracked elsewhere"]),
])
def test_status_selects(archive, status, titles):
    data = json.loads(run(archive, "--status", status, "--format", "json").output)
    assert [i["title"] for i in data["items"]] == titles


def test_owner_is_matched_without_case_and_unassigned_means_none(archive):
    data = json.loads(run(archive, "--owner", "tom wilson", "--format", "json").output)
    assert [i["title"] for i in data["items"]] == ["Alert on checkout error rate"]
    data = json.loads(run(archive, "--owner", "Unassigned", "--format", "json").output)
    assert [i["title"] for i in data["items"]] == ["Already tracked elsewhere"]


def test_json_carries_every_field(archive):
    data = json.loads(run(archive, "--status", "overdue", "--format", "json").output)
    assert data["as_of"] == "2024-05-15" and data["overdue"] == 1
    assert data["items"][0] == {
        "incident": "INC-2024-0401-001", "incident_title": "Checkout errors after deploy",
        "path": "incidents/checkout.yaml", "key": "add-a-canary-stage-to-checkout-deploys",
        "title": "Add a canary stage to checkout deploys", "type": "prevent", "owner": "Lisa Park",
        "priority": "p1", "due": "2024-05-01", "status": "open", "link": None, "overdue": True,
    }


def test_csv_has_jiras_import_shape(archive):
    rows = list(csv.reader(io.StringIO(run(archive, "--status", "all", "--format", "csv").output)))
    assert rows[0] == ["Summary", "Description", "Assignee", "Priority", "Due Date", "Labels", "Labels", "Labels", "Issue Type", "Status", "Link"]
    first = dict(zip(rows[0], rows[1]))
    assert first["Summary"] == "Add a canary stage to checkout deploys"
    assert first["Assignee"] == "Lisa Park" and first["Priority"] == "High" and first["Due Date"] == "2024-05-01"
    assert rows[1][5:8] == ["pir", "INC-2024-0401-001", "prevent"]
    assert first["Issue Type"] == "Task" and first["Status"] == "To Do"
    assert "https://reviews.example/reviews/INC-2024-0401-001/" in first["Description"]
    assert [r[9] for r in rows[1:]] == ["To Do", "To Do", "In Progress", "Done", "To Do"]


def test_csv_cells_never_start_a_formula(archive):
    path = archive / "incidents" / "search.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Cap query fan-out", "=HYPERLINK(1)"), encoding="utf-8")
    assert "'=HYPERLINK(1)" in run(archive, "--format", "csv").output


def test_markdown_is_a_table_with_review_links(archive):
    text = run(archive, "--status", "overdue", "--format", "markdown").output
    assert text.startswith("## Action items (1, 1 overdue as of 2024-05-15)\n")
    assert "| [INC-2024-0401-001](<https://reviews.example/reviews/INC-2024-0401-001/>) | Add a canary stage to checkout deploys | Lisa Park | p1 | 2024-05-01 **overdue** | open |  |" in text


def test_a_broken_incident_is_located_and_exits_1(archive):
    (archive / "incidents" / "bad.yaml").write_text("id: X\ntitle: [\n", encoding="utf-8")
    result = run(archive)
    assert result.exit_code == 1
    assert result.output.startswith("incidents/bad.yaml:")
