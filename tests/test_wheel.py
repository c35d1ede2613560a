"""The package as another team gets it: a wheel installed into a fresh virtual environment.

An editable install reads the source tree, so a template, theme file or module
left out of the wheel only shows here: the scratch archive holds no package
source, and the tool must validate and build it from what the wheel installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the built wheel (and its pinned dependencies) installed; returns its bin/."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(dist), str(REPO)], check=True, capture_output=True)
    wheel = next(dist.glob("pir_reviews-*.whl"))
    env = base / "venv"
    venv.create(env, with_pip=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    result = subprocess.run(pip + ["-c", str(REPO / "requirements.lock"), str(wheel)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"installing the wheel failed:\n{result.stdout}\n{result.stderr}")
    return env / "bin"


def test_the_wheel_carries_templates_and_theme(installed):
    wheel = next((installed.parent.parent / "dist").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("pir_reviews/render/templates/review.md.j2", "pir_reviews/theme/main.html",
                   "pir_reviews/theme/assets/pir/pir.css", "pir_reviews/site/pages/review_page.py"):
        assert needed in names, f"{needed} is not in the wheel"
    assert not any(name.startswith(("tests/", "generator/")) for name in names)


def test_validate_and_build_a_scratch_archive(installed, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(REPO / "incidents", archive / "incidents")
    shutil.copytree(REPO / "docs", archive / "docs", ignore=shutil.ignore_patterns("generated"))
    shutil.copy(REPO / "mkdocs.yml", archive / "mkdocs.yml")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SOURCE_DATE_EPOCH"] = "1767225600"

    def pir(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(installed / "pir"), *args], cwd=archive, env=env, capture_output=True, text=True)

    validated = pir("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "12 files valid" in validated.stdout
    built = pir("build")
    assert built.returncode == 0, built.stdout + built.stderr
    review = archive / "site" / "reviews" / "INC-2024-0315-001" / "index.html"
    assert "Payment" in review.read_text(encoding="utf-8")
    assert (archive / "site" / "assets" / "pir" / "pir.css").is_file()  # the theme came from the wheel
    located = subprocess.run([str(installed / "python"), "-c", "import pir_reviews, sys; print(pir_reviews.__file__)"],
                             cwd=archive, env=env, capture_output=True, text=True, check=True)
    assert str(REPO) not in located.stdout
