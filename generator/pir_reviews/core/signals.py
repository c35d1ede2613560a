"""Finding what a text says: whole-word, case-insensitive signals that respect negation.

A mention is ignored when a negation ("no", "not", "never", "without", "zero",
"n't", "no evidence of", ...) comes within three words before it in the same
clause, or when the clause goes on to rule it out ("data loss was ruled out").
Substrings never count: "download" does not mention "down".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

# Patterns are lowercase and read lowercased text: case-insensitive matching
# costs several times as much in Python's re.
_F = 0
_CLAUSE_BREAK = re.compile(
    r"[.;:!?,()\n\u2014]|\s-\s|\b(?:but|and|while|whereas|however|although|though|yet|so|because|until|after)\b", _F
)
_NEGATORS = frozenset(
    "no not never without zero none nothing nobody neither nor cannot hardly free".split()
)
_NEGATING_PHRASES = re.compile(r"\b(?:no (?:evidence|sign|signs|indication) of|ruled out|rather than|instead of)\s*$", _F)
_RULED_OUT_AFTER = re.compile(
    r"^\s*(?:(?:was|were|is|has been|had been)\s+)?(?:ruled out|avoided|prevented|not (?:observed|detected|found|seen))"
    r"|^\s*(?:did not|didn't|does not|doesn't|never) (?:occur|happen)",
    _F,
)
# "down" is an outage only as a state, not as a direction or a reduction.
_NOT_OUTAGE_BEFORE_DOWN = frozenset(
    "slow slowed slowing scale scaled scaling shut shutting wind winding wound narrow narrowed step "
    "stepped calm calmed cool cooled tone toned write wrote written track tracked tracking break broke "
    "drill drilled pin pinned boil boiled count counting turn turned settle settled trickle weigh weighed "
    "scroll scrolled up".split()
)
_NOT_OUTAGE_AFTER_DOWN = re.compile(r"-|\s+(?:to|from|by|the|into|through)\b", _F)
_WINDOW = 200
# Degraded mentions that also say the outage was partial, not complete.
PARTIAL = re.compile(r"partial|some |a few |several |a (?:small )?(?:subset|fraction|portion|number) ", _F)


def _down_is_outage(text: str, match: re.Match) -> bool:
    before = re.findall(r"[\w']+", text[max(0, match.start() - 40): match.start()])
    if before and before[-1].lower() in _NOT_OUTAGE_BEFORE_DOWN:
        return False
    return not _NOT_OUTAGE_AFTER_DOWN.match(text, match.end())


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    accept: Callable[[str, re.Match], bool] | None = None


def _p(*sources: str) -> tuple[Pattern, ...]:
    return tuple(Pattern(re.compile(s, _F)) for s in sources)


# Where a thing is shown, not stored: "descriptions are truncated on mobile"
# and "images lost on dark backgrounds" say how it looks, not that data is gone.
_ON_SCREEN = re.compile(
    r"\s+(?:(?:on|in|at) (?:the |a |small |dark |light )?(?:[\w-]+ )?(?:mobile|screens?|ui|page|view|list|dark mode|light mode|tablets?|safari"
    r"|chrome|firefox|browsers?|preview|tooltips?|sidebar|header|footer|layout|cards?|backgrounds?|themes?|thumbnails?)s?\b"
    r"(?!\s+(?:migration|move|upgrade|rewrite|deploy|release|change|refactor|crash|outage|incident|bug|job|sync|import|cache|database|db))|visually\b)",
    _F,
)
# "truncated to 10 results": a limit, neither lost data nor looks.
_CAPPED = re.compile(r"\s+to (?:\d+|the first|a few|one|two|three|ten)\b", _F)


def _stored(text: str, match: re.Match) -> bool:
    return not (_ON_SCREEN.match(text, match.end()) or _CAPPED.match(text, match.end()))


def _shown(text: str, match: re.Match) -> bool:
    return bool(_ON_SCREEN.match(text, match.end()))


def _on_disk(*sources: str) -> tuple[Pattern, ...]:
    return tuple(Pattern(re.compile(s, _F), _stored) for s in sources)


_DATA = r"(?:data|records|rows|orders|writes|messages|transactions|files|events)"
_SECRET = (r"(?:data|pii|credentials?|secrets?|tokens?|passwords?|api keys?|private keys?|personal (?:data|information)"
           r"|(?:customer|user) (?:data|records|information|emails?))")

# Sensitive data, and words that say it reached someone it should not have. A
# sensitive noun counts as an exposure when such a word, not negated, is in the
# same sentence: "salaries ... shared outside the company", "tokens ... ended
# up in third-party analytics".
_SENSITIVE = re.compile(
    r"\b(?:pii|personal (?:data|information|details)|salar(?:y|ies)|bank (?:details|account numbers?)|card (?:numbers?|details)"
    r"|passwords?|password hashes|(?:session|access|auth|refresh|api) (?:tokens?|keys?)|private keys?|secrets?|credentials"
    r"|(?:customer|user|employee|personal|full|people's|patient) names|(?:customer |user |employee |personal )?(?:email addresses"
    r"|phone numbers|home addresses|dates of birth)"
    r"|(?:medical|health|patient) (?:records|data)|passports?(?: scans| numbers)?|social security numbers?|ssns?|tax ids?"
    r"|(?:customer|user|client|patient|member) (?:database|db|list|records|data|documents|files)|crm"
    r"|(?:export|dump|backup|copy|extract|snapshot|csv) of (?:the |our |all )?(?:[\w-]+ )?(?:crm|customers?|users?|production|prod|accounts|orders|members)"
    r"|(?:real|actual|live|production) (?:customers?|users?|people|patients?)(?:'s|s'|')? (?:[\w-]+ ){0,2}?(?:data|details|orders?|order summaries"
    r"|summaries|records|invoices|messages|emails|addresses|information|files|documents|reports|statements|transcripts)"
    r"|private (?:files|documents|photos|messages|repos(?:itories)?|notes|keys)|chat (?:transcripts|logs|history|histories))\b",
    _F,
)
_EXPOSURE_CONTEXT = re.compile(
    r"\b(?:public(?:ly)?|shared (?:with|outside|to|on|in|via|publicly|externally)|share links?|third[- ]part(?:y|ies)"
    r"|outside (?:the company|our)|anyone|anybody|the wrong|other (?:customers|users"
    r"|people|accounts|tenants)|printed|logged|in (?:the )?logs|visible|exposed|leak(?:ed|ing|s)?|analytics|plain ?text|clear ?text"
    r"|unencrypted|indexed|search engines?|internet|vendors?|unauthori[sz]ed|stolen|attackers?|ended up in|lost (?:laptop|phone|device|drive|usb)"
    r"|(?:qa|test|testing|personal|external|wrong|public) (?:mailbox|inbox|email address|channel|slack channel|drive|folder)"
    r"|anyone with the link|world[- ]readable|unknown (?:country|party|ip|location|device))\b",
    _F,
)


def _sentence_around(text: str, match: re.Match) -> tuple[int, int]:
    """The sentence of a match, at most _WINDOW characters either side: a
    sentence is short, and the bound keeps a long text without full stops linear."""
    low, high = max(0, match.start() - _WINDOW), min(len(text), match.end() + _WINDOW)
    start = max(text.rfind(c, low, match.start()) for c in ".;!?\n") + 1
    ends = [i for i in (text.find(c, match.end(), high) for c in ".;!?\n") if i >= 0]
    return max(start, low), min(ends) if ends else high


def _reached_someone(text: str, match: re.Match) -> bool:
    start, end = _sentence_around(text, match)
    return any(not is_negated(text, ctx)[0] for ctx in _EXPOSURE_CONTEXT.finditer(text, start, end))


# Singular and plural, except "record", which is as often a DNS record as a customer's.
_DATA_NOUN = (r"(?:data|records|rows?|orders?|writes|messages?|transactions?|files?|events|accounts?|attachments?|uploads?"
              r"|photos?|images?|documents?|pdfs?|invoices?|drafts?|backups?|tickets?|notes?|preferences|addresse?s?|carts?|entries"
              r"|history|column|columns|tables?|databases?|db|volumes?|buckets?|projects?|payments|comments|posts|profiles|descriptions"
              r"|content|listings|catalog(?:ue)?|metadata|settings|conversations|results|receipts|balances|wallets|changes|change"
              r"|edits|fields|contacts|values|originals|bookings|responses|subscriptions|recordings|videos|voicemails|playlists?|points"
              r"|credits|progress|scores|transcripts|chats|histories|mailboxes|inboxes|folders|spreadsheets|media)")
# Documents people file: lost when deleted or cleared, but "the reports are
# wrong" says how they read, not that they were damaged.
_DOCUMENT = r"(?:reports|statements|contracts|timesheets|claims|submissions|forms)"
_STORED = rf"(?:{_DATA_NOUN}|{_DOCUMENT})"
_LOSS_VERB = r"(?:deleted|wiped|erased|overwrote|overwritten|truncated|purged|emptied|corrupted|dropped|lost|destroyed|clobbered|discarded)"
_STAFF = r"(?:engineers?|developers?|staff|employees|engineering)"

# Each signal kind, in the order reasons are reported.
SIGNALS: dict[str, tuple[Pattern, ...]] = {
    "complete_outage": _p(
        r"\b(?:completely|totally|entirely|fully|hard) (?:down|unavailable|offline|broken|unreachable)\b",
        r"\b(?:total|complete|full|global|site-?wide|platform-?wide) (?:outage|downtime|blackout)\b",
        r"\b(?:site|website|platform|app|storefront) (?:is|was|went|has been|had been) (?:completely )?(?:down|offline)\b",
        r"\b(?:site|website|platform|app|storefront) down\b",
        r"\b(?:site|website|platform|app|storefront|service) (?:is|was|became|has become) (?:completely |totally )?unusable\b",
        r"\b(?:customers|users|people|nobody|no one) can(?:'t|not|) do anything\b",
        r"\b(?:won't|doesn't|does not|will not|can't|cannot|isn't|is not) (?:\w+ ){0,2}at all\b",
        r"\bnothing but (?:errors|5\d\ds|timeouts|failures)\b",
        r"\b(?:site|website|platform|app|storefront|service|api|everything) (?:is|was|went|has gone) (?:completely |totally )?(?:dead|dark)\b",
        r"\b(?:completely|totally|entirely) (?:dead|dark|inaccessible|unresponsive)\b",
        r"\bnothing (?:at all )?(?:loads|works|responds|comes up|is reachable|is up)\b",
        r"\b(?:all|every one of our|each of our) (?:services|systems|endpoints|regions|pages|apps) (?:are |were )?(?:down|unreachable|offline|failing)\b",
        r"\bunavailable (?:for|to) (?:everyone|everybody|all)\b",
        r"\b(?:no one|nobody|no users|no customers) (?:could|can|was able to|were able to|is able to) (?:log ?in|sign ?in|check ?out|access|load|use|pay|connect|reach|place|buy|order)\b",
    ),
    "outage": _p(
        r"\boutages?\b", r"\bdowntime\b", r"\bunavailable\b", r"\boffline\b", r"\bunreachable\b",
        r"\bnot (?:working|responding|reachable|loading)\b", r"\bstopped (?:working|responding|loading|processing|running|syncing|updating)\b",
        r"\bcan(?:'t|not) be (?:redeemed|used|opened|loaded|placed|processed|paid|submitted|created|saved|booked|bought|reached|applied)\b",
        r"\b(?:unable to|could not|couldn't|cannot|can't|can not) (?:log ?in|sign ?in|check ?out|complete|access|load|pay|connect|reach"
        r"|see|print|upload|place|open|save|send|use|view|download|sign up|create|buy|order|book|push|merge|deploy|ship|submit)\b",
    ) + (Pattern(re.compile(r"\bdown\b", _F), _down_is_outage),),
    # Messages or documents that stopped going out: one feature stopped, not a
    # system down, whatever they are ("no invoices went out" is not checkout down).
    "not_sent": _p(
        r"\bstopped (?:going out|sending|being sent|arriving|being delivered|being generated)\b",
        r"\b(?:haven't|hasn't|have not|has not) (?:gone out|been sent|been delivered|arrived|been generated)\b",
        r"\b(?:didn't|did not|don't|doesn't|aren't|isn't) (?:go|going) out\b",
        r"\bno (?:[\w-]+ ){0,2}(?:went out|were sent|were delivered|arrived|got sent|have gone out|have been sent|were generated)\b",
    ),
    "broken": _p(
        r"\b(?:is|are|was|were|got|gets|is now|has been|have been|had been) broken\b",
        r"\b(?:don't|doesn't|won't|wouldn't|aren't|isn't|didn't) (?:show(?:ing)? up|load(?:ing)?|open(?:ing)?|work(?:ing)?|start(?:ing)?"
        r"|appear(?:ing)?|launch(?:ing)?|connect(?:ing)?|get(?:ting)? through)\b", r"\bbroke (?!down\b)\w+", r"\bfail(?:s|ing|ed)?\b",
        r"\berror(?:s|ing)? out\b", r"\berrors on\b", r"\b(?:returning|throwing|returns|throws|showing) (?:an? )?errors?\b",
        r"\b(?:returns?|returning|returned|throwing|throws|getting|get|gets|gives?|giving|seeing|with|answer(?:s|ing)?) (?:a |an )?(?:http )?5\d\d\b",
        r"\b(?:http )?5\d\ds\b", r"\b(?:4\d\d)s\b", r"\bcrash(?:es|ing|ed)?\b", r"\bhangs?\b", r"\bhanging\b", r"\bfreez(?:es|ing)\b", r"\bdeclined\b", r"\bstuck\b",
        r"\bblank (?:page|screen)s?\b", r"\bnever (?:arrives?|loads?|completes?)\b", r"\blocked out\b", r"\brejecting\b",
        r"\bnot (?:being )?(?:sent|delivered|processed|saved)\b", r"\blogged out\b", r"\bspinner\b",
    ),
    "degraded": _p(
        r"\bdegrad(?:ed|ation)\b", r"\bpartial(?:ly)?\b", r"\b(?:slow|slowness|slower|sluggish)\b",
        r"\b(?:high|higher|elevated|increased) (?:latency|error rates?|errors|response times?)\b",
        r"\blatency (?:is |was )?(?:up|spiked|jumped|doubled|climbed)\b",
        r"\btime-?outs?\b", r"\btimed out\b", r"\btiming out\b", r"\bintermittent(?:ly)?\b", r"\berror rates?\b",
        r"\boccasional(?:ly)?\b", r"\bsometimes\b", r"\bflaky\b", r"\bdelayed\b", r"\blagging\b",
        r"\b(?:some|a few|several|a (?:small )?(?:subset|fraction|portion|number) of) (?:users|customers)\b",
    ),
    "data_loss": _on_disk(
        r"\bdata (?:loss|corruption)\b", r"\bdata (?:was|were|got|had been|has been) (?:lost|corrupted)\b",
        rf"\b{_LOSS_VERB} (?:(?:all|every|the|our|their|its|some|about|around|roughly|nearly|an?|one|[\d,]+|of|hour|day|days|hours"
        rf"|customer|user|shipping|billing|existing|wrong|old|new|uploaded|customer's|user's|[a-z]+'s)\s+){{0,5}}{_STORED}\b",
        rf"\b(?:deleted|wiped|erased|overwrote|truncated|purged|corrupted|destroyed|clobbered|discarded|removed) (?:[\w',-]+\s+){{0,4}}?{_STORED}\b",
        r"\b(?:aren't|isn't|are not|is not|weren't|were not|no longer) (?:in|stored in|saved in) the (?:database|db)\b",
        rf"\b{_DATA_NOUN} (?:are |were |is |was )?(?:now )?(?:unreadable|wrong)\b", rf"\b{_DOCUMENT} (?:are |were |is |was )?(?:now )?unreadable\b",
        r"\bnever made it (?:in)?to (?:the )?(?:database|db|ledger|storage|disk|warehouse)\b",
        r"\b(?:threw|thrown|throws|throwing) away\b", r"\b(?:the )?only copy\b",
        r"\breplaced (?:the |our )?(?:customers?|users?)(?:'s|s'|') ", r"\bnever (?:got )?(?:saved|persisted|stored|written to (?:disk|the database|storage))\b",
        r"\b(?:unrecoverable|irrecoverable|irretrievabl[ey])\b",
        r"\b(?:written|saved|stored|recorded) with (?:the )?wrong (?:[\w-]+ )?(?:values?|currency|amounts?|prices?|data|dates?|ids?)\b",
        rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\b(?:were|was|are|is|have been|has been|had been|got|get) (?:\w+ )?"
        rf"(?:{_LOSS_VERB}|gone|missing(?!\s+(?:a|an|the|some|their|its|from the ui)\b))",
        r"\bpermanently (?:deleted|lost|removed)\b", r"\bcan(?:'t|not) be (?:recovered|restored)\b",
        rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\b(?:has |have |had )?(?:disappeared|vanished)\b",
        rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\bno longer exists?\b", r"\bmixed up (?:[\w'-]+ ){0,3}?(?:between|across)\b",
        r"\bdropped (?:the |our |a )?(?:[\w-]+ ){0,2}?(?:table|database|db|column|collection|index|keyspace)\b",
        # Told by what happened rather than with a loss word.
        rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\b(?:reset|set|zeroed|blanked|cleared) (?:back )?"
        r"(?:out\b|to (?:zero|0|empty|blank|null|nothing|scratch|defaults?|the (?:start|beginning|defaults?)|an? (?:empty|blank)))",
        r"\b(?:ran|run|running|executed|issued) (?:a |an )?(?:truncate|drop (?:table|database|schema)|delete from|delete without a where|rm -rf)\b",
        rf"\b(?:merged|combined|collapsed|conflated|joined) (?:[\w'-]+ ){{0,3}}?(?:distinct|separate|different|unrelated) (?:[\w'-]+ ){{0,2}}?{_STORED}\b",
        rf"\b(?:wrongly|incorrectly|mistakenly|accidentally|silently|erroneously) (?:merged|combined|deduplicated|deduped|overwrote|overwritten"
        rf"|replaced|deleted|removed|archived|purged|reset|cleared) (?:[\w'-]+ ){{0,4}}?{_STORED}\b",
        rf"\b{_STORED} (?:were|was|got|have been|has been) (?:wrongly|incorrectly|mistakenly|accidentally|silently|erroneously) "
        r"(?:merged|combined|deduplicated|deduped|overwritten|replaced|removed|archived|reset|cleared)\b",
        rf"\breplac(?:ed|ing) (?:the |all |their |our |its |every )?(?:existing|original|previous|saved|stored) (?:[\w'-]+ ){{0,2}}?{_STORED}\b"
        r"(?!\s+(?:servers?|hosts?|nodes?|instances?|clusters?|drivers?|clients?|libraries|library|code|schema))",
        r"\b(?:replaced|overwrote|overwritten|replacing|overwriting|clobbered)\b[^.;:!?\n]{0,80}?\binstead of (?:appending|adding|merging|updating)",
        rf"\b{_STORED}\b[^.;:!?\n]{{0,60}}?\bnever (?:got |been )?(?:uploaded|synced|backed up)\b",
        rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\b(?:are|were|is|was|became|got) (?:now |all )?(?:null|nulled|nulled out|blanked|zeroed)\b",
        r"\bnever (?:reached|hit|landed in|got to|arrived in) (?:the )?(?:database|db|ledger|storage|disk|warehouse)\b",
        r"\bmissing (?:[\w-]+ ){0,2}?(?:rows|records|transactions|entries|orders|files|documents|attachments|payments)\b(?! (?:in|on|from) the (?:ui|dashboard|graph|chart|report))",
        r"\bwiped (?:out|clean)\b",
    ),
    "exposure": _p(
        r"\b(?:data|security) breach(?:es)?\b", r"\bunauthori[sz]ed access\b", r"\bdata (?:exposure|leaks?|leakage)\b",
        rf"\b{_SECRET} (?:(?:was|were|got|had been|have been) )?(?:exposed|leaked|stolen|compromised)\b",
        r"\b(?:exposed|leaked|stolen|compromised) (?:customer |user |personal |private |session )?"
        r"(?:data|records|information|credentials|secrets|tokens?|passwords|pii|keys)\b",
        r"\bpublicly (?:readable|accessible|visible|available|exposed|listable|writable)\b", r"\bpii\b",
        r"\b(?:full |credit |debit )?card (?:numbers|details|data)\b",
        r"\b(?:accessible|readable|visible|available|open|downloadable) without (?:any )?(?:authentication|auth|a password|login|logging in)\b",
        r"\b(?:could see|can see|saw|see|seeing|shown|were shown|was shown|showed) other (?:people|users|customers|accounts|tenants)(?:'s|s'|')?\b",
        r"\bleaked\b", r"\b(?:was|were|been|got) exposed\b", r"\battackers?\b", r"\bto anyone\b",
        r"\bto other (?:visitors|users|customers|people|accounts|tenants|shoppers)\b",
        r"\bto (?:another|a different|the wrong) (?:merchant|customer|user|tenant|account|company)(?:'s)?\b",
        r"\b(?:any|another|other) (?:tenant|customer|user|account|merchant)(?:'s|s') (?:data|details|records|files|orders|invoices|messages)\b",
        r"\bwithout checking (?:the )?(?:auth\w*|permissions?|access|ownership)\b",
        r"\bopen to the (?:internet|public|world)\b", r"\b(?:exposed|reachable|accessible|readable) (?:to|from|on) the (?:public )?internet\b",
        r"\b(?:view|see|read|access|download|open|edit) (?:any |an? )?(?:other|another) (?:user|account|customer|tenant|person|people)(?:'s|s'|s)?\b",
        r"\b(?:committed|pushed|posted|pasted|published|uploaded) to (?:a |the )?public\b", r"\b(?:ransomware|malware)\b", r"\bphish(?:ed|ing)\b",
        r"\b(?:shown|visible|posted|published|listed) (?:on|in) (?:the |a )?public\b",
        r"\b(?:viewable|visible|readable|accessible) (?:by|to) (?:[\w-]+ ){0,2}?(?:other|anyone|any|the public|everyone)\b", r"\bpublic (?:read |write |read-write )?access\b",
        r"\ba (?:security |data )?breach\b(?! of (?:the |our |an? )?(?:sla|slo|contract|agreement))", r"\bexfiltrat\w*\b",
        r"\bunknown (?:ip|party|actor|user|third party) (?:downloaded|accessed|read|copied|exported)\b",
        r"\b(?:sent|shown|emailed|delivered|mailed|went|going|routed) to (?:the )?wrong (?:users|customers|people|recipients|accounts|addresses)\b",
        r"\bsomeone else's (?:account|data|orders?|invoices?|profile|details|messages)\b",
        r"\b(?:shared|reused|leaking|bleeding|mixed) (?:up )?(?:across|between) (?:accounts|tenants|customers|users|sessions)\b",
        r"\bto (?:unauthenticated|anonymous|unauthori[sz]ed) (?:callers|users|clients|requests|visitors|people)\b",
        r"\bcompromised (?:[\w-]+ ){0,3}?(?:accounts?|hosts?|servers?|systems?|laptops?|credentials|keys)\b",
        r"\b(?:accounts?|hosts?|servers?|systems?|laptops?|credentials|keys) (?:were|was|got|had been|have been) compromised\b",
        r"\b(?:laptops?|phones?|devices?|drives?|tapes?|backups?|disks?)\b[^.;:!?\n]{0,60}?\b(?:was|were|got|went) (?:stolen|missing|lost)\b",
        r"\bother (?:people|users|customers|accounts|tenants)(?:'s|s'|') \w+",
        # Told by what happened rather than with an exposure word.
        r"\b(?:the )?(?:previous|last|next|another|other|a different|the wrong|a random|random) (?:visitor|customer|user|shopper|patient"
        r"|caller|guest|member|tenant|client|merchant|person|player|student)(?:'s|s'|') (?:[\w-]+ ){0,2}?(?:data|details|chats?|transcripts?|messages?"
        r"|orders?|invoices?|history|profiles?|files?|documents?|photos?|addresses?|records?|cart|basket|account|dashboard|statements?|results?|emails?)\b",
        r"\b(?:tokens?|keys?|credentials|passwords?|logins?|accounts?|sessions?)\b[^.;:!?\n]{0,40}?\b(?:was|were|got|had been|been|being) "
        r"(?:used|reused|replayed) (?:by|from) (?:an? |the )?(?:unknown|unrecogni[sz]ed|foreign|suspicious|outside|external|third|attackers?"
        r"|strangers?|someone|somebody|an ip)",
        r"\b(?:from|by) an? (?:unknown|unrecogni[sz]ed|suspicious|unfamiliar) (?:country|location|ip|address|device|network|host|party|actor)\b"
        r"[^.;:!?\n]{0,60}?\b(?:read|download|access|export|cop(?:y|ied)|dump|quer(?:y|ied)|view|pull|scrap)\w*",
        r"\b(?:without (?:any )?|no )(?:authentication|auth|password|access control)\b[^.;:!?\n]{0,60}?\bpublic(?:ly)?\b",
        r"\bpublic(?:ly)?\b[^.;:!?\n]{0,60}?\b(?:without (?:any )?|with no |no )(?:authentication|auth|password|access control)\b",
        r"\b(?:unauthenticated|unprotected|passwordless) (?:[\w-]+ )?(?:admin|database|db|bucket|elasticsearch|redis|mongo\w*|console|s3|endpoint exposing)\b",
        r"\b(?:buckets?|containers?|blobs?|shares?|folders?|drives?|repos(?:itories)?|links?)\b[^.;:!?\n]{0,40}?\b(?:was|were|is|are|been|got)"
        r" (?:left |made |set to |switched to |flipped to |accidentally made )?(?:public|world[- ]readable|open to (?:the )?(?:world|internet|public))\b",
        r"\b(?:private|customers?'?|users?'?|internal|personal|invoices?|documents?|contracts?)\b[^.;:!?\n]{0,60}?\bindexed by\b",
        r"\b(?:emailed|mailed|sent|forwarded|posted|delivered|copied)\b[^.;:!?\n]{0,60}?\b(?:real|actual|live|production) (?:customers?|users?|patients?)(?:'s|s'|')?",
        r"\bother (?:people|users|customers|accounts|tenants)(?:'s|s'|')? (?:data|details|orders|invoices|messages|records"
        r"|information|addresses|files|documents|photos)\b",
    ) + (Pattern(_SENSITIVE, _reached_someone),),
    "sla": _p(
        r"\bslas? (?:(?:was|were|has been|had been) )?(?:breach(?:ed|es)?|violat(?:ed|ion|ions)|missed)\b",
        r"\b(?:breached|violated|missed|broke) (?:the |our |an |its |their |a )?(?:[\w.%-]+ ){0,3}slas?\b",
        r"\bservice[- ]level agreements? (?:(?:was|were) )?(?:breached|violated)\b",
    ),
    "revenue": _p(r"\b(?:payments?|checkout|check-out|billing|revenue|purchases?|invoic(?:e|es|ing))\b"),
    "workaround": _p(r"\bwork-?arounds?\b", r"\bwork arounds?\b", r"\bworked around\b"),
    # Another path still works: the feature is not broken for everyone.
    "alternative": _p(
        r"\bstill (?:works?|working|loads?|succeeds?|go(?:es)? through|fine)\b", r"\bworks?(?: fine| normally)?,? but\b",
        r"\b(?:a second|another|the next) (?:attempt|try) (?:goes through|works|succeeds)\b", r"\b(?:is|are|remain|remains|were|was) unaffected\b",
        r"\bretr(?:y|ying|ies)(?: it| them)? (?:succeeds?|works?|helps|fixes it)\b", r"\bworks on (?:a )?retry\b",
        r"\b(?:regenerating|reloading|refreshing|resubmitting)(?: it| them| the page)? (?:works|succeeds|fixes it)\b",
    ),
    "internal": _p(
        r"\binternal[- ]only\b",
        r"\binternal (?!server\b|errors?\b)(?:[\w-]+ ){0,4}?(?:tools?|tooling|emails?|reports?|bots?|dashboards?|admin|services?|systems?|clusters?"
        r"|users|employees|wiki|environment|hosts?|staff|metrics|generators?|jobs?|scripts?|docs?|pipelines?|apps?|portals?|crons?"
        r"|schedulers?|automation|notebooks?|queues?)\b",
        r"\bon-?call (?:rota|schedule|handover|tool(?:ing)?|bot|calendar|roster)s?\b",
        r"\b(?:staging|non-?production|non-?prod|pre-?production|preprod|sandbox)\b",
        r"\b(?:test|testing|dev|development|qa|ci|load[- ]test(?:ing)?|demo|perf|performance|experimental|integration test) (?:[\w-]+ )?(?:environment|env|cluster|servers?|database|db"
        r"|stack|box|region|account)\b", r"\b(?:nobody|no one) outside (?:the company|engineering|the team)\b", r"\bstaff\b",
        r"\bci(?: runners?| pipelines?| system| jobs?)?\b", r"\bbuild (?:system|servers?|farm|pipeline)s?\b",
        r"\bdeploy(?:ment)? (?:pipeline|dashboard|tool(?:ing)?)s?\b", r"\bartifact (?:registry|repository|store)\b",
        r"\bgithub enterprise\b", r"\bvpn\b", r"\bcorporate (?:[\w-]+ )?(?:network|laptops?|email|wi-?fi|sso)\b", r"\bsso for staff\b", r"\bonly (?:internal )?staff\b", r"\boffice\b",
        r"\badmin tool\b", r"\b(?:for|used by|affects?|affecting|used only by|only used by) (?:only )?the (?:[\w-]+ ){1,2}team\b",
        r"\b(?:grafana|kibana|jenkins|jira|confluence|pagerduty|buildkite|okta for employees)\b", r"\b(?:chatops|slack) bots?\b", r"\bfor employees\b",
    ),
    # Customer impact is ruled out in so many words.
    "no_impact": _p(
        r"\bno (?:customer|user|external)[- ](?:facing |visible )?impact\b", r"\bno (?:real |actual |visible |user-visible |customer-visible )?impact\b",
        r"\bnothing (?:was|is|else was|has been) (?:affected|impacted)\b",
        r"\bbefore (?:taking|serving|receiving|getting) any (?:real |production |customer |user )?traffic\b",
        r"\b(?:real )?(?:users|customers) (?:saw|noticed) nothing\b",
        r"\b(?:customers?|users?|checkout|payments|orders|production) (?:was|were) (?:never affected|not affected at any point"
        r"|unaffected (?:the whole time|throughout|at all times|at any point))", r"\b(?:serves|serving|takes|taking) no (?:real |production |customer )?traffic\b", r"\bnot customer[- ]facing\b",
        r"\bno (?:customers|users) (?:were |was )?(?:affected|impacted)\b", r"\bnothing customer[- ]facing\b",
        r"\bno production systems\b", r"\bfalse alarm\b",
        r"\b(?:customers|users|nobody|no one) (?:were never|weren't|were not|was not|wasn't|never|didn't|did not) (?:\w+ )?(?:affected|impacted|notice|noticed|see|saw)\b",
    ),
    # All of engineering, or the whole company, cannot work: the internal-tooling row of the matrix.
    "staff_blocked": _p(
        rf"\ball of (?:engineering|the engineering (?:team|org|organi[sz]ation)|the company)\b",
        rf"\b(?:no|every|each) (?:single )?(?:engineer|developer)\b", rf"\ball (?:engineers|developers|staff|employees)\b",
        r"\b(?:nobody|no one|everyone) (?:in|at) (?:engineering|the company)\b", r"\b(?:the )?whole company\b",
        r"\bevery team\b", r"\bcan(?:'t|not) ship (?:any )?(?:fixes|code|changes)\b", r"\bbuilds fail everywhere\b",
        r"\bengineering is blocked\b", r"\bblocks? (?:all of )?engineering\b",
    ),
    # The fault is in how things look or read, not in what they do.
    "cosmetic": _p(
        r"\btypos?\b", r"\bspelling (?:mistakes?|errors?)\b", r"\bmisspel\w*\b", r"\bcosmetic(?:ally)?\b", r"\bmisaligned\b",
        r"\balignment\b", r"\b(?:wrong|old|outdated) (?:logo|font|colou?rs?|icons?|image)\b", r"\blogo\b", r"\bfonts?\b",
        r"\bcolou?rs? (?:are |is )?off\b", r"\bfooter links?\b", r"\btooltips?\b", r"\bcopyright year\b", r"\btranslation\b",
        r"\bicons?\b", r"\bpadding\b", r"\bcut off\b", r"\bfooter\b", r"\b(?:stretched|blurry|pixelated)\b",
        r"\bwrong (?:[\w-]+ )?(?:name|wording|text|copy|title|label|heading)\b", r"\boverlap(?:s|ping)?\b",
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
    ) + (Pattern(re.compile(r"\b(?:truncated|clipped|lost)\b", _F), _shown),),
    # Things customers touch: a mention means the text is about customer-facing systems.
    "customer_facing": _p(r"\b(?:customers?|users?|shoppers?|merchants?|buyers?|visitors?|subscribers?)\b"),
    "customer_systems": _p(
        r"\b(?:the )?(?:web ?site|storefront|checkout|public api)\b", r"(?<!non-)(?<!non )(?<!pre-)(?<!pre)\b(?:production|prod)\b",
    ),
}

TEAM_SIGNALS: dict[str, tuple[Pattern, ...]] = {
    "Database team": _p(r"\b(?:databases?|db|dbs|postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|sql|replicas?|replication|connection pool)\b"),
    "Network team": _p(r"\b(?:network(?:ing)?|dns|cdn|load[- ]balancers?|bgp|firewall|packet loss)\b"),
    "Payments team": SIGNALS["revenue"],
    "Security team": SIGNALS["exposure"] + _p(r"\b(?:security|vulnerabilit(?:y|ies)|unauthori[sz]ed|credentials?)\b"),
}


@dataclass(frozen=True)
class Mentions:
    """What the text says about one signal kind: kept and negated phrases, in text order."""

    kept: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()


def is_negated(text: str, match: re.Match) -> tuple[bool, str]:
    """Whether a negation governs this mention; also the phrase to quote."""
    # A clause is short: looking 200 characters back and ahead is enough and
    # keeps long texts linear.
    window = max(0, match.start() - _WINDOW)
    breaks = list(_CLAUSE_BREAK.finditer(text[window: match.start()]))
    clause_start = window + (breaks[-1].end() if breaks else 0)
    clause = text[clause_start: match.start()]
    words = list(re.finditer(r"[\w'\u2019]+", clause))[-3:]
    for word in words:
        w = word.group().lower().replace("\u2019", "'")
        if w in _NEGATORS or w.endswith("n't"):
            return True, text[clause_start + word.start(): match.end()]
    phrase = _NEGATING_PHRASES.search(clause)
    if phrase:
        return True, text[clause_start + phrase.start(): match.end()]
    after = text[match.end(): match.end() + _WINDOW]
    cut = _CLAUSE_BREAK.search(after)
    ruled_out = _RULED_OUT_AFTER.search(after[: cut.start()] if cut else after)
    if ruled_out:
        return True, text[match.start(): match.end() + ruled_out.end()]
    return False, match.group()


_ALTERNATIONS: dict[int, tuple[tuple[Pattern, ...], re.Pattern]] = {}


def _any_of(patterns: tuple[Pattern, ...]) -> re.Pattern:
    """One alternation of the patterns, compiled once. Kept by the identity of
    the tuple (the tables above live as long as the module), since hashing
    every pattern on every call cost more than the scan itself."""
    seen = _ALTERNATIONS.get(id(patterns))
    if seen is None or seen[0] is not patterns:
        seen = (patterns, re.compile("|".join(f"(?:{p.regex.pattern})" for p in patterns), _F))
        if len(_ALTERNATIONS) < 256:
            _ALTERNATIONS[id(patterns)] = seen
    return seen[1]


def _matches(text: str, patterns: tuple[Pattern, ...]) -> Iterator[tuple[Pattern, re.Match]]:
    """Every match of every pattern, as each pattern's own finditer would give
    them, from one scan of the text. The alternation of a class finds the
    places where some pattern matches; only there is each pattern tried, and a
    pattern is not tried again inside its own last match (finditer goes on
    from the end of a match). Scanning once for the class costs about what one
    pattern's finditer does, against one per pattern."""
    any_of = _any_of(patterns)
    resume = [0] * len(patterns)
    place = any_of.search(text)
    while place is not None:
        at = place.start()
        for index, pattern in enumerate(patterns):
            if at >= resume[index]:
                match = pattern.regex.match(text, at)
                if match is not None:
                    resume[index] = max(match.end(), at + 1)
                    yield pattern, match
        place = any_of.search(text, at + 1)


def find_mentions(text: str, patterns: Iterable[Pattern]) -> Mentions:
    """Every whole-word mention of the patterns, split into kept and negated."""
    patterns = patterns if isinstance(patterns, tuple) else tuple(patterns)
    text = text.lower()
    hits: list[tuple[int, int, bool, str]] = []
    for pattern, match in _matches(text, patterns):
        if pattern.accept and not pattern.accept(text, match):
            continue
        negated, phrase = is_negated(text, match)
        hits.append((match.start(), -match.end(), negated, " ".join(phrase.lower().split())))
    hits.sort()
    # A mention inside a longer one of the same kind ("was exposed" in
    # "customer data was exposed") is the same mention.
    outer: list[tuple[int, int, bool, str]] = []
    for hit in hits:
        if outer and -hit[1] <= -outer[-1][1]:
            continue
        outer.append(hit)
    kept = tuple(dict.fromkeys(p for _, _, neg, p in outer if not neg))
    negated = tuple(dict.fromkeys(p for _, _, neg, p in outer if neg))
    return Mentions(kept, negated)
