"""The package's shape: one stage per folder, imports only down the stack, a pure core.

| stage    | may import (besides itself and the standard library)         |
|----------|--------------------------------------------------------------|
| core     | nothing: no click, yaml, jinja2, mkdocs, markdown; no files   |
| load     | core (and yaml, the reader's tokeniser)                       |
| render   | core (and jinja2)                                             |
| report   | core, render                                                  |
| site     | core, load, render (and mkdocs)                               |
| tracker  | core, load, render (GitHub issues, over HTTP)                 |
| importers| core, load (Slack, PagerDuty, CSV, GitHub deployments)        |
| top      | everything below (cli, commands, scaffold)                    |
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "pir_reviews"
STAGES = ("core", "load", "render", "report", "site", "tracker", "importers")
ALLOWED = {
    "core": {"core"},
    "load": {"core", "load"},
    "render": {"core", "render"},
    "report": {"core", "render", "report"},
    "site": {"core", "load", "render", "site"},
    "tracker": {"core", "load", "render", "tracker"},
    "importers": {"core", "load", "importers"},
}
THIRD_PARTY_IN_CORE = ("click", "yaml", "jinja2", "mkdocs", "markdown", "material", "pymdownx")
# What "no file I/O" means for the core: none of these modules, no open().
IO_MODULES = {"os", "io", "pathlib", "shutil", "tempfile", "subprocess", "socket", "glob", "fcntl", "urllib", "http"}


def modules(stage: str | None = None) -> list[Path]:
    root = PACKAGE / stage if stage else PACKAGE
    return sorted(p for p in root.rglob("*.py"))


def stage_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 and rel[0] in STAGES else "top"


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_no_two_modules_share_a_name():
    names: dict[str, list[str]] = {}
    for path in modules():
        if path.name != "__init__.py":
            names.setdefault(path.stem, []).append(path.relative_to(PACKAGE).as_posix())
    shared = {name: paths for name, paths in names.items() if len(paths) > 1}
    assert not shared, f"modules sharing a name: {shared}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_down_the_stack(path):
    stage = stage_of(path)
    if stage == "top":
        return
    for line, name in imports_of(path):
        if name.startswith("pir_reviews."):
            target = name.split(".")[1]
            target = target if target in STAGES else "top"
            assert target in ALLOWED[stage], f"{path.name}:{line}: {stage} imports {name} ({target} is not below {stage})"


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.name)
def test_the_core_touches_no_files_and_no_framework(path):
    for line, name in imports_of(path):
        top = name.split(".")[0]
        assert top not in THIRD_PARTY_IN_CORE, f"{path.name}:{line}: core imports {name}"
        assert top not in IO_MODULES, f"{path.name}:{line}: core imports {name} (file or network I/O)"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"]
    assert not calls, f"{path.name}: open() on lines {calls}"


def test_importing_the_core_loads_no_framework():
    """Import every core module in a fresh interpreter and look at what got loaded."""
    names = [f"pir_reviews.core.{p.stem}" for p in modules("core") if p.name != "__init__.py"]
    code = (
        "import sys\n"
        + "".join(f"import {n}\n" for n in names)
        + f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {THIRD_PARTY_IN_CORE!r})\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"importing the core loaded: {result.stdout.strip()}"
