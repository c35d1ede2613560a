"""`pir validate`: every problem of the files and across them, in the format asked for."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from pir_reviews.commands.console import Console, plural as _plural
from pir_reviews.core.errors import ChecksFailed, InvalidInput, Problem, cannot_write
from pir_reviews.core.models import Review
from pir_reviews.load import catalogue, loader
from pir_reviews.site import batch


def run_validate(paths: list[Path], fmt: str, strict: bool, summary: str | None, changed: tuple[str, ...],
                 changed_list: Path | None, as_of: date | None, console: Console) -> None:
    """Report every problem in the chosen format; ChecksFailed (exit 1) when any is an error."""
    from pir_reviews.commands.console import as_of_default

    targets = list(paths) or [Path("incidents")]
    problems, reviews, files = validate(targets, Path("."), strict, as_of or as_of_default())
    if fmt == "github":
        annotations = validate_github(problems)
        if annotations:
            console.out(annotations)
        console.err(validate_text(problems, files))
    else:
        console.out(validate_json(problems, files) if fmt == "json" else validate_text(problems, files))
    if summary:
        append_summary(Path(summary), problems, reviews, changed, changed_list)
    if any(p.level == "error" for p in problems):
        raise ChecksFailed()


def severity_warnings(reviews: list[Review]) -> list[Problem]:
    """A declared severity that the evidence does not support is a warning at its line."""
    out = []
    for review in reviews:
        found = review.classification
        if found.disagreement:
            incident = review.incident
            out.append(Problem(incident.path, incident.line_of("severity"), None, found.disagreement, "warning"))
    return out


def validate(paths: list[Path], root: Path | None, strict: bool, as_of: date) -> tuple[list[Problem], list[Review], int]:
    """Every problem in the files (and across them), the reviews of the valid ones, and the file count."""
    known, problems = catalogue.load(root if root is not None else Path("."))
    contents, unread = loader.read_files(paths, root)
    # The same stage as `pir generate` (on every core for many files), without
    # its on-disk cache: validating never writes anything.
    reviews, found = batch.analyse_files(contents, as_of, batch.Cache(version=""), known=known)
    incidents = [review.incident for review in reviews]
    problems = problems + unread + found + catalogue.archive_problems(incidents, known) + severity_warnings(reviews)
    if strict:
        problems = [Problem(p.path, p.line, p.col, p.message + " (--strict)", "error") if p.level == "warning" else p for p in problems]
    files = len({p.path for p in problems} | {i.path for i in incidents})
    return sorted(problems, key=lambda p: (p.path, p.line, p.col or 0)), reviews, files


def validate_text(problems: list[Problem], files: int) -> str:
    """Problems grouped per file (a blank line between files), then one summary line."""
    lines: list[str] = []
    previous = None
    for problem in problems:
        if previous is not None and problem.path != previous:
            lines.append("")
        lines.append(str(problem))
        previous = problem.path
    counts = Counter(p.level for p in problems)
    bad_files = len({p.path for p in problems if p.level == "error"})
    if counts["error"]:
        tail = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')} in {bad_files} of {_plural(files, 'file')}"
    else:
        tail = f"{_plural(files, 'file')} valid" + (f", {_plural(counts['warning'], 'warning')}" if counts["warning"] else "")
    return "\n".join(lines + ([""] if lines else []) + [tail])


def validate_json(problems: list[Problem], files: int) -> str:
    counts = Counter(p.level for p in problems)
    report = {
        "valid": counts["error"] == 0,
        "files": files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "problems": [
            {"path": p.path, "line": p.line, "col": p.col, "level": p.level, "message": p.message}
            for p in problems
        ],
    }
    return json.dumps(report, indent=2, ensure_ascii=False)


def validate_github(problems: list[Problem]) -> str:
    """One workflow command per problem, for GitHub's annotations."""
    from pir_reviews.report import github

    return github.annotations(problems).rstrip("\n")


def append_summary(path: Path, problems: list[Problem], reviews: list[Review],
                   changed: tuple[str, ...], changed_list: Path | None) -> None:
    """Append the job-summary report; with --changed or --changed-list, only those incidents' reviews."""
    from pir_reviews.report import github

    listed = list(changed)
    if changed_list is not None:
        listed += _changed_list(changed_list)
    wanted = {Path(p).as_posix().removeprefix("./") for p in listed} if listed or changed_list is not None else None
    report = github.summary(problems, reviews, changed=wanted)
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as err:
        raise cannot_write(path, err) from None


def _changed_list(path: Path) -> list[str]:
    """The paths listed in a --changed-list file, one a line."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput([Problem(path.as_posix(), 1, None, f"cannot be read: {err.strerror}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InvalidInput([Problem(path.as_posix(), line, None, f"byte 0x{data[err.start]:02x} is not valid UTF-8; list one path a line, as UTF-8")]) from None
    return [line.strip() for line in text.splitlines() if line.strip()]
