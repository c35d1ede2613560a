"""What each `pir` command does, apart from parsing its options.

Every function returns the text to print (and an exit code where it varies);
the CLI only declares options, reads inputs and prints.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from generator import analysis, batch, inputs, loader, timeline as timeline_core
from generator import classify as classify_core
from generator.errors import CannotWrite, InvalidInput, Problem, UsageError, WriteRefused, cannot_write
from generator.models import Review


def as_of_default() -> date:
    """The day overdue items are judged against: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).date()
        except (ValueError, OverflowError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.now(timezone.utc).date()


def write_output(text: str, output: str, echo: Callable[[str], None]) -> None:
    """Print to stdout ("-") or replace FILE atomically; never writes through a symlink."""
    if output == "-":
        echo(text.rstrip("\n"))
        return
    target = Path(output)
    if not output or target.name in ("", ".", ".."):
        raise UsageError(f"--output {output!r} is not a file name")
    if target.is_symlink():
        raise WriteRefused(f"{output} is a symlink; refusing to write through it")
    if target.is_dir():
        raise CannotWrite(f"cannot write {output}: it is a folder")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CannotWrite(f"cannot write {output}: the folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as err:
        raise cannot_write(output, err) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.replace(temp, target)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise cannot_write(output, err) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---- validate ---------------------------------------------------------------------


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
    contents, problems = loader.read_files(paths, root)
    # The same stage as `pir generate` (on every core for many files), without
    # its on-disk cache: validating never writes anything.
    reviews, found = batch.analyse_files(contents, as_of, batch.Cache(version=""))
    incidents = [review.incident for review in reviews]
    problems = problems + found + loader.duplicate_ids(incidents) + severity_warnings(reviews)
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
    from generator.output import github

    return github.annotations(problems).rstrip("\n")


def append_summary(path: Path, problems: list[Problem], reviews: list[Review],
                   changed: tuple[str, ...], changed_list: Path | None) -> None:
    """Append the job-summary report; with --changed or --changed-list, only those incidents' reviews."""
    from generator.output import github

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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---- classify, timeline, review -------------------------------------------------


def classify(data: bytes, path: str, fmt: str) -> str:
    from generator.output import classification as out

    found = classify_core.classify(inputs.classify_input(data, path))
    return _format(out, found, fmt)


def timeline(data: bytes, path: str, fmt: str, gap_analysis: bool, severity: str | None) -> str:
    from generator.output import timeline as out

    incident = inputs.incident(data, path)
    chosen = severity or incident.severity
    if chosen is None:
        found = classify_core.classify(classify_core.classify_input_from_incident(incident))
        chosen = found.severity if incident.summary else None
    result = timeline_core.reconstruct(incident, chosen)
    if fmt == "text":
        return out.as_text(result, gap_analysis=gap_analysis)
    return _format(out, result, fmt)


def review(data: bytes, path: str, events: tuple | None, rca_methods: tuple[str, ...], fmt: str, as_of: date) -> str:
    from dataclasses import replace

    from generator.output import review as out

    incident = inputs.incident(data, path)
    if events:
        merged = tuple(sorted(incident.timeline + events, key=lambda e: (e.at, e.order)))
        incident = replace(incident, timeline=tuple(replace(e, order=i) for i, e in enumerate(merged)))
    return _format(out, analysis.analyse(incident, as_of, rca_methods), fmt)


def _format(module, record, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(module.as_json(record), indent=2, ensure_ascii=False, sort_keys=False)
    if fmt == "markdown":
        return module.as_markdown(record)
    return module.as_text(record)


def classify_interactive(ask: Callable[..., str], fmt: str) -> str:
    """Ask the matrix's questions one by one; `ask(question, default)` returns the answer text.

    Yes/no questions accept yes, no or unknown (the default): an unknown answer
    leaves the field unset, so the text may still decide it.
    """
    from generator.models import ClassifyInput, Impact
    from generator.output import classification as out

    def yes_no(question: str) -> bool | None:
        while True:
            answer = ask(f"{question} [yes/no/unknown]", "unknown").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            if answer in ("", "?", "unknown", "u"):
                return None

    text = ask("What is happening? (one or two sentences)", None)
    services = tuple(s.strip() for s in ask("Affected services, comma-separated", "").split(",") if s.strip())
    share = None
    while True:
        answer = ask("Share of users affected, in percent (empty if unknown)", "").strip().rstrip("%")
        if not answer:
            break
        try:
            share = float(answer)
        except ValueError:
            continue
        if 0 <= share <= 100:
            break
        share = None
    impact = Impact(
        users_affected_pct=share,
        complete_outage=yes_no("Is a customer-facing or revenue system completely down?"),
        data_loss=yes_no("Was user data lost or corrupted?"),
        security=yes_no("Was customer data exposed, or is this a security breach?"),
        sla_breached=yes_no("Is a service-level agreement breached?"),
        workaround=yes_no("Do users have a workaround?"),
        internal_only=yes_no("Is the impact internal-only or non-production?"),
    )
    return _format(out, classify_core.classify(ClassifyInput(text=text, services=services, impact=impact)), fmt)
