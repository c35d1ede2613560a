"""What an event's words state: milestones said in so many words, whatever the
event's type, and the negation rule that event types share.

Why: people write "Sarah acknowledged the page" in a status message and
"incident resolved" in a note. The old scripts skipped such events because
their type said something else, took a later escalation as the
acknowledgement and reported the resolution as unknown. Here the words
count on any event; a declared type is never changed by them (see
pir_reviews.core.timeline for how milestones use them).

Rules: on every event, whatever its type (declared or not), the words may
state a milestone. Matching is case-insensitive and on whole words:

- acknowledged_at - acknowledged, acked, on it, I'm looking, I'll take it
- contained_at    - rolled back (also "rolled <thing> back"), rollback
                    complete, reverted to / reverted the <change, deploy,
                    release, commit, version, config, ...>, revert complete,
                    failed over, failover complete, contained, stopped the
                    bleeding, no new errors/failures/crashes/impact,
                    errors/failures/crashes/rejections/timeouts/retries/
                    rebalancing stopped
- mitigated_at    - recovered, back to normal, returned to normal, impact
                    over/ended/stopped, no further impact, mitigated,
                    service(s)/functionality/access restored, fully
                    operational
- resolved_at     - resolved, closed the incident, incident closed, closing
                    the incident, all clear

A statement does not count when one of its three previous words in the
clause negates it (NEGATIONS, as for event types) or hedges it (HEDGES:
"partially", "once", "will", "until", "to be", ...), when it is asked ("resolved?"), part of a hyphenated word
("auto-resolved", "self-contained"), or about a tool's own alert ("alert
resolved": the word just before it is alert, alarm, page, monitor, check or
ticket; acknowledging an alert still counts). "Reverted the override" is
not containment: undoing an attempt is not stopping the cause.

Pure: stdlib only.
"""

from __future__ import annotations

import re

from pir_reviews.core.leads import may_hold, needles

WORD_START = r"(?<![\w'])"
WORD_END = r"(?![\w'])"

NEGATIONS = frozenset({
    "not", "no", "never", "without", "cannot", "can't", "isn't", "wasn't", "aren't", "weren't",
    "hasn't", "haven't", "hadn't", "didn't", "don't", "doesn't", "won't",
})

_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\n]")


def negated(text: str, start: int) -> bool:
    """Is the match at `start` preceded, in its clause, by a negation among the three previous words?"""
    before = text[:start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1]:] if ends else before
    return any(word in NEGATIONS for word in clause.split()[-3:])


# What people write when a milestone happens, whatever type the event has.
# Checked on every event, in this order; an event may state several.
_REVERTED_WHAT = r"(?:change|deploy(?:ment)?|release|commit|version|build|config(?:uration)?|pr|merge|upgrade|update)"
STATED_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("acknowledged_at", (
        r"acknowledged", r"ack(?:ed|'d)", r"on it", r"i'm looking", r"i am looking",
        r"i'?ll take (?:it|this)", r"taking (?:it|this) on",
    )),
    ("contained_at", (
        r"rolled back", r"rolled (?:the )?[\w.-]+(?: [\w.-]+)? back", r"roll-?back (?:is |was )?(?:complete|completed|done|finished)",
        r"reverted (?:to|the (?:[\w.-]+ )?" + _REVERTED_WHAT + r")", r"revert (?:is |was )?(?:complete|completed|done|deployed|live)",
        r"failed over", r"fail-?over (?:is |was )?(?:complete|completed|done)", r"contained", r"stopped the bleeding",
        r"no new (?:errors|failures|crashes|impact)",
        r"(?:errors|failures|crashes|rejections|timeouts|retries|rebalanc\w*) (?:have |has |then )?stopped",
    )),
    ("mitigated_at", (
        r"recovered", r"back to normal", r"returned to normal", r"impact (?:is |was |has )?(?:over|ended|stopped)",
        r"no (?:further|more) (?:customer |user )?impact", r"mitigated",
        r"(?:service|services|functionality|access) (?:is |are |was |were |has been |have been )?(?:fully )?restored",
        r"fully operational",
    )),
    ("resolved_at", (
        r"resolved", r"closed the incident", r"incident (?:is |was |now |has been )?closed",
        r"closing (?:the )?incident", r"all[ -]clear",
    )),
)

# A statement preceded by one of these among its three previous words (in its
# clause) is not yet a fact ("partially resolved", "once rolled back", "will
# recover"). A resolution of an alert or page ("alert resolved") is the tool
# closing its own alert, not the incident; acknowledging one is an ack.
HEDGES = frozenset({
    "partially", "partly", "once", "until", "when", "if", "will", "would", "should", "could", "expected",
    "expect", "pending", "awaiting", "before", "to", "be", "almost", "nearly", "mostly",
})
_TOOL_WORDS = frozenset({"alert", "alerts", "alarm", "alarms", "page", "pages", "monitor", "check", "checks", "ticket"})



def word_rules(rules: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, re.Pattern, tuple[str, ...] | None], ...]:
    """Each (name, phrases) as (name, one alternation of the phrases as whole
    words, its needles): a text is searched once per rule, not once per
    phrase, and not at all when it holds none of the needles
    (pir_reviews.core.leads)."""
    compiled = []
    for name, phrases in rules:
        pattern = re.compile(WORD_START + "(?:" + "|".join(f"(?:{phrase})" for phrase in phrases) + ")" + WORD_END)
        compiled.append((name, pattern, needles(pattern)))
    return tuple(compiled)


_STATED = word_rules(STATED_RULES)


def _qualified(name: str, text: str, start: int) -> bool:
    """Is the statement at `start` negated, hedged, a question, a compound ("auto-resolved"), or
    (for a resolution) about an alert?"""
    if negated(text, start) or (start > 0 and text[start - 1] == "-"):
        return True
    before = text[:start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    words = (before[ends[-1]:] if ends else before).split()
    if any(word in HEDGES for word in words[-3:]):
        return True
    if name == "resolved_at" and words and words[-1] in _TOOL_WORDS:
        return True
    after = _CLAUSE_END.search(text, start)
    return after is not None and text[after.start()] == "?"


def stated_milestones(message: str) -> dict[str, str]:
    """The milestones an event's words state, each with the words that state it.

    Rules in this module's docstring; independent of the event's type, so a
    `communication` saying "Sarah acknowledged the page" still states the
    acknowledgement.
    """
    text = " ".join(message.replace("\u2019", "'").lower().split())
    found: dict[str, str] = {}
    for name, pattern, words in _STATED:
        if not may_hold(words, text):
            continue
        match = pattern.search(text)  # most events state nothing: no generator for them
        if match is not None and _qualified(name, text, match.start()):
            match = next((m for m in pattern.finditer(text, match.end()) if not _qualified(name, text, m.start())), None)
        if match is not None:
            found[name] = match.group()
    return found
