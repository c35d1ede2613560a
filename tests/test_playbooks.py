"""Keep the hand-written playbooks honest.

The playbooks are package data (generator/pir_reviews/playbooks/, published under
playbooks/ unless an archive overrides a page in docs/playbooks/).
The severity matrix page is what people read; generator/pir_reviews/core/matrix.py is what the
code reads. These tests parse the page's tables and compare them with MATRIX row
by row, so changing one without the other fails. They also check that the
playbook links resolve and that the worked YAML examples parse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pir_reviews.core.matrix import MATRIX, Level

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PLAYBOOKS = ROOT / "generator" / "pir_reviews" / "playbooks"
MATRIX_PAGE = PLAYBOOKS / "severity-matrix.md"

LEVELS_HEADER = ["Severity", "Name", "Criteria", "Acknowledge", "First update", "Update interval", "Mitigate", "Resolve"]
ROUTING_HEADER = ["Severity", "Escalation path", "Audience", "Gap threshold", "Review due"]

# Pages other engineers are writing at the same time; links to them are
# accepted even before the file exists.
PAGES_WRITTEN_ELSEWHERE = {DOCS / "security.md", DOCS / "performance.md"}

PLAYBOOK_FILES = (
    "index.md",
    "incident-response.md",
    "severity-matrix.md",
    "rca-frameworks.md",
    "communication-templates.md",
    "response-targets.md",
)


def duration(minutes: int) -> str:
    """A target in minutes, the way the playbooks print it: 5 min, 1 h, 1 day, 3 days."""
    if minutes >= 1440 and minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day" if days == 1 else f"{days} days"
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def levels_row(level: Level) -> list[str]:
    return [
        level.severity,
        level.name,
        "<br>".join(level.criteria),
        duration(level.acknowledge_min),
        duration(level.first_update_min),
        duration(level.update_interval_min),
        duration(level.mitigate_min),
        duration(level.resolve_min),
    ]


def routing_row(level: Level) -> list[str]:
    return [
        level.severity,
        " → ".join(level.escalation),
        ", ".join(level.audience),
        duration(level.gap_min),
        days(level.review_due_days),
    ]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table(text: str, header: list[str]) -> list[list[str]]:
    """The body rows of the one Markdown table whose header is exactly `header`."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("|") and cells(line) == header]
    assert len(starts) == 1, f"expected exactly one table with header {header}, found {len(starts)}"
    start = starts[0]
    assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[start + 1].strip()), "header must be followed by a separator row"
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return rows


# ---- the severity matrix page against generator/pir_reviews/core/matrix.py -----------------------


def test_duration_format():
    assert [duration(m) for m in (5, 15, 60, 240, 1440, 4320, 10080, 90)] == [
        "5 min", "15 min", "1 h", "4 h", "1 day", "3 days", "7 days", "90 min",
    ]


def test_levels_table_matches_matrix_row_by_row():
    rows = table(MATRIX_PAGE.read_text(encoding="utf-8"), LEVELS_HEADER)
    assert [row[0] for row in rows] == [level.severity for level in MATRIX], "one row per level, in matrix order"
    for row, level in zip(rows, MATRIX):
        expected = levels_row(level)
        for column, shown, wanted in zip(LEVELS_HEADER, row, expected):
            assert shown == wanted, f"{level.severity} {column}: page says {shown!r}, generator/pir_reviews/core/matrix.py says {wanted!r}"
        assert len(row) == len(expected)


def test_routing_table_matches_matrix_row_by_row():
    rows = table(MATRIX_PAGE.read_text(encoding="utf-8"), ROUTING_HEADER)
    assert [row[0] for row in rows] == [level.severity for level in MATRIX]
    for row, level in zip(rows, MATRIX):
        expected = routing_row(level)
        for column, shown, wanted in zip(ROUTING_HEADER, row, expected):
            assert shown == wanted, f"{level.severity} {column}: page says {shown!r}, generator/pir_reviews/core/matrix.py says {wanted!r}"
        assert len(row) == len(expected)


def test_table_parser_notices_a_drifted_figure():
    page = MATRIX_PAGE.read_text(encoding="utf-8")
    drifted = page.replace("| sev1 | Critical |", "| sev1 | Catastrophic |", 1)
    assert drifted != page
    rows = table(drifted, LEVELS_HEADER)
    assert rows[0] != levels_row(MATRIX[0])


def test_cadence_in_communication_templates_follows_matrix():
    text = (PLAYBOOKS / "communication-templates.md").read_text(encoding="utf-8")
    rows = table(text, ["Severity", "First update", "Update interval", "Audience"])
    expected = [
        [level.severity, duration(level.first_update_min), duration(level.update_interval_min), ", ".join(level.audience)]
        for level in MATRIX
    ]
    assert rows == expected


def test_targets_in_response_targets_follow_matrix():
    text = (PLAYBOOKS / "response-targets.md").read_text(encoding="utf-8")
    rows = table(text, ["Severity", "Acknowledge", "Mitigate", "Resolve"])
    expected = [
        [level.severity, duration(level.acknowledge_min), duration(level.mitigate_min), duration(level.resolve_min)]
        for level in MATRIX
    ]
    assert rows == expected


def test_milestone_rules_in_response_targets_are_the_code_rules():
    """The page lists every inferred milestone with exactly the rules `pir timeline` applies, in order."""
    from pir_reviews.core.models import MILESTONES
    from pir_reviews.core.timeline import MILESTONE_RULES

    text = (PLAYBOOKS / "response-targets.md").read_text(encoding="utf-8")
    rows = table(text, ["Milestone", "Inferred from, first that applies"])
    assert [row[0].strip("`") for row in rows] == [name for name in MILESTONES if name != "started_at"]
    assert {row[0].strip("`"): tuple(row[1].split("; ")) for row in rows} == MILESTONE_RULES
    words = table(text, ["Milestone", "Words"])
    from pir_reviews.core.statements import STATED_RULES

    assert [row[0].strip("`") for row in words] == [name for name, _ in STATED_RULES]


# ---- the playbooks themselves ----------------------------------------------------


@pytest.mark.parametrize("name", PLAYBOOK_FILES)
def test_playbook_exists_and_has_a_title(name):
    text = (PLAYBOOKS / name).read_text(encoding="utf-8")
    assert text.startswith("# "), f"{name} must start with a level-1 heading"


def test_incident_response_playbook_is_substantial():
    lines = (PLAYBOOKS / "incident-response.md").read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if line.strip()]) >= 300


def test_no_task_list_syntax():
    """Task lists are not enabled on the site; `- [ ]` would print literally."""
    for path in hand_written_docs():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not re.match(r"\s*[-*] \[[ xX]\] ", line), f"{path.relative_to(ROOT)}:{number}: task list item"


FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """Lines outside fenced code blocks, with their numbers."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, re.sub(r"`[^`]*`", "", line)))
    return out


def relative_md_links(path: Path) -> list[tuple[int, str]]:
    links = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
                continue
            file_part = target.split("#", 1)[0]
            if file_part.endswith(".md"):
                links.append((number, file_part))
    return links


def hand_written_docs() -> list[Path]:
    pages = [p for p in DOCS.glob("**/*.md") if "generated" not in p.relative_to(DOCS).parts]
    return sorted(pages + list(PLAYBOOKS.glob("*.md")))


def test_every_relative_md_link_in_docs_resolves():
    broken = []
    checked = 0
    for path in hand_written_docs():
        # A playbook is published as docs/playbooks/<name>: resolve its links from there.
        base = DOCS / "playbooks" if path.parent == PLAYBOOKS else path.parent
        for number, target in relative_md_links(path):
            checked += 1
            resolved = (base / target).resolve()
            published = resolved.is_file() or (resolved.parent == DOCS / "playbooks" and (PLAYBOOKS / resolved.name).is_file())
            if not published and resolved not in PAGES_WRITTEN_ELSEWHERE:
                broken.append(f"{path.relative_to(ROOT)}:{number}: {target}")
    assert checked > 20, "the playbooks should link to each other"
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_link_check_catches_a_missing_page(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("See [x](missing.md#part), [y](https://example.com/a.md) and `[z](code.md)`.\n", encoding="utf-8")
    assert relative_md_links(page) == [(1, "missing.md")]


def yaml_examples(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.M | re.S)


def test_rca_worked_examples_parse_as_incident_yaml():
    examples = yaml_examples((PLAYBOOKS / "rca-frameworks.md").read_text(encoding="utf-8"))
    assert len(examples) >= 4, "one worked example per framework"
    seen = set()
    for example in examples:
        data = yaml.safe_load(example)
        assert isinstance(data, dict), example[:80]
        root_cause = data.get("root_cause") or {}
        if root_cause.get("five_whys"):
            assert all({"question", "answer"} <= set(why) for why in root_cause["five_whys"])
            seen.add("five_whys")
        if root_cause.get("contributing_factors"):
            for factor in root_cause["contributing_factors"]:
                if isinstance(factor, dict):
                    assert factor["category"] in ("technology", "process", "people", "environment", "external", "monitoring")
            seen.add("fishbone")
        if root_cause.get("bow_tie"):
            assert set(root_cause["bow_tie"]) <= {"threats", "preventive_barriers", "mitigative_barriers", "consequences"}
            seen.add("bow_tie")
        if data.get("timeline"):
            for event in data["timeline"]:
                assert "at" in event and "message" in event
                assert re.search(r"(Z|[+-]\d\d:\d\d)$", str(event["at"])) or getattr(event["at"], "tzinfo", None)
            seen.add("timeline")
    assert seen == {"five_whys", "fishbone", "bow_tie", "timeline"}


def test_rca_worked_examples_are_valid_incidents():
    """The examples are whole incident files: the real loader accepts them without a problem."""
    from pir_reviews.load import loader

    for example in yaml_examples((PLAYBOOKS / "rca-frameworks.md").read_text(encoding="utf-8")):
        incident, problems = loader.parse(example.encode("utf-8"), "example.yaml")
        assert incident is not None and problems == [], [str(p) for p in problems]


def test_timeline_example_figures_match_what_pir_timeline_computes():
    """The prose under the timeline example quotes 7, 5 and 38 minutes and one 30-minute gap."""
    from pir_reviews.load import loader
    from pir_reviews.core import timeline

    example = yaml_examples((PLAYBOOKS / "rca-frameworks.md").read_text(encoding="utf-8"))[-1]
    incident, _ = loader.parse(example.encode("utf-8"), "example.yaml")
    result = timeline.reconstruct(incident, incident.severity)
    assert result.metrics["time_to_detect_min"] == 7
    assert result.metrics["time_to_acknowledge_min"] == 5
    assert result.metrics["time_to_mitigate_min"] == 38
    assert [gap.minutes for gap in result.gaps] == [30]


# ---- the playbooks as package defaults ---------------------------------------------


def test_site_publishes_the_default_playbooks_without_an_edit_button(tmp_path):
    from pir_reviews.site.pipeline import GENERATED_MARK, handwritten_files

    files = handwritten_files(tmp_path)
    assert sorted(files) == sorted(f"playbooks/{name}" for name in PLAYBOOK_FILES)
    matrix = files["playbooks/severity-matrix.md"].decode("utf-8")
    assert matrix.startswith(f"---\n{GENERATED_MARK}\n---\n")
    assert MATRIX_PAGE.read_text(encoding="utf-8") in matrix


def test_an_archive_overrides_one_playbook_and_keeps_the_others(tmp_path):
    from pir_reviews.site.pipeline import handwritten_files

    own = tmp_path / "docs" / "playbooks"
    own.mkdir(parents=True)
    (own / "severity-matrix.md").write_text("# Our severity matrix\n", encoding="utf-8")
    (own / "on-call.md").write_text("# On call\n", encoding="utf-8")
    files = handwritten_files(tmp_path)
    assert files["playbooks/severity-matrix.md"] == b"# Our severity matrix\n"
    assert files["playbooks/on-call.md"] == b"# On call\n"
    assert b"# Incident response" in files["playbooks/incident-response.md"]
