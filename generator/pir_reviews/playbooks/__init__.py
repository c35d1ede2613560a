"""The playbooks pir ships: incident response, severity matrix, RCA, communication, targets.

They are package data, so upgrading pir upgrades them. The site publishes
each under playbooks/ unless the archive has its own docs/playbooks/<name>.md,
which replaces that one page (see site.handwritten_files).
"""

from __future__ import annotations

from importlib.resources import files


def default_pages() -> dict[str, bytes]:
    """Every shipped playbook page, by file name (index.md, severity-matrix.md, ...)."""
    folder = files(__package__)
    return {entry.name: entry.read_bytes() for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".md")}
