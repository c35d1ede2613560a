"""Faults mid-run with real processes and real files: SIGKILL, two runs at once, a full or read-only disk.

Where the machine cannot make the condition (mounting needs root), the test
skips and says why.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pir_reviews.site import writer
from sitefixtures import SAMPLES, make_project, numbered_incident

PIR = [sys.executable, "-m", "pir_reviews.cli"]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1717200000"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path (what "byte-identical" compares)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def pir(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*PIR, *args, "--root", str(root)], env=ENV, capture_output=True, text=True, timeout=600, **kwargs)


def archive(root: Path, count: int) -> Path:
    return make_project(root, {**SAMPLES, **dict(numbered_incident(n) for n in range(count))})


def litter(root: Path) -> list[str]:
    return sorted(p.name for folder in (root, root / "docs") if folder.is_dir() for p in folder.iterdir() if writer.is_staging(p.name))


# ---- the writer's whole-tree switch ----------------------------------------------


def test_replace_tree_keeps_unchanged_files_and_foreign_ones_and_clears_litter(tmp_path):
    target = tmp_path / "out"
    writer.replace_tree(target, {"a.md": "one", "b/c.md": "two"})
    (target / "mine.txt").write_text("not generated")
    before = {name: os.stat(target / name) for name in ("a.md", "b/c.md", "mine.txt")}
    (tmp_path / ".out.pir-new-stale").mkdir()  # left by a killed run
    (target / "b" / ".pir-tmp-stale").write_text("half a page")  # left by a killed pir serve
    report = writer.replace_tree(target, {"a.md": "one", "b/c.md": "changed", "d.md": "new"})
    assert report.written == ("b/c.md", "d.md") and report.unchanged == ("a.md",)
    assert (os.stat(target / "a.md").st_ino, os.stat(target / "a.md").st_mtime_ns) == (before["a.md"].st_ino, before["a.md"].st_mtime_ns)
    assert os.stat(target / "mine.txt").st_ino == before["mine.txt"].st_ino
    assert tree(target)["b/c.md"] == b"changed"
    assert not list(tmp_path.glob(".out.pir-*"))
    assert writer.replace_tree(target, {"a.md": "one"}).removed == ("b/c.md", "d.md")
    assert sorted(tree(target)) == [".pir-manifest.json", "a.md", "mine.txt"]


NAMES = st.sampled_from(["a.md", "b.md", "x/c.md", "x/y/d.md", "z/e.css"])
VERSIONS = st.lists(st.dictionaries(NAMES, st.sampled_from(["one", "two", ""]), max_size=5), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(VERSIONS)
def test_replace_tree_ends_where_write_tree_ends(versions):
    with tempfile.TemporaryDirectory() as folder:
        whole, by_file = Path(folder) / "whole", Path(folder) / "by-file"
        for files in versions:
            a, b = writer.replace_tree(whole, files), writer.write_tree(by_file, files)
            assert (a.written, a.unchanged, a.removed) == (b.written, b.unchanged, b.removed)
            assert tree(whole) == tree(by_file)
            assert folders(whole) == folders(by_file)
        assert not [p for p in Path(folder).iterdir() if writer.is_staging(p.name)]


def test_a_swap_stopped_between_its_renames_is_repaired(tmp_path):
    target = tmp_path / "out"
    writer.replace_tree(target, {"a.md": "old"})
    os.rename(target, tmp_path / ".out.pir-old-x")  # the fallback swap was killed here
    writer.clear_stale(target)
    assert tree(target)["a.md"] == b"old"


# ---- SIGKILL at several moments --------------------------------------------------


def _kill_after(root: Path, command: str, delay: float) -> int:
    process = subprocess.Popen([*PIR, command, "--root", str(root)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


@pytest.mark.parametrize("command,folder,count,shares", [
    ("generate", "docs/generated", 150, (0.15, 0.3, 0.45, 0.6, 0.8)),
    ("build", "site", 20, (0.3, 0.5, 0.7, 0.9)),
])
def test_a_killed_run_leaves_the_previous_output_and_the_next_run_matches_a_clean_one(tmp_path, command, folder, count, shares):
    """Kills land at shares of how long the first run took on this machine, so
    some land mid-run however fast the machine is (the test measures no speed)."""
    root = archive(tmp_path / "p", count)
    began = time.monotonic()
    assert pir(root, command).returncode == 0
    delays = [share * (time.monotonic() - began) for share in shares]
    previous = tree(root / folder)
    # The next version of the archive: one incident changed, one more added.
    changed = root / "incidents/gen/INC-GEN-0001.yaml"
    changed.write_text(changed.read_text().replace("Generated incident number 1\n", "Renamed incident\n"))
    rel, text = numbered_incident(500)
    (root / rel).write_text(text)
    killed_mid_run = 0
    for delay in delays:
        code = _kill_after(root, command, delay)
        now = tree(root / folder)
        # Either the run was stopped (the previous output) or it had finished (a clean run's output).
        assert now == previous or now == tree(_clean(tmp_path, root, command) / folder), f"a mix after a kill at {delay}s"
        killed_mid_run += code == -signal.SIGKILL and now == previous
    assert killed_mid_run, "no kill landed mid-run; the archive is too small for this machine"
    assert pir(root, command).returncode == 0
    assert tree(root / folder) == tree(_clean(tmp_path, root, command) / folder)
    assert tree(root / folder) != previous
    assert litter(root) == []


def _clean(tmp_path: Path, root: Path, command: str) -> Path:
    """The same archive run once from scratch, elsewhere."""
    clean = tmp_path / f"clean-{command}"
    if not clean.exists():
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", "generated", ".pir-cache", ".*.pir-*"))
        assert pir(clean, command).returncode == 0
    return clean


# ---- two runs at once -------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from pir_reviews.site.lock import archive_lock
with archive_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_run_waits_for_the_lock_and_says_so(tmp_path):
    root = archive(tmp_path / "p", 3)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        second = subprocess.Popen([*PIR, "generate", "--root", str(root)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Five seconds is long enough to see that it neither finishes nor writes.
        wrote_or_ended = _wait_for(lambda: second.poll() is not None or (root / "docs/generated/.pir-manifest.json").exists(), 5)
        assert not wrote_or_ended and second.poll() is None, "the second run did not wait"
        assert not (root / "docs/generated/.pir-manifest.json").exists(), "the second run wrote while the lock was held"
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert f"pir: another pir run is writing this archive (it holds {root}/.pir-cache/lock); waiting for it" in err.splitlines()


def test_two_runs_at_once_never_interleave(tmp_path):
    root = archive(tmp_path / "p", 120)
    runs = [subprocess.Popen([*PIR, "generate", "--root", str(root)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert tree(root / "docs/generated") == tree(_clean(tmp_path, root, "generate") / "docs/generated")


# ---- a full disk, a read-only folder ----------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MiB tmpfs mounted for the test (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); not available here")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, keep: int) -> None:
    """Fill the filesystem until only about `keep` bytes are free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as handle:
        try:
            handle.write(b"\0" * max(free - keep, 0))
        except OSError:
            pass


def test_a_full_disk_is_one_line_naming_the_path_and_the_previous_pages_stay(small_disk):
    root = archive(small_disk / "p", 5)
    assert pir(root, "generate").returncode == 0
    previous = tree(root / "docs/generated")
    for n in range(5, 40):
        rel, text = numbered_incident(n)
        (root / rel).write_text(text)
    _fill(small_disk, 64 * 1024)
    result = pir(root, "generate")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"pir: cannot write {root}") and lines[0].endswith("No space left on device"), lines
    assert tree(root / "docs/generated") == previous
    assert litter(root) == []


def test_a_disk_full_during_the_mkdocs_build_keeps_the_previous_site(small_disk):
    root = archive(small_disk / "p", 3)
    assert pir(root, "build").returncode == 0
    previous = tree(root / "site")
    for n in range(3, 30):
        rel, text = numbered_incident(n)
        (root / rel).write_text(text)
    _fill(small_disk, 1800 * 1024)  # room for the pages, not for the site's assets
    result = pir(root, "build")
    assert result.returncode == 1
    assert result.stderr.strip() == f"pir: cannot write {root / 'site'}: No space left on device"
    assert tree(root / "site") == previous
    assert litter(root) == []


def test_a_read_only_archive_is_one_line_naming_the_path(small_disk):
    root = archive(small_disk / "p", 3)
    assert pir(root, "generate").returncode == 0
    previous = tree(root / "docs/generated")
    shutil.rmtree(root / ".pir-cache")
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remounted.stderr.strip()}")
    for command in ("generate", "build"):
        result = pir(root, command)
        assert result.returncode == 1
        assert result.stderr.strip() == f"pir: cannot write {root}/.pir-cache/lock: Read-only file system"
    output = subprocess.run([*PIR, "classify", "-", "--output", str(root / "out.txt")], input="database down", env=ENV, capture_output=True, text=True)
    assert output.returncode == 1 and output.stderr.strip() == f"pir: cannot write {root / 'out.txt'}: Read-only file system"
    new = subprocess.run([*PIR, "new", "--title", "t", "--service", "s", "--started-at", "2031-01-01T00:00:00Z", "--dir", str(root / "incidents")], env=ENV, capture_output=True, text=True)
    assert new.returncode == 1 and new.stderr.strip() == f"pir: cannot write {root / 'incidents/2031'}: Read-only file system"
    assert tree(root / "docs/generated") == previous


# ---- pir serve survives all of the above ------------------------------------------

BROKEN_EDITS = [
    b"id: INC-1\ntitle:\nstarted_at: 2024-01-01T00:00:00Z\nservices: [api]\nsummary: s\n",
    b"id: [\n", b"\x00\xff\xfe", b"\xef\xbb\xbf" + b"- " * 50_000, b"[" * 5000, b"title: \xc3\n", b"",
    b"id: INC-1\nservices: []\n", b"a: &x 1\nb: *x\n", b"\t\tid: x\n", b"id: " + b"9" * 5000 + b"\n",
]


def _wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_watch_loop_survives_every_broken_edit_and_recovers(tmp_path):
    import threading
    from datetime import date

    from pir_reviews.site import pipeline as site

    root = archive(tmp_path / "p", 2)
    site.generate(root, date(2024, 6, 1))
    pages = tree(root / "docs/generated")
    messages: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=site.watch, args=(root, date(2024, 6, 1), stop, 0.05, messages.append), daemon=True)
    watcher.start()
    time.sleep(0.3)  # its first look at the files
    try:
        for number, edit in enumerate(BROKEN_EDITS):
            (root / "incidents/broken.yaml").write_bytes(edit)
            assert _wait_for(lambda: len(messages) > number), f"no answer to edit {number}: {messages}"
            assert messages[-1].startswith("not regenerated, the previous pages stay:"), messages[-1]
            assert watcher.is_alive()
        assert tree(root / "docs/generated") == pages
        (root / "incidents/broken.yaml").unlink()
        rel, text = numbered_incident(7)
        (root / rel).write_text(text)
        assert _wait_for(lambda: messages[-1].startswith("regenerated:"))
        assert (root / "docs/generated/reviews/INC-GEN-0007.md").exists()
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()


def test_a_real_pir_serve_keeps_serving_through_a_broken_edit(tmp_path):
    import socket
    import urllib.request

    root = archive(tmp_path / "p", 2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*PIR, "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return response.status
        except OSError:
            return 0

    try:
        assert _wait_for(lambda: get("") == 200, 120), "pir serve did not start"
        for edit in BROKEN_EDITS[:4]:
            (root / "incidents/broken.yaml").write_bytes(edit)
            time.sleep(1.5)
            assert server.poll() is None, "pir serve died"
            assert _wait_for(lambda: get("") == 200, 30), "pir serve stopped answering"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    assert "Traceback" not in err and "internal error" not in err, err
    assert "not regenerated, the previous pages stay" in err


def test_the_watch_loop_survives_a_full_disk(small_disk):
    import threading
    from datetime import date

    from pir_reviews.site import pipeline as site

    root = archive(small_disk / "p", 2)
    site.generate(root, date(2024, 6, 1))
    messages: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=site.watch, args=(root, date(2024, 6, 1), stop, 0.05, messages.append), daemon=True)
    watcher.start()
    time.sleep(0.3)
    try:
        _fill(small_disk, 0)
        edited = root / "incidents/gen/INC-GEN-0001.yaml"
        edited.write_text(edited.read_text().replace("number 1\n", "numb3r 1\n"))  # same size: it fits
        assert _wait_for(lambda: any("No space left on device" in m for m in messages)), messages
        assert watcher.is_alive()
        (small_disk / "filler").unlink()
        for n in range(2, 40):
            rel, text = numbered_incident(n)
            (root / rel).write_text(text)
        assert _wait_for(lambda: messages[-1].startswith("regenerated:")), messages
    finally:
        stop.set()
        watcher.join(timeout=10)
