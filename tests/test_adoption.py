"""The whole adoption, as another team would do it, in a temporary folder.

Build the wheel, install it (and its locked dependencies) into a fresh
virtual environment that sees none of this checkout, then in an empty folder:
`pir init`, `pir new`, `pir validate`, `pir build`, and the pre-commit hook of
this repository run from that archive with `pre-commit try-repo`. An editable
install hides missing package files; this test does not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from pir_reviews import __version__

# Two fresh environments (the venv, then pre-commit's own for the hook) take
# about 1m45s of CPU, several minutes on a busy machine: kept out of `make
# test`; run with `make test-adoption`.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"


def call(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this checkout's venv or Python path."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["SOURCE_DATE_EPOCH"] = "1733011200"  # 2024-12-01: a reproducible "today"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh venv with the wheel of this checkout installed."""
    base = tmp_path_factory.mktemp("adoption")
    wheels = base / "wheels"
    call([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check", "-w", wheels, REPO], base)
    (wheel,) = wheels.glob("pir_reviews-*.whl")
    assert wheel.name == f"pir_reviews-{__version__}-py3-none-any.whl"
    venv.create(base / "venv", with_pip=True)
    bin_dir = base / "venv" / "bin"
    call([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", LOCK, wheel, "pre-commit"], base, clean_env())
    return bin_dir


@pytest.fixture(scope="module")
def archive(installed, tmp_path_factory) -> Path:
    """An archive made the documented way: pir init, pir new; committed to git."""
    folder = tmp_path_factory.mktemp("archive")
    env = clean_env()
    pir = installed / "pir"
    call([pir, "init", "--site-name", "Acme reviews", "--repo-url", "https://github.com/acme/incidents"], folder, env)
    call([pir, "new", "--title", "Queue backlog delayed emails", "--service", "mailer", "--severity", "sev3",
          "--started-at", "2024-11-20T09:00:00Z"], folder, env)
    call(["git", "init", "--quiet"], folder)
    call(["git", "add", "."], folder)
    call(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "archive"], folder)
    return folder


def test_the_installed_package_is_not_this_checkout(installed):
    where = call([installed / "python", "-c", "import pir_reviews; print(pir_reviews.__file__)"], REPO.parent, clean_env())
    assert str(REPO) not in where.stdout
    version = call([installed / "pir", "--version"], REPO.parent, clean_env())
    assert version.stdout == f"pir, version {__version__}\n"


def test_init_new_validate_build(installed, archive):
    env = clean_env()
    checked = call([installed / "pir", "validate"], archive, env)
    # The new file still holds pir new's placeholder: a warning until it is written (an error with --strict).
    assert checked.stdout.strip().endswith("2 files valid, 1 warning")
    assert "summary still holds the placeholder of pir new" in checked.stdout
    call([installed / "pir", "build"], archive, env)
    site = archive / "site"
    review = (site / "reviews" / "INC-2024-1120-001" / "index.html").read_text(encoding="utf-8")
    assert "Queue backlog delayed emails" in review
    assert (site / "reviews" / "INC-2024-0903-001" / "index.html").is_file()
    assert (site / "playbooks" / "severity-matrix" / "index.html").is_file()
    assert (site / "assets" / "pir" / "pir.css").is_file()
    assert "<title>Acme reviews</title>" in (site / "index.html").read_text(encoding="utf-8")


def test_the_pre_commit_hook_works_from_another_repository(installed, archive, tmp_path):
    """pre-commit clones this repository, installs it as a package and runs pir-validate."""
    scratch = tmp_path / "scratch"
    shutil.copytree(archive, scratch, ignore=shutil.ignore_patterns("site", "generated", ".pir-cache"))
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PIP_CONSTRAINT=str(LOCK))
    pre_commit = installed / "pre-commit"
    passed = call([pre_commit, "try-repo", REPO, "pir-validate", "--all-files"], scratch, env, ok=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "pir validate" in passed.stdout and "Passed" in passed.stdout

    broken = scratch / "incidents" / "2024" / "INC-2024-1120-001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("started_at: 2024-11-20T09:00:00Z", "started_at: 2024-11-20T09:00:00"), encoding="utf-8")
    call(["git", "add", "."], scratch)
    failed = call([pre_commit, "try-repo", REPO, "pir-validate", "--all-files"], scratch, env, ok=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "incidents/2024/INC-2024-1120-001.yaml:" in failed.stdout and "has no UTC offset" in failed.stdout
