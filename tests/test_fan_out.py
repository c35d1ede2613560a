"""Generated pages built by worker processes (site/fan_out.py): the same site, byte for byte, as one
process builds; a warning or a failure in a worker is the build's own."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

from pir_reviews.core.errors import BuildFailed
from pir_reviews.site import fan_out, html_bodies
from pir_reviews.site import pipeline as site
from sitefixtures import AS_OF, make_project, numbered_incident

COUNT = 12


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def started(monkeypatch):
    """Workers for any number of pages (the real threshold is for speed); records each start."""
    calls: list[int] = []
    real = fan_out.start

    def spy(pages, *args):
        calls.append(len(pages))
        return real(pages, *args)

    monkeypatch.setattr(fan_out, "FAN_OUT_FROM", 1)
    monkeypatch.setattr(fan_out, "workers", lambda: 2)
    monkeypatch.setattr(fan_out, "start", spy)
    return calls


def built(folder: Path) -> Path:
    root = make_project(folder, dict(numbered_incident(n) for n in range(COUNT)))
    site.build(root, AS_OF)
    return root / "site"


def test_workers_build_the_same_site_as_one_process(tmp_path, started, monkeypatch):
    fanned = built(tmp_path / "fanned")
    assert started and started[0] > COUNT, "the generated pages were not handed to workers"
    monkeypatch.setattr(fan_out, "FAN_OUT_FROM", 10**9)
    serial = built(tmp_path / "serial")
    assert len(started) == 1
    pages = tree(fanned)
    assert len([path for path in pages if path.startswith("reviews/INC-") and path.endswith("/index.html")]) == COUNT
    assert pages == tree(serial)


def test_a_warning_logged_in_a_worker_fails_the_strict_build(tmp_path, started, monkeypatch):
    real = html_bodies.compact_page

    def warn(page_html, icons, material_search=False):
        logging.getLogger("mkdocs.plugins.pir").warning("made up in a worker: %s", "a broken page")
        return real(page_html, icons, material_search)

    monkeypatch.setattr(html_bodies, "compact_page", warn)  # the workers are forked: they inherit it
    with pytest.raises(BuildFailed) as failed:
        built(tmp_path / "p")
    assert started
    assert "made up in a worker: a broken page" in str(failed.value)
    assert not (tmp_path / "p" / "site").exists()


def test_a_worker_that_fails_fails_the_build_with_its_error(tmp_path, started, monkeypatch):
    def fail(page_html, icons, material_search=False):
        raise ValueError("the page shell could not be compacted")

    monkeypatch.setattr(html_bodies, "compact_page", fail)
    with pytest.raises(BuildFailed) as failed:
        built(tmp_path / "p")
    assert started
    assert "the page shell could not be compacted" in str(failed.value)
    assert not (tmp_path / "p" / "site").exists()
    assert not [p for p in (tmp_path / "p").iterdir() if p.name.startswith(".site")], "staging folder left behind"


class _Config:
    def __init__(self, plugins):
        self.plugins = {name: object() for name in plugins}


def test_workers_only_where_the_result_cannot_differ(monkeypatch):
    monkeypatch.setattr(fan_out, "workers", lambda: 2)
    pages = [object()] * fan_out.FAN_OUT_FROM
    assert fan_out.eligible(_Config(["pir", "pir-search"]), pages)
    assert not fan_out.eligible(_Config(["pir", "pir-search"]), pages[1:]), "too few pages"
    assert not fan_out.eligible(_Config(["pir", "pir-search", "material/tags"]), pages), "another plugin"
    assert not fan_out.eligible(_Config(["pir"]), pages, command="serve"), "mkdocs serve"
    assert not fan_out.eligible(_Config(["pir"]), pages, command="build", dirty=True), "a dirty build"
    assert fan_out.eligible(_Config(["pir"]), pages, command="build")
    monkeypatch.setattr(fan_out, "workers", lambda: 1)
    assert not fan_out.eligible(_Config(["pir"]), pages), "one core"
    monkeypatch.setattr(fan_out, "workers", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not fan_out.eligible(_Config(["pir"]), pages), "a second thread (mkdocs serve)"
    finally:
        stop.set()
        thread.join()


def test_a_worker_that_dies_fails_the_build(tmp_path, started, monkeypatch):
    def die(page_html, icons, material_search=False):
        os._exit(3)

    monkeypatch.setattr(html_bodies, "compact_page", die)
    with pytest.raises(BuildFailed) as failed:
        built(tmp_path / "p")
    assert "a worker building pages stopped (exit status 3)" in str(failed.value)
    assert not (tmp_path / "p" / "site").exists()
