"""`pir classify`, `pir timeline` and `pir review`: one input, analysed, in one format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pir_reviews.commands.console import Console, as_of_default, read_input, write_output
from pir_reviews.core import analysis
from pir_reviews.core import classify as classify_core
from pir_reviews.core import timeline as timeline_core
from pir_reviews.core.errors import InvalidInput, UsageError
from pir_reviews.core.models import RCA_METHODS
from pir_reviews.load import catalogue
from pir_reviews.load import sniff as inputs


def run_classify(source: str, fmt: str, output: str, interactive: bool, console: Console) -> None:
    if interactive:
        text = classify_interactive(lambda question, default: console.ask(question, default, None), fmt)
    else:
        data, name = read_input(source, console)
        text = classify(data, name, fmt)
    write_output(text, output, console)


def run_timeline(source: str, fmt: str, output: str, gap_analysis: bool, severity: str | None, console: Console) -> None:
    data, name = read_input(source, console)
    write_output(timeline(data, name, fmt, gap_analysis, severity), output, console)


def run_review(source: str, events_file: str | None, rca_method: str, fmt: str, output: str, as_of: date | None,
               console: Console) -> None:
    data, name = read_input(source, console)
    events = None
    if events_file:
        events_data, events_name = read_input(events_file, console)
        events = inputs.events(events_data, events_name)
    methods = RCA_METHODS if rca_method == "all" else (rca_method,)
    write_output(review(data, name, events, methods, fmt, as_of or as_of_default()), output, console)


def service_owners(root: Path = Path(".")) -> tuple[tuple[str, str], ...]:
    """The owning teams from the archive's services.yaml (none without one); a broken catalogue stops the command."""
    known, problems = catalogue.load(root)
    if any(p.level == "error" for p in problems):
        raise InvalidInput(problems)
    return known.owners() if known is not None else ()


def classify(data: bytes, path: str, fmt: str) -> str:
    from dataclasses import replace

    from pir_reviews.report import classification as out

    found = classify_core.classify(replace(inputs.classify_input(data, path), owners=service_owners()))
    return _format(out, found, fmt)


def timeline(data: bytes, path: str, fmt: str, gap_analysis: bool, severity: str | None) -> str:
    from pir_reviews.report import timeline_report as out

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

    from pir_reviews.report import review_document as out

    incident = inputs.incident(data, path)
    if events:
        merged = tuple(sorted(incident.timeline + events, key=lambda e: (e.at, e.order)))
        incident = replace(incident, timeline=tuple(replace(e, order=i) for i, e in enumerate(merged)))
    return _format(out, analysis.analyse(incident, as_of, rca_methods, owners=service_owners()), fmt)


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
    from pir_reviews.core.models import Impact, Incident
    from pir_reviews.report import classification as out

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
    draft = Incident(id="", title="", started_at=None, services=services, summary=text, impact=impact)
    return _format(out, classify_core.classify(classify_core.classify_input_from_incident(draft)), fmt)
