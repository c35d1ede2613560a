"""The words of each signal kind: what counts as an outage, a failure, data
lost or exposed, internal-only, cosmetic, customer-facing, ...

Each kind is a tuple of whole-word, lowercase patterns, some with a check of
the words around the match (`Pattern.accept`); pir_reviews.core.mentions
finds them in a text, sets aside negated ones ("no data was lost") and, for
the kinds in REFUTABLE, ones the text reports and then refutes. Data lost and
data exposed are in pir_reviews.core.harm.
"""

from __future__ import annotations

import re
from typing import Callable

from pir_reviews.core.harm import DATA_LOSS, EXPOSURE, INTENDED, STAFF_WHO, no_mistake, shown
from pir_reviews.core.mentions import Mentions, Pattern, find_mentions, is_negated, patterns, words
from pir_reviews.core.modality import sentence_start

__all__ = ["HARM", "OTHERS_FINE", "PARTIAL", "REFUTABLE", "SIGNALS", "TEAM_SIGNALS", "Mentions", "Pattern", "find_mentions", "is_negated"]

_F = 0  # patterns are lowercase and read lowercased text (see pir_reviews.core.mentions)
# "down" is an outage only as a state, not as a direction or a reduction.
_NOT_OUTAGE_BEFORE_DOWN = frozenset(
    "slow slowed slowing scale scaled scaling shut shutting wind winding wound narrow narrowed step "
    "stepped calm calmed cool cooled tone toned write wrote written track tracked tracking break broke "
    "drill drilled pin pinned boil boiled count counting turn turned settle settled trickle weigh weighed "
    "scroll scrolled up upside face thumbs drop point points pointing pointed".split()
)
# "the down arrow", "a thumbs down vote": a direction drawn, not a state.
_NOT_OUTAGE_AFTER_DOWN = re.compile(r"-|\s+(?:to|from|by|the|into|through|arrows?|keys?|buttons?|carets?|chevrons?|icons?|votes?|swipes?)\b", _F)
# Degraded mentions that also say the outage was partial, not complete.
PARTIAL = re.compile(r"partial|some |a few |several |a (?:small )?(?:subset|fraction|portion|number) ", _F)


# Checks of the word before a match, cheaper than look-behinds in the scan of a class.
_NOT_PRODUCTION_BEFORE = re.compile(r"\b(?:non|pre)[- ]?$", _F)


# Production named as where the thing is off: "the page is disabled in prod".
_OFF_IN_BEFORE = re.compile(r"\b(?:disabled|turned off|switched off|not (?:enabled|deployed|exposed|reachable|served)) (?:in|on) $", _F)


# Production named as where it has not gone yet: "caught it before the prod deploy", "before it reached production".
_NOT_YET_BEFORE = re.compile(r"\bbefore (?:(?:it|they|this|that) (?:reached|hit|went (?:out )?to|got to|made it (?:in)?to) "
                             r"|(?:going|shipping|deploying|rolling out|promoting it|it went) to )$", _F)
# "before the prod deploy": production named by a change still to reach it ("before production went down" still names production).
_NOT_YET_DEPLOYED = re.compile(r"\bbefore (?:the |a |our |any )?$", _F)
_DEPLOY_AFTER = re.compile(r"\s+(?:deploy|deployment|release|rollout|roll-out|push|cutover|cut-over|launch|promotion)s?\b", _F)


# Production or customers named as where it still works: "routes still serve
# normally in production", "published pages load fine for customers".
_FINE_FOR_BEFORE = re.compile(r"\b(?:fine|normally|as (?:usual|normal|expected)|correctly|without (?:issues?|problems?|errors?))"
                              r" (?:to|in|on|for|into|across) (?:the |our |all )?$", _F)


# Production named as the source a copy is made from: "the sandbox gets rebuilt from prod nightly", "a db cloned from production".
_COPIED_FROM_BEFORE = re.compile(r"\b(?:rebuilt|rebuilds?|restored|restores?|copied|copies|cloned|clones?|synced|syncs?|refreshed"
                                 r"|refresh(?:es)?|(?:re-?)?seed(?:s|ed)?|mirrored|replicated|snapshotted)(?: [\w-]+){0,2}? from (?:the )?$", _F)


def _production_in_play(text: str, match: re.Match) -> bool:
    """Production is named as a place the input is about: not "non-production", nor where the thing is off, nor where it has not
    gone yet, nor where it still works, nor the source a copy is made from."""
    before = text[max(0, match.start() - 30): match.start()]
    not_yet = _NOT_YET_BEFORE.search(before) or (_NOT_YET_DEPLOYED.search(before) and _DEPLOY_AFTER.match(text, match.end()))
    stand_ins = _STAND_INS_IN.search(text, max(0, match.start() - 80), match.start())
    return not (_NOT_PRODUCTION_BEFORE.search(before) or _OFF_IN_BEFORE.search(before) or not_yet or stand_ins
                or _FINE_FOR_BEFORE.search(before) or _COPIED_FROM_BEFORE.search(before))


def _not_after(before: re.Pattern) -> Callable[[str, re.Match], bool]:
    """A check that the word just before the match is not one that `before` finds."""
    def accept(text: str, match: re.Match) -> bool:
        return not before.search(text, max(0, match.start() - 12), match.start())
    return accept


def _down_is_outage(text: str, match: re.Match) -> bool:
    before = re.findall(r"[\w']+", text[max(0, match.start() - 40): match.start()])
    if before and before[-1].lower() in _NOT_OUTAGE_BEFORE_DOWN:
        return False
    return not _NOT_OUTAGE_AFTER_DOWN.match(text, match.end())


_p = patterns


# A length of time, as figures are written in an SLA: "800ms", "3.5s", "4 hours".
_DURATION = r"(\d+(?:\.\d+)?) ?(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?)\b"
_SECONDS = {"ms": 0.001, "millisecond": 0.001, "s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hr": 3600,
            "hour": 3600, "day": 86400}


def _seconds(figure: str, unit: str) -> float:
    return float(figure) * _SECONDS[unit if unit in _SECONDS else unit[:-1]]


# "we'd be past it", "nowhere near past it", "not yet past that": no breach said.
_HEDGED = re.compile(r"\b(?:not|never|nowhere|no longer|still|yet|if|would|will|could|might|may|risk|nearly|almost|before|close to)\b|n't\b|'d\b", _F)


def _past_it_not_hedged(text: str, match: re.Match) -> bool:
    return _HEDGED.search(match.group()) is None


# "if p99 stays above the contracted 1s we will be out of sla": a breach to come, not one said.
_HEDGED_BEFORE = re.compile(r"\b(?:if|unless|would|could|might|may|will|risk|risks|nearly|almost|close to|nowhere near|far from|not yet"
                            r"|going to|gonna|about to|on track to|headed for)\b[^.;!?\n]*$", _F)


def _not_hedged_before(text: str, match: re.Match) -> bool:
    return _HEDGED_BEFORE.search(text, max(0, match.start() - 60), match.start()) is None


def _past_the_promise(text: str, match: re.Match) -> bool:
    """The figure measured is longer than the one promised: "2.8s vs the contracted 1s", not "700ms vs the contracted 1s"."""
    return _seconds(match.group(1), match.group(2)) > _seconds(match.group(3), match.group(4))


# A cosmetic word that names the cause of something worse is not the fault:
# "a typo in the routing config broke checkout", "an emoji in a product name
# crashed the order service".
_AS_CAUSE = re.compile(
    r"\s+(?:in|on) (?:the |a |an |our |its |their |one )?(?:[\w-]+ ){0,2}?(?:config(?:uration)?s?|scripts?|query|queries|migrations?|code"
    r"|commands?|cron(?:tab)?|jobs?|rules?|regex(?:es)?|schemas?|keys?|paths?|urls?|filters?|flags?|variables?|manifests?|selectors?"
    r"|settings?|polic(?:y|ies)|hostnames?|endpoints?|connection strings?|imports?|sql|yaml|json|terraform|playbooks?|mappings?|dns)\b"
    r"(?!\s+(?:page|screen|menu|panel|tab|ui|dialog|form|label|text|title|heading|button|link|copy|docs?|documentation)\b)"
    r"|[^.;!?\n]{0,60}?\b(?:crashed|crashing|took down|brought down|knocked out|took [\w-]+ offline|wiped|erased|deleted|corrupted|overwrote"
    r"|caused (?:an? |the )?(?:[\w-]+ )?(?:outage|incident|errors?|failures?|crash(?:es)?|data loss|downtime))\b",
    _F,
)


def _not_a_cause(text: str, match: re.Match) -> bool:
    return not _AS_CAUSE.match(text, match.end())


def _shown_not_a_cause(text: str, match: re.Match) -> bool:
    return shown(text, match) and _not_a_cause(text, match)


def _looks(*sources: str) -> tuple[Pattern, ...]:
    return tuple(Pattern(re.compile(s, _F), _not_a_cause) for s in sources)


# Work that goes on by hand while a tool is down, and the people who can still do it another way.
# The verbs are of the work itself: "restarted the pods by hand" is a fix, not a way round.
_HAND_WORK = words("processing handling issuing approving sending writing entering keying taking booking creating printing reconciling"
                   " filing refunding posting typing collecting routing answering placing processed handled issued approved entered"
                   " keyed_in taken booked created printed reconciled filed refunded posted placed")
_BY_HAND = r"(?:by hand|manually|by phone|over the phone|on paper)"
_PEOPLE = (r"(?:customers|users|shoppers|buyers|members|players|people|they|guests|patients|visitors|subscribers|merchants|sellers|agents"
           r"|travell?ers|passengers"
           r"|everyone|clients|tenants|drivers|riders|students|teachers|parents|owners|managers|admins|you)")
# What a screen shows that people need to read: blank, it is missing, not ugly.
_CONTENT = words("field fields value values amount amounts total totals price prices balance balances number numbers dose doses"
                 " dosage dosages figure figures date dates result results reading readings warning warnings instructions name names"
                 " address addresses code codes")
# What people press or type into: covered, it blocks them, it is not ugly.
_CONTROL = r"(?:buttons?|fields?|inputs?|links?|controls?|checkbox(?:es)?|toggles?|forms?|menus?|keypads?|sliders?)"
_COVERS = r"(?:covers?|covered|covering|hides?|hid|hiding|obscures?|obscured|obscuring|blocks?|blocked|blocking|overlaps?|overlapped|overlapping"
_COVERS += r"|sits? (?:on top of|over)|sitting (?:on top of|over)|sat (?:on top of|over))"
# Where a control is pushed to, or how it shows, that people cannot press it.
_OUT_OF_VIEW = r"(?:invisible|off[- ]?screen|out of view|below the fold|off the (?:page|screen|edge))"
_PEOPLE_BEFORE = re.compile(rf"\b{_PEOPLE} (?:(?:are|is|were|was) )?$", _F)


# Staff doing the work for the people affected meanwhile: "clinic staff can read them out over the phone meanwhile".
_HELPING = (r"\s+(?:(?:can|could|will|are able to|are|is|have been)\s+(?:still\s+)?(?!not\b)(?:[\w'-]+\s+){1,6}?"
            r"(?:meanwhile|instead|in the meantime|for them|on their behalf|by hand|manually|over the phone|by phone)"
            r"|(?:are |is )?(?:falling|fell|fall) back to (?:manual|paper|phone|hand)[\w-]*)\b")
_HELPING_AFTER = re.compile(_HELPING, _F)


def _not_helping(text: str, match: re.Match) -> bool:
    """Staff named as who is affected, not as who does the work for the affected ones meanwhile."""
    return not _HELPING_AFTER.match(text, match.end())


def _after_people(text: str, match: re.Match) -> bool:
    return bool(_PEOPLE_BEFORE.search(text, max(0, match.start() - 24), match.start()))


# "Other users were unaffected" says the rest were fine, not that nobody was hit.
_SOME_OF_THEM = re.compile(r"\b(?:other|remaining|rest of (?:the|our)|most|many|some|all other|non-[\w-]+)\s+$", _F)

_NOT_SOME_OF_THEM = _not_after(_SOME_OF_THEM)
_NON_PRODUCTION = re.compile(r"\b(?:staging|dev|development|qa|test|sandbox|uat|perf|preview|ephemeral|pre[- ]?prod(?:uction)?|non-?prod(?:uction)?)\b", _F)


def _sound_beside_non_production(text: str, match: re.Match) -> bool:
    """Production's part named as sound counts as no impact only when the text
    names a non-production place too: "the prod database is healthy; checkout
    returns 500 for everyone" says nothing of where the fault is."""
    return _NOT_SOME_OF_THEM(text, match) and _NON_PRODUCTION.search(text) is not None


# Test, demo and sandbox stand-ins for customers: "a test merchant account",
# "our QA tenant", "the internal test customers" are not customers.
_STAND_IN_WORD = r"(?:test|testing|qa|demo|dummy|fake|sandbox|synthetic|seed|sample|staging)"
_STAND_IN = (rf"\b{_STAND_IN_WORD} (?!(?:for|of|to|with|by|on|in|from|and|or|that|the)\b)(?:[\w-]+ )?(?:accounts?|users?|customers?|merchants?"
             r"|tenants?|shops?|stores?|orgs?|organi[sz]ations?|workspaces?|profiles?|logins?|shoppers?|clients?|members?|buyers?)\b")
_STAND_IN_BEFORE = re.compile(rf"\b{_STAND_IN_WORD} $", _F)
# Production named as where the stand-ins live: "the synthetic load-test accounts in prod" speaks of no customer.
_STAND_INS_IN = re.compile(rf"{_STAND_IN}\s+(?:in|on|inside|within) (?:the |our )?$", _F)

# A clause placed in a non-production environment: "on staging every customer
# account shows a zero balance" speaks of staging's copies of the accounts.
_IN_ENVIRONMENT = re.compile(
    r"\b(?:on|in|against) (?:the |our )?(?:staging|pre[- ]?prod(?:uction)?|non-?prod(?:uction)?|sandbox|dev|qa|test|uat)"
    r"(?: (?:environment|env|cluster|stack|database|db|copy|instance|server))?\b(?![^.;!?\n]*\b(?:production|prod|live)\b)",
    _F,
)


def _a_customer(text: str, match: re.Match) -> bool:
    """A customer word names a customer unless a test or demo word says whose
    stand-in it is, or it is named as who still gets it fine ("load fine for
    customers"), or its sentence is placed in a non-production environment
    before it (and names production nowhere after that)."""
    if _STAND_IN_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        return False
    if _FINE_FOR_BEFORE.search(text, max(0, match.start() - 30), match.start()):
        return False
    return _IN_ENVIRONMENT.search(text, sentence_start(text, match.start(), 120), match.start()) is None


# Each signal kind, in the order reasons are reported.
SIGNALS: dict[str, tuple[Pattern, ...]] = {
    "complete_outage": _p(
        r"\b(?:completely|totally|entirely|fully|hard) (?:down|unavailable|offline|broken|unreachable)\b",
        r"\b(?:down|unavailable|offline|unreachable|dead) (?:completely|totally|entirely)\b",
        r"\b(?:total|complete|full|global|site-?wide|platform-?wide) (?:outage|downtime|blackout)\b",
        r"\b(?:site|website|platform|app|storefront) (?:is|was|went|has been|had been) (?:completely )?(?:down|offline)\b",
        r"\b(?:site|website|platform|app|storefront) down\b",
        r"\b(?:site|website|platform|app|storefront|service) (?:is|was|became|has become) (?:completely |totally )?unusable\b",
        r"\b(?:customers|users|people|nobody|no one) can(?:'t|not|) do anything\b",
        # Only of what stops working: "won't load at all", "customers can't log in to the app at all" (not "isn't affected at all").
        r"\b(?:won't|doesn't|does not|will not|can't|cannot|isn't|is not|aren't|are not) (?:be )?(?:work(?:ing)?|load(?:ing)?|open(?:ing)?|respond(?:ing)?"
        r"|start(?:ing)?|connect(?:ing)?|come up|run(?:ning)?|function(?:ing)?|boot(?:ing)?|render(?:ing)?|resolve|answer|reply|sync|log ?in|sign ?in"
        r"|reach(?:able|ed)?|access(?:ible)?|pay|check ?out|used|reached|opened|loaded)\b(?: [\w'-]+){0,5}? at all\b",
        r"\bnothing but (?:errors|5\d\ds|timeouts|failures)\b",
        r"\b(?:site|website|platform|app|storefront|service|api|everything) (?:is|was|went|has gone) (?:completely |totally )?(?:dead|dark)\b",
        r"\b(?:completely|totally|entirely) (?:dead|dark|inaccessible|unresponsive)\b",
        r"\bnothing (?:at all )?(?:loads|works|responds|comes up|is reachable|is up)\b",
        r"\b(?:all|every one of our|each of our) (?:services|systems|endpoints|regions|pages|apps) (?:are |were )?(?:down|unreachable|offline|failing)\b",
        r"\bunavailable (?:for|to) (?:everyone|everybody|all)\b",
        # Every page of it failing is the whole site down: "502 on every page", "every page throws a 500".
        r"\b(?:5\d\ds?|errors?) (?:on|for|across) (?:every|all|each) (?:single |of the |of our |the )?(?:pages|page|urls?|routes?)\b",
        r"\b(?:every|each|all) (?:single |of the |of our |the )?(?:pages|page|urls?|routes?)(?: (?:of|on|in) (?:the |our )?[\w-]+)?"
        r" (?:(?:returns?|throws?|serves?|gives?|answers?|shows?) (?:an? |http )?(?:5\d\d|errors?)|times? out|timing out|fails?|failing)\b",
        r"\b(?:no one|nobody|no users?|no customers?|no shoppers?) (?:could|can|was able to|were able to|is able to) (?:log ?in|sign ?in|check ?out|access|load|use|pay|connect|reach|place|buy|order)\b",
    ),
    "outage": _p(
        r"\boutages?\b", r"\bdowntime\b", r"\bunavailable\b", r"\boffline\b", r"\bunreachable\b", r"\b(?:is|are|was|were|both|all) (?:now )?dead\b",
        r"\bnot (?:working|responding|reachable|loading)\b", r"\bno (?:[\w-]+ ){0,2}?(?:went|got|go|goes|gets|have gone|has gone) through\b", r"\bstopped (?:working|responding|loading|processing|running|syncing|updating|replying|answering|reacting)\b",
        r"\bcan(?:'t|not) be (?:redeemed|used|opened|loaded|placed|processed|paid|submitted|created|saved|booked|bought|reached|applied)\b",
        r"\b(?:unable to|could not|couldn't|cannot|can't|can not) (?:log ?in|sign ?in|check ?out|complete|access|load|pay|connect|reach"
        r"|see|print|upload|place|open|save|send|use|view|download|sign up|create|buy|order|book|push|merge|deploy|ship|submit|export|import"
        r"|edit|share|sync|tap|click|press|select)\b",
    ) + (Pattern(re.compile(r"\bdown\b", _F), _down_is_outage),),
    # Messages or documents that stopped going out: one feature stopped, not a
    # system down, whatever they are ("no invoices went out" is not checkout down).
    "not_sent": _p(
        r"\bstopped (?:going out|sending|being sent|arriving|being delivered|being generated)\b",
        r"\b(?:haven't|hasn't|have not|has not) (?:gone out|been sent|been delivered|arrived|been generated)\b",
        r"\b(?:didn't|did not|don't|doesn't|aren't|isn't) (?:go|going) out\b",
        r"\bno (?:[\w-]+ ){0,2}(?:went out|were sent|were delivered|arrived|got sent|have gone out|have been (?:sent|generated)|were generated)\b",
        r"\b(?:aren't|isn't|weren't|wasn't|are not|is not|were not|was not|no longer|stopped) (?:being |getting )?(?:e-?mailed|mailed"
        r"|sent(?: out)?|delivered|dispatched|generated|posted)\b",
    ),
    "broken": _p(
        r"\b(?:is|are|was|were|got|gets|is now|has been|have been|had been) broken\b",
        r"\b(?:don't|doesn't|won't|wouldn't|aren't|isn't|didn't) (?:show(?:ing)? up|load(?:ing)?|open(?:ing)?|work(?:ing)?|start(?:ing)?"
        r"|appear(?:ing)?|launch(?:ing)?|connect(?:ing)?|get(?:ting)? through)\b", r"\bbroke (?!down\b)\w+", r"\bfail(?:s|ing|ed)?\b",
        r"\berror(?:s|ing)? out\b", r"\berrors on\b", r"\b(?:returning|throwing|returns|throws|showing) (?:an? )?errors?\b",
        r"\b(?:gets?|getting|got|sees?|seeing|saw|hits?|hitting|receives?|receiving|received) (?:an? )?(?:(?!no\b|zero\b)[\w-]+ )?errors?\b",
        r"\b(?:returns?|returning|returned|throwing|throws|getting|get|gets|gives?|giving|seeing|with|answer(?:s|ing)?) (?:a |an )?(?:http )?5\d\d\b",
        r"\b(?:http )?5\d\ds\b", r"\b(?:4\d\d)s\b", r"\bcrash(?:es|ing|ed)?\b", r"\bhangs?\b", r"\bhanging\b", r"\bfreez(?:es|ing)\b", r"\bdeclined\b", r"\bstuck\b",
        r"\bblank (?:page|screen)s?\b", r"\bnever (?:arrives?|loads?|completes?)\b", r"\blocked out\b", r"\brejecting\b",
        r"\bnot (?:being )?(?:sent|delivered|processed|saved)\b", r"\blogged out\b", r"\bspinner\b",
    ),
    "degraded": _p(
        r"\bdegrad(?:ed|ation)\b", r"\bpartial(?:ly)?\b", r"\b(?:slow|slowness|slower|sluggish|slowing|slowed)\b",
        r"\b(?:high|higher|elevated|increased) (?:latency|error rates?|errors|response times?)\b",
        r"\blatency (?:is |was )?(?:up|spiked|jumped|doubled|climbed)\b",
        r"\btime-?outs?\b", r"\btimed out\b", r"\btiming out\b", r"\bintermittent(?:ly)?\b", r"\berror rates?\b",
        r"\boccasional(?:ly)?\b", r"\bsometimes\b", r"\bflaky\b", r"\bdelayed\b", r"\blagging\b",
        r"\b(?:some|a few|several|a (?:small )?(?:subset|fraction|portion|number) of) (?:users|customers)\b",
        r"\b(?:(?:longer|later) than (?:usual|normal|expected)|(?:wait|waits|waiting|waited) (?:a (?:little|bit) |much |even )?longer)\b",
    ),
    "data_loss": DATA_LOSS,
    "exposure": EXPOSURE,
    "sla": _p(
        r"\bslas? (?:(?:is|are|was|were|has been|had been) )?(?:breach(?:ed|es)?|violat(?:ed|ion|ions)|missed)\b",
        r"\b(?:breached|violated|missed|broke) (?:the |our |an |its |their |a )?(?:[\w.%-]+ ){0,3}slas?\b",
        r"\bdid (?:breach|violate|miss|break) (?:the |our |an |its |their |a )?(?:[\w.%-]+ ){0,3}slas?\b",
        r"\bin breach of (?:the |our |their |its )?(?:contract|sla|slo|service level agreement)\b",
        r"\bmissed (?:the |our |its |their )?(?:contracted |agreed |promised )?\d+(?:\.\d+)?%? (?:uptime|availability)\b",
        r"\bservice[- ]level agreements? (?:(?:was|were) )?(?:breached|violated)\b",
        # Past what the SLA promises: "p95 has been over the 300ms we promise in the SLA".
        r"\b(?:over|above|beyond|past|exceed(?:s|ed|ing)?|outside|(?:slower|longer|worse) than|(?:fell|falls|dropped|drops) below)"
        r" (?:the |our |its )?(?:[\w.%-]+ ){1,3}?(?:we|they|it) (?:promise[sd]?|guarantee[sd]?"
        r"|commit(?:s|ted)? to) (?:in|under|by|per) (?:the |our |its |their )?slas?\b",
        # Out of it, in so many words: "no longer within sla", "out of SLA since 14:00".
        r"\b(?:no longer|not|isn't|aren't|wasn't|weren't) (?:within|inside|meeting) (?:the |our |its |their )?(?:contracted |agreed )?slas?\b",
    ) + (
        Pattern(re.compile(r"\b(?:out of|outside(?: of)?|fell out of|dropped out of) (?:the |our |its |their )?(?:contracted |agreed )?slas?\b"
                           r"(?! (?:scope|coverage|hours|terms)\b)", _F), _not_hedged_before),
        # Past it, said as done: "today's flaps pushed us past the 99.9% uptime sla" (not "we'll be past the sla by friday").
        Pattern(re.compile(r"\bpast (?:the |our |its |their )?(?:[\w.%-]+ ){1,3}?slas?\b", _F), _not_hedged_before),
        # Past the promised figure, with no figure of its own: "p95 has been above the contracted 800ms".
        Pattern(re.compile(rf"\b(?:above|over|beyond|past|exceed(?:s|ed|ing)?) (?:the |our |an? )?"
                           rf"(?:contracted|agreed|promised|guaranteed|committed|contractual) {_DURATION}", _F), _not_hedged_before),
    ) + (
        # An SLA named, then the service past it: "the carrier with the 99.95% uptime sla, and we're now past that".
        Pattern(re.compile(r"\bslas?\b[^.;!?\n]{0,80}?\b(?:past|beyond|over|outside|below|under) (?:it|that|this|them)\b", _F),
                _past_it_not_hedged),
    ) + (
        # A figure past the promised one: "3.5s at p99 against the agreed 800ms".
        Pattern(re.compile(rf"\b{_DURATION}(?: at p\d\d(?:\.\d+)?)? (?:vs\.?|versus|against|compared (?:to|with)) (?:the |our |an? )?"
                           rf"(?:contracted|agreed|promised|guaranteed|committed|sla|contractual) {_DURATION}", _F), _past_the_promise),
    ),
    "revenue": _p(r"\b(?:payments?|checkout|check-out|billing|revenue|purchases?|invoic(?:e|es|ing)"
                  r"|card (?:transactions?|processing|processors?|authori[sz]ations?|terminals?))\b"),
    "workaround": _p(r"\bwork-?arounds?\b", r"\bwork arounds?\b", r"\bworked around\b"),
    # Another path still works: the feature is not broken for everyone.
    "alternative": _p(
        r"\bstill (?:works?|working|loads?|succeeds?|go(?:es)? through|fine)\b", r"\bworks?(?: fine| normally)?,? but\b",
        r"\b(?:a second|another|the next) (?:attempt|try) (?:goes through|works|succeeds)\b", r"\b(?:is|are|remain|remains|were|was) unaffected\b",
        r"\bretr(?:y|ying|ies)(?: it| them)? (?:succeeds?|works?|helps|fixes it)\b", r"\bworks on (?:a )?retry\b",
        r"\b(?:regenerating|reloading|refreshing|resubmitting)(?: it| them| the page)? (?:works|succeeds|fixes it)\b",
        # The work goes on by hand meanwhile: "agents are processing refunds by hand".
        rf"\b{_HAND_WORK} (?:[\w'-]+ ){{0,4}}?{_BY_HAND}\b",
        # People can do it some other way: "users can download the CSV and open that in excel instead".
        rf"\b{_PEOPLE} (?:can|could|are able to) (?:still )?(?:[\w'.-]+ ){{1,8}}?instead\b",
        # People can still get it done by hand: "riders can still pay the full fare and ask friends for the money manually".
        rf"\b{_PEOPLE} (?:can|could) still (?:[\w'-]+ ){{1,10}}?{_BY_HAND}",
        # People get to what is out of view: "they can zoom out to get to it".
        rf"\b{_PEOPLE} (?:can|could|are able to) (?:still )?(?:[\w'-]+ ){{1,4}}?to (?:reach|get to|see|use|press|tap|click|find) (?:it|them)\b",
        # Staff do it for them meanwhile: "front-desk staff can check them in by hand meanwhile".
        r"\bstaff" + _HELPING,
        # Or send them what they cannot get: "support can email them the files".
        r"\b(?:support|agents|staff|the front desk|the help ?desk|customer service) (?:can|could|will) (?:still )?(?:email|send|mail|post|fax|read out|give|hand)"
        r" (?:them|it|the|those|their)\b",
        # What the broken part delivers still reaches people by another road: "receipts still go out by email".
        r"\bstill (?:go(?:es)? out|arrives?|gets? (?:sent|delivered)|(?:is|are) (?:sent|delivered)|shows? up|comes? through) (?:by|via|through|over|as|in|on)\b",
        # What still works is a way round, said as what it lets people do: "but
        # browsing and checkout work, so shoppers can still buy everything";
        # not when the sentence goes on to what is still blocked ("... can
        # still browse but nobody can buy").
        r"\bso (?:that )?(?:(?!(?:nobody|no|none|nothing|not)\b)[\w-]+ ){1,2}?(?:can|could|are able to|is able to) still"
        r" (?!(?:only|not|no)\b)(?![^.;!?\n]*\bbut (?:nobody|no one|not|none|they can't|they cannot)\b)",
        # People can do it another way: "but users can change the same settings from the web".
        rf"\bbut {_PEOPLE} (?:can|could|are able to) (?:[\w'-]+ ){{1,5}}?(?:from|on|in|via|through|using|at) (?:the |an? |their |any )?"
        r"(?:other |another |different )?(?:web|website|site|desktop|browser|mobile|app|phone|api|kiosk|counter|another|other|different"
        r"|old|classic|legacy)\b",
    ) + (
        # People can still do it, another way: "shoppers can still pay by card"
        # ("customers can still browse" is something else that works, not a way round).
        Pattern(re.compile(r"\b(?:(?:can|could) still|still able to) (?:[\w'-]+ ){1,4}?(?:by|on|in|from|via|through|using|at|with)\b", _F),
                _after_people),
    ),
    "internal": _p(
        r"\binternal[- ]only\b",
        r"\binternal (?!server\b|errors?\b)(?:[\w-]+ ){0,4}?(?:tools?|tooling|emails?|reports?|bots?|dashboards?|admin|services?|systems?|clusters?"
        r"|users|employees|wiki|environment|hosts?|servers?|staff|metrics|generators?|jobs?|scripts?|docs?|pipelines?|apps?|portals?|crons?"
        r"|schedulers?|automation|notebooks?|queues?|warehouses?|consoles?|editors?|panels?|uis?|cms)\b",
        # Reachable from inside only: "exposed on port 9100 inside the cluster only".
        r"\b(?:(?:inside|within) (?:the |our )?(?:cluster|vpc|private network|internal network|firewall|office network) only"
        r"|only (?:reachable |accessible |visible |exposed )?(?:from )?(?:inside|within) (?:the |our )?(?:cluster|vpc|private network"
        r"|internal network|firewall|office network))\b",
        r"\bon-?call (?:rota|schedule|handover|tool(?:ing)?|bot|calendar|roster)s?\b",
        r"\b(?:staging|non-?production|non-?prod|pre[- ]?prod(?:uction)?|sandbox)\b",
        # A stage before production, by its machines too: "the qa pool", "uat canary hosts".
        r"\b(?:test|testing|dev|development|qa|uat|ci|load[- ]?test(?:ing)?|demo|perf|performance|experimental|integration test|preview|ephemeral) (?:[\w-]+ ){0,2}?"
        r"(?:environments?|envs?|cluster|servers?|database|db|stack|box|region|account|pools?|rings?|hosts?|nodes?|fleet|canar(?:y|ies)|slots?"
        # By what runs there: "dev postgres", "the test mysql", "dev k8s".
        r"|postgres(?:ql)?|mysql|redis|kafka|elasticsearch|mongo(?:db)?|k8s|kubernetes|vms?|instances?|brokers?|buckets?|queues?)\b",
        # Engineers' own machines: "local builds", "the mobile team's local test runs".
        r"\blocal (?:dev |development |test |unit )?(?:builds?|test runs?|tests|runs|environments?|envs?|setups?|machines?|checkouts?)\b",
        r"\b(?:integration|unit|end-to-end|e2e|nightly test|regression) (?:test )?(?:suites?|tests?|runs?)\b",
        _STAND_IN, _IN_ENVIRONMENT.pattern, r"\b(?:nobody|no one) outside (?:the company|engineering|the team)\b",
        r"\bci(?: runners?| pipelines?| system| jobs?)?\b", r"\bbuild (?:system|servers?|farm|pipeline)s?\b",
        r"\b(?:build|mac|macos|linux|windows|gpu|arm|self-hosted|github|gitlab) (?:ci )?runners?\b",
        r"\b(?:deploy(?:ment)?|release) (?:pipeline|dashboard|tool(?:ing)?)s?\b", r"\bartifact (?:registry|repository|store)\b",
        r"\bgithub enterprise\b", r"\bvpn\b", r"\bcorporate (?:[\w-]+ )?(?:network|laptops?|email|wi-?fi|sso)\b", r"\bsso for staff\b", r"\bonly (?:internal )?staff\b", r"\boffice\b",
        r"\badmin tool\b", r"\b(?:for|used by|affects?|affecting|used only by|only used by) (?:only )?the (?:[\w-]+ ){1,2}team\b",
        # One team's own tool: "the data team's airflow ui", "the mobile team's grafana board".
        r"\b(?:[\w-]+ ){1,2}?team'?s (?:[\w-]+ ){0,2}?(?:ui|dashboards?|boards?|consoles?|notebooks?|tools?|trackers?|wiki|runbooks?|reports?|scripts?"
        r"|servers?|hub|jupyter|instances?)\b",
        r"\b(?:grafana|kibana|jenkins|jira|confluence|pagerduty|buildkite|okta for employees)\b", r"\b(?:chat ?ops|slack|teams|mattermost|discord|zulip) (?:[\w-]+ ){0,2}?bots?\b",
        r"\bbots? (?:[\w-]+ ){0,3}?(?:in|on) (?:our |the )?(?:slack|teams|mattermost|discord|zulip)\b", r"\bfor employees\b",
    ) + (Pattern(re.compile(r"\bstaff\b", _F), _not_helping),),
    # Customer impact is ruled out in so many words.
    "no_impact": _p(
        r"\bno (?:customer|user|external)[- ](?:facing |visible )?impact\b", r"\bno (?:real |actual |visible |user-visible |customer-visible )?impact\b",
        r"\bnothing (?:was|is|else was|has been) (?:affected|impacted)\b",
        r"\bbefore (?:taking|serving|receiving|getting) any (?:real |production |customer |user )?traffic\b",
        r"\b(?:real )?(?:users|customers) (?:saw|noticed) nothing\b",
        r"\b(?:real )?(?:users|customers|shoppers|players|nobody|no one) (?:saw|see|seeing|noticed|got|hit) no (?:errors|impact|issues|problems|failures"
        r"|downtime|blips?)\b",
        r"\b(?:customers?|users?|checkout|payments|orders|production) (?:was|were) (?:never affected|not affected at any point"
        r"|unaffected (?:the whole time|throughout|at all times|at any point))", r"\b(?:serves|serving|takes|taking) no (?:real |production |customer )?traffic\b", r"\bnot customer[- ]facing\b",
        r"\bno (?:customers|users) (?:were |was )?(?:affected|impacted)\b", r"\bnothing customer[- ]facing\b",
        r"\bno production systems\b", r"\bnot a customer(?:[- ]facing)? (?:issue|problem|incident|impact)\b",
        # Said not to reach them: "it doesn't matter at all for customers".
        r"\b(?:doesn't|does not|didn't|did not|won't|will not) (?:matter|affect|touch|reach|impact)(?: (?:at all|in any way))? (?:for |to )?"
        r"(?:our |the |any )?(?:customers|users|production|prod)\b",
        # A backup that did not run is no impact by itself: "the nightly backup job for the billing db failed".
        r"\b(?:backup|snapshot) (?:jobs?|runs?|tasks?)\b(?: [\w-]+){0,4}? (?:failed|fails|failing|timed out|times out|hung|errored|didn't run|did not run)\b",
        # Nobody has used it for a long time: "zero traffic for months", "no requests in over a year".
        r"\b(?:zero|no|0) (?:real |production |customer |user )?(?:traffic|users|requests|calls|logins) (?:for|in) (?:(?:over|the last|the past) )?"
        r"(?:months|weeks|years|ages|a while|(?:a|\d+) (?:years?|months?|weeks?)|\d{2,} days)\b",
        # Nobody can tell: "customers don't see any difference", "users see no change".
        r"\b(?:customers|users|people|shoppers|players|viewers|visitors|nobody|no one) (?:(?:don't|do not|didn't|did not|won't|will not|can't|cannot)"
        r" (?:see|notice|tell|feel) (?:any |the |a )?|(?:see|notice|saw|noticed|sees|notices) no )(?:difference|change)\b",
        # Nobody held up by it: "the wiki is down, runbooks are mirrored in the repo, nobody blocked".
        r"\b(?:nobody|no one|no-one|nothing) (?:is |was |'s |got |has been |is being )?(?:blocked|held up)\b(?! (?:from|for|by|on)\b)",
        # The change has not reached production: "prod hasn't been migrated yet".
        r"\b(?:production|prod)(?: environment| cluster| database| db| nodes| hosts| servers| fleet)? (?:hasn't|has not|haven't|have not|wasn't"
        r"|was not|isn't|is not|are not|aren't|not)"
        r" (?:yet )?(?:been )?(?:migrated|upgraded|deployed(?: to)?|rolled out(?: to)?|switched over|cut over|updated|touched|changed)\b",
        r"\b(?:not|haven't|hasn't|have not|has not) (?:yet )?(?:rolled|deployed|released|shipped|pushed|promoted) (?:[\w-]+ ){0,4}?(?:out )?to"
        r" (?:prod|production)(?! (?:by mistake|accidentally)\b)",
        # What it does is what it was built to do: "that's by design".
        r"\b(?:that's|that is|it's|it is|this is|which is) (?:by design|as designed|intended behaviou?r|expected behaviou?r|working as intended)\b",
        # Public on purpose: "the key is meant to be public", "they're designed to be shared".
        # Its object left out: "flagged the bucket as public. it's meant to be, it holds our published tarballs".
        r"\b(?:it's|that's|they're) (?:meant|supposed|intended|designed) to be(?=[,.;:]|$)",
        r"\b(?:is|are|was|were|it's|that's|they're|which is) (?:meant|supposed|intended|designed|built) to be (?:public(?:ly (?:visible|readable"
        r"|available))?|shared|world[- ]readable|visible to (?:everyone|anyone|the public))\b",
        r"\b(?:customers|users|nobody|no one) (?:were never|weren't|were not|was not|wasn't|never|didn't|did not) (?:\w+ )?(?:affected|impacted|notice|noticed|see|saw)\b",
    ) + (
        # Production or customers named only to say they were untouched: "production was never touched".
        Pattern(re.compile(r"\b(?:production|prod|customers|users|product|the live (?:site|systems?|services?)"
                           r"|customer(?:-facing)?(?= (?:apps?|services?|systems?)\b))(?: (?:and|or) (?:its |their |the )?[\w-]+)?"
                           r"(?: (?:apps?|services?|systems?|traffic))?"
                           # What is measured there: "prod p99 unchanged at 180ms", "production error rates flat".
                           r"(?: (?:p\d\d(?:\.\d+)?|latency|error rates?|errors|response times?|throughput))?(?: (?:was|were|is|are"
                           r"|remained|remains|stayed|stays|holds|held|has been|have been))? (?:completely |entirely |fully |totally )?(?:untouched|unaffected|fine|isolated(?: from it)?(?: and healthy)?"
                           r"|unchanged|steady|flat|stable|normal"
                           r"|never (?:touched|affected|impacted|involved|at risk)|not (?:touched|affected|impacted|involved))\b"
                           # "users are fine apart from slower pages" names what is not fine.
                           r"(?!,? (?:apart from|except|but|other than|save for)\b)", _F),
                _not_after(_SOME_OF_THEM)),
        # A part of production named as sound beside a non-production place the
        # fault is in: "cert expired on staging; prod certs are fine".
        Pattern(re.compile(r"\b(?:production|prod) (?:[\w-]+ ){1,2}?(?:is|are|was|were|remains?|remained|stays?|stayed|looks?|looked)"
                           r" (?:all |still |completely |entirely |fully )?(?:fine|healthy|valid|ok|okay|unaffected|untouched|unchanged"
                           r"|green|normal)\b(?!,? (?:apart from|except|but|other than|save for|again|now)\b)", _F), _sound_beside_non_production),
        # Production still on what it ran before, beside a non-production place
        # where the new one fails: "the pre-prod canary is crash-looping;
        # production still runs the previous release", "prod never got the build".
        Pattern(re.compile(r"\b(?:production|prod)(?: environment| cluster| fleet| traffic)? (?:is |was |stays |stayed |remains |remained )?"
                           r"(?:still |safely )?(?:on|running|runs|ran|serving|serves) (?:the |its )?(?:(?:old|previous|prior|last|earlier|stable"
                           r"|existing|known[- ]good|last[- ]good|yesterday's|last week's) (?:[\w.-]+ )?(?:version|build|release|image|config"
                           r"|code|binary|revision|deploy)s?\b|v?\d+(?:\.\d+)+\b)"
                           r"|\b(?:production|prod) never (?:got|received|saw|took|picked up|ran) (?:the |that |this |any )?(?:new |bad |broken )?"
                           r"(?:build|release|version|change|image|deploy|config)\b", _F), _sound_beside_non_production),
    ),
    # Nothing real: stand-ins ("no real customer data is involved", "no actual users were on it") or a false
    # alarm. No customer impact only when nothing else says people are hit: "no real patients in it.
    # separately ~8% of logins are slow", "false alarm on the grades being deleted; a filter hid them for a
    # handful of teachers" (pir_reviews.core.classify).
    "not_real": _p(
        r"\b(?:no|zero) (?:real|actual|live) (?:customers?|users?|patients?|members?|shoppers?|players?)(?:'s|s'|')? (?:data|records|accounts|details"
        r"|information|emails|(?:(?:were|was|are|is|have been|has been) )?(?:involved|affected|impacted|exposed|touched|on it|in it))\b",
        r"\bfalse alarm\b", r"\bno (?:customer|user|personal|patient) data (?:in it|in there|involved|stored there)\b",
    ),
    # All of engineering, or the whole company, cannot work: the internal-tooling row of the matrix.
    "staff_blocked": _p(
        rf"\ball of (?:eng|engineering|the engineering (?:team|org|organi[sz]ation)|the company)\b",
        rf"\b(?:no|every|each) (?:single )?(?:engineer|developer)\b", rf"\ball (?:engineers|developers|staff|employees)\b",
        r"\b(?:nobody|no one|everyone) (?:in|at) (?:engineering|the company)\b",
        # Said short or across the org, with what they cannot do: "nobody in eng can log in", "no one across engineering could deploy".
        r"\b(?:nobody|no one) (?:in|at|across|from) (?:eng|engineering|r&d|the engineering (?:team|org|organi[sz]ation))"
        r" (?:can(?:'t|not)?|could(?:n't| not)?|is able to|was able to|has been able to)\b",
        r"\b(?:the )?whole company\b",
        # Shut out of every internal system: "can't log into any internal tool".
        r"\b(?:can(?:'t|not)|unable to|could(?:n't| not)) (?:log ?in(?:to)?|sign ?in(?:to| to)?|get into|access|reach) (?:any|all) (?:of (?:our|the) )?"
        r"internal (?:systems?|tools?|tooling|services?|apps?)\b",
        r"\bevery team\b", r"\bcan(?:'t|not) ship (?:any )?(?:fixes|code|changes)\b", r"\bbuilds fail everywhere\b",
        r"\bengineering is blocked\b", r"\bblocks? (?:all of )?engineering\b",
        # Nothing anyone works on can get out: "nothing can be built or released", "pipelines for every repo".
        r"\bnothing (?:can (?:be )?|has (?:been )?|have (?:been )?)(?:built|released|deployed|merged|shipped)\b",
        # Not people's own things: "nobody can build their cart" is a shop's feature.
        r"\b(?:no one|nobody|no (?:team|service|repo|project)) (?:can|could|is able to|was able to) (?:build|deploy|release|merge|ship|push)\b"
        r"(?! (?:their|his|her|your)\b)",
        # The same with what is reached on the way: "nobody can reach bastions or run a deploy", "none of the
        # engineers can reach build or deploy infra".
        r"\b(?:no one|nobody|none of (?:the |our )?(?:engineers|developers|devs)) (?:can|could|is able to|are able to|was able to"
        r"|were able to) (?:(?!(?:their|his|her|your)\b)[\w/-]+ ){1,5}?(?:builds?|deploys?|deployments?|releases?|merges?)\b"
        r"(?! (?:their|his|her|your)\b)",
        # None of it can go out: "zero builds possible", "no deploys can run".
        r"\b(?:zero|no) (?:deploys?|deployments?|builds?|releases?|merges?) (?:are |is |were |was )?(?:possible|can (?:go out|run|land))\b",
        # Nothing can be shipped: "cant build or deploy anything incl hotfixes".
        r"\b(?:can't|cannot|can not|unable to|could not|couldn't) (?:build|deploy|release|merge|ship)(?: (?:or|and|,) (?:build|deploy|release|merge|ship))*"
        r" (?:anything|any (?:code|fixes|changes|hotfixes|services?|builds?))\b",
        # Shut out of what they work in: "none of the engineers can get on the vpn or into the aws console".
        r"\bnone of (?:the |our )?(?:engineers|developers|devs) (?:can|could|are able to|were able to) (?:get (?:on|onto|into|in|to)|log ?in(?:to)?"
        r"|sign ?in(?:to)?|reach|access|connect to|use|work)\b",
        r"\b(?:all|every) (?:deploy|deploys|deployments?|merges?|builds?|releases?|pushes)\b(?: (?:in|across) (?:the |our )?(?:org|organi[sz]ation|company))?"
        r" (?:are |is |were |was |got |have been |has been )?"
        r"(?:blocked|stuck|frozen|halted|on hold)\b",
        # A shipping tool stuck for every service: "the deploy pipeline hangs for every service".
        # Or across the whole org: "ci runners are broken org-wide", "errors out for any service".
        r"\b(?:deploy|deployment|build|release|ci|merge)s? (?:[\w-]+ ){0,4}?(?:hung|hangs|hanging|stuck|fail(?:s|ed|ing)?|broken|down|dead|blocked"
        r"|frozen|halted|erroring|errors|timing out|times out) (?:(?:[\w-]+ ){0,4}?(?:for|in|across|to) (?:every|all|each|any) (?:of (?:our|the) )?"
        r"(?:services?|repos?|repositories|teams?|projects?)\b|(?:org|organi[sz]ation|company|engineering|eng)[- ]wide\b)",
        r"\b(?:for |in )?(?:every|all|each) (?:of (?:our|the) )?(?:repos|repo|repositories|repository)\b",
        r"\ball (?:the |our |of the |of our )?(?:ci |build )(?:runners|agents|workers|machines)\b",
    ),
    # Staff doing planned or routine work: read only when nothing else is said ("deleted the stale flags per the
    # cleanup ticket", "support typed another customer's name into the search").
    "routine": tuple(Pattern(re.compile(source, _F), no_mistake) for source in (
        r"\bper (?:the |our |a )?(?:[\w-]+ ){0,2}?(?:ticket|plan|runbook|request|change request|schedule|policy|checklist)\b",
        r"\bas (?:planned|scheduled|agreed)\b", r"\b(?:planned|scheduled|routine) (?:maintenance|cleanup|deletion|removal|rotation|migration)\b",
        rf"\b{STAFF_WHO}\s+(?:[\w']+\s+)?(?:typed|entered|searched(?: for)?|looked up|pasted|pulled up)\b",
        INTENDED.pattern,
    )),
    # The fault is in how things look or read, not in what they do.
    "cosmetic": _looks(
        r"\btypos?\b", r"\bspelling (?:mistakes?|errors?)\b", r"\bmisspel\w*\b", r"\bcosmetic(?:ally)?\b", r"\bmisaligned\b",
        r"\balignment\b", r"\b(?:wrong|old|outdated) (?:[\w-]+ )?(?:logo|font|colou?rs?|icons?|image|symbols?)\b", r"\blogo\b", r"\bfonts?\b",
        r"\bcolou?rs? (?:are |is )?off\b", r"\bfooter links?\b", r"\btooltips?\b", r"\bcopyright year\b", r"\btranslation\b",
        r"\bicons?\b", r"\bpadding\b", r"\bcut off\b", r"\bfooter\b", r"\b(?:stretched|blurry|pixelated)\b",
        r"\b(?:wrong|old|outdated|previous|former) (?:[\w-]+ )?(?:name|wording|text|copy|title|label|heading)\b", r"\boverlap(?:s|ping)?\b",
        r"\bshows? ['\"]?(?:undefined|null|nan)\b", r"\b(?:grey|gray) on (?:grey|gray)\b", r"\bcontrast\b",
        r"\b(?:the )?(?:docs|documentation|api reference|readme|changelog|release notes|knowledge base|faq)\b",
        r"\bhelp (?:articles?|centre|center|pages?)\b", r"\bplaceholder (?:image|text)\b",
        r"\bfavicons?\b", r"\b(?:button|field|menu|tab|column|form|link|page|checkbox) (?:labels?|text|captions?|titles?|copy)\b",
        r"\b(?:misspelt|spelt wrong|spelled wrong|spelling|grammar|grammatical|punctuation|capitali[sz](?:ation|ed))\b",
        r"\bdecimal places\b", r"\b(?:date|time|number|price|currency) format(?:ting)?\b", r"\bformatted (?:wrongly|incorrectly|oddly|badly)\b",
        r"\b(?:wrong|odd|strange|off-brand|clashing) (?:shade|colou?r|hue)s?\b", r"\bcolou?rs? (?:are |is )?(?:wrong|inverted|swapped|washed out)\b",
        r"\b(?:spacing|margins?|kerning|line height|font size|letter spacing)\b", r"\blayout (?:is |was )?(?:off|shifted|squashed|cramped|jumps)\b",
        r"\b(?:visual|display|rendering|styling|css) (?:glitch|bug|issue|problem|quirk)e?s?\b", r"\blooks (?:off|weird|odd|ugly|squashed|cramped|blurry)\b",
        r"\b(?:untranslated|mistranslat\w+|translations?)\b", r"\blorem ipsum\b", r"\bemojis?\b", r"\bflicker(?:s|ing)?\b",
        r"\b(?:extra|missing|stray|double) (?:blank lines?|line breaks?|whitespace|spaces?|commas?|full stops?)\b",
        r"\b(?:hover|focus) (?:state|colou?r|effect)\b", r"\b(?:animation|scrollbar|drop shadow)s?\b",
        r"\bcolou?r(?:s|ed|ing)?\b", r"\b(?:upside[- ]down|sideways|back to front|mirrored|points? the wrong way)\b",
        r"\b(?:css|layout|text) overflows?\b", r"\boverflows? (?:the|its) (?:[\w-]+ )?(?:border|box|panel|container|margin|column|cell)\b",
        r"\bspills? (?:past|over|out of) the\b", r"\b(?:squashed|squished|squeezed|distorted|skewed|cramped|crooked|lopsided|off-cent(?:re|er))\b",
        r"\b(?:hard|difficult|impossible) to (?:read|see|make out)\b", r"\b(?:illegible|(?:barely|hardly) legible)\b",
        r"\b(?:pale|light|faint) (?:grey|gray)\b",
        # Out of place by a few pixels: "the thumbnails sit a few px off".
        r"\b(?:\d+|a few|a couple of|one|two|several) ?(?:px|pixels?) (?:off|out|too (?:far|high|low|wide|narrow)|to the (?:left|right))\b",
    ) + (Pattern(re.compile(r"\b(?:truncated|clipped|lost)\b", _F), _shown_not_a_cause),),
    # What is shown hides what people need, or leads them to do what they did
    # not mean to: a cosmetic word said with it is no cosmetic fault ("the
    # font bug renders the balance as blank boxes", "people are cancelling
    # orders they meant to place").
    "misleads": _p(
        # People who cannot do what they came for: "they can't pick a seat", "riders can't see the fare".
        rf"\b{_PEOPLE} (?:still )?(?:can't|cannot|can not|couldn't|could not|are unable to|were unable to)"
        r" (?!(?:tell|notice|see the difference|see any difference)\b)[\w-]+\b",
        rf"\b(?:makes?|made|making|leaves?|left|renders?|rendered) (?:the |an? |its |their )?(?:[\w-]+ ){{0,2}}?{_CONTENT} (?:[\w-]+ )?"
        r"(?:blank|empty|invisible|unreadable|garbled)\b",
        rf"\b(?:render|show|display|print)(?:s|ed|ing|n)? (?:the |an? |its |their |every |each )?(?:[\w-]+ ){{0,2}}?{_CONTENT}"
        r" as (?:an? )?(?:blank|empty|invisible|unreadable|garbled)(?: (?:boxes|box|squares?|spaces?|rectangles?|characters|text))?\b",
        rf"\b{_CONTENT} (?:[\w-]+ ){{0,3}}?(?:is|are|was|were|shows?|showed|shows up|appears?|appeared|renders?|rendered)"
        r" (?:as )?(?:an? )?(?:blank|empty|invisible|unreadable|garbled)\b",
        rf"\b{_PEOPLE} (?:are |were |keep |kept |have been |end up |ended up )?[\w-]+(?:ing|ed) (?:[\w'-]+ ){{0,4}}?"
        r"(?:(?:they|he|she|we) (?:meant|intended|wanted|tried) to|by mistake|by accident|without meaning to)\b",
    ),
    # A control people use, covered: "the banner covers the 'place order' button",
    # "the field is hidden by the toast". No cosmetic fault when the text also
    # says the action is blocked or done another way (pir_reviews.core.wording).
    "covers": _p(
        rf"\b{_COVERS} (?:the |a |an |its |their |every |each |our )?(?:['\w-]+ ){{0,3}}?{_CONTROL}(?!['\w-])",
        rf"\b{_CONTROL} (?:is |are |was |were |gets |got |get |stays |stay )?(?:covered|hidden|obscured|blocked) by\b",
        # Out of view: "pushes the submit button below the fold", "the renew link is off-screen".
        rf"\b(?:push|pushes|pushed|pushing|moves|moved|moving|shoves|shoved) (?:the |a |an |its |their |every |each |our )?(?:['\w-]+ ){{0,3}}?"
        rf"{_CONTROL} (?:[\w-]+ ){{0,2}}?{_OUT_OF_VIEW}",
        rf"\b{_CONTROL} (?:(?!(?:but|and|while)\b)[\w'-]+ ){{0,6}}?(?:pushed )?{_OUT_OF_VIEW}",
    ),
    # Things customers touch: a mention means the text is about customer-facing systems.
    # A customer word names a customer unless a test or demo word says whose
    # stand-in it is: "a test merchant account", "our demo user".
    "customer_facing": (Pattern(re.compile(r"\b(?:customers?|users?|shoppers?|merchants?|buyers?|visitors?|subscribers?)\b", _F),
                                _a_customer),),
    "customer_systems": _p(r"\b(?:the )?(?:web ?site|storefront|checkout|public api)\b") + (
        Pattern(re.compile(r"\b(?:production|prod)\b", _F), _production_in_play),
    ),
}

# The other parts named as fine: "search and booking unaffected", "browse, search and checkout all normal".
# A way round only beside one feature said to be down, so pir_reviews.core.classify scans for it only then
# (it starts at any word, so a scan of every text would cost a tenth of the classification): beside a
# share, the parts named fine are the ones not hit ("~55% of customers; us and apac fine"), not another way.
OTHERS_FINE = _p(r"\b[\w-]+(?:, [\w-]+)*,? and [\w-]+ (?:(?:are|were|remain|stay|look) )?(?:(?:all|both) )?"
                 r"(?:unaffected|normal|fine|healthy)\b")
# The kinds that say something happened: a mention of one of these that the
# text frames as a belief or a report and then refutes does not count
# (pir_reviews.core.modality).
REFUTABLE = ("data_loss", "exposure", "complete_outage", "outage", "not_sent", "broken")
# The kinds of harm, whose words in scare quotes are someone's name for it,
# refuted when the text denies that harm nearby ("not a breach. the 'leaked' key ...").
HARM = ("data_loss", "exposure")

TEAM_SIGNALS: dict[str, tuple[Pattern, ...]] = {
    "Database team": _p(r"\b(?:databases?|db|dbs|postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|sql|replicas?|replication|connection pool)\b"),
    "Network team": _p(r"\b(?:network(?:ing)?|dns|cdn|load[- ]balancers?|bgp|firewall|packet loss)\b"),
    "Payments team": SIGNALS["revenue"],
    "Security team": SIGNALS["exposure"] + _p(r"\b(?:security|vulnerabilit(?:y|ies)|unauthori[sz]ed|credentials?)\b"),
}


