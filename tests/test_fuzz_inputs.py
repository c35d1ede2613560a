"""Every other input, fuzzed through the real CLI: the older JSON shapes, stdin, option values.

The same discipline as the incident files: an answer (exit 0 or 1; 2 for a
command line click refuses), never a traceback or exit 3.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from fuzzhelp import PROFILES, assert_handled, invoke, mutated, run

SEEDS = sorted((Path(__file__).resolve().parent / "data" / "seed-samples").glob("*.json"))
COMMANDS = [["classify"], ["timeline"], ["timeline", "--gap-analysis"], ["review"]]
FORMATS = ["text", "json", "markdown"]

# Values of the wrong type or size for any field of the older shapes.
ODD_VALUES = st.one_of(
    st.sampled_from([None, True, 0, -1, 10**400, 1e308, -1e308, "", " ", "not a time", "2024-13-45T99:99:99Z", [], {}, [None], {"": None}]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.recursive(st.none() | st.integers() | st.text(max_size=5), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8),
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON document (as a tuple of keys and indexes)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, prefix + (index,))
    return found


def changed(value: Any, place: tuple, new: Any, delete: bool) -> Any:
    if not place:
        return new
    head, rest = place[0], place[1:]
    if isinstance(value, dict):
        out = dict(value)
        if delete and not rest:
            out.pop(head, None)
        else:
            out[head] = changed(value[head], rest, new, delete)
        return out
    out = list(value)
    if delete and not rest:
        del out[head]
    else:
        out[head] = changed(value[head], rest, new, delete)
    return out


@st.composite
def mutated_json(draw, original: bytes) -> bytes:
    """A seed document with one value replaced, a key dropped, a value nested deep, or its bytes mutated."""
    how = draw(st.sampled_from(["value", "value", "delete", "deep", "bytes"]))
    if how == "bytes":
        return draw(mutated(original))
    document = json.loads(original)
    place = draw(st.sampled_from(paths(document)[1:] or [()]))
    if how == "deep":
        new: Any = draw(st.integers(1, 200))
        for _ in range(draw(st.integers(20, 120))):
            new = [new]
    else:
        new = draw(ODD_VALUES)
    return json.dumps(changed(document, place, new, how == "delete")).encode()


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_mutated_older_json_shapes_never_crash(seed, profile, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    strategy = st.tuples(mutated_json(seed.read_bytes()), st.sampled_from(COMMANDS), st.sampled_from(FORMATS))

    def check(case) -> None:
        data, command, fmt = case
        Path("input.json").write_bytes(data)
        assert_handled(invoke([*command, "input.json", "--format", fmt]), "input.json")

    run(profile, strategy, check)


@pytest.mark.parametrize("profile", PROFILES)
def test_any_bytes_on_standard_input(profile):
    strategy = st.tuples(st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(str.encode)), st.sampled_from(FORMATS))

    def check(case) -> None:
        data, fmt = case
        result = invoke(["classify", "-", "--format", fmt], stdin=data)
        assert_handled(result, "<stdin>")

    run(profile, strategy, check)


ANSWER = st.sampled_from(["", "yes", "no", "unknown", "y", "?", "50", "50%", "-5", "101", "nan", "inf", "1e999", "checkout, , api"]) | st.text(max_size=20)


@pytest.mark.parametrize("profile", PROFILES)
def test_any_answers_to_the_interactive_questions(profile):
    strategy = st.tuples(st.lists(ANSWER.filter(lambda a: "\n" not in a and "\r" not in a), max_size=14), st.sampled_from(FORMATS))

    def check(case) -> None:
        answers, fmt = case
        result = invoke(["classify", "--interactive", "--format", fmt], stdin="\n".join(answers).encode() + b"\n")
        assert_handled(result)

    run(profile, strategy, check)


def test_a_large_stdin_is_handled():
    result = invoke(["classify", "-"], stdin=b"database down for all users " * 200_000)
    assert_handled(result)


# Option values: click refuses what it can (exit 2, "Invalid value"), pir the rest (exit 1).
OPTION_TEXT = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "0000-00-00", "9999-12-31", "2024-02-30", "2024-03-15T14:30:00", "2024-03-15T25:00:00Z", "1e9", "-1", "sev0", "SEV1", "\x00", "a{99999999999}", ".", "Europe/Berlin"]))
CSV_EVENTS = str(Path(__file__).resolve().parent / "fixtures" / "import" / "csv" / "events.csv")


@pytest.mark.parametrize("profile", PROFILES)
def test_option_values_never_crash(profile, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seed = next(p for p in SEEDS if p.stem == "legacy_pir")
    Path("input.json").write_bytes(seed.read_bytes())
    forms = [
        lambda v: ["review", "input.json", "--as-of", v],
        lambda v: ["validate", "--as-of", v, "input.json"],
        lambda v: ["timeline", "input.json", "--severity", v],
        lambda v: ["review", "input.json", "--rca-method", v],
        lambda v: ["classify", "input.json", "--format", v],
        lambda v: ["new", "--title", "t", "--service", "s", "--dir", "new", "--started-at", v],
        lambda v: ["new", "--title", v, "--service", v, "--dir", "new", "--started-at", "2024-03-15T14:30:00Z"],
        lambda v: ["serve", "--root", "nowhere", "--dev-addr", v],
        lambda v: ["import", "csv", CSV_EVENTS, "--grep", v],
        lambda v: ["import", "csv", CSV_EVENTS, "--since", v, "--exclude-user", v],
        lambda v: ["import", "slack", "nowhere", "--channel", v, "--tz", v],
        lambda v: ["import", "csv", CSV_EVENTS, "--into", v],
    ]

    def check(case) -> None:
        form, value = case
        if "\x00" in value:
            return  # no command line can carry a NUL
        result = invoke(forms[form](value))
        assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output, result.output

    run(profile, st.tuples(st.integers(0, len(forms) - 1), OPTION_TEXT), check)


@pytest.mark.parametrize("args,code,message", [
    (["validate", "missing.yaml"], 1, "missing.yaml:1: no such file or folder"),
    (["classify", "folder"], 2, "pir: folder is a folder; give one file (or - for standard input)"),
    (["classify", "missing.json"], 2, "pir: cannot read missing.json: No such file or directory"),
    (["timeline", "folder"], 2, "pir: folder is a folder; give one file (or - for standard input)"),
    (["review", "missing.json"], 2, "pir: cannot read missing.json: No such file or directory"),
    (["review", "input.json", "--timeline", "folder"], 2, "pir: folder is a folder; give one file (or - for standard input)"),
    (["classify", "input.json", "--output", "folder"], 1, "pir: cannot write folder: it is a folder"),
    (["classify", "input.json", "--output", "missing/out.txt"], 1, "pir: cannot write missing/out.txt: the folder missing does not exist"),
    (["classify", "input.json", "--output", ""], 2, "pir: --output '' is not a file name"),
    (["classify", "input.json", "--output", "pipe"], 1, "pir: cannot write pipe: it is not a regular file (a pipe, socket or device); leave out --output to print"),
    (["validate", "empty", "--summary", "folder"], 1, "pir: cannot write folder: Is a directory"),
    (["validate", "empty", "--summary", "missing/summary.md"], 1, "pir: cannot write missing/summary.md: No such file or directory"),
    (["validate", "empty", "--summary", "s.md", "--changed-list", "missing.txt"], 1, "missing.txt:1: cannot be read: No such file or directory"),
    (["validate", "empty", "--summary", "s.md", "--changed-list", "latin1.txt"], 1, "latin1.txt:1: byte 0xe9 is not valid UTF-8; list one path a line, as UTF-8"),
    (["generate", "--root", "missing"], 1, "pir: missing/mkdocs.yml: not found; run pir in the archive's folder (the one with mkdocs.yml and incidents/) or pass --root"),
    (["build", "--root", "folder"], 1, "pir: folder/mkdocs.yml: not found; run pir in the archive's folder (the one with mkdocs.yml and incidents/) or pass --root"),
    (["serve", "--dev-addr", "127.0.0.1:99999"], 2, "Error: Invalid value for '--dev-addr': '127.0.0.1:99999' is not HOST:PORT with a port from 1 to 65535"),
    (["schema", "--check", "missing.json"], 1, "pir: missing.json is out of date; run: pir schema > missing.json"),
])
def test_paths_that_do_not_exist_or_are_folders(args, code, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("folder").mkdir()
    Path("empty").mkdir()
    Path("latin1.txt").write_bytes("caf\xe9.yaml\n".encode("latin-1"))
    os.mkfifo("pipe")
    Path("input.json").write_bytes(next(p for p in SEEDS if p.stem == "legacy_pir").read_bytes())
    result = invoke(args)
    assert_handled(result) if code != 2 else None
    assert result.exit_code == code, result.output
    assert message in result.output.splitlines(), result.output
    assert not list(Path(".").glob(".*.*")), "a temporary file was left behind"
    assert Path("pipe").is_fifo(), "the pipe was replaced"


def test_a_pipe_in_the_incidents_folder_is_refused_not_waited_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("incidents").mkdir()
    os.mkfifo("incidents/stuck.yaml")
    result = invoke(["validate"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "incidents/stuck.yaml:1: is not a regular file (a pipe, socket or device); incident files are regular files"


def _within(seconds: int, run):
    """run() or a failure after `seconds` (an open of a pipe with no writer waits for ever)."""
    def stuck(signum, frame):
        raise AssertionError(f"still waiting after {seconds} s")
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        return run()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_pipe_named_on_the_command_line_is_refused_not_waited_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("incidents").mkdir()
    os.mkfifo("incidents/stuck.yaml")
    result = _within(20, lambda: invoke(["validate", "incidents/stuck.yaml"]))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "incidents/stuck.yaml:1: is not a regular file (a pipe, socket or device); incident files are regular files"
    assert Path("incidents/stuck.yaml").is_fifo()


def test_a_pipe_put_where_a_listed_file_was_is_refused_when_read(tmp_path):
    from pir_reviews.load import loader

    listed, problems = loader.list_files([tmp_path], tmp_path)
    assert problems == [] and listed == []
    os.mkfifo(tmp_path / "swapped.yaml")  # after the listing: the reader meets the pipe itself
    data, stat, problem = _within(20, lambda: loader.read_file(tmp_path / "swapped.yaml", "swapped.yaml"))
    assert data is None and stat is None
    assert (problem.path, problem.line, problem.message) == ("swapped.yaml", 1, loader.NOT_REGULAR)


def test_pir_new_with_a_file_where_the_year_folder_goes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("incidents").mkdir()
    Path("incidents/2024").write_text("not a folder")
    result = invoke(["new", "--title", "t", "--service", "s", "--started-at", "2024-01-01T00:00:00Z"])
    assert result.exit_code == 1
    assert result.output.strip() == "pir: cannot write incidents/2024: File exists"
