"""The labelled set: cases written from the severity matrix, traps included."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pir_reviews.core.classify import classify
from pir_reviews.core.models import SEVERITIES, ClassifyInput, Impact

CASES = yaml.safe_load((Path(__file__).parent / "data" / "classify_cases.yaml").read_text(encoding="utf-8"))


def _input(case: dict) -> ClassifyInput:
    return ClassifyInput(text=case["text"], services=tuple(case.get("services", ())), impact=Impact(**case.get("impact", {})))


def test_the_set_is_large_and_well_formed():
    assert len(CASES) >= 35
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    assert all(case["expected"] in SEVERITIES and case.get("why") for case in CASES)
    assert {case["expected"] for case in CASES} == set(SEVERITIES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_labelled_case(case):
    result = classify(_input(case))
    assert result.severity == case["expected"], f"{case['why']}; reasons: {result.reasons}"
