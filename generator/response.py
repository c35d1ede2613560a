"""The response plan for a severity: targets, teams, first actions and a first message.

Everything comes from the severity matrix (generator.matrix) and from facts in
the input; what a responder must fill in is left in [brackets], never invented.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from generator.matrix import level
from generator.signals import TEAM_SIGNALS, find_mentions

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


def teams_for(severity: str, text: str, services: Iterable[str], flags: frozenset[str],
              owners: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Who to engage: the matrix roles (escalation order), specialist teams
    (by name), then each service's owning team (`owners`, by case-folded
    name, from services.yaml; else "<service> owners"); no repeats."""
    haystack = "\n".join([text, *services])
    specialists = {team for team, patterns in TEAM_SIGNALS.items() if find_mentions(haystack, patterns).kept}
    if "exposure" in flags:
        specialists.add("Security team")
    if "revenue" in flags:
        specialists.add("Payments team")
    known = owners or {}
    owning = sorted({known.get(s.strip().casefold()) or f"{s.strip()} owners" for s in services if s.strip()})
    return tuple(dict.fromkeys([*level(severity).escalation, *sorted(specialists), *owning]))


def initial_actions(severity: str, flags: frozenset[str]) -> tuple[str, ...]:
    """The fixed first steps of the severity, then those its signals call for."""
    targets = response_targets(severity)
    fixed = [a.format(**targets) for a in _ACTIONS[severity]]
    return tuple(dict.fromkeys(fixed + [a for kind, a in _CONDITIONAL_ACTIONS if kind in flags]))


def communication(severity: str, text: str, services: tuple[str, ...], pct: float | None) -> tuple[str, str]:
    """A first status message: only facts from the input; [brackets] for what a responder fills in."""
    row = level(severity)
    label = f"{severity.upper()} ({row.name})"
    names = ", ".join(s.strip() for s in services if s.strip())
    subject = f"[{severity.upper()}] {row.name} incident affecting {names or '[affected service]'}"
    body = [
        f"Severity: {label}",
        f"Affected services: {names or '[affected services not stated]'}",
        f"Users affected: {f'{pct:g}%' if pct is not None else '[share of users affected not stated]'}",
        "",
        "What we know:",
        text.strip() or "[describe the impact]",
        "",
        "Current status: [investigating / identified / monitoring / resolved]",
        "Incident commander: [name]",
        f"Next update: [next update time] (at most {row.update_interval_min} minutes from now)",
    ]
    return subject, "\n".join(body) + "\n"
