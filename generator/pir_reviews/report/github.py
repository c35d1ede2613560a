"""What `pir validate --format github` writes for GitHub Actions.

Two outputs:

* `annotations()`: workflow commands (`::error file=...,line=...::message`) that
  GitHub turns into notes on the pull request's diff. GitHub shows only ten of
  each kind per step, so they point at the first problems, not all of them.
* `summary()`: Markdown for `$GITHUB_STEP_SUMMARY`, the job's report page. It
  lists every problem, and for each changed incident its severity, response
  metrics, completeness and the rendered review, kept to SUMMARY_LIMIT bytes:
  GitHub drops a step's summary entirely when it is over 1 MiB, and other
  steps may append to the same file, so ours stops well short of that.

No click here: the CLI decides where these strings go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pir_reviews.core.timeformat import duration
from pir_reviews.core.errors import Problem
from pir_reviews.render.escape import html_text, inline
from pir_reviews.core.models import Review
from pir_reviews.render.review_markdown import body_markdown

TITLE = "pir validate"

# About 900 KB: under GitHub's 1 MiB per step, with room for what other steps append.
SUMMARY_LIMIT = 900_000

# Response metrics shown per incident, in the order a responder lives them.
METRICS = (
    ("time_to_detect_min", "Time to detect"),
    ("time_to_acknowledge_min", "Time to acknowledge"),
    ("time_to_mitigate_min", "Time to mitigate"),
    ("time_to_resolve_min", "Time to resolve"),
)

PREVIEW_HINT = (
    "download the `site-preview` artifact of this workflow run, "
    "or run `make site` locally and open `site/index.html`"
)


# ---- annotations -----------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message the way GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (file, title) like the toolkit."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(problem: Problem) -> str:
    kind = "warning" if problem.level == "warning" else "error"
    props = [("file", problem.path), ("line", str(problem.line))]
    if problem.col is not None:
        props.append(("col", str(problem.col)))
    props.append(("title", TITLE))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{kind} {rendered}::{escape_data(problem.message)}"


def _ordered(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.col or 0, p.level, p.message))


def annotations(problems: Sequence[Problem]) -> str:
    """One workflow command per problem (errors and warnings), sorted by place.

    Paths are printed as given: GitHub resolves them against the repository root.
    """
    lines = [_command(problem) for problem in _ordered(problems)]
    return "".join(line + "\n" for line in lines)


# ---- job summary -----------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def headline(problems: Sequence[Problem], checked: int) -> str:
    """The first line: passed or failed, with counts of errors, warnings and files."""
    errors = sum(1 for p in problems if p.level != "warning")
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    incidents = _plural(checked, "incident")
    if errors:
        return (
            f"## pir validate: failed, {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')} in {_plural(files, 'file')}"
        )
    if warnings:
        return (
            f"## pir validate: passed with {_plural(warnings, 'warning')} "
            f"in {_plural(files, 'file')} ({incidents} checked)"
        )
    return f"## pir validate: passed, no problems ({incidents} checked)"


def _problem_line(problem: Problem) -> str:
    where = f"line {problem.line}" + (f", col {problem.col}" if problem.col is not None else "")
    kind = "warning" if problem.level == "warning" else "error"
    return f"- {where}: **{kind}**: {inline(problem.message)}"


def _problem_blocks(problems: Sequence[Problem]) -> list[str]:
    """The problem list as blocks: a heading per file followed by one line per problem."""
    blocks: list[str] = []
    current: str | None = None
    for problem in _ordered(problems):
        if problem.path != current:
            current = problem.path
            blocks.append(f"\n#### {inline(current)}\n")
        blocks.append(_problem_line(problem))
    return blocks


def _incident_head(review: Review) -> str:
    incident = review.incident
    classification = review.classification
    out = [f"### {inline(incident.id)}: {inline(incident.title)}", ""]
    out.append(f"File: {inline(incident.path)}")
    out.append("")
    declared = incident.severity
    severity = f"**Computed severity:** {classification.severity}"
    if declared is not None:
        severity += f" (declared: {declared})"
    else:
        severity += " (none declared)"
    out.append(severity)
    if classification.disagreement:
        out.append("")
        out.append(f"> **Note:** {inline(classification.disagreement)}")
    out += ["", "| Response metric | Actual | Target |", "| --- | --- | --- |"]
    targets = {check.metric: check for check in review.timeline.targets}
    for key, label in METRICS:
        check = targets.get(key)
        target = f"{duration(check.target_min)}, {check.verdict}" if check is not None else "no target"
        out.append(f"| {label} | {duration(review.timeline.metrics.get(key))} | {target} |")
    completeness = review.completeness
    verdict = "policy met" if completeness.meets_policy else "policy **not met**"
    out += [
        "",
        f"**Completeness:** {completeness.score}/100, {verdict} "
        f"({inline(completeness.policy)})",
    ]
    lacking = [item for item in completeness.items if item.status != "ok"]
    if lacking:
        out.append("")
        for item in lacking:
            need = "required" if item.required else "optional"
            out.append(
                f"- {inline(item.section)}: {item.status} ({need})"
                + (f": {inline(item.note)}" if item.note else "")
            )
    return "\n".join(out) + "\n"


def _incident_details(review: Review) -> str:
    label = html_text(f"Rendered review: {review.incident.id}: {review.incident.title}")
    body = body_markdown(review).strip("\n")
    return f"\n<details><summary>{label}</summary>\n\n{body}\n\n</details>\n"


def _selected(reviews: Sequence[Review], changed: set[str] | None) -> list[Review]:
    """The reviews to describe: all, or those whose file the pull request changed.

    A changed path matches an incident path when equal, or when the incident's
    path is relative to the archive folder (`a.yaml` for `incidents/a.yaml`).
    """
    ordered = sorted(reviews, key=lambda r: (r.incident.path, r.incident.id))
    if changed is None:
        return ordered
    wanted = {_normal(path) for path in changed}

    def matches(path: str) -> bool:
        own = _normal(path)
        return any(own == w or w.endswith("/" + own) for w in wanted)

    return [review for review in ordered if matches(review.incident.path)]


def _normal(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@dataclass
class _Budget:
    """Counts UTF-8 bytes against the step summary's limit."""

    limit: int
    used: int = 0

    def fits(self, text: str) -> bool:
        return self.used + len(text.encode("utf-8")) <= self.limit

    def take(self, text: str) -> None:
        self.used += len(text.encode("utf-8"))


def summary(
    problems: Sequence[Problem],
    reviews: Sequence[Review],
    *,
    changed: set[str] | None = None,
    limit_bytes: int = SUMMARY_LIMIT,
) -> str:
    """The job summary for $GITHUB_STEP_SUMMARY, at most `limit_bytes` UTF-8 bytes.

    When everything does not fit, the rendered reviews go first (a note says how
    to read them in the preview artifact), then the tail of the problem list
    (the short per-incident sections are kept if at all possible); each cut
    says how much was left out.
    """
    chosen = _selected(reviews, changed)
    top = headline(problems, len(reviews)) + "\n"
    problem_blocks = _problem_blocks(problems)
    problem_title = f"\n### Problems ({len(problems)})\n" if problems else ""
    scope = "all incidents" if changed is None else "incidents changed in this pull request"
    incident_title = f"\n## Reviews of {scope} ({len(chosen)})\n\n"
    if not chosen:
        incident_title += (
            "No incident file changed in this pull request.\n" if changed is not None else "No incidents.\n"
        )
    heads = [_incident_head(review) for review in chosen]
    details = [_incident_details(review) for review in chosen]

    problem_part = problem_title + "".join(block + "\n" for block in problem_blocks)
    full = top + problem_part + incident_title + "\n".join(h + d for h, d in zip(heads, details))
    if _size(full) <= limit_bytes:
        return full
    start = top + problem_part + incident_title
    if _size(start + "\n".join(heads) + _reviews_note(len(details), len(details))) <= limit_bytes:
        return _without_some_reviews(start, heads, details, limit_bytes)
    return _cut(top, problem_title, problem_blocks, len(problems), incident_title, heads, len(details), limit_bytes)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _reviews_note(left: int, total: int) -> str:
    if not left:
        return ""
    what = "rendered review" if total == 1 else "rendered reviews"
    count = f"{left} of {total} {what}" if left != total else f"{total} {what}"
    return (
        f"\n> **{count} left out** to stay under GitHub's step summary limit; "
        f"to read them, {PREVIEW_HINT}.\n"
    )


def _without_some_reviews(start: str, heads: list[str], details: list[str], limit: int) -> str:
    """Every problem and incident section, and the rendered reviews that still fit, in order."""
    budget = _Budget(limit)
    budget.take(start + "\n".join(heads) + _reviews_note(len(details), len(details)))
    kept: list[str] = []
    for detail in details:
        if budget.fits(detail):
            budget.take(detail)
            kept.append(detail)
        else:
            break
    shown = [head + (kept[i] if i < len(kept) else "") for i, head in enumerate(heads)]
    return start + "\n".join(shown) + _reviews_note(len(details) - len(kept), len(details))


def _cut(
    top: str,
    problem_title: str,
    problem_blocks: list[str],
    problem_count: int,
    incident_title: str,
    heads: list[str],
    review_count: int,
    limit: int,
) -> str:
    """No rendered review, then as much of the problem list and incident sections as fits."""
    reviews_note = _reviews_note(review_count, review_count)
    room = 400  # reserved for the two "N more ... not shown" lines
    budget = _Budget(limit)
    budget.take(top + problem_title + incident_title + reviews_note)
    budget.used += room

    # The incident sections are short and say what each change is; they come
    # before the problem list's tail.
    shown_heads: list[str] = []
    for head in heads:
        if not budget.fits(head + "\n"):
            break
        budget.take(head + "\n")
        shown_heads.append(head)
    left_heads = len(heads) - len(shown_heads)

    shown_problems: list[str] = []
    left_problems = 0
    for index, block in enumerate(problem_blocks):
        if budget.fits(block + "\n"):
            budget.take(block + "\n")
            shown_problems.append(block)
        else:
            left_problems = sum(1 for b in problem_blocks[index:] if b.startswith("- "))
            break
    if shown_problems and not shown_problems[-1].startswith("- "):
        shown_problems.pop()  # a file heading with none of its problems

    out = [top]
    if problem_title:
        out.append(problem_title)
        out.append("".join(block + "\n" for block in shown_problems))
        if left_problems:
            out.append(
                f"\n**{_plural(left_problems, 'more problem')} not shown** (of {problem_count}) "
                "to stay under GitHub's step summary limit; "
                "run `pir validate incidents/` locally for the full list.\n"
            )
    out.append(incident_title)
    out.append(reviews_note)
    out.append("\n".join(shown_heads))
    if left_heads:
        out.append(
            f"\n**{_plural(left_heads, 'more incident')} not shown**; "
            f"to read them, {PREVIEW_HINT}.\n"
        )
    text = "".join(out)
    if _size(text) > limit:  # only when the limit cannot even hold the headline and notes
        text = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    return text
