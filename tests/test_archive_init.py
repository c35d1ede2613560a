"""`pir init`: what it writes, what it refuses, and that the archive it makes works."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pir_reviews import __version__
from pir_reviews import archive_init
from pir_reviews.cli import main
from pir_reviews.load.schema import schema_text

FLAGS = ["--site-name", "Acme reviews", "--repo-url", "https://github.com/Acme/incidents"]
EXPECTED = {
    ".github/workflows/action-items.yml", ".github/workflows/checks.yml", ".github/workflows/publish.yml",
    ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json", "README.md",
    "docs/contributing.md", "docs/security.md", "incidents/2024/INC-2024-0903-001.yaml",
    "mkdocs.yml", "schema/incident.schema.json",
}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["init", *args], input=input)


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_writes_the_archive(tmp_path):
    result = run(str(tmp_path / "a"), *FLAGS)
    assert result.exit_code == 0, result.output
    assert set(tree(tmp_path / "a")) == EXPECTED
    assert f"created {len(EXPECTED)} files in {tmp_path / 'a'}:" in result.output
    config = yaml.safe_load((tmp_path / "a" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Acme reviews"
    assert config["site_url"] == "https://acme.github.io/incidents/"
    assert config["repo_url"] == "https://github.com/Acme/incidents"
    assert config["plugins"] == ["pir", "pir-search"]
    assert "custom_dir" not in config["theme"]
    assert (tmp_path / "a" / "schema" / "incident.schema.json").read_text(encoding="utf-8") == schema_text()
    settings_json = json.loads((tmp_path / "a" / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings_json["yaml.schemas"] == {"./schema/incident.schema.json": "incidents/**/*.yaml"}
    assert "docs/generated/" in (tmp_path / "a" / ".gitignore").read_text(encoding="utf-8")


def test_same_flags_give_identical_files(tmp_path):
    run(str(tmp_path / "a"), *FLAGS)
    run(str(tmp_path / "b"), *FLAGS)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_empty_has_no_example_incident(tmp_path):
    result = run(str(tmp_path), "--empty")
    assert result.exit_code == 0, result.output
    written = tree(tmp_path)
    assert not [p for p in written if p.endswith(".yaml") and p.startswith("incidents/")]
    assert written["incidents/.gitkeep"] == b""


def test_defaults_without_a_terminal(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["site_name"] == archive_init.DEFAULT_SITE_NAME
    assert config["site_url"] == archive_init.DEFAULT_SITE_URL
    assert "repo_url" not in config and "# repo_url: https://github.com/ORG/REPO" in text


def test_prompts_ask_for_what_the_flags_leave_out(monkeypatch):
    asked = []

    def ask(question, default):
        asked.append((question, default))
        return {"Site name": "Ops reviews", "Site URL": default}.get(question, "https://github.com/ops/pir-archive")

    archive = archive_init.settings(None, None, None, ask=ask)
    assert [q for q, _ in asked] == ["Site name", "Repository URL (https://github.com/ORG/REPO, empty if none yet)", "Site URL"]
    assert asked[2][1] == "https://ops.github.io/pir-archive/"
    assert archive == archive_init.ArchiveSettings("Ops reviews", "https://ops.github.io/pir-archive/", "https://github.com/ops/pir-archive")


def test_refuses_to_overwrite_lists_every_clash_and_writes_nothing(tmp_path):
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "checks.yml").write_text("ours\n", encoding="utf-8")
    (tmp_path / "schema").write_text("a file where a folder goes\n", encoding="utf-8")
    before = tree(tmp_path)
    result = run(str(tmp_path), *FLAGS)
    assert result.exit_code == 1
    assert result.output == (
        f"pir: pir init never overwrites; 3 of its files exist already:\n"
        f"  {tmp_path / '.github/workflows/checks.yml'}\n"
        f"  {tmp_path / 'README.md'}\n"
        f"  {tmp_path / 'schema/incident.schema.json'}\n"
        "move them away (or run pir init in another folder), then run it again; nothing was written\n"
    )
    assert tree(tmp_path) == before


def test_refuses_a_symlinked_folder(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "docs").symlink_to(tmp_path / "elsewhere")
    result = run(str(tmp_path / "a"), *FLAGS)
    assert result.exit_code == 1
    assert f"{tmp_path / 'a' / 'docs' / 'contributing.md'}" in result.output
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--site-url", "ftp://example.com/", "pir: --site-url: 'ftp://example.com/' is not an http(s) address (e.g. https://github.com/acme/incidents)\n"),
    ("--repo-url", "github.com/acme/x", "pir: --repo-url: 'github.com/acme/x' is not an http(s) address (e.g. https://github.com/acme/incidents)\n"),
    ("--site-name", " ", "pir: --site-name: empty value; expected one line of text\n"),
    ("--site-name", "two\nlines", "pir: --site-name: must be one line; found a line break\n"),
])
def test_bad_values_are_refused_before_writing(tmp_path, flag, value, message):
    result = run(str(tmp_path / "a"), flag, value)
    assert result.exit_code == 1
    assert result.output == message
    assert not (tmp_path / "a").exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), url=st.one_of(st.text(max_size=40), st.text(max_size=20).map(lambda tail: "https://x.example/" + tail)))
def test_any_flag_text_is_written_safely_or_refused(tmp_path_factory, name, url):
    folder = tmp_path_factory.mktemp("fuzz")
    result = run(str(folder / "a"), "--site-name", name, "--site-url", url)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.output.startswith("pir: --site-")
        assert not (folder / "a").exists()
    else:
        config = yaml.safe_load((folder / "a" / "mkdocs.yml").read_text(encoding="utf-8"))
        assert config["site_name"] == name.strip() and config["site_url"] == url.strip()


def test_pir_new_works_inside_the_archive(tmp_path, monkeypatch):
    run(str(tmp_path), *FLAGS)
    monkeypatch.chdir(tmp_path)
    created = CliRunner().invoke(main, ["new", "--title", "Queue backlog", "--service", "queue", "--started-at", "2025-02-03T10:00:00Z"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "incidents" / "2025" / "INC-2025-0203-001.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/incident.schema.json\n")
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert "2 files valid" in checked.output


def test_every_workflow_and_the_hook_pin_pirs_own_version(tmp_path):
    run(str(tmp_path), *FLAGS)
    workflows = sorted((tmp_path / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    for path in workflows:
        installs = re.findall(r"pip install .*", path.read_text(encoding="utf-8"))
        assert installs == [f'pip install --disable-pip-version-check "pir-reviews=={__version__}"'], path.name
    hook = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]
    assert hook["rev"] == f"v{__version__}"
    assert hook["repo"] == archive_init.pir_repository()
    assert [h["id"] for h in hook["hooks"]] == ["pir-validate"]


def test_the_archive_builds(tmp_path):
    from datetime import date

    from pir_reviews.site import pipeline as site

    run(str(tmp_path), *FLAGS)
    site.build(tmp_path, date(2024, 12, 1))
    review = (tmp_path / "site" / "reviews" / "INC-2024-0903-001" / "index.html").read_text(encoding="utf-8")
    assert "<title>INC-2024-0903-001: Internal wiki attachments returned 404 after storage migration - Acme reviews</title>" in review
    assert 'href="https://github.com/Acme/incidents/edit/main/incidents/2024/INC-2024-0903-001.yaml" title="Edit this page"' in review
    assert (tmp_path / "site" / "assets" / "pir" / "archive-table.js").is_file()
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()  # the archive's own search
    assert 'class="pir-search"' in review
    matrix = (tmp_path / "site" / "playbooks" / "severity-matrix" / "index.html").read_text(encoding="utf-8")
    assert "Severity matrix" in matrix and 'title="Edit this page"' not in matrix
