"""How many are affected, read from words and numbers: "about half", "a third
of sessions", "roughly 40%", "one in five", "every request", "a handful".

Responders state breadth in words far more often than they fill in
`users_affected_pct`. Each phrase found here becomes a `Share`: an estimate of
the percentage affected and the words it came from, so the reason printed for
a severity can quote them. The estimates are deliberately coarse; they only
have to land on the right side of the matrix thresholds (25% and 75%):

* a stated percentage or ratio is taken as written ("1 in 20" is 5%);
* "half" is 50, "a third" 33, "two thirds" 67, "a quarter" 25, "three
  quarters" 75;
* "the majority" and "more than half" read as just over half (60), "most" as
  a large majority (80), "the vast majority" 90, "almost all" 95;
* every / everyone / all users / nobody can / the whole site is 100;
* a handful, a few, a subset, some users, one region, two customers is 5.

A share after a negated verb and "for" is the share hit ("not arriving for
about 60% of subscribers"), unless the verb is a failure ("no errors for 90%
of users"). "All" or "every" said of what works or is kept ("the retry
succeeds for all of them", "every order is in the database") counts nobody,
and is returned as set aside, with why.

Percentages of resources ("CPU at 90%", "disk 95% full", "99.9% uptime SLA")
are not shares of people and are skipped. When the same clause says the share
is the part that works ("99% of requests succeed"), the complement counts.
Pure: no I/O, nothing but `re`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pir_reviews.core.mentions import Pattern, is_negated, matches, one_clause, words
from pir_reviews.core.modality import sentence_start

# Patterns are lowercase and read lowercased text: case-insensitive matching
# costs several times as much in Python's re.
_F = 0

# Who uses a product, by trade: "4 in 10 listeners", "most riders".
# Singular and plural, but "homes" only ("every home page" counts no one);
# not "fans" or "hosts", as often machines as people.
PEOPLE = words(" ".join(f"{w} {w}s" for w in (
    "viewer watcher listener reader rider driver passenger traveller traveler guest patient student learner pupil teacher parent"
    " household resident employee employer policyholder seller courier diner caller investor trader borrower applicant renter"
    " homeowner citizen").split()) + " homes")
# What a share can be a share of: people, or the things people do.
_SCOPE = (
    rf"(?:{PEOPLE}|users?|customers?|shoppers?|buyers?|merchants?|tenants?|accounts?|members?|clients?|partners?|people|players?"
    r"|requests?|calls?|api calls?|queries|query|transactions?|orders?|payments?|charges?|checkouts?|logins?|sign-?ins?"
    r"|sessions?|attempts?|uploads?|downloads?|searches|search queries|deliveries|delivery|messages?|notifications?"
    r"|emails?|sends|webhooks?|jobs?|reports?|exports?|builds?|traffic|regions?|devices?|visitors?|subscribers?"
    r"|bookings?|invoices?|page views|page loads|conversations?|streams?|videos?|resets?|password resets|cards?|purchases?"
    r"|endpoints?|routes?|trades?"
    # The places that are customers: "4 of our 60 clinics", "12 of the 30 stores".
    r"|clinics?|stores?|shops?|branch(?:es)?|restaurants?|hospitals?|pharmac(?:y|ies)|schools?|hotels?|venues?|warehouses?|depots?|airlines?)"
)
_APPROX = r"(?:(?:about|around|roughly|approximately|nearly|almost|over|more than|just over|just under|under|up to|at least|some|~)\s*)?"
_DETS = r"(?:(?:all of |of )?(?:the |our |its |their |all )?)"
_WORD = r"[\w'-]+ "
# "half of all calls": the "all" belongs to the share, it does not make it universal.
_OF_ALL = r"(?: of)?(?: (?:all|the|our|its|their)(?: of)?)*"
# Things measured in percent that are not people or their requests.
_RESOURCE = re.compile(
    r"\s*(?:of )?(?:the |our |its )?(?:[\w-]+ )?(?:cpu|memory|ram|disk|disks|capacity|quota|budget|bandwidth|heap|storage"
    r"|limit|threshold|uptime|availability|sla|slo|full|utili[sz]ation|usage|load)\b",
    _F,
)
# Within the share's own clause: in "some users, retrying succeeds" what succeeds is the retry, not the rest.
_WORKS_AFTER = re.compile(
    r"(?:(?!\b(?:but|and|while|whereas|though|although|retry|retrying|retries|a retry|refreshing|reloading)\b)[^.;:!?,]){0,40}?\b(?:succeed|succeeds|succeeded|work|works|worked|are fine|is fine|were fine|unaffected"
    r"|go through|went through|load fine|complete normally"
    # "only ~15% of patients can book": the share that still can.
    r"|can(?!['\u2019]t|not) (?:still )?(?!(?:not|no|never|only|barely|hardly|rarely)\b)[\w-]+)\b",
    _F,
)

_RATE_AFTER = re.compile(r"\s*(?:(?:error|failure) rate|(?:errors|failures|timeouts|time-outs|5xx|5\d\ds)\b)", _F)
# "for the ~10% still on v3.x", "the roughly 12% using the legacy plan": a share named by what those people run.
_THE_BEFORE = re.compile(r"\bthe\s+~?\s*$", _F)
_WHO_AFTER = re.compile(r"\s+(?:(?:who are|who're|that are) |still |currently )*(?:on|using|running|with)\s+[\w.'-]+(?:\s+[\w.'-]*\d[\w.'-]*)?", _F)

_WORD_NUMBERS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twenty": 20, "hundred": 100, "a hundred": 100,
}
_NUMBER = r"(?:\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|twenty|a hundred|hundred)"
_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3,
    "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0,
    "a tenth": 10.0, "one tenth": 10.0,
}
_FRACTION = r"(?:half|a half|one half|a third|one third|two thirds|a quarter|one quarter|three quarters|a fifth|one fifth|a tenth|one tenth)"
SMALL_PCT = 5.0


@dataclass(frozen=True)
class Share:
    """One statement of breadth: the estimated percentage affected and the words that said it."""

    pct: float
    phrase: str
    universal: bool = False  # "every request", "nobody can": a complete outage of what it names
    feature: bool = False  # universal, but of one feature: "nobody can redeem a code", not "nobody can log in"
    by_action: bool = False  # feature read from the action after "nobody can", not from the sentence


def _number(word: str) -> float:
    word = word.lower()
    return float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else float(word)


# (pattern, how to read the match). Each reader returns a percentage, or None to skip the match.
_READERS: tuple[tuple[re.Pattern, object], ...] = (
    (re.compile(rf"\b{_APPROX}(\d{{1,3}}(?:\.\d+)?)\s?(?:%|percent\b)(?! (?:uptime|availability|sla|slo)\b)(?P<of>{_OF_ALL})", _F), "pct"),
    (re.compile(r"\b(?:error|failure) rates?\b(?: [\w-]+){0,4}? (?:of|at|reached|hit|is|was|to|around|about|near|peaked at|above|over)"
                r"\s+(?:about |around |roughly |nearly |~)?(\d{1,3}(?:\.\d+)?)\s?%", _F), "rate"),
    # "4 in 10 viewers", "four out of every ten riders", "3 of our 8 shipping regions".
    (re.compile(rf"\b{_APPROX}({_NUMBER}) (?:(?:in|out of) (?:every )?|of (?:our |the |all |its |their )?)({_NUMBER})"
                rf" (?:[\w-]+ ){{0,2}}?{_SCOPE}\b", _F), "ratio"),
    # Said after the people it counts: "customers on the legacy plan, about 1 in 12, get a 500".
    (re.compile(rf"(?<=, ){_APPROX}({_NUMBER}) in (?:every )?({_NUMBER})(?=,)", _F), "ratio"),
    # A count of the whole: "30 accounts out of ~12k", "40 of our 2,000 merchants".
    (re.compile(rf"\b(\d[\d,]*) (?:[\w-]+ ){{0,2}}?{_SCOPE} (?:out of|of) (?:about |around |roughly |nearly |over |~)?(?:the |our |all )?"
                r"(\d[\d,]*(?:\.\d+)?k?)\b", _F), "count"),
    (re.compile(rf"\b{_APPROX}({_FRACTION})\b(?= (?:of|the|our|all|its|their)\b){_OF_ALL}", _F), "fraction"),
    (re.compile(r"\b(?:the vast majority|the overwhelming majority)\b", _F), 90.0),
    (re.compile(r"\b(?:almost|nearly|virtually|practically|basically) (?:all|every|everyone|everybody)\b", _F), 95.0),
    (re.compile(r"\b(?:the majority|more than half|over half|a majority)\b", _F), 60.0),
    (re.compile(rf"\bmost (?:of )?(?:the |our |its |their )?(?:{_WORD}){{0,2}}?{_SCOPE}\b", _F), 80.0),
    (re.compile(r"\b(?:(?:a|the) handful|(?:a|the) few|a couple|a small (?:number|subset|fraction|percentage|share|group|portion|minority)"
                r"|a subset|a minority|a fraction|isolated(?= (?:cases|incidents|reports|users|customers|errors|failures|pockets|accounts)\b)|several)\b"
                r"(?! (?:of )?(?:px|pixels?|ms|seconds?|minutes?|mins|hours?|days?)\b)", _F), SMALL_PCT),
    (re.compile(rf"\bsome (?:of (?:the |our )?)?(?:{_WORD}){{0,2}}?{_SCOPE}\b", _F), SMALL_PCT),
    (re.compile(rf"(?<![\d,.])(?<!\bthe )(?<!\bthat )(?<!\bthis )\b(?:only )?(?:one|a single|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}})"
                rf" (?:[\w-]+ )?{_SCOPE}\b(?! (?:of|in|out of|digits|numbers|details|data|ids?)\b)", _F), SMALL_PCT),
)

# "For anyone" narrowed by who they are: "for anyone on the android app",
# "for anyone who calls"; "for anyone who tries to pay" is still everyone paying.
_WHICH_ONES = (r"(?:(?:who|that) (?!(?:tries|tried|try|wants|wanted|attempts|attempted) to\b)|whose\b|on\b|in\b|from\b|with\b|using\b"
               r"|behind\b|via\b|routed\b|coming\b|hitting\b|outside\b|inside\b|still\b|signed\b|logged\b|paying\b|asking\b|calling\b)")

_UNIVERSAL = re.compile(
    r"\b(?:every (?:single )?(?:[\w-]+ )?" + _SCOPE + r"\b|everyone\b|everybody\b|100% of\b"
    r"|all " + _DETS + r"(?:[\w-]+ )?" + _SCOPE + r"\b"
    r"|(?P<nobody>(?:nobody|no one|no-one|no (?:customer|user|passenger|player|guest|rider|shopper|member|patient|student|driver|travell?er"
    r"|visitor|subscriber|buyer|client)) (?:can|could|is able to|was able to|were able to|has been able to))\b"
    r"|(?:the )?(?:whole|entire) (?:site|website|app|application|platform|storefront|api|service|product)\b"
    r"|everything (?:returns|is|was|fails|failed|errors|times out|timed out)\b"
    r"|nothing (?:is getting through|gets through|works|worked|is working|loads|is loading)\b"
    r"|not a single (?:[\w-]+ ){1,2}?(?:has|have|is|was|went|got|succeeded|worked|loaded)\b"
    r"|none of (?:the |our )?(?:[\w-]+ ){0,2}?" + _SCOPE + r" (?:are |is |were |was |have |has )?(?:succeeding|succeeded|working|loading|going through|getting through|gone through)\b"
    r"|(?:customers|users|people|shoppers) everywhere\b|for anyone\b(?! " + _WHICH_ONES + r")|across the board\b"
    r"|100% (?:errors|failures|error rate|failure rate|packet loss)\b"
    r"|(?:zero|no) successful (?:[\w-]+ )?" + _SCOPE + r"\b"
    r"|no (?:[\w-]+ )?" + _SCOPE + r" (?:are |is |were |have |has )?(?:going through|getting through|gone through|went through|got through"
    r"|succeeding|succeeded|working|loading|executing|being executed|processing|being processed|clearing|settling)\b"
    r"|for all\b(?: " + _DETS + r"(?:[\w-]+ )?" + _SCOPE + r"\b)?)",
    _F,
)


# What everybody does with a product: "nobody can" do one of these is
# everything down; "nobody can" do anything else is one feature broken.
_EVERYDAY = re.compile(
    r"\s+(?:(?:currently|even|now|still|actually) )?(?:log ?in|login|sign ?in|check ?out|pay|buy|order|place|access|load|open|use|reach|connect"
    r"|get (?:in|into|on|to|through)|do anything|see anything|watch|stream|play|listen|browse|call|send|receive|book|search|check ?in"
    # Anything at all: "nobody can play anything on any device".
    r"|[\w'-]+ (?:to |from |with |on |in )?anything)\b",
    _F,
)
_ACTION = re.compile(r"\s+(?:[\w'-]+ ){0,2}[\w'-]+", _F)

# What makes "every customer" or "for everyone" mean everything down rather
# than one feature broken for everyone ("image uploads are broken for every
# customer" is one feature, sev2): the share counts requests, pages or
# sessions, or its sentence names the product as a whole, signing in, what
# everything runs through (the gateway, the database) or money changing hands.
_WHOLE_SCOPE = re.compile(
    r"\b(?:requests?|calls?|quer(?:y|ies)|transactions?|orders?|payments?|charges?|checkouts?|logins?|sign-?ins?|sessions?|traffic"
    r"|page views|page loads|pages?|endpoints?|routes?|regions?|purchases?|site|website|app|application|platform|storefront|api|service"
    r"|product|errors|failures|error rate|failure rate|packet loss|trades?)\b|^(?:everything|nothing|not a single|(?:zero|no) successful)\b",
    _F,
)
_WHOLE_SENTENCE = re.compile(
    # "in-app", "on-site": a word joined on as a modifier names no system,
    # nor does "product" said of a part of its page ("product photos").
    r"(?<!-)\b(?:(?:web ?)?site|app|apps|application|platform|storefront|portal|apis?|everything|(?:the|our|all|every|each) (?:services|systems)"
    r"|product(?! (?:pages?|names?|photos?|images?|thumbnails?|descriptions?|cards?|listings?|reviews?|videos?|details|tiles?)\b)"
    # the product named by what it delivers: "video streaming", "music playback"
    r"|streaming|playback|live ?streams?"
    r"|(?:every|all|any|each) pages?|home ?page|log ?in|login|logging in|sign ?in|sign-in|signing in|access(?:ing)?|connect(?:ing)?"
    r"|reach(?:ing)?|logged out|locked out|kicked out|signed out"
    # what everything runs through
    r"|gateway|load[- ]balancers?|cdn|dns|backend|back end|servers?|databases?|db|clusters?|network|proxy|edge|auth|authentication"
    r"|identity provider|sso|data ?cent(?:re|er)"
    # money changing hands
    r"|check ?out|checkout|carts?|baskets?|pay|paying|payments?|billing|orders?|ordering|purchases?|purchasing|buy|buying|refunds?|payouts?|charges?"
    r"|payroll|salar(?:y|ies)|wages"
    r"|charging|transfers?|withdrawals?|deposits?)\b",
    _F,
)
_SENTENCE_END = re.compile(r"[.;!?\n]", _F)
WHOLE_SYSTEM = _WHOLE_SENTENCE  # the words that name a whole system, for pir_reviews.core.wording


# Words that name no feature: who, when, and that something failed.
_FILLER = frozenset(
    "a an the is are was were be been being has have had do does did get gets got getting see sees saw seeing hit hits hitting for to "
    "of in on at by with from since after before during until when while as and or but so it its they them their we our us you your "
    "he she his her this that these those there here now right currently still just again all every everyone everybody each any "
    "anyone anybody single customer customers user users people shoppers shopper visitors visitor merchants merchant subscribers buyers "
    "error errors failure failures failing fail fails failed broken broke down crash crashes crashed crashing issue issues problem problems "
    "today yesterday morning afternoon evening night tonight minute minutes hour hours ago deploy deployment release upgrade update "
    "change rollout incident try tries trying tried can't cannot unable not no http same time".split()
)


# A thing placed in a whole system is the thing that fails, not the system:
# "file attachments in the helpdesk app fail for every customer".
_LOCATED = re.compile(
    r"\b([a-z][\w'-]*) (?:in|on|inside|within) (?:the|our|its|their|an?) (?:[\w-]+ ){0,2}?(?:(?:web ?)?site|app|apps|application"
    r"|platform|portal|product|storefront)\b",
    _F,
)


# The rest of a system said to work names the part that fails, not the system: "the rest of the portal works".
_REST_WORKS = re.compile(r"\b(?:the )?rest of (?:the |our |its )?(?:[\w-]+ ){0,2}?[\w-]+ (?:still )?(?:works?|is fine|is up|loads?|is unaffected)\b", _F)


def _places(text: str, start: int, end: int) -> str:
    """text[start:end] with each place named after a thing in it blanked out
    ("attachments in the helpdesk app"), unless the thing names nothing in
    particular ("errors in the app") or counts the whole ("pages on the site"),
    and the rest of a system said to work ("the rest of the portal works")."""
    said = text[start: end]
    for rest in _REST_WORKS.finditer(text, start, end):
        said = said[:rest.start() - start] + " " * (rest.end() - rest.start()) + said[rest.end() - start:]
    for place in _LOCATED.finditer(text, start, end):
        thing = place.group(1)
        if thing not in _FILLER and not _WHOLE_SCOPE.fullmatch(thing):
            at, stop = place.end(1) - start, place.end() - start
            said = said[:at] + " " * (stop - at) + said[stop:]
    return said


def _whole(text: str, match: re.Match) -> bool:
    """Whether a universal share is of everything, not of one feature: it
    counts requests or pages, or its sentence names the product as a whole,
    signing in or paying, or names nothing else that could be the feature
    ("every customer got an error")."""
    if _WHOLE_SCOPE.search(match.group()):
        return True
    start = sentence_start(text, match.start(), 200)
    stop = _SENTENCE_END.search(text, match.end(), match.end() + 200)
    end = stop.start() if stop else min(len(text), match.end() + 200)
    if _WHOLE_SENTENCE.search(_places(text, start, end)):
        return True
    rest = re.findall(r"[a-z][\w'-]*", text[start: match.start()] + " " + text[match.end(): end])
    return not any(word not in _FILLER for word in rest)


def _read(kind: object, match: re.Match) -> float | None:
    if isinstance(kind, float):
        return kind
    if kind in ("pct", "rate"):
        return float(match.group(1))
    if kind == "count":
        top, bottom = float(match.group(1).replace(",", "")), match.group(2).replace(",", "")
        bottom_n = float(bottom[:-1]) * 1000 if bottom.endswith("k") else float(bottom)
        return 100 * top / bottom_n if 0 < top <= bottom_n else None
    if kind == "ratio":
        top, bottom = _number(match.group(1)), _number(match.group(2))
        return 100 * top / bottom if 0 < top <= bottom else None
    return _FRACTIONS[match.group(1).lower()]


_SCOPE_AFTER = re.compile(rf"\s*(?:[\w'-]+ ){{0,3}}{_SCOPE}\b", _F)


def _phrase(text: str, match: re.Match) -> str:
    """The words to quote: the match, and the thing it counts when that follows ("40% of" + "video uploads")."""
    scope = _SCOPE_AFTER.match(text, match.end())
    end = scope.end() if scope else match.end()
    return " ".join(text[match.start(): end].lower().split())


def _complement(text: str, match: re.Match, pct: float) -> tuple[float, str]:
    """The share that fails, and the words to quote, when the clause says the stated share is the part that works."""
    works = _WORKS_AFTER.match(text, match.end())
    if works:
        return 100 - pct, " ".join(text[match.start(): works.end()].lower().split())
    return pct, _phrase(text, match)


# "CSV export still works for everyone": the everyone is of the part that works.
# "the retry succeeds for all of them": the all is of what succeeds.
_WORKS_BEFORE = re.compile(r"\b(?:still )?(?:works?|working|succeed(?:s|ed|ing)?|go(?:es)? through|went through|pass(?:es|ed)?"
                           r"|recover(?:s|ed)?)(?: fine| normally)?\s+(?:for\s+)?$", _F)
# "every order is intact": the every is of what is fine.
_FINE_AFTER = re.compile(
    r"\s+(?:(?:is|are|was|were|remains?|remained|stays?|stayed)\s+)(?:still\s+|all\s+)?(?:intact|fine|safe|unaffected|untouched"
    r"|accounted for|there|ok|okay|working|available|correct|stored|saved|recorded"
    # "every message is in the db": where it is kept, so it is there.
    r"|(?:in|on) (?:the |our |its |their )?(?:[\w-]+ )?(?:db|database|ledger|store|storage|servers?|system|bucket|archive|backend"
    r"|warehouse))\b",
    _F,
)


# The readers as one table of patterns, scanned as the signal tables are (pir_reviews.core.mentions.matches).
_READING = tuple(Pattern(pattern) for pattern, _ in _READERS)
_READER_INDEX = {id(pattern): index for index, pattern in enumerate(_READING)}


# "everyone else", "all other tenants", "every other user": the rest, set
# against the ones affected, not a breadth (what is said of them is usually that they are fine).
_CONTRAST_AFTER = re.compile(r"\s+else\b", _F)
# Asked, not said: "support asked if it's everyone. no - only ...".
_ASKED_BEFORE = re.compile(r"\b(?:asked|asking|asks|wondered|wondering|want(?:s|ed)? to know) (?:if|whether) (?:it's |it is |its |this is |that's )?$", _F)
_CONTRAST_IN = re.compile(r"^(?:every|all|for all)(?: (?:of )?(?:the|our|its|their))? (?:other|remaining)\b", _F)


def _universal(text: str, match: re.Match) -> Share | None:
    """The share of a universal phrase ("every request", "nobody can redeem"), or None when it does not count."""
    if (is_negated(text, match)[0] or _CONTRAST_AFTER.match(text, match.end()) or _CONTRAST_IN.match(match.group())
            or _ASKED_BEFORE.search(text, max(0, match.start() - 40), match.start())):
        return None
    phrase = " ".join(match.group().split())
    by_action = match.group("nobody") is not None
    if not by_action:
        return Share(100.0, phrase, True, not _whole(text, match))
    if _EVERYDAY.match(text, match.end()):
        return Share(100.0, phrase, True, False, True)
    action = _ACTION.match(text, match.end())
    return Share(100.0, f"{phrase} {' '.join(action.group().split())}" if action else phrase, True, True, True)


def _of_what_is_fine(text: str, match: re.Match) -> str | None:
    """Why a universal phrase counts what works or is kept, not who is hit, in
    the words that say so ("succeeds for all", "every message is in the db"); None otherwise."""
    works = _WORKS_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if works:
        return f'after "{" ".join(works.group().split())}": of what works, not of who is affected'
    fine = _FINE_AFTER.match(text, match.end())
    if fine:
        return f'then "{" ".join(fine.group().split())}": of what is fine or kept, not of who is affected'
    return None


# A negation of what the share meets, not of the share: "not arriving for
# about 60% of subscribers", "no results for half of users" say that share is
# hit. Read so only when a word or three and "for" (or "to", "among",
# "across") stand between them, and those words are no failure ("no errors for
# 90% of users" says they are fine); "not for everyone" and "not half of the
# users" stay negated.
_PREDICATE_FOR = re.compile(r"^[\w']+\s+(?:[\w'-]+\s+){1,3}?(?:for|to|among|across)\s+$", _F)
_BAD_NEWS = re.compile(r"\b(?:errors?|fail\w*|issues?|problems?|impact\w*|affect\w*|crash\w*|time-?outs?|timing|down|broken"
                       r"|complaints?|outages?|trouble|disruptions?|delays?|lag\w*|declines?|rejections?|incidents?|bugs?)\b", _F)


def _negated_share(text: str, match: re.Match) -> tuple[bool, str]:
    """Whether a negation governs the share itself; else the words of a negated
    predicate before it ("not arriving for "), to quote with it, or ""."""
    negated, phrase = is_negated(text, match)
    if not negated:
        return False, ""
    before = phrase[: len(phrase) - (match.end() - match.start())]
    if phrase.endswith(match.group()) and _PREDICATE_FOR.match(before) and not _BAD_NEWS.search(before):
        return False, " ".join(before.split()) + " "
    return True, ""


def find_shares(text: str) -> tuple[Share, ...]:
    """Every statement of breadth in the text, in text order; overlapping
    phrases keep the longest, negated ones ("not everyone") are dropped."""
    return read_shares(text)[0]


def read_shares(text: str, reports: tuple[tuple[int, int, str], ...] = ()
                ) -> tuple[tuple[Share, ...], tuple[tuple[Share, str], ...]]:
    """find_shares, and the phrases set aside, each with why in words: a
    universal one after a part of the people in its clause (_each_of_a_part)
    or of what works or is kept (_of_what_is_fine), and any share said inside
    one of `reports` (start, end and its words quoted, placed in the
    lowercased text: a report the text refutes), which is of the report
    ("claimed all customers' data leaked", "it asks everyone for a token");
    so the classifier can say it read and set them aside."""
    text = text.lower()
    found: list[tuple[int, int, int, Share]] = []  # start, end, which reader (universal first), share
    fine: list[tuple[Share, str]] = []
    for match in _UNIVERSAL.finditer(text):
        share = _universal(text, match)
        why = None if share is None else _of_what_is_fine(text, match)
        if why:
            fine.append((share, why))
        elif share is not None:
            found.append((match.start(), match.end(), -1, share))
    for pattern, match in matches(text, _READING):
        kind = _READERS[_READER_INDEX[id(pattern)]][1]
        if kind == "pct" and _RESOURCE.match(text, match.end()):
            continue
        the = _THE_BEFORE.search(text, max(0, match.start() - 7), match.start())
        who = _WHO_AFTER.match(text, match.end()) if the else None
        if kind == "pct" and not (" of" in match.group("of").lower() or _RATE_AFTER.match(text, match.end()) or who):
            continue
        pct = _read(kind, match)
        negated, predicate = _negated_share(text, match)
        if pct is None or pct > 100 or negated:
            continue
        pct, phrase = _complement(text, match, pct)
        if who and kind == "pct" and " of" not in match.group("of"):
            phrase = " ".join(text[the.start(): who.end()].split())
        found.append((match.start(), match.end(), _READER_INDEX[id(pattern)], Share(round(pct, 1), predicate + phrase)))
    found, reported = _outside_reports(found, reports)
    found.sort(key=lambda item: (item[0], -(item[1] - item[0]), item[2]))
    kept: list[tuple[int, int, int, Share]] = []
    for hit in found:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    kept, corrected = _corrected(text, kept)
    shares = [_of_the_whole(text, hit, kept) for hit in kept]
    # A count that scaled a share of its subset is said in that share now.
    scaled = [share.phrase for hit, share in zip(kept, shares) if share is not hit[3]]
    parts = [_each_of_a_part(text, hit, kept) for hit in kept]
    figures = [None if part else _beside_a_figure(text, hit, kept) for hit, part in zip(kept, parts)]
    read = tuple(share for hit, share, part, figure in zip(kept, shares, parts, figures)
                 if not (hit[2] == _COUNT and share is hit[3] and any(p.endswith(f", of {share.phrase}") for p in scaled))
                 and part is None and figure is None)
    parted = tuple((share, f'after "{part.phrase}": what each of those meets, not everyone')
                   for share, part in zip(shares, parts) if part is not None)
    beside = tuple((share, f'beside "{figure.phrase}" in its sentence: the figure counts')
                   for share, figure in zip(shares, figures) if figure is not None)
    return read, parted + beside + tuple(fine) + corrected + reported


def _outside_reports(found: list[tuple[int, int, int, Share]], reports: tuple[tuple[int, int, str], ...]
                     ) -> tuple[list[tuple[int, int, int, Share]], tuple[tuple[Share, str], ...]]:
    """The shares not said inside a refuted report, and those that are, with why."""
    if not reports:
        return found, ()
    outside, inside = [], []
    for hit in found:
        report = next((said for start, end, said in reports if start <= hit[0] < end), None)
        if report is None:
            outside.append(hit)
        else:
            inside.append((hit[3], f"in {report}, a report the text refutes: of the report, not of who is affected"))
    return outside, tuple(inside)


# A figure given as the correction of an earlier one: "first reports said all
# users, turned out to be ~15%", "it's actually around 5%", "in fact about half".
_CORRECTION = re.compile(
    r"\b(?:turned out (?:to be |to have been )?|turns out (?:to be )?|on closer (?:look|inspection),? (?:it(?:'s| is| was) )?"
    r"|(?:it's|it is|it was|that's|that is|which is|which was) actually |in fact,? |in reality,? |actually,? (?:it's |it is |only |just )?"
    r"|the real (?:figure|number|share|count) (?:is|was) (?:closer to )?|revised (?:down |up )?to |corrected to |more like )"
    r"(?:only |just |about |around |roughly |nearly |approximately |~)*", _F)
_BARE_PCT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b)", _F)
_BEFORE_CORRECTION = 160  # how far back, within the sentence (a ";" does not end it here), an earlier figure is corrected


def _corrected(text: str, kept: list[tuple[int, int, int, Share]]
               ) -> tuple[list[tuple[int, int, int, Share]], tuple[tuple[Share, str], ...]]:
    """The shares with each one a later correction replaces set aside, and why
    in the words that say so: a figure right after a correction word ("turned
    out to be ~15%", "in fact about half") counts, the earlier figures of its
    sentence do not. A bare percentage there is read too ("~15%," with no "of")."""
    aside: list[tuple[Share, str]] = []
    for correction in _CORRECTION.finditer(text):
        at, end = correction.start(), correction.end()
        figure = next((hit for hit in kept if at <= hit[0] <= end + 1 and not hit[3].universal), None)
        if figure is None:
            bare = _BARE_PCT.match(text, end)
            if bare is None or float(bare.group(1)) > 100 or _RESOURCE.match(text, bare.end()):
                continue
            figure = (at, bare.end(), len(_READERS), Share(float(bare.group(1)), " ".join(text[at: bare.end()].split())))
            kept = sorted([*kept, figure], key=lambda hit: hit[0])
        since = max(max(text.rfind(c, 0, at) for c in ".!?\n") + 1, at - _BEFORE_CORRECTION)
        said = " ".join(text[at: figure[1]].split())
        for hit in [h for h in kept if since <= h[0] and h[1] <= at]:
            kept.remove(hit)
            aside.append((hit[3], f'then "{said}": corrected, the later figure counts'))
    return kept, tuple(aside)


def _each_of_a_part(text: str, hit: tuple[int, int, int, Share], kept: list[tuple[int, int, int, Share]]) -> Share | None:
    """The part of the people before a universal phrase in its own clause, if
    any: the phrase then counts what each of them meets, not everyone; in "a
    third of our clients get 429 on every call" the breadth is the third."""
    start, _, _, share = hit
    if not share.universal:
        return None
    return next((other for _, end, _, other in kept if not other.universal and end <= start and one_clause(text, end, start)),
                None)


_SENTENCE_BREAK = re.compile(r"[.!?\n]", _F)
_IN_DIGITS = frozenset(i for i, (_, kind) in enumerate(_READERS) if kind in ("pct", "rate", "ratio", "count"))


def _beside_a_figure(text: str, hit: tuple[int, int, int, Share], kept: list[tuple[int, int, int, Share]]) -> Share | None:
    """A figure in digits in the same sentence as a universal phrase: the
    figure is the breadth, the phrase what each of them meets or what was
    said before the figure ("everyone in apac is yelling, but that's ~8% of
    our users"; "the mobile app, about 60% of our users, errors for
    everyone"; "100% error rate, but real traffic is ~2% of bookings"). A
    share in words ("a third", "a few users") is left beside it."""
    start, end, _, share = hit
    if not share.universal:
        return None
    return next((other for at, other_end, reader, other in kept if not other.universal and reader in _IN_DIGITS
                 and _SENTENCE_BREAK.search(text, min(end, other_end), max(start, at)) is None), None)


# A group that is a small part of the users by its nature: "half of the beta
# testers" is half of the beta, not half of the users.
_SUBSET = re.compile(r"\b(beta|pilot|preview|early[- ]access|canary|trial|alpha)\b", _F)
_COUNT = _READERS.index(next(r for r in _READERS if r[1] == "count"))


def _of_the_whole(text: str, hit: tuple[int, int, int, Share], kept: list[tuple[int, int, int, Share]]) -> Share:
    """A share of a subset ("half of the beta testers") scaled by the count
    the text gives of that subset out of the whole ("the beta is 30 accounts
    out of ~12k"): the explicit count of the whole says how many are affected."""
    start, end, _, share = hit
    own = _OWN_WORDS.match(text, end)
    subset = _SUBSET.search(text, start, own.end() if own else end)
    if subset is None or share.universal:
        return share
    for at, _, reader, whole in kept:
        if reader == _COUNT and whole is not share and subset.group(1).replace("-", " ") in text[max(0, at - 60): at].replace("-", " "):
            pct = max(0.01, round(share.pct * whole.pct / 100, 2))
            after = _NEXT_WORD.match(text, subset.end())
            words = " ".join(text[start: max(end, after.end() if after else subset.end())].split())
            return Share(pct, f"{words}, of {whole.phrase}")
    return share


_OWN_WORDS = re.compile(r"(?:\s+[\w'-]+){0,3}", _F)
_NEXT_WORD = re.compile(r"\s+[\w'-]+", _F)
