"""services.yaml: its own located problems, unknown services, alike names, merged aliases, owning teams."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from pir_reviews.load import catalogue
from pir_reviews.site import pipeline as site
from pir_reviews.cli import main
from loadhelp import LOCATED
from sitefixtures import AS_OF, make_project

CATALOGUE = """\
services:
  - name: edge-network
    aliases: [edge]
    team: Networking
    tier: 1
  - name: cdn-edge
    aliases:
      - cdn
    team: CDN team
"""


def incident(ident: str, services: str, day: int = 1) -> str:
    return (
        f"id: {ident}\n"
        "title: Packets dropped at the edge\n"
        "summary: The edge dropped packets for a while.\n"
        f"services: {services}\n"
        f"started_at: 2024-05-{day:02d}T14:00:00Z\n"
    )


def run(args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


# ---- the file itself ----------------------------------------------------------------


def test_a_catalogue_becomes_typed_services():
    found, problems = catalogue.parse(CATALOGUE.encode())
    assert problems == []
    edge = found.find("EDGE")
    assert (edge.name, edge.aliases, edge.team, edge.tier, edge.line) == ("edge-network", ("edge",), "Networking", 1, 2)
    assert found.find("cdn").name == "cdn-edge"
    assert found.find("cdn-edgy") is None


def test_catalogue_problems_are_located():
    text = CATALOGUE.replace("    tier: 1\n", "    tier: first\n    owner: Networking\n")
    found, problems = catalogue.parse(text.encode())
    assert found is None
    assert [str(p) for p in problems] == [
        "services.yaml:5:11: services[0].tier: 'first' is not a plain decimal number; expected a whole number, 0 or more (lower is more critical)",
        "services.yaml:6:5: unknown key 'owner' in services[0]; allowed: name, aliases, team, tier",
    ]


def test_a_name_or_alias_belongs_to_one_service():
    text = CATALOGUE + "  - name: Edge\n"
    found, problems = catalogue.parse(text.encode())
    assert found is None
    assert [str(p) for p in problems] == [
        "services.yaml:10: service 'Edge': 'Edge' is already used by 'edge-network' (line 2); each name and alias belongs to one service",
    ]


def test_empty_and_wrong_shapes_are_located():
    assert [str(p) for p in catalogue.parse(b"")[1]] == [
        "services.yaml:1: file is empty; a catalogue is a mapping with services: and one entry per service"]
    assert [str(p) for p in catalogue.parse(b"- edge\n")[1]] == [
        "services.yaml:1:1: the file must be a mapping with services: (a list of name, aliases, team, tier)"]
    assert [str(p) for p in catalogue.parse(b"services: []\n")[1]] == [
        "services.yaml:1:11: services: needs at least 1 entry"]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(CATALOGUE)), st.binary(max_size=8))
def test_mutated_catalogues_never_crash_and_every_problem_is_located(cut, noise):
    data = CATALOGUE.encode()[:cut] + noise + CATALOGUE.encode()[cut:]
    found, problems = catalogue.parse(data)
    assert found is not None or any(p.level == "error" for p in problems)
    for problem in problems:
        assert LOCATED.match(str(problem)), str(problem)


# ---- with a catalogue ---------------------------------------------------------------


def test_an_unknown_service_is_an_error_with_did_you_mean(project):
    root = project({
        "services.yaml": CATALOGUE,
        "incidents/a.yaml": incident("INC-1", "[edge-network, cdn]"),
        "incidents/b.yaml": incident("INC-2", "\n  - cdn\n  - edge-netwrok", day=2),
    })
    result = run(["validate"], root)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "incidents/b.yaml:6: services[1]: 'edge-netwrok' is not in services.yaml; did you mean 'edge-network'?"


def test_a_broken_catalogue_fails_validate(project):
    root = project({"services.yaml": "services:\n  - team: Networking\n", "incidents/a.yaml": incident("INC-1", "[edge]")})
    result = run(["validate"], root)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "services.yaml:2:5: services[0]: required field 'name' is missing (one line of text)"


def test_generate_reports_the_same_problem_as_validate(tmp_path):
    root = make_project(tmp_path / "p", {
        "services.yaml": CATALOGUE,
        "incidents/b.yaml": incident("INC-2", "[edge-netwrok]"),
    })
    validated = run(["validate"], root)
    generated = run(["generate", "--as-of", "2024-06-01"], root)
    assert generated.exit_code == validated.exit_code == 1
    assert generated.output.splitlines()[0] == validated.output.splitlines()[0]
    assert "did you mean 'edge-network'?" in generated.output


def test_aliases_merge_on_the_pages(tmp_path):
    root = make_project(tmp_path / "p", {
        "services.yaml": CATALOGUE,
        "incidents/a.yaml": incident("INC-1", "[edge-network]"),
        "incidents/b.yaml": incident("INC-2", "[EDGE, cdn]", day=2),
    })
    site.generate(root, AS_OF)
    services = sorted(p.name for p in (root / "docs/generated/browse/services").iterdir())
    assert services == ["cdn-edge.md", "edge-network.md"]
    edge = (root / "docs/generated/browse/services/edge-network.md").read_text()
    assert "INC-1" in edge and "INC-2" in edge


def test_the_response_plan_engages_the_owning_team(project):
    root = project({"services.yaml": CATALOGUE, "incidents/a.yaml": incident("INC-1", "[edge, payments]")})
    result = run(["classify", "incidents/a.yaml"], root)
    assert result.exit_code == 0, result.output
    teams = result.output.split("Teams:\n")[1].split("\n\n")[0]
    assert "  - Networking" in teams.splitlines()
    assert "  - payments owners" in teams.splitlines()
    assert "edge owners" not in teams


# ---- without a catalogue ------------------------------------------------------------


def test_alike_names_are_warnings_that_name_both_places(project):
    root = project({
        "incidents/a.yaml": incident("INC-1", "[edge-network, cdn]"),
        "incidents/b.yaml": incident("INC-2", "[edge-network, cdn-edge]", day=2),
        "incidents/c.yaml": incident("INC-3", "[edge-netwrok, payments]", day=3),
    })
    result = run(["validate"], root)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "looks like" in line]
    assert lines == [
        "incidents/b.yaml:4: warning: service 'cdn-edge' looks like 'cdn' (incidents/a.yaml:4); "
        "if they are one service, use one name, or list it in services.yaml with the other as an alias",
        "incidents/c.yaml:4: warning: service 'edge-netwrok' looks like 'edge-network' (incidents/a.yaml:4); "
        "if they are one service, use one name, or list it in services.yaml with the other as an alias",
    ]
    assert run(["validate", "--strict"], root).exit_code == 1


def test_distinct_names_are_not_flagged():
    from pir_reviews.core.models import Incident
    from datetime import datetime, timezone

    def made(ident: str, services: tuple[str, ...]) -> Incident:
        return Incident(id=ident, title="t", started_at=datetime(2024, 1, 1, tzinfo=timezone.utc), services=services, summary="s", path=f"{ident}.yaml")

    incidents = [made("a", ("search", "checkout-service", "payment-api")), made("b", ("ranking-service", "pricing-cache", "auth", "svc-1", "svc-10", "api-v1", "api-v2"))]
    assert catalogue.near_duplicates(incidents) == []
    assert len(catalogue.near_duplicates(incidents + [made("c", ("Search",))])) == 1


def test_the_sample_archive_has_no_alike_names():
    result = run(["validate"], Path(__file__).resolve().parent.parent)
    assert "looks like" not in result.output


def test_the_services_schema_file_is_generated_from_the_declarations():
    repo = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["schema", "--services"])
    assert result.exit_code == 0
    assert result.output == (repo / "schema/services.schema.json").read_text(encoding="utf-8")
    entry = __import__("json").loads(result.output)["properties"]["services"]["items"]
    assert entry["required"] == ["name"] and entry["additionalProperties"] is False
    stale = CliRunner().invoke(main, ["schema", "--services", "--check", str(repo / "schema/incident.schema.json")])
    assert stale.exit_code == 1
    assert "run: pir schema --services >" in stale.output


def test_a_symlinked_or_missing_catalogue(tmp_path):
    assert catalogue.load(tmp_path) == (None, [])
    (tmp_path / "elsewhere.yaml").write_text(CATALOGUE)
    (tmp_path / "services.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    found, problems = catalogue.load(tmp_path)
    assert found is None
    assert [str(p) for p in problems] == ["services.yaml:1: is a symlink; services.yaml must be a regular file inside the repository"]
