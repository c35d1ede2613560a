"""The response plan for a severity: targets, teams, first actions and a first message.

Everything comes from the severity matrix (generator.matrix) and from facts in
the input; what a responder must fill in is left in [brackets], never invented.

Teams come from the affected services and the matrix, never from a word in the
free text: "payment terminals" in the impact of an endpoint-security outage
does not engage the Payments team. The first message is short, the way a
status update should be (what is affected, since when, what we are doing,
when the next update comes), and says only what the input states.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from pir_reviews.core.matrix import level
from pir_reviews.core.signals import TEAM_SIGNALS, find_mentions
from pir_reviews.core.models import ClassifyInput
from pir_reviews.core.timeformat import utc

_ACK = "Acknowledge within {acknowledge} minutes and post the first update within {first_update} minutes"
_ROLL_BACK = "Roll back or switch off the most recent change if it lines up with the start of impact"
_TIMELINE = "Keep a running timeline of what is seen, decided and done"
_ACTIONS: dict[str, tuple[str, ...]] = {
    "sev1": ("Page the incident commander now and open a dedicated incident channel", _ACK,
             "Post a status page notice and brief customer support", _ROLL_BACK,
             "Brief executives and send updates every {update_interval} minutes", _TIMELINE),
    "sev2": ("Page the incident commander and open an incident channel", _ACK,
             "Post a status page notice and brief customer support", _ROLL_BACK,
             "Send updates every {update_interval} minutes", _TIMELINE),
    "sev3": (_ACK, "Tell customer support which feature is affected",
             "Check the most recent change to the affected service and decide whether to roll it back",
             "Keep notes of what was tried, for the review"),
    "sev4": ("Acknowledge within {acknowledge} minutes and record the issue in the owning team's queue",
             "Confirm that no customer-facing system is affected", "Fix it during working hours"),
}
# Added after the fixed list, in this order, when the signal holds.
_CONDITIONAL_ACTIONS: tuple[tuple[str, str], ...] = (
    ("exposure", "Engage the security team and preserve evidence (logs, access records) before changing anything"),
    ("exposure", "Rotate any credentials or keys that may have been exposed"),
    ("exposure", "Ask legal and privacy whether customers or regulators must be notified"),
    ("data_loss", "Stop the writes that could make the data loss worse and snapshot what remains"),
    ("data_loss", "Find which records were lost or corrupted, and since when"),
    ("sla", "Tell account managers which customers' SLAs were breached"),
    ("revenue", "Check payment processing and list failed or duplicated transactions to reconcile"),
    ("workaround", "Publish the workaround to customer support and on the status page"),
    ("internal", "Confirm that no customer-facing system is affected"),
)
_TARGET_KEYS = ("acknowledge", "first_update", "update_interval", "mitigate", "resolve")


def response_targets(severity: str) -> dict[str, int]:
    """The matrix's response-time targets for a severity, in minutes."""
    row = level(severity)
    return {key: getattr(row, f"{key}_min") for key in _TARGET_KEYS}


def teams_for(severity: str, services: Iterable[str], flags: frozenset[str],
              owners: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Who to engage: the matrix roles (escalation order), specialist teams
    (by name), then each service's owning team (`owners`, by case-folded
    name, from services.yaml; else "<service> owners"); no repeats.

    A specialist team is engaged when an affected service is theirs by name
    (a database, the network, payments, security), and the Security team also
    when the evidence says data was exposed (a sev1 criterion of the matrix).
    """
    names = [s.strip() for s in services if s.strip()]
    specialists = {team for team, patterns in TEAM_SIGNALS.items()
                   if any(find_mentions(_words(name), patterns).kept for name in names)}
    if "exposure" in flags:
        specialists.add("Security team")
    known = owners or {}
    owning = sorted({known.get(name.casefold()) or f"{name} owners" for name in names})
    return tuple(dict.fromkeys([*level(severity).escalation, *sorted(specialists), *owning]))


def _words(service: str) -> str:
    """A service name as words, so "payments-db" and "payment_api" match like prose does."""
    return re.sub(r"[-_./:]+", " ", service)


def initial_actions(severity: str, flags: frozenset[str]) -> tuple[str, ...]:
    """The fixed first steps of the severity, then those its signals call for."""
    targets = response_targets(severity)
    fixed = [a.format(**targets) for a in _ACTIONS[severity]]
    return tuple(dict.fromkeys(fixed + [a for kind, a in _CONDITIONAL_ACTIONS if kind in flags]))


# What we are doing, for each status a file may state.
_DOING = {
    "investigating": "We are investigating the cause.",
    "identified": "We have found the cause and are working on a fix.",
    "monitoring": "A fix is in place and we are watching that it holds.",
    "resolved": "The problem is fixed; we are confirming that everything is back to normal.",
}
_HEADLINE_MAX = 160


def _headline(inp: ClassifyInput) -> str | None:
    """One line that says what people see: the title, else the first sentence of the text."""
    if inp.title and inp.title.strip():
        return " ".join(inp.title.split())
    first = re.split(r"(?<=[.!?])\s|\n\s*\n", (inp.text or "").strip(), maxsplit=1)[0]
    line = " ".join(first.split())
    if len(line) > _HEADLINE_MAX:
        line = line[:_HEADLINE_MAX].rsplit(" ", 1)[0] + " ..."
    return line or None


def communication(severity: str, inp: ClassifyInput) -> tuple[str, str]:
    """A short first status message from the input's facts; [brackets] only for what it lacks."""
    row = level(severity)
    names = ", ".join(s.strip() for s in inp.services if s.strip())
    pct = inp.impact.users_affected_pct
    headline = _headline(inp)
    status = (inp.status or "").strip().lower() or None
    subject = f"[{severity.upper()}] {headline.rstrip(' .;:') if headline else f'{row.name} incident'}"
    if names:
        subject += f" ({names})"
    affected = names or "[affected services]"
    affected += f", {pct:g}% of users" if pct is not None else ", [share of users affected]"
    body = [
        f"Status: {status.capitalize() if status else '[investigating / identified / monitoring / resolved]'}",
        f"Severity: {severity.upper()} ({row.name})",
        f"What is affected: {affected}",
        f"What people see: {headline or '[what customers see, in one sentence]'}",
        f"Since: {utc(inp.started_at) if inp.started_at else '[start time, UTC]'}",
        f"What we are doing: {_DOING.get(status or '', '[what we are doing now]')}",
        f"Incident commander: {inp.commander.strip() if inp.commander and inp.commander.strip() else '[name]'}",
        "Next update: a summary once the review is written" if status == "resolved"
        else f"Next update: within {row.update_interval_min} minutes, by [time, UTC]",
    ]
    return subject, "\n".join(body) + "\n"
