"""Mutated sample incidents through `pir validate`: an answer, never a crash.

Every sample file under incidents/ is mutated the way people break YAML
(deleted spans, stray punctuation, bad bytes, truncation, lines moved or
re-indented, a value turned into null, a list or a mapping) and checked
through the real CLI: exit 0 or 1, never a traceback or exit 3, and every
problem located as PATH:LINE[:COL]: message.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import strategies as st

from fuzzhelp import PROFILES, SAMPLES, assert_handled, invoke, mutated, run

SUMMARY = re.compile(r"^(\d+ errors?, \d+ warnings? in 1 of 1 file|1 file valid(, \d+ warnings?)?)$")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_mutated_samples_are_validated_without_a_crash(sample, profile, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    original = sample.read_bytes()

    def check(case) -> None:
        data, command, fmt = case
        (tmp_path / "incident.yaml").write_bytes(data)
        result = invoke(["validate", "incident.yaml"])
        lines = assert_handled(result, "incident.yaml")
        problems = [line for line in lines if not SUMMARY.match(line)]
        assert all(line.startswith("incident.yaml:") for line in problems), lines
        assert (result.exit_code == 1) == any(": warning: " not in line for line in problems), lines
        assert SUMMARY.match(lines[-1]), lines
        # What validates must also go through the other commands, in every format.
        assert_handled(invoke([command, "incident.yaml", "--format", fmt]), "incident.yaml")

    run(profile, st.tuples(mutated(original), st.sampled_from(["review", "timeline", "classify"]), st.sampled_from(["text", "json", "markdown"])), check)


@pytest.mark.parametrize("profile", PROFILES)
def test_mutated_samples_in_the_json_and_github_formats(profile, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    strategy = st.tuples(st.sampled_from(SAMPLES).flatmap(lambda p: mutated(p.read_bytes())), st.sampled_from(["json", "github"]))

    def check(case) -> None:
        data, fmt = case
        (tmp_path / "incident.yaml").write_bytes(data)
        result = invoke(["validate", "--format", fmt, "incident.yaml"])
        assert_handled(result)
        if fmt == "json":
            report = json.loads(result.stdout)
            assert all(p["path"] == "incident.yaml" and p["line"] >= 1 for p in report["problems"])
            assert (result.exit_code == 1) == (report["errors"] > 0)
        else:
            annotations = [line for line in result.stdout.splitlines() if line]
            assert all(line.startswith(("::error ", "::warning ")) for line in annotations), annotations

    run(profile, strategy, check)


def test_the_samples_themselves_are_valid(tmp_path, monkeypatch):
    # The mutations start from valid files; a broken sample would hide crashes behind its error.
    for sample in SAMPLES:
        result = invoke(["validate", str(sample)])
        assert result.exit_code == 0, result.output
