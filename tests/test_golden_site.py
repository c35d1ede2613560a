"""The generated site pages of the samples, against golden files.

`pir generate` on this repository's incidents/ (the real mkdocs.yml and
docs/), as of a fixed day: a review page, the home page, the archive index, a
browse page, the insights page, the ledger and two owner pages, the feed and the JSON export.
Rewrite them with `pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pir_reviews.site import pipeline

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 1, 1)
PAGES = (
    "reviews/INC-2024-0315-001.md",
    "reviews/PUB-2019-0702-001.md",
    "index.md",
    "reviews/index.md",
    "browse/index.md",
    "browse/severity/sev2.md",
    "browse/services/payment-api.md",
    "insights/index.md",
    "action-items/index.md",
    "action-items/owners/ana-ribeiro.md",
    "action-items/owners/unassigned.md",
    "feed.xml",
    "incidents.json",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("samples")
    shutil.copytree(REPO / "incidents", root / "incidents")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("generated"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    pipeline.generate(root, AS_OF)
    return root / "docs" / "generated"


@pytest.mark.parametrize("page", PAGES)
def test_generated_page(generated, page, golden):
    text = (generated / page).read_text(encoding="utf-8")
    golden(f"site/{page.replace('/', '__')}", text)


def test_generation_is_byte_identical(generated, tmp_path):
    shutil.copytree(REPO / "incidents", tmp_path / "incidents")
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("generated"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    pipeline.generate(tmp_path, AS_OF)
    for page in PAGES:
        assert (tmp_path / "docs" / "generated" / page).read_bytes() == (generated / page).read_bytes(), page
