"""Shared fixtures: golden files (rewritten with --update-golden) and project builders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = ROOT.parent / "shared" / "seed-samples"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


_WRITTEN: set[Path] = set()


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/<name>; with --update-golden, rewrite it instead.

    A rewrite also removes, at the end of the run, the golden files no test
    produced any more in the folders it rewrote (only on an unfiltered run).
    """
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            _WRITTEN.add(path.resolve())
            return
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden and review the diff"
        assert text == path.read_text(encoding="utf-8"), f"output differs from {path}; if intended, rewrite with --update-golden"

    return check


@pytest.fixture
def project(tmp_path):
    """Make a temporary archive from a dict of {relative path: text}; returns its root."""

    def make(files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return make


@pytest.fixture
def browser_page(server):
    """A Chromium page on the module's `server` fixture, recording dialogs, requests
    to other hosts, console and page errors and failed requests (see browserhelp)."""
    from browserhelp import watched_page

    with watched_page() as recorded:
        yield recorded


def pytest_sessionfinish(session, exitstatus):
    """After --update-golden, remove stale golden files in the folders that were rewritten."""
    config = session.config
    narrowed = config.option.keyword or getattr(config.option, "lf", False) or any("::" in arg for arg in config.args)
    if not config.getoption("--update-golden") or not _WRITTEN or narrowed or exitstatus not in (0, 1):
        return
    for folder in {path.parent for path in _WRITTEN}:
        for stale in sorted(folder.iterdir()):
            if stale.is_file() and stale.resolve() not in _WRITTEN:
                stale.unlink()
