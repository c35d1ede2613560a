"""Reported, believed or apparent, and then refuted: when a mention is not the fact.

People write what others think happened before they write what did:
"customers think their photos were deleted; they are all still stored",
"someone claimed our customer list had leaked; the claim was false", "it
looks like some uploads were corrupted, but the files open fine". The
deletion, the leak and the corruption are beliefs there, and the text itself
says they did not happen.

The rule: a mention is refuted when, in its sentence and before it, words
frame it as a belief, a report or an appearance (FRAME: "think", "believe",
"claimed", "reported that", "looks like", "might have", ...), and the text
goes on, within REACH characters, to refute it: the thing is still there
(PRESENT: "still stored", "all intact", "open fine", "comes back"), the
report was false (FALSE: "the claim was false", "turned out to be a false
alarm", "found no sign of it"), or a later mention of the same kind is
negated ("nothing was exposed"). A report that nothing refutes still counts:
"customers report their saved addresses are gone" is read as the loss it
describes, because a report of harm is worth acting on until it is ruled out.

Pure: stdlib only. Text is read lowercased, as everywhere in the classifier.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

# How far after a mention its refutation may come, and how far before it its
# frame: both bounded, so that a long text costs in step with its length.
REACH = 300
_FRAME_REACH = 150

FRAME = re.compile(
    r"\b(?:think|thinks|thought|believes?|believed|convinced|worr(?:y|ies|ied)|fear(?:s|ed)?|afraid|suspect(?:s|ed)?|assumed?"
    r"|claim(?:s|ed)?|alleg(?:es?|ed|edly)|rumou?r(?:s|ed)?|reported|reports? (?:of|that)|(?:users|customers|people|someone|they|we)"
    r" report|says?|said|told us|tell us|complain(?:s|ed)? that|suggest(?:s|ed)?|look(?:s|ed)? like|seem(?:s|ed)?(?: to| like| that)"
    r"|appear(?:s|ed)? (?:to|that)|apparently|supposedly|might have|may have|unconfirmed|flagged|warned|possible|potential"
    r"|false alarm (?:on|about|over|re|regarding))\b"
)
# The thing is still there: what people saw was wrong, not the data.
PRESENT = re.compile(
    r"\bstill (?:stored|saved|there|intact|present|available|exists?|safe|in (?:the |our |their )?(?:database|db|bucket|storage|system"
    r"|account|app|archive)|on (?:the |our )?(?:server|servers|disk))\b"
    r"|\b(?:are|is|were|was) (?:all |both |each )?(?:intact|in place|untouched|accounted for|safe and sound)\b"
    r"|\b(?:all|every|each|none)\b[^.;!?\n]{0,40}?\b(?:intact|accounted for|untouched)\b"
    r"|\b(?:only|just|merely) (?:hidden|filtered out|not shown|not displayed)\b|\bhid(?:es|den by)?\b"
    r"|\b(?:opens?|loads?|displays?|downloads?|plays?) (?:fine|normally|correctly)\b"
    # Held back, not gone: "they were all sitting in the queue".
    r"|\b(?:are|is|were|was) (?:all |still )*(?:sitting |waiting |held |parked |queued )?in (?:the |a |our )?(?:queue|buffer|outbox|backlog)\b"
    r"|\bcomes? back\b|\bcame back\b|\breappear(?:s|ed)?\b|\bshows? up again\b"
    r"|\bnever (?:actually )?(?:deleted|lost|removed|gone|left|leaked|exposed|accessed)\b"
    # "all rows are there", "the db has every item".
    r"|\b(?:all|every) (?:the |of the )?(?:[\w-]+ )?(?:rows?|records?|items?|orders?|files?|entries|messages?|transactions?|writes?)"
    r" (?:are|is) (?:still )?(?:there|present|in (?:the )?(?:db|database|table))\b"
    r"|\b(?:the )?(?:db|database|table|ledger) (?:still )?(?:has|holds) (?:every|all (?:of )?(?:the |them|their )?)"
    r"|\b(?:still )?(?:has|holds) every (?:single )?(?:item|row|record|order|file|entry|message|transaction)\b"
)
# The report was false: nothing happened.
FALSE = re.compile(
    r"\bturned out (?:to be |to have been )?(?:false|fake|wrong|unfounded|untrue|bogus|a hoax|a false (?:alarm|positive)|nothing|harmless"
    r"|an? (?:monitoring|display|reporting|dashboard|ui|rendering|alerting|caching|metrics) (?:glitch|bug|error|issue|artefact|artifact)"
    # What was seen belonged to stand-ins: "turned out to be seeded test accounts".
    r"|(?:[\w-]+ )?(?:test|testing|qa|demo|dummy|fake|sandbox|synthetic|seed|seeded|sample|staging) (?:accounts?|data|users?|customers?"
    r"|records|tenants?|profiles?))\b"
    r"|\b(?:claims?|reports?|rumou?rs?|alerts?|alarms?|story|post|tweet|allegations?)\s(?:was|were|is|are|proved|proven|turned out)"
    r" (?:to be )?(?:false|fake|wrong|unfounded|baseless|untrue|bogus|a hoax|mistaken)\b"
    r"|\b(?:found|finds|find|showed|shows|turned up|revealed|confirmed) (?:nothing|no (?:signs?|evidence|traces?|indications?))\b"
    r"|\bfalse (?:alarm|positive)\b|\bnot (?:true|the case)\b"
    # Only a part of what was reported: "reported as a full outage but it's only the carousel".
    r"|\bbut (?:it's|it is|it was|that's) (?:only|just) (?:the |a |one )"
    # It went nowhere outside: "turns out the export landed in our own encrypted backup bucket", "no outside access".
    r"|\b(?:turns|turned) out (?:it|they|the [\w-]+|that) (?:[\w-]+ ){0,3}?(?:landed|went|was|were|is|are|sat|sits) (?:in|to|on|into) (?:our own|an internal"
    r"|our internal|a private|our private)\b|\bno (?:outside|external|third[- ]party|unauthori[sz]ed|public) access\b"
    # What was found was a stand-in, not a real secret: "the placeholder keys from our docs, never valid".
    r"|\b(?:placeholder|sample|dummy|example|fake) (?:api )?(?:keys?|tokens?|secrets?|credentials?|passwords?)\b|\bnever (?:been )?(?:valid|live|active)\b"
)
# The data was stand-ins, or public anyway, said after the harm word, with or
# without a frame: "the leaked csv is our faker fixture, every row synthetic,
# no real customers in it", "the leaked pdf is our public brochure, it's on
# the website anyway". "No real customer impact" says nothing of whose data it was.
HARMLESS_DATA = re.compile(
    r"\bno real (?:[\w-]+ ){0,2}?(?:data|customers?|users?|people|patients?|players?|members?|records|rows|pii|details|accounts?"
    r"|information|emails?)\b(?! (?:impact|effect|harm)\b)"
    r"|\b(?:every|each) (?:row|record|entry|name|value|one of them) (?:is |was |in it is )?(?:synthetic|fake|made up|generated|fabricated)\b"
    r"|\b(?:all|entirely|purely|wholly|100%) (?:synthetic|fake|made up|made-up|generated|fabricated|dummy)\b|\bnothing real in it\b"
    # "our lorem ipsum fixture with fake names. nothing real exposed".
    r"|\b(?:lorem ipsum|fake (?:names|data|records|rows|people|emails)|dummy (?:data|records|rows))\b"
    r"|\bnothing real (?:was |got |has been )?(?:exposed|leaked|lost|deleted|in there)\b"
    r"|\b(?:public|published|on (?:the |our )?(?:website|site)|online) anyway\b"
    r"|\b(?:is|are) (?:our |the |a )?public (?:[\w-]+ ){0,3}?(?:list|brochure|feed|timetable|price list|catalog(?:ue)?|page|docs?)\b"
)
# A copy being safe does not refute the loss of the original.
_COPY = re.compile(r"\b(?:backups?|cop(?:y|ies)|snapshots?|replicas?|archives?|restored?|restoring|recover(?:ed|ing|y)?)\b")
# Who holds the belief: when it is the people who use the product, they saw
# something wrong even if the data is safe.
_PEOPLE = re.compile(
    r"\b(?:customers?|users?|shoppers?|buyers?|merchants?|visitors?|subscribers?|clients?|members?|players?|patients?|listeners?)\b"
)


@dataclass(frozen=True)
class Refuted:
    """A mention the text reports and then refutes, with the words of each."""

    phrase: str  # the report and what it says: "customers think their photos were deleted"
    by: str  # the refuting words: "still stored"
    present: bool  # refuted by saying the thing is still there, not that nothing happened
    by_people: bool  # the belief is of the people who use the product
    # Where the report runs, from its frame to the refuting words: a share
    # said there ("claimed all customers' data leaked") is of the report.
    span: tuple[int, int] = field(default=(0, 0), compare=False)


def sentence_start(text: str, at: int, reach: int) -> int:
    """Where the sentence holding text[at] begins, looking back at most `reach` characters."""
    low = max(0, at - reach)
    return max(max(text.rfind(c, low, at) for c in ".;!?\n") + 1, low)


_OPEN_QUOTES, _CLOSE_QUOTES = "'\"\u2018\u201c", "'\"\u2019\u201d"


def scare_quoted(text: str, start: int, end: int) -> bool:
    """Whether the mention text[start:end] stands alone in quotes ("the
    'leaked' key"): the word is someone else's, held at a distance."""
    return (start > 0 and end < len(text) and text[start - 1] in _OPEN_QUOTES and text[end] in _CLOSE_QUOTES
            and (start < 2 or not text[start - 2].isalnum()) and (end + 1 >= len(text) or not text[end + 1].isalnum()))


def _quoted_refutation(text: str, start: int, end: int, negated: tuple[tuple[int, str], ...]) -> Refuted | None:
    """A harm word in scare quotes, and the same kind of harm denied nearby,
    before or after it ("not a breach. the 'leaked' key ... no customer data
    was reachable"): the quoted word is what someone called it, the denial
    what happened."""
    near = [(at, phrase) for at, phrase in negated if start - REACH <= at <= end + REACH]
    if not near:
        return None
    by = min(near, key=lambda hit: abs(hit[0] - start))[1]
    return Refuted(text[start - 1: end + 1], " ".join(by.split()), False, False)


# The things said to be still where they are kept, in the same sentence as the loss word:
# "the invoices that vanished from the guest portal are still in the db".
_STILL_KEPT = re.compile(r"\b(?:are|is|were|was) (?:all )?still (?:in|on) (?:the |our )?(?:db|database|bucket|storage|system|ledger|table|server)s?\b")
_SENTENCE_END = re.compile(r"[.;!?\n]")


def _still_kept(text: str, since: int, start: int, end: int) -> Refuted | None:
    """A loss word whose sentence goes on to say the things are still where they are kept."""
    stop = _SENTENCE_END.search(text, end)
    said = _STILL_KEPT.search(text, end, stop.start() if stop else len(text))
    if said is None or _COPY.search(text, end, said.start()):
        return None
    return Refuted(" ".join(text[since: end].split()), " ".join(said.group().split()), True, False, (start, said.start()))


def _harmless_data(text: str, since: int, start: int, end: int) -> Refuted | None:
    """A harm word whose data the text goes on to call stand-ins ("every row
    synthetic, no real customers in it") or public anyway ("it's on the website anyway")."""
    said = HARMLESS_DATA.search(text, end, min(len(text), end + REACH))
    if said is None:
        return None
    return Refuted(" ".join(text[since: end].split()), " ".join(said.group().split()), False, False, (start, said.start()))


def refutation(text: str, start: int, end: int, negated_later: tuple[tuple[int, str], ...],
               harm: bool = False) -> Refuted | None:
    """How the text refutes the mention at text[start:end], or None when it
    does not: no frame before it in its sentence, or nothing refutes it after.
    `negated_later` holds (start, phrase) of negated mentions of the same kind, in text order.
    With `harm` (data lost or exposed), a mention in scare quotes is framed
    too, and refuted by a denial of the same kind on either side of it; and a
    mention whose data the text then calls stand-ins or public anyway, or
    whose sentence says the things are still where they are kept, is
    refuted, framed or not."""
    since = sentence_start(text, start, _FRAME_REACH)
    if harm and (harmless := _harmless_data(text, since, start, end) or _still_kept(text, since, start, end)):
        return harmless
    frames = list(FRAME.finditer(text, since, start))
    if not frames:
        return _quoted_refutation(text, start, end, negated_later) if harm and scare_quoted(text, start, end) else None
    frame = frames[-1]
    reach = min(len(text), end + REACH)
    by_people = bool(_PEOPLE.search(text, since, frame.start()))
    phrase = " ".join(text[since: end].split()) if by_people else " ".join(text[frame.start(): end].split())
    present, false = PRESENT.search(text, end, reach), FALSE.search(text, end, reach)
    if present is not None and _COPY.search(text, end, present.start()):
        present = None  # "the backups are still in the bucket" says a copy is safe, not the original
    later = bisect_left(negated_later, (end, ""))
    negation = negated_later[later] if later < len(negated_later) and negated_later[later][0] < reach else None
    found = [(m.start(), m.group(), kind) for m, kind in ((present, True), (false, False)) if m is not None]
    if negation is not None:
        found.append((negation[0], negation[1], False))
    if not found:
        return None
    at, by, is_present = min(found)
    return Refuted(phrase, " ".join(by.split()), is_present, by_people, (frame.start(), at))
