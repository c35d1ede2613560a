"""`pir generate`, `pir build` and `pir serve`: the site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pir_reviews.commands.console import Console, as_of_default


def run_generate(root: Path, as_of: date | None, console: Console) -> None:
    from pir_reviews.site import pipeline

    report = pipeline.generate(root, as_of or as_of_default(), progress=lambda message: console.err(f"pir: {message}"))
    console.out(str(report))


def run_build(root: Path, as_of: date | None, audience: str, site_dir: Path | None, console: Console) -> None:
    from pir_reviews.site import pipeline

    report = pipeline.build(root, as_of or as_of_default(), progress=lambda message: console.err(f"pir: {message}"),
                            audience=audience, site_dir=site_dir)
    shown = site_dir or root / (pipeline.PUBLIC_SITE if audience == "public" else pipeline.SITE)
    console.out(pipeline.built_message(report, shown))


def run_serve(root: Path, as_of: date | None, dev_addr: str, console: Console) -> None:
    from pir_reviews.site import pipeline

    pipeline.serve(root, as_of or as_of_default(), dev_addr, report=lambda message: console.err(f"pir: {message}"))
