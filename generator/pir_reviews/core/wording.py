"""What the words of an incident say about its severity, as rules with reasons.

pir_reviews.core.classify weighs impact fields and text together; this module holds
the part that reads only text: how broad the impact is (generator.quantities,
outage and failure words) and whom it touches (customers, staff, a
non-production environment, nobody: cosmetic or documentation). Every reason
quotes the words that produced it, so a responder can see why and argue with
the words rather than with the classifier.

The internal-tooling row of the matrix lives here too: internal tooling down
for all of engineering (or the whole company) is a sev2, because nobody can
ship a fix for anything else while it lasts; any other internal-only or
non-production trouble is a sev4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pir_reviews.core.matrix import INTERNAL_BLOCKING_SEVERITY, level
from pir_reviews.core.quantities import WHOLE_SYSTEM, Share
from pir_reviews.core.modality import Refuted
from pir_reviews.core.signals import PARTIAL, REFUTABLE, SIGNALS, Mentions, find_mentions

Found = dict[str, Mentions]


@dataclass(frozen=True)
class Rule:
    severity: str
    reason: str
    source: str  # "field" | "text"


def quote(phrases: tuple[str, ...]) -> str:
    return ", ".join(f'"{p}"' for p in phrases[:3])


def severity_for_share(pct: float) -> str:
    """The matrix level for a share of users: >75 sev1, >=25 sev2, >0 sev3, 0 sev4."""
    if pct > (level("sev1").users_above_pct or 0):
        return "sev1"
    if pct >= (level("sev2").users_above_pct or 0):
        return "sev2"
    if pct > (level("sev3").users_above_pct or 0):
        return "sev3"
    return "sev4"


def share_words(sev: str) -> str:
    top, mid = level("sev1").users_above_pct, level("sev2").users_above_pct
    return {"sev1": f"more than {top:g}%", "sev2": f"{mid:g}% to {top:g}%",
            "sev3": f"fewer than {mid:g}%", "sev4": "none"}[sev]


def is_partial(found: Found) -> bool:
    """The text says part of it still works: "partial", "a subset", "card payments still work"."""
    return bool(found["alternative"].kept) or any(PARTIAL.match(p) for p in found["degraded"].kept)


# "completely down" and its kin say of what comes before them that it is down.
_SAID_OF_BEFORE = re.compile(r"^(?:(?:completely|totally|entirely|fully|hard) |(?:down|unavailable|offline|unreachable|dead) (?:completely|totally|entirely))")
_CLAUSE_START = re.compile(r"[.;!?\n,(]|\b(?:but|and|while|so|because|although|though)\b")


def _clause_start(low: str, since: int, at: int) -> int:
    """Where the clause holding low[at] begins, looking back no further than `since`."""
    breaks = list(_CLAUSE_START.finditer(low, since, at))
    return breaks[-1].end() if breaks else since


# Where a subject sits, after its head: "on the homepage", "in the sidebar", "at the top of the app".
_WHERE_IT_SITS = re.compile(r"\s+(?:on|in|at|under|below|above|beside|inside) (?:the |our |a |every |each )?(?:[\w'-]+ ){0,3}?[\w'-]+$")


# A subject that names nothing in particular: "we're fully offline", "it is completely down".
_NO_SUBJECT = frozenset("we we're us our it it's its they they're everything all the this that".split())


@dataclass(frozen=True)
class FeatureOutage:
    """A complete-outage word said of one feature or service, not of a whole system."""

    phrase: str  # "completely down"
    subject: str  # "the 'download receipt' pdf service"


def feature_outages(text: str, found: Found) -> tuple[FeatureOutage, ...]:
    """The complete-outage mentions ("X is completely down") whose subject
    names no whole system (no site, app, API, platform, sign-in, payments,
    nothing everything runs through) and no revenue word: one feature or
    service down for everyone. Empty unless every such mention is of that kind."""
    low = text.lower()
    said: list[FeatureOutage] = []
    for phrase in found["complete_outage"].kept:
        at = low.find(phrase)
        if not _SAID_OF_BEFORE.match(phrase) or at < 0:
            return ()
        start = _clause_start(low, max(0, at - 120), at)
        subject = " ".join(low[start: at].split())
        subject = re.sub(r"\s+(?:is|are|was|were|has been|have been|had been|went|seems|looks)(?: now)?$", "", subject)
        # Its head, before where it sits: "the 'recently viewed' strip on the homepage" is the strip.
        subject = _WHERE_IT_SITS.sub("", subject)
        if not set(re.findall(r"[a-z][\w']*", subject)) - _NO_SUBJECT or WHOLE_SYSTEM.search(subject) or find_mentions(subject, SIGNALS["revenue"]).kept:
            return ()
        said.append(FeatureOutage(phrase, subject))
    return tuple(said)


def text_breadth(found: Found, shares: tuple[Share, ...], complete_outage_field: bool | None,
                 one_feature: tuple[FeatureOutage, ...] = ()) -> list[Rule]:
    """How broad the impact is, in words. A stated share ("about half", "every
    request") decides alone: outage and failure words say what broke, the share
    says for whom; "nobody can" with an everyday action (log in, pay, load) is
    everything down, with any other ("nobody can redeem a code") one feature
    broken for everyone, sev2. Without one: a complete outage is sev1, an outage
    sev2 (sev1 for a revenue system not called partial), messages that stopped
    going out sev2, a failure sev2 unless it is called intermittent or slow,
    degradation sev3."""
    if shares:
        top = max(shares, key=lambda s: (s.pct, not s.feature))
        # "completely down" said of one feature is that feature failing for everyone.
        failing = found["outage"].kept + found["broken"].kept + found["not_sent"].kept + tuple(f.phrase for f in one_feature)
        if top.universal and top.feature and not top.by_action and failing and (one_feature or not found["complete_outage"].kept):
            # "no exports went through" is the share and the failure in one phrase: quoted once.
            also = tuple(p for p in failing if p not in top.phrase)
            said = f'"{top.phrase}" and {quote(also)}' if also else f'"{top.phrase}"'
            return [Rule("sev2", f"text says {said} (one feature broken for everyone, not everything down) -> sev2", "text")]
        if top.universal and top.feature and top.by_action and complete_outage_field is not False:
            return [Rule("sev2", f'text says "{top.phrase}" (one feature broken for everyone, not everything down) -> sev2', "text")]
        if top.universal and complete_outage_field is not False:
            return [Rule("sev1", f'text says "{top.phrase}" (everyone or everything affected) -> sev1', "text")]
        if not top.universal:
            sev = severity_for_share(top.pct)
            return [Rule(sev, f'text says "{top.phrase}" (about {top.pct:g}% affected: {share_words(sev)}) -> {sev}', "text")]
    rules: list[Rule] = []
    if one_feature and complete_outage_field is not True:
        said = "; ".join(f'"{f.phrase}" said of "{f.subject}"' for f in one_feature[:3])
        rules.append(Rule("sev2", f"text mentions {said} (one feature or service down for everyone, not a whole system) -> sev2", "text"))
    elif found["complete_outage"].kept and complete_outage_field is not False:
        rules.append(Rule("sev1", f"text mentions {quote(found['complete_outage'].kept)} (complete outage) -> sev1", "text"))
    elif found["outage"].kept and found["revenue"].kept and not is_partial(found):
        rules.append(Rule("sev1", f"text mentions {quote(found['outage'].kept)} and {quote(found['revenue'].kept)}"
                          " (outage of a revenue system) -> sev1", "text"))
    elif found["outage"].kept:
        rules.append(Rule("sev2", f"text mentions {quote(found['outage'].kept)} (a service or core feature down) -> sev2", "text"))
    elif found["not_sent"].kept:
        rules.append(Rule("sev2", f"text mentions {quote(found['not_sent'].kept)} (messages or documents stopped going out) -> sev2", "text"))
    elif found["broken"].kept and not found["degraded"].kept:
        rules.append(Rule("sev2", f"text mentions {quote(found['broken'].kept)} (a feature failing, no sign it is partial) -> sev2", "text"))
    elif found["broken"].kept:
        rules.append(Rule("sev3", f"text mentions {quote(found['broken'].kept)} and {quote(found['degraded'].kept)}"
                          " (failing now and then, or slowly) -> sev3", "text"))
    if found["degraded"].kept:
        rules.append(Rule("sev3", f"text mentions {quote(found['degraded'].kept)} (degraded or partial) -> sev3", "text"))
    return rules


# The surfaces people use and the ones programs call: one is no way round the
# other ("the web app still works, but the public API ... returns 500").
_FOR_PEOPLE = re.compile(r"\b(?:web ?app|website|web ?site|site|mobile app|app|apps|dashboard|ui|browser|portal|web)\b")
_FOR_PROGRAMS = re.compile(r"\b(?:(?:public |rest |graphql )?apis?|integrations?|webhooks?|sdks?)\b")
_SENTENCE_BREAK = re.compile(r"[.;!?\n]")


def other_surface(text: str, alternatives: tuple[str, ...]) -> str | None:
    """Why what still works is no workaround, when every such mention names
    one kind of surface (one people use, or one programs call) in its own
    clause and the rest of its sentence names only the other kind: the
    callers of what fails cannot switch. None otherwise."""
    low = text.lower()
    pairs: list[tuple[str, str, str]] = []
    for phrase in alternatives:
        at = low.find(phrase)
        if at < 0:
            return None
        ends = [m.start() for m in _SENTENCE_BREAK.finditer(low, at + len(phrase))]
        starts = [m.end() for m in _SENTENCE_BREAK.finditer(low, 0, at)]
        sentence_start, sentence_end = (starts[-1] if starts else 0), (ends[0] if ends else len(low))
        clause_start = _clause_start(low, sentence_start, at)
        own = low[clause_start: at + len(phrase)]
        rest = low[sentence_start: clause_start] + " " + low[at + len(phrase): sentence_end]
        for works, fails in ((_FOR_PEOPLE, _FOR_PROGRAMS), (_FOR_PROGRAMS, _FOR_PEOPLE)):
            said, failing = works.search(own), fails.search(rest)
            if said and failing and not fails.search(own) and not works.search(rest):
                pairs.append((phrase, said.group(), failing.group()))
                break
        else:
            return None
    said = ", ".join(f'"{p}" of "{s}"' for p, s, _ in pairs[:3])
    failing = ", ".join(dict.fromkeys(f'"{f}"' for _, _, f in pairs))
    return (f"text mentions {said}, but what fails is {failing}, used by other callers; not a workaround for it")


def staff_blocked_rule(found: Found) -> Rule | None:
    """Internal tooling down for all of engineering: the matrix's internal-tooling criterion."""
    if not found["staff_blocked"].kept:
        return None
    sev = INTERNAL_BLOCKING_SEVERITY
    return Rule(sev, f"text mentions {quote(found['staff_blocked'].kept)} (internal tooling down for all of engineering) -> {sev}", "text")


def customer_words(found: Found) -> tuple[str, ...]:
    """Mentions of customers (people), unless the text rules customer impact out."""
    return () if found["no_impact"].kept else found["customer_facing"].kept


def customer_mentions(found: Found) -> tuple[str, ...]:
    """Mentions of customers or of customer-facing systems (the website, production), unless ruled out."""
    return () if found["no_impact"].kept else found["customer_facing"].kept + found["customer_systems"].kept


# Who is outside the company: a share of what they do failing is customer impact,
# whatever internal part caused it ("an internal config service blipped and 7%
# of api calls from partner integrations failed").
_OUTSIDE = re.compile(r"(?<!internal )\b(?:partners?|integrations?|clients?|customers?|users?|tenants?|merchants?|shoppers?|buyers?"
                      r"|subscribers?|public api|third[- ]party (?:apps?|callers?|developers?)"
                      # What outside people do: "~40% of deliveries can't get a route".
                      r"|deliveries|orders|bookings|rides|trips|checkouts|payments|purchases|reservations)\b")
_CLAUSE_END = re.compile(r"[.;!?\n(]|,\s|\s(?:but|while|whereas|although|though)\b")


def outside_share(text: str, shares: tuple[Share, ...]) -> str | None:
    """The words of a share, above none, whose clause names people or callers
    outside the company (partners, clients, customers, integrations); None otherwise."""
    low = " ".join(text.lower().split())
    for share in shares:
        at = low.find(share.phrase)
        if share.pct <= 0 or share.universal or at < 0:
            continue
        stop = _CLAUSE_END.search(low, at + len(share.phrase))
        outside = _OUTSIDE.search(low, at, stop.start() if stop else len(low))
        if outside:
            return f'"{share.phrase}" (said of "{outside.group()}", outside the company)'
    return None


# The text corrects itself: "ci down for all of eng - correction, only the ios team's runners are down".
_CORRECTION_MARK = re.compile(r"\b(?:correction|scratch that|ignore (?:that|the above))\s*[:,;\u2014-]+\s*", re.IGNORECASE)


def corrected(text: str) -> tuple[str, str | None]:
    """The text with what its paragraph said before its last self-correction
    left out ("ci down for all of eng - correction, only the ios runners are
    down"), and the words of the correction; the text itself and None when
    it does not correct itself, or when too little follows. Other paragraphs
    (an incident's title, summary and root cause) are kept."""
    marks = list(_CORRECTION_MARK.finditer(text))
    if not marks or len(text[marks[-1].end():].split()) < 3:
        return text, None
    paragraph = text.rfind("\n\n", 0, marks[-1].start())
    return text[: paragraph + 2 if paragraph >= 0 else 0] + text[marks[-1].end():], " ".join(marks[-1].group().split())


# The only way to do it is gone: "there's no other way to place a bet in the app".
# Or what still works is only the way in: "login still works but after login the dashboard is blank".
_NO_WAY_ROUND = re.compile(r"\bno (?:other|alternative|second) (?:way|route|means|option|path)\b|\bno (?:workaround|work-around|way round|way around)\b"
                           r"|\bbut (?:right |just )?(?:after|once) (?:you |they |people |users |customers )?(?:have |are )?"
                           r"(?:log(?:ged)? ?in|sign(?:ed)? ?in|logging in|signing in|get in)\b")
_NO_OTHER_WAY = re.compile(_NO_WAY_ROUND.pattern + r"|\bthe only way\b")
# What it was first taken for, then denied: "took it for a font glitch at first, but ...".
_TAKEN_FOR = re.compile(r"\b(?:thought|assumed|believed|figured|took it for|mistook it for|looked like|seemed like|seemed to be)"
                        r"(?: it (?:was|is|'s))?(?: at first| first)? (?:just |only |merely |purely )?(?:an? )?"
                        r"([^.;!?\n,]{1,40}?)(?: at first| first)?,? but\b")


def no_way_round(text: str) -> str | None:
    """The words that say there is no other way to do what fails ("there's no
    other way to narrow results"), or None: what still works elsewhere ("search
    work, but ...") is then no way round it. "The only way round" is one."""
    said = _NO_WAY_ROUND.search(text.lower())
    return said.group() if said else None


def _taken_for(found: Found, text: str) -> tuple[str, ...]:
    """The cosmetic words, when every one is said only as what the fault was
    first taken for and then denied by a "but" ("thought it was just a styling
    glitch, but the pay button is invisible"); empty otherwise."""
    first = [m.group(1) for m in _TAKEN_FOR.finditer(text.lower())]
    kept = found["cosmetic"].kept
    return kept if first and all(any(p in f for f in first) for p in kept) else ()


def _not_cosmetic(found: Found, text: str) -> str | None:
    """The words that make a cosmetic word no cosmetic fault, or None: what is
    shown hides what people need or leads them wrong; a control is covered and
    the text says the action is blocked or done another way; or the text
    denies the fault is cosmetic ("looks cosmetic but isn't"), or says it only
    as what the fault was first taken for ("took it for a font glitch at first, but")."""
    denied = tuple(p for p in found["cosmetic"].negated if "cosmetic" in p)
    if denied:
        return f"text says {quote(denied)}"
    taken_for = _taken_for(found, text)
    if taken_for:
        return f'text says {quote(taken_for)} only as what it was first taken for, then "but"'
    if found["misleads"].kept:
        return f"text mentions {quote(found['cosmetic'].kept)} but also {quote(found['misleads'].kept)}"
    blocked = (found["alternative"].kept + found["workaround"].kept + found["outage"].kept + found["broken"].kept
               + tuple(m.group() for m in _NO_OTHER_WAY.finditer(text.lower())))
    if found["covers"].kept and blocked:
        return f"text mentions {quote(found['cosmetic'].kept)} but also {quote(found['covers'].kept)} and {quote(blocked)}"
    return None


def cosmetic_set_aside(found: Found, text: str = "") -> str | None:
    """Why a cosmetic word is no cosmetic fault, when the text also says what
    is shown hides what people need or leads them wrong ("renders the balance
    as blank", "people are cancelling orders they meant to place"), covers a
    control whose action is then blocked or done another way ("covers the pay
    button ... no other way to pay"), or that it is not cosmetic; None otherwise."""
    if not found["cosmetic"].kept:
        return None
    said = _not_cosmetic(found, text)
    return f"{said} (what people need is hidden, or they are led to the wrong action); not cosmetic" if said else None


def cosmetic_reason(found: Found, text: str = "") -> str | None:
    """Why the text reads as cosmetic or documentation only; None when it is not, or when
    something is also down. Outage words in double quotes are the words of the
    fault ("the heading says "Outage""), not something down."""
    if not found["cosmetic"].kept or _not_cosmetic(found, text):
        return None
    down = ("outage", "not_sent", "complete_outage")
    if any(p not in found[kind].quoted for kind in down for p in found[kind].kept):
        return None
    quoted = tuple(p for kind in down for p in found[kind].quoted)
    shown = f"; {quote(quoted)} only quoted" if quoted else ""
    return f"text mentions {quote(found['cosmetic'].kept)}{shown} (cosmetic or documentation, nothing broken for customers) -> sev4"


def refuted_mentions(found: Found) -> tuple[Refuted, ...]:
    """The reports and beliefs the text refutes, once each, in the order of the kinds."""
    refuted = tuple(dict.fromkeys(r for kind in REFUTABLE for r in found[kind].refuted))
    # "alleged that our user database" is part of "alleged that our user database had leaked": one report.
    return tuple(r for r in refuted if not any(r.phrase != o.phrase and r.phrase in o.phrase for o in refuted))


def reports(found: Found) -> tuple[tuple[int, int, str], ...]:
    """Where each report the text refutes as false runs, from its frame to the
    refuting words, and both quoted, for pir_reviews.core.quantities.read_shares:
    a share said there is of the report. A report refuted by the thing being
    still there is left out: "it looks like some uploads were corrupted, but
    the files open fine" says some people saw something wrong, and how many."""
    return tuple((*r.span, f'"{r.phrase}" ... "{r.by}"') for r in refuted_mentions(found) if not r.present)


def refuted_rule(found: Found) -> Rule | None:
    """What is left of a report the text refutes: when the people who use the
    product believed it and the thing is still there ("customers think their
    photos were deleted; they are all still stored"), they see something
    wrong, sev3; when the report was false or nobody outside believed it,
    nothing is said to be wrong, sev4. Other rules, when they fire, decide."""
    refuted = refuted_mentions(found)
    if not refuted:
        return None
    seen = [r for r in refuted if r.present and r.by_people]
    if seen:
        said = quote(tuple(r.phrase for r in seen))
        return Rule("sev3", f"text reports {said} but then says {quote(tuple(r.by for r in seen))}"
                            " (people see something wrong; the data is still there) -> sev3", "text")
    said = quote(tuple(r.phrase for r in refuted))
    return Rule("sev4", f"text reports {said} but then says {quote(tuple(r.by for r in refuted))}"
                        " (refuted by the text; nothing else is said to be wrong) -> sev4", "text")
