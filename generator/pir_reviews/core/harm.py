"""The words of harm: user data lost or corrupted, and data exposed.

Two signal kinds of pir_reviews.core.signals, kept apart because they are the
largest and the ones a sev1 most often hangs on. Each is said with a loss or
exposure word ("deleted", "wiped", "leaked", "publicly readable") or told by
what happened ("dropped the payments schema", "balances went back to zero",
"landed in a stranger's account", "documents belonging to other
organisations", "a former contractor's key was used to copy the database").
Where a thing is shown rather than stored ("truncated on mobile", "lost on the
dark header") it is not data lost.
"""

from __future__ import annotations

import re

from pir_reviews.core.mentions import Pattern, is_negated, patterns, sentence_around, words

_F = 0  # patterns are lowercase and read lowercased text (see pir_reviews.core.mentions)

# Where a thing is shown, not stored: "descriptions are truncated on mobile"
# and "images lost on dark backgrounds" say how it looks, not that data is gone.
_ON_SCREEN = re.compile(
    r"\s+(?:(?:on|in|at|against) (?:the |a |small |dark |light |wide )?(?:[\w-]+ ){0,2}?(?:mobile|screens?|monitors?|displays?|ui|page|view|list"
    r"|dark mode|light mode|tablets?|safari"
    r"|chrome|firefox|browsers?|preview|tooltips?|sidebar|header|footer|layout|cards?|backgrounds?|themes?|thumbnails?)s?\b"
    r"(?!\s+(?:migration|move|upgrade|rewrite|deploy|release|change|refactor|crash|outage|incident|bug|job|sync|import|cache|database|db))|visually\b)",
    _F,
)
# "truncated to 10 results": a limit, neither lost data nor looks.
_CAPPED = re.compile(r"\s+to (?:\d+|the first|a few|one|two|three|ten)\b", _F)


# A deletion its sentence calls the job done as meant: "it removed the
# expired trials, which is exactly what the retention job is supposed to do".
# A "but" says otherwise: "the job did what it is meant to, but it also wiped
# live invoices" is still a loss.
_MEANT_TO = r"(?:is|was|are|were|'s) (?:supposed|meant|designed|built|intended|scheduled|configured) to\b"
_AS_MEANT = rf"(?:(?:exactly|just|precisely) )?(?:what|as) (?:the |our |it |that |this |they )?(?:[\w-]+ ){{0,3}}?{_MEANT_TO}"
INTENDED = re.compile(rf"\b{_AS_MEANT}|\bas (?:intended|designed|scheduled)\b", _F)
_CONTRAST = re.compile(r"\b(?:but|however|except|although|though|yet)\b", _F)


def _intended(text: str, match: re.Match) -> bool:
    """The match's sentence, from its last contrast before the match, says
    this is what was meant to happen, and no contrast follows ("exactly as
    scheduled, except these were signed last week")."""
    start, end = sentence_around(text, match)
    if _CONTRAST.search(text, match.end(), end):
        return False
    before = [m.end() for m in _CONTRAST.finditer(text, start, match.start())]
    return INTENDED.search(text, before[-1] if before else start, end) is not None


# What a loss word can be said of that holds no copy of record: "corrupted cache entries on the cdn".
_CACHED = frozenset("cache caches cached cdn temp tmp scratch".split())


def _stored(text: str, match: re.Match) -> bool:
    """Data lost, not shown cut short, capped, deleted as meant, of a cache,
    or a thing rebuilt on its own wiped with "no backup" of it."""
    if _ON_SCREEN.match(text, match.end()) or _CAPPED.match(text, match.end()) or _intended(text, match):
        return False
    if _CACHED.intersection(re.findall(r"[a-z]+", match.group())):
        return False
    return not (_NO_COPY_END.search(match.group()) and _rebuilt(text, match))


def shown(text: str, match: re.Match) -> bool:
    return bool(_ON_SCREEN.match(text, match.end()))


# What a quantified deletion may wipe without loss: "deleted all the stale
# pods", "purged every cached thumbnail".
_EPHEMERAL = frozenset(
    "cache caches cached temp tmp temporary log logs pod pods node nodes container containers instance instances server servers vm vms "
    "branch branches build builds alert alerts lock locks session sessions job jobs queue queues stale expired obsolete unused orphaned "
    "spam duplicate duplicates flags flag feature rules test tests dev staging replicas replica snapshots connection connections".split()
)


def _of_value(text: str, match: re.Match) -> bool:
    """A deletion of everything or of thousands of things is of data unless it
    names something ephemeral, and unless it is shown rather than stored."""
    following = re.findall(r"[\w-]+", text[match.start(): match.end() + 40])[1:6]
    return _stored(text, match) and not _EPHEMERAL.intersection(following)


# What is rebuilt on its own when wiped: with no copy of it, nothing is lost.
_REBUILT = frozenset("cache caches cached temp tmp temporary scratch log logs replica replicas pod pods node nodes container containers"
                     " build builds artifact artifacts index indexes session sessions queue queues cdn".split())


_NO_COPY_END = re.compile(r"\bno (?:other |spare |second )?(?:cop(?:y|ies)|backups?|snapshots?)$", _F)


_SETTINGS = frozenset("config configs configuration settings flags dns routes routing rules manifest manifests yaml env banner".split())


def _not_settings(text: str, match: re.Match) -> bool:
    """Data lost, and not settings put back to an older version."""
    return _stored(text, match) and not _SETTINGS.intersection(re.findall(r"[a-z]+", match.group()))


def _kept_not_ephemeral(text: str, match: re.Match) -> bool:
    """Data lost, and no word just before it calls it ephemeral: not "temp files deleted"."""
    before = re.findall(r"[\w-]+", text[max(0, match.start() - 24): match.start()])[-2:]
    return _stored(text, match) and not _EPHEMERAL.intersection(before)


def _rebuilt(text: str, match: re.Match) -> bool:
    """The match's sentence, up to its end, names something rebuilt on its own (a cache, the logs)."""
    start, _ = sentence_around(text, match)
    return bool(_REBUILT.intersection(re.findall(r"[a-z]+", text[start: match.end()])))


def _no_copy_of_value(text: str, match: re.Match) -> bool:
    """A wipe said to leave no copy is of data unless its sentence, up to the
    "no copy", names something rebuilt on its own (a cache, the logs)."""
    return _stored(text, match) and not _rebuilt(text, match)


def _on_disk(*sources: str) -> tuple[Pattern, ...]:
    return tuple(Pattern(re.compile(s, _F), _stored) for s in sources)


_SECRET = (r"(?:data|pii|credentials?|secrets?|tokens?|passwords?|api keys?|private keys?|signing keys?|personal (?:data|information)"
           r"|(?:customer|user) (?:data|records|information|emails?))")

# Sensitive data, and words that say it reached someone it should not have. A
# sensitive noun counts as an exposure when such a word, not negated, is in the
# same sentence: "salaries ... shared outside the company", "tokens ... ended
# up in third-party analytics".
_SENSITIVE = re.compile(
    r"\b(?:pii|personal (?:data|information|details)|salar(?:y|ies)|bank (?:details|account numbers?)|card (?:numbers?|details)"
    # "the password policy", "the password field", "password reset is broken": no one's password
    # (but a reset's emails, links, tokens or codes are as good as one).
    r"|(?:signing|secret|encryption) keys?|passwords?(?! (?:expiry|policy|policies|rules|strength|prompts?|fields?|forms?|pages?|screens?|managers?|requirements?"
    r"|resets?(?! (?:e-?mails?|mails?|links?|tokens?|codes?))|recovery|changes?))|password hashes|(?:session|access|auth|refresh|api) (?:tokens?|keys?)|private keys?|secrets?(?! (?:scann\w+|manager|store|vault|detection))|credentials"
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
# Words that say where sensitive data went, each with the preposition that
# ties it to a verb, so negation is read from there: "haven't gone out to
# anyone" reached no one.
_EXPOSURE_CONTEXT = re.compile(
    r"(?:\b(?:to|with|by|for) )?\b(?:public(?:ly)?|shared (?:with|outside|to|on|in|via|publicly|externally)|share links?|third[- ]part(?:y|ies)"
    r"|outside (?:the company|our)|anyone|anybody|(?:to|with) the wrong [\w-]+|the wrong (?:[\w-]+ )?(?:person|people|users?|customers?|recipients?|accounts?|address(?:es)?"
    r"|inbox|mailbox|channel|tenants?|clients?|patients?|members?|hands|team|company)|other (?:customers|users"
    r"|people|accounts|tenants)|printed|logged|in (?:the )?logs|visible|exposed|leak(?:ed|ing|s)?|analytics|plain ?text|clear ?text"
    r"|unencrypted|indexed|search engines?|internet|vendors?|unauthori[sz]ed|stolen|attackers?|ended up in|lost (?:laptop|phone|device|drive|usb)"
    r"|(?:qa|test|testing|personal|external|wrong|public) (?:mailbox|inbox|email address|channel|slack channel|drive|folder)"
    r"|anyone with the link|world[- ]readable|unknown (?:country|party|ip|location|device))\b",
    _F,
)

# Exposure told by what happened: someone else's things seen or reached.
_PARTY_WORDS = ("user customer buyer guest visitor player student caller person company organisation organization business tenant team"
                " merchant client member patient household family shopper firm school practice clinic account driver rider passenger parent"
                " host seller resident citizen taxpayer voter applicant claimant employee subscriber listener viewer reader").split()
_PARTY = words(" ".join(_PARTY_WORDS))
_IRREGULAR = {"person": "people", "company": "companies", "family": "families", "business": "businesses"}
# Every party in the plural: "other passengers", "other students", "other households".
_PARTIES = words(" ".join(_IRREGULAR.get(w, w + "s") for w in _PARTY_WORDS))
_OTHER_PARTY = (rf"(?:someone else|somebody else|each other|one another|a stranger|strangers|another {_PARTY}"
                rf"|other {_PARTIES}|(?:a|the) (?:wrong|different) {_PARTY})")
_PRIVATE = words(
    "data details account accounts profile profiles dashboard dashboards order orders order_history history invoice invoices ticket"
    " tickets file files document documents photo photos message messages email emails record records rows entries items results"
    " statement statements report reports cart basket inbox chat chats transcript transcripts addres addresse address addresses card"
    " cards payment payments booking bookings note notes contact contacts calendar calendars conversation conversations workspace"
    " workspaces project projects upload uploads attachment attachments receipt receipts payslip payslips salary salaries prescription"
    " prescriptions bill bills information info settings session sessions password passwords balance balances transaction transactions"
    # Who someone is, and the way into their account: "a different customer's
    # name", "the previous guest's phone number", "someone else's login link".
    " name names number numbers login logins link links ssn ssns"
)
_SAW = (r"(?:show(?:s|ed|ing|n)?|return(?:s|ed|ing)?|saw|see(?:s|ing)?|display(?:s|ed|ing)?|list(?:s|ed|ing)?|serv(?:es|ed|ing)"
        r"|surfac(?:es|ed|ing)|includ(?:es|ed|ing)|contain(?:s|ed|ing)|brows(?:e|es|ed|ing)|read|download(?:s|ed|ing)?"
        r"|view(?:s|ed|ing)?|open(?:s|ed|ing)?|leak(?:s|ed|ing)?|mix(?:es|ed|ing)? in)")
# Whose things they were. "From other customers" is how support speaks of
# tickets; "from other tenants" or "from a different client" is across a line
# that should hold.
_ANOTHERS = (r"(?:(?:belonging to|owned by|meant for|intended for|of) (?:an?other|other|a different|different|the wrong|unrelated)"
             r"|from (?:an?other|a different|the wrong|unrelated)) (?:tenants?|customers?|compan(?:y|ies)|organi[sz]ations?|accounts?|users?"
             r"|clients?|merchants?|businesses|people|persons?|teams?|households?|patients?|members?|shoppers?|schools?|workspaces?)"
             r"|from other (?:tenants|compan(?:y|ies)|organi[sz]ations|accounts|businesses|households|workspaces|schools)")
# The credentials of someone who has left, used: "a departed engineer's VPN
# account still worked, and someone used it to pull the orders database".
_LEAVER = (r"(?:employee|contractor|engineer|staff member|colleague|intern|admin(?:istrator)?|developer|consultant|vendor|partner|worker"
           r"|team member|member of staff|freelancer|supplier)")
_CREDENTIAL = r"(?:credentials?|keys?|tokens?|passwords?|logins?|accounts?|access|sessions?|certificates?)"
_LEFT = r"(?:left|quit|departed|resigned|was let go|was fired|was dismissed|retired|moved on)"
_USE = (r"(?:used|reused|to (?:download|access|copy|pull|export|read|log in|sign in|get into)|downloaded|accessed|copied|pulled|exported"
        r"|logged in|signed in|dumped)")
# Whoever left is named first, as the owner of the credentials ("a former
# contractor's VPN login") or as the one who still held them ("an engineer who
# was let go still had working SSH keys"), or the credentials come first
# ("the token of an engineer who left"); then a use, in the same sentence.
_LEAVER_USED = re.compile(
    rf"\b(?:(?:(?:former|ex-|ex |departed|previous|fired|dismissed|terminated|offboarded|retired) ?{_LEAVER}(?:'?s|s')?|{_LEAVER}s? (?:who|that) (?:had )?{_LEFT})"
    rf"\b[^.;:!?\n]{{0,60}}?\b{_CREDENTIAL}"
    rf"|{_CREDENTIAL} (?:of|for|belonging to) (?:an? |the |our )?(?:[\w-]+ ){{0,2}}?(?:{_LEAVER}|person|user)s? (?:who|that) (?:had )?{_LEFT})\b"
    rf"[^.;:!?\n]{{0,100}}?\b(?P<used>{_USE})\b",
    _F,
)
_USES = re.compile(rf"\b{_USE}\b", _F)
_WORD = re.compile(r"[\w']+", _F)
# Signed in as someone else, unless staff did it on purpose ("support logged
# in as another user to reproduce it").
_AS_SOMEONE_ELSE = re.compile(
    r"\b(?:logged|signed|logging|signing) (?:in|on|into (?:[\w'-]+ ){1,3}?)\s?as (?:an?other|a different|the wrong|a random) \w+"
    r"|\b(?:logged|signed|logging|signing) (?:in|on) as (?:someone|somebody) else\b",
    _F,
)
_STAFF_BEFORE = re.compile(r"\b(?:support|admins?|engineers?|we|i|staff|agents?|ops|sre|developers?|qa|testers?)\s+(?:[\w']+\s+){0,2}$", _F)


def _not_by_staff(text: str, match: re.Match) -> bool:
    return not _STAFF_BEFORE.search(text, max(0, match.start() - 40), match.start())


# Staff handling someone's details as their work: "support typed", "an agent looked up".
STAFF_WHO = r"(?:support|agents?|staff|admins?|ops|we|i|the on-?call)"
_STAFF_AT_WORK = re.compile(
    rf"\b{STAFF_WHO}\s+(?:[\w']+\s+)?(?:typed|entered|searched(?: for)?|looked up|pasted"
    r"|pulled up|opened|checked)\s+(?:up\s+)?$", _F)


_MISTAKE = re.compile(r"\b(?:wrong|random|by mistake|accidentally|mistakenly|in error)\b", _F)


def _not_staff_at_work(text: str, match: re.Match) -> bool:
    """Not staff handling another party's details as their work; "the wrong
    customer's" is a mistake, not work, and still counts."""
    return bool(_MISTAKE.search(match.group())) or not _STAFF_AT_WORK.search(text, max(0, match.start() - 40), match.start())


def no_mistake(text: str, match: re.Match) -> bool:
    """The sentence of the match says nothing went wrong by mistake ("the wrong one", "accidentally")."""
    start, end = sentence_around(text, match)
    return not _MISTAKE.search(text, start, end)


# Stopped first: "disabled before it was ever used".
_BEFORE_ANY_USE = re.compile(r"\bbefore (?:it|they|anyone|someone|anybody)(?: (?:was|were|had been|could be|got|could))? (?:ever )?$", _F)


def _used_not_negated(text: str, match: re.Match) -> bool:
    """"was never used" is not a use, nor "before it was ever used"; a later
    use in the sentence still is ("whose account was never disabled signed in
    and exported the list")."""
    end = sentence_around(text, match)[1]
    return any(not is_negated(text, _WORD.match(text, use.start()))[0]
               and not _BEFORE_ANY_USE.search(text, max(0, use.start() - 40), use.start())
               for use in _USES.finditer(text, match.start("used"), end))


# Seeing someone else's things: what they shared in public is meant to be seen
# ("another user's public profile").
_PUBLIC_THING = re.compile(r"(?:'s|s'|')\s+(?:[\w-]+\s+)?(?:public(?:ly)?|published)\b", _F)


def _not_public(text: str, match: re.Match) -> bool:
    """The other party's things are not called public just after their owner ("another user's public profile")."""
    return _PUBLIC_THING.search(text, match.start(), min(len(text), match.end() + 40)) is None


def _private_and_not_by_staff(text: str, match: re.Match) -> bool:
    return _not_by_staff(text, match) and _not_public(text, match)


def _private_and_not_staff_at_work(text: str, match: re.Match) -> bool:
    return _not_staff_at_work(text, match) and _not_public(text, match)



def _reached_someone(text: str, match: re.Match) -> bool:
    start, end = sentence_around(text, match)
    return any(not is_negated(text, ctx)[0] for ctx in _EXPOSURE_CONTEXT.finditer(text, start, end))


# Singular and plural, except "record", which is as often a DNS record as a customer's.
_DATA_NOUN_WORDS = (
    "data records row rows order orders writes message messages transaction transactions file files events account accounts attachment"
    " attachments upload uploads photo photos image images document documents pdf pdfs invoice invoices draft drafts backup backups"
    " ticket tickets note notes preferences addres addresse address addresses cart carts entries history column columns table tables"
    " database databases db volume volumes bucket buckets project projects payments comments posts profiles descriptions content"
    " listings catalog catalogue metadata settings conversations results receipts balances wallets changes change edits fields contacts"
    " values originals bookings responses subscriptions recordings videos voicemails playlist playlists points credits progress scores"
    " transcripts chats histories mailboxes inboxes folders spreadsheets media readings measurements samples clips"
)
_DATA_NOUN = words(_DATA_NOUN_WORDS)
# Documents people file: lost when deleted or cleared, but "the reports are
# wrong" says how they read, not that they were damaged.
_DOCUMENT_WORDS = "reports statements contracts timesheets claims submissions forms"
_DOCUMENT = words(_DOCUMENT_WORDS)
_STORED = words(f"{_DATA_NOUN_WORDS} {_DOCUMENT_WORDS}")
# What is put into a place things are kept, wrong: a value word says it is
# data ("the wrong amounts to"), or the place does ("into their records"),
# so that "wrote the wrong year into the footer" is neither.
_PUT = (r"(?:writ(?:es|ing|ten)|wrote|sav(?:es|ing|ed)|stor(?:es|ing|ed)|post(?:s|ing|ed)|record(?:s|ing|ed)|put(?:s|ting)?"
        r"|enter(?:s|ing|ed)|import(?:s|ing|ed)|stamp(?:s|ing|ed)|cop(?:ies|ying|ied)|load(?:s|ing|ed))")
_WRONG = r"(?:wrong|incorrect|bad|bogus|garbage|invalid|stale|corrupt(?:ed)?)"
_VALUE = r"(?:values?|amounts?|prices?|balances?|totals?|currenc(?:y|ies)|dates?|ids?|figures?|sums?)"
_KEPT_IN = words(f"{_DATA_NOUN_WORDS} {_DOCUMENT_WORDS} ledger ledgers")
_INTO_KEPT = rf"(?:in|into|onto|to) (?:[\w'%,-]+ ){{0,4}}?{_KEPT_IN}\b"
_LOSS_VERB = r"(?:deleted|wiped|erased|overwrote|overwritten|truncated|purged|emptied|corrupted|dropped|lost|destroyed|clobbered|discarded)"

# Nothing said of the things named before it: "the page lists the last 12 months, nothing is deleted".
_NONE_OF_IT = r"(?<!nothing )(?<!none )(?<!nothing else )"

DATA_LOSS: tuple[Pattern, ...] = _on_disk(
    r"\bdata (?:loss|corruption)\b", r"\bdata (?:was|were|got|had been|has been) (?:lost|corrupted)\b",
    r"\b(?:db|database|ledger) corruption\b", r"\bcorruption (?:in|of) (?:the |our )?(?:[\w-]+ )?(?:tables?|database|db|ledger|records)\b",
    rf"\b{_LOSS_VERB} (?:(?:all|every|the|our|their|its|some|about|around|roughly|nearly|an?|one|two|three|four|five|six|ten|twelve"
    rf"|several|~?[\d,.]+k?|of|hour|day|days|hours|weeks|months|last|past|first"
    rf"|customer|user|shipping|billing|existing|wrong|old|new|uploaded|transaction|payment|order|message|chat|account|customer's|user's"
    rf"|[a-z]+'s)\s+){{0,6}}{_STORED}\b",
    # Its object, in its clause ("removed 1,400 active subscriptions"; not "purged now, origin data fine").
    rf"\b(?:deleted|wiped|erased|overwrote|truncated|purged|corrupted|destroyed|clobbered|discarded|removed) (?:[\w'~-]+(?:,\d{{3}})*\s+){{0,4}}?{_STORED}\b",
    r"\b(?:aren't|isn't|are not|is not|weren't|were not|no longer) (?:in|stored in|saved in) (?:the |our )?(?:database|db|system|ledger)\b",
    rf"\b{_DATA_NOUN} (?:are |were |is |was )?(?:now )?(?:unreadable|wrong)\b", rf"\b{_DOCUMENT} (?:are |were |is |was )?(?:now )?unreadable\b",
    r"\bnever made it (?:in)?to (?:the )?(?:database|db|ledger|storage|disk|warehouse)\b",
    r"\b(?:threw|thrown|throws|throwing) away\b", r"\b(?:the )?only copy\b",
    r"\breplaced (?:the |our )?(?:customers?|users?)(?:'s|s'|') ", r"\bnever (?:got )?(?:saved|persisted|stored|written to (?:disk|the database|storage))\b",
    r"\b(?:unrecoverable|irrecoverable|irretrievabl[ey])\b",
    r"\b(?:written|saved|stored|recorded) with (?:the )?wrong (?:[\w-]+ )?(?:values?|currency|amounts?|prices?|data|dates?|ids?)\b",
    # Wrong values put into stored records: "writing wrong amounts into ledger entries",
    # "recorded the wrong dosage in some patients' records", "stale readings were written into 2% of accounts".
    rf"\b(?:{_PUT} (?:the |a |an )?(?:(?:wrong|incorrect) (?:[\w-]+ )?{_VALUE} (?:in)?to\b|{_WRONG} (?:[\w-]+ ){{0,3}}?{_INTO_KEPT})"
    rf"|{_WRONG} (?:[\w-]+ ){{0,3}}?(?:was|were|got|have been|has been|had been|is being|are being) {_PUT} {_INTO_KEPT})",
    rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?{_NONE_OF_IT}\b(?:were|was|are|is|have been|has been|had been|got|get) (?:(?!not\b|never\b)\w+ )?"
    rf"(?:{_LOSS_VERB}|corrupt|gone|missing(?!\s+(?:a|an|the|some|their|its|from the ui)\b))",
    r"\bpermanently (?:deleted|lost|removed)\b",
    r"\bcan(?:'t|not) be (?:recovered|restored|brought back|got back|gotten back|retrieved)\b(?! (?:up|online|into service)\b)",
    r"\b(?:can(?:'t|not)|unable to|no way to) (?:regenerate|recreate) (?:them|it|those|these|any of (?:them|it))\b",
    rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?{_NONE_OF_IT}\b(?:has |have |had )?(?:disappeared|vanished)\b",
    rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\bno longer exists?\b", r"\bmixed up (?:[\w'-]+ ){0,3}?(?:between|across)\b",
    r"\bdropped (?:the |our |a )?(?:[\w-]+ ){0,2}?(?:tables?|database|db|columns?|collection|index|keyspace|schema|partitions?|namespace)\b",
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
    rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?{_NONE_OF_IT}\b(?:are|were|is|was|became|got) (?:now |all )?(?:null|nulled|nulled out|blanked|zeroed)\b",
    r"\bnever (?:reached|hit|landed in|got to|arrived in) (?:the )?(?:database|db|ledger|storage|disk|warehouse)\b",
    r"\bmissing (?:[\w-]+ ){0,2}?(?:rows|records|transactions|entries|orders|files|documents|attachments|payments)\b(?! (?:in|on|from) the (?:ui|dashboard|graph|chart|report))",
    r"\bwiped (?:out|clean)\b",
    rf"\b{_LOSS_VERB} (?:[\w',-]+\s+){{0,3}}?(?:saved|stored|uploaded|archived) [\w-]+\b",
    rf"\b(?:saved|stored|uploaded|archived) (?:[\w-]+ ){{0,2}}?[\w-]+s (?:were|was|have been|has been|had been|got) (?:all )?{_LOSS_VERB}\b",
    # Had done to it: "one in fifty trackers had its stored measurements erased".
    rf"\b(?:had|got|have had|has had) (?:its|their|his|her|your|all (?:of )?(?:its|their)) (?:[\w-]+ ){{0,3}}?{_STORED} {_LOSS_VERB}\b",
    r"\b(?:balances?|points|credits?|wallets?|scores?|progress|streaks?|miles|rewards|stars) (?:were |was |have |has |had )?(?:all )?"
    r"(?:went|gone|dropped|fell|fallen|reverted|returned|rolled) (?:back )?to (?:zero|0|nothing|empty)\b",
    rf"\b{_STORED}\b[^.;:!?\n]{{0,50}}?\b(?:aren't|isn't|are not|is not|weren't|were not|are no longer|is no longer|no longer) "
    r"(?:there|anywhere|in (?:the )?(?:database|db|system|app|account|list))\b",
    r"\b(?:coming|come|comes|came) back corrupt(?:ed)?\b",
    r"\blosing (?:[\w-]+ ){0,2}?(?:weeks|days|months|hours|years) of (?:[\w-]+ )?(?:progress|data|work|history|photos|messages|orders|records|changes|notes)\b",
    r"\b(?:open|opens|opened|load|loads|loaded|download|downloads|downloaded|comes? back|came back|restores?|restored) (?:now )?as "
    r"(?:empty|blank|zero[- ]byte|0[- ]byte|garbled|unreadable|corrupt(?:ed)?) (?:files?|documents?|pdfs?|images?|pages?|archives?)\b",
    r"\b(?:replac(?:ed|ing)|swapp(?:ed|ing)) (?:[\w'-]+ ){1,6}?(?:with|for) (?:an? )?(?:empty|blank|zeroed|null) (?:ones?|cop(?:y|ies)|versions?"
    r"|values?|lists?|records?|rows?|files?|entries|fields?|data|documents?)\b",
    # Newer things overwritten with older ones: "the sync overwrote newer saves with older ones",
    # "replaced current documents with last week's versions" (not "replaced the build with the previous one").
    rf"\b(?:overwrote|overwritten|overwriting|replaced|replacing|clobbered) (?:the |their |its |our |all )?(?:[\w'-]+ ){{0,2}}?"
    rf"(?:{_STORED}|saves|save files) (?:[\w'-]+ ){{0,4}}?(?:with|by) (?:the |their |its |an? )?(?:older|stale|outdated|previous|earlier"
    r"|old|last [\w']+|yesterday's)\b",
    # Records posted twice: "a retried job double-posted credits", "settlements were applied twice".
    r"\b(?:double[- ](?:posted|applied|booked|recorded|entered|written|credited|debited)|(?:posted|applied|recorded|booked|written|credited"
    r"|debited) twice) (?:[\w-]+ ){0,2}?(?:credits?|debits?|payments?|transactions?|entries|deposits?|withdrawals?|payouts?|settlements?"
    r"|transfers?)\b",
    r"\b(?:credits?|debits?|payments?|transactions?|entries|deposits?|withdrawals?|payouts?|settlements?|transfers?)\b[^.;:!?\n]{0,30}?"
    r"\b(?:posted|applied|recorded|booked|written|credited|debited) twice\b",
    # Where money is kept, wrong: "1,500 wallets now carry the wrong balance", "statements show wrong totals".
    r"\b(?:accounts?|wallets?|statements?|ledgers?)\b (?:now )?(?:show|shows|showing|carry|carries|carrying|have|has|display|displays"
    r"|list|lists) (?:an? |the )?(?:wrong|incorrect|inflated|doubled|bogus) (?:[\w-]+ )?(?:balances?|totals?|amounts?|figures?)\b",
) + (
    # Overwritten with old values, whatever the things are ("overwrote employee bank details for ~300
    # customers with last months values"), unless they are settings ("the config with last week's values").
    Pattern(re.compile(r"\b(?:overwrote|overwritten|overwriting|clobbered) (?:[\w'~-]+ ){1,8}?with (?:the |their |its |an? )?(?:older|stale"
                       r"|outdated|previous|earlier|old|last [\w']+|yesterday's)\b", _F), _not_settings),
    # Things kept, wiped, said without a verb to be: "player progress wiped for 2% of accounts".
    Pattern(re.compile(rf"\b{_STORED} (?:all |completely |totally |entirely )?(?:wiped|erased|deleted|purged|corrupted|destroyed|overwritten"
                       r"|clobbered|emptied)\b(?! (?:by|the|a|an|our|their)\b)", _F), _kept_not_ephemeral),
    # A deletion of everything or of thousands of things, or of someone's things
    # or the ones just named, whatever they are: "purged every open case",
    # "corrupted some clinics' calendars", "lost all of those changes". One
    # pattern, so that the scan of the class tries one branch more, not two.
    Pattern(re.compile(r"\b(?:(?:deleted|wiped|erased|purged|destroyed|overwrote|overwritten|emptied) (?:every|each|all(?: of)?(?: the| our| their)?"
                       r"|thousands of|hundreds of|millions of|dozens of|\d[\d,]*)"
                       rf"|{words('deleted wiped erased purged destroyed overwrote corrupted emptied lost clobbered scrambled')} "
                       r"(?:(?:all|every one|each|some|many|most|several|half|a few|one) (?:of )?)?(?:the |our )?(?:their|his|her|your|those"
                       r"|these|[a-z]+s'|[a-z]+'s)) (?:[\w'-]+ ){0,3}?[\w'-]+\b", _F), _of_value),
    # Wiped, whatever it is, with no copy left: "the schedules were reset and we keep no copy of them".
    Pattern(re.compile(rf"\b(?:{_LOSS_VERB}|cleared|reset|removed|wiped out)\b[^.!?\n]{{0,100}}?\b(?:(?:no|zero) (?:other |spare |second )?"
                       r"(?:cop(?:y|ies)|backups?|snapshots?)|(?:isn't|aren't|wasn't|weren't|not|never) (?:been )?backed up)\b", _F), _no_copy_of_value),
    # Someone's things destroyed, whatever they are: "their wish lists were erased".
    Pattern(re.compile(rf"\b(?:their|his|her|your|customers'|users'|members'|people's|[a-z]+'s) (?:[\w-]+ ){{0,2}}?[\w-]+ (?:were|was|have been"
                       rf"|has been|had been|got) (?:all |permanently |accidentally )?(?:deleted|wiped|erased|purged|destroyed|overwritten"
                       r"|corrupted)\b", _F), _of_value))
# A storage grant to anyone, as the clouds name it: GCS's allUsers, S3's public-read, "world-readable".
_OPEN_GRANT = re.compile(r"\b(?:allusers|allauthenticatedusers|public-read(?:-write)?|world-?readable|anonymous read)\b", _F)
# What is public by design: "world-readable on purpose, it only holds the photos already on our public website".
_BY_DESIGN = re.compile(r"\b(?:on purpose|intentionally|by design|deliberately|meant to be public|already (?:on (?:the |our )?public|public))\b", _F)


def _not_public_by_design(text: str, match: re.Match) -> bool:
    """An open grant whose sentence does not say it is meant to be open."""
    start, end = sentence_around(text, match)
    return _BY_DESIGN.search(text, start, end) is None


# What leaks that is no data: a setting, a piece of the product, memory.
# "the uat flag leaked into prod", "an unfinished settings tab leaked into the live app".
_NO_DATA_BEFORE_LEAK = re.compile(
    r"\b(?:flags?|toggles?|settings?|configs?|configuration|features?|experiments?|variants?|builds?|releases?|versions?|branch(?:es)?"
    r"|css|styles?|stylesheets?|changes?|tabs?|banners?|buttons?|menus?|screens?|widgets?|components?|env vars?|variables?|traffic|memory"
    r"|dependenc(?:y|ies))\s+(?:(?:has|have|had|was|were|got|been|somehow|accidentally|quietly)\s+)*$",
    _F,
)


def _leak_of_data(text: str, match: re.Match) -> bool:
    return _NO_DATA_BEFORE_LEAK.search(text, max(0, match.start() - 40), match.start()) is None


EXPOSURE: tuple[Pattern, ...] = patterns(
    r"\b(?:data|security) breach(?:es)?\b", r"\bunauthori[sz]ed access\b", r"\bdata (?:exposure|leaks?|leakage)\b",
    rf"\b{_SECRET} (?:(?:was|were|got|had been|have been) )?(?:exposed|leaked|stolen|compromised)\b",
    r"\b(?:exposed|leaked|stolen|compromised) (?:customer |user |personal |private |session )?"
    r"(?:data|records|information|credentials|secrets|tokens?|passwords|pii|keys)\b",
    r"\bpublicly (?:readable|accessible|visible|available|exposed|listable|writable)\b", r"\bpii\b",
    r"\b(?:full |credit |debit )?card (?:numbers|details|data)\b",
    r"\b(?:accessible|readable|visible|available|open|downloadable) without (?:any )?(?:authentication|auth|a password|login|logging in)\b",
    r"\b(?:could see|can see|saw|see|seeing|shown|were shown|was shown|showed) other (?:people|users|customers|accounts|tenants)(?:'s|s'|')?\b",
    r"\b(?:was|were|been|got) exposed\b", r"\battackers?\b", r"\bto anyone\b",
    r"\bto other (?:visitors|users|customers|people|accounts|tenants|shoppers)\b",
    r"\bto (?:another|a different|the wrong) (?:merchant|customer|user|tenant|account|company)(?:'s)?\b",
    r"\b(?:any|another|other) (?:tenant|customer|user|account|merchant)(?:'s|s') (?:data|details|records|files|orders|invoices|messages)\b",
    r"\bwithout checking (?:the )?(?:auth\w*|permissions?|access|ownership)\b",
    r"\bopen to the (?:internet|public|world)\b", r"\b(?:exposed|reachable|accessible|readable) (?:to|from|on) the (?:public )?internet\b",
    r"\b(?:committed|pushed|posted|pasted|published|uploaded|went|sent|landed|copied|synced) to (?:a |the )?(?:[\w-]+'s )?public\b",
    r"\b(?:ransomware|malware)\b", r"\bphish(?:ed|ing)\b",
    # A leak named as a noun: "a leak of payroll data".
    r"\b(?:leak|leaks|exposure|breach) of (?:the |our |some |all )?(?:[\w-]+ ){0,2}?(?:data|records|details|information|pii|files|documents"
    r"|credentials|emails|passwords)\b",
    # Taken from outside: "it was downloaded from outside".
    r"\b(?:downloaded|accessed|pulled|copied|read|opened|fetched|exported) (?:by|from) (?:outside|outsiders|strangers|the internet"
    r"|someone outside|an outside party|an unknown party)\b",
    r"\b(?:shown|visible|posted|published|listed) (?:on|in) (?:the |a )?public\b",
    r"\b(?:viewable|visible|readable|accessible) (?:by|to) (?:[\w-]+ ){0,2}?(?:other|anyone|any|the public|everyone)\b", r"\bpublic (?:read |write |read-write )?access\b",
    r"\ba (?:security |data )?breach\b(?! of (?:the |our |an? )?(?:sla|slo|contract|agreement))", r"\bexfiltrat\w*\b",
    r"\bunknown (?:ip|party|actor|user|third party) (?:downloaded|accessed|read|copied|exported)\b",
    # Taken by addresses from outside: "access logs show outside IPs pulling passport scans".
    r"\b(?:outside|external|foreign|unknown|unrecogni[sz]ed|third-party) ips? (?:[\w-]+ ){0,2}?(?:pull|download|access|read|cop|scrap"
    r"|export|dump|fetch|list)\w*",
    r"\b(?:sent|shown|emailed|delivered|mailed|went|going|routed) to (?:the )?wrong (?:users|customers|people|recipients|accounts|addresses)\b",
    # Ending up with someone else: "statements are landing in the wrong users secure inbox".
    r"\b(?:landing|landed|lands|ending up|ended up|ends up|arriving|arrived|showing up|going) (?:in|into|to|at) (?:the )?(?:wrong|another|other|a different)"
    r" (?:[\w-]+(?:'s|s'|')? ){0,2}?(?:inbox|inboxes|mailbox|mailboxes|account|accounts|portal|dashboard|app)\b",
    # Sent to a party it was not meant for: "the records were emailed to a different clinic".
    rf"\b(?:sent|emailed|mailed|faxed|forwarded|delivered|routed|posted) to (?:the |a |an )?(?:wrong|different|other) {_PARTY}s?\b",
    r"\bsomeone else's (?:account|data|orders?|invoices?|profile|details|messages)\b",
    r"\b(?:shared|reused|leaking|bleeding|mixed) (?:up )?(?:across|between) (?:accounts|tenants|customers|users|sessions)\b",
    r"\bto (?:unauthenticated|anonymous|unauthori[sz]ed) (?:callers|users|clients|requests|visitors|people)\b",
    r"\bcompromised (?:[\w-]+ ){0,3}?(?:accounts?|hosts?|servers?|systems?|laptops?|credentials|keys)\b",
    r"\b(?:accounts?|hosts?|servers?|systems?|laptops?|credentials|keys) (?:were|was|got|had been|have been) compromised\b",
    r"\b(?:laptops?|phones?|devices?|drives?|tapes?|backups?|disks?)\b[^.;:!?\n]{0,60}?\b(?:was|were|got|went) (?:stolen|missing|lost)\b",
    r"\bother (?:people|users|customers|accounts|tenants)(?:'s|s'|') \w+",
    # Told by what happened rather than with an exposure word.
    r"\b(?:tokens?|keys?|credentials|passwords?|logins?|accounts?|sessions?)\b[^.;:!?\n]{0,40}?\b(?:was|were|got|had been|been|being) "
    r"(?:used|reused|replayed) (?:by|from) (?:an? |the )?(?:unknown|unrecogni[sz]ed|foreign|suspicious|outside|external|third|attackers?"
    r"|strangers?|someone|somebody|an ip)",
    r"\b(?:from|by) an? (?:unknown|unrecogni[sz]ed|suspicious|unfamiliar) (?:country|location|ip|address|device|network|host|party|actor)\b"
    r"[^.;:!?\n]{0,60}?\b(?:read|download|access|export|cop(?:y|ied)|dump|quer(?:y|ied)|view|pull|scrap)\w*",
    r"\b(?:without (?:any )?|no )(?:authentication|auth|password|access control)\b[^.;:!?\n]{0,60}?\bpublic(?:ly)?\b",
    r"\bpublic(?:ly)?\b[^.;:!?\n]{0,60}?\b(?:without (?:any )?|with no |no )(?:authentication|auth|password|access control)\b",
    r"\b(?:unauthenticated|unprotected|passwordless) (?:[\w-]+ )?(?:admin|database|db|bucket|elasticsearch|redis|mongo\w*|console|s3|endpoint exposing)\b",
    # What should be locked, open to anyone: "the admin api has no auth".
    r"\b(?:admin|internal|private|management|database|db|backend)\b[^.;:!?\n]{0,30}?\b(?:has|had|have|with|requires|required|needs|needed)"
    r" (?:no|zero) (?:authentication|auth|access control|password|login)\b",
    r"\b(?:buckets?|containers?|blobs?|shares?|folders?|drives?|repos(?:itories)?|links?)\b[^.;:!?\n]{0,40}?\b(?:was|were|is|are|been|got)"
    r" (?:left |made |set to |switched to |flipped to |accidentally made )?(?:public|world[- ]readable|open to (?:the )?(?:world|internet|public))\b",
    r"\b(?:private|customers?'?|users?'?|internal|personal|invoices?|documents?|contracts?)\b[^.;:!?\n]{0,60}?\bindexed by\b",
    r"\b(?:emailed|mailed|sent|forwarded|posted|delivered|copied)\b[^.;:!?\n]{0,60}?\b(?:real|actual|live|production) (?:customers?|users?|patients?)(?:'s|s'|')?",
    r"\bother (?:people|users|customers|accounts|tenants)(?:'s|s'|')? (?:data|details|orders|invoices|messages|records"
    r"|information|addresses|files|documents|photos)\b",
    # Someone else's things, seen or reached: "landed in a stranger's account",
    # "another company's private invoices", "documents belonging to other
    # organisations", "logged in as a different person".
    rf"\b{_SAW}\b[^.;:!?\n]{{0,60}}?\b{_PRIVATE} (?:[\w-]+ ){{0,2}}?(?:{_ANOTHERS})\b",
) + (Pattern(re.compile(r"\bleaked\b", _F), _leak_of_data), Pattern(_OPEN_GRANT, _not_public_by_design), Pattern(_SENSITIVE, _reached_someone), Pattern(_LEAVER_USED, _used_not_negated), Pattern(_AS_SOMEONE_ELSE, _not_by_staff),
     # Someone else's things, unless staff are handling them as their work
     # ("support typed another customer's name into the search").
     Pattern(re.compile(rf"\b(?:the )?(?:previous|last|next|another|other|a different|the wrong|a random|random) (?:visitor|customer|user"
                        rf"|shopper|patient|caller|guest|member|tenant|client|merchant|person|player|student)(?:'s|s'|') (?:[\w-]+ ){{0,2}}?"
                        rf"{_PRIVATE}\b", _F), _private_and_not_staff_at_work),
     # With or without the apostrophe: "each others billing addresses".
     Pattern(re.compile(rf"\b{_OTHER_PARTY}(?:'s|'|s) (?:[\w-]+ ){{0,2}}?{_PRIVATE}\b", _F), _private_and_not_staff_at_work),
     Pattern(re.compile(r"\b(?:view|see|read|access|download|open|edit) (?:any |an? )?(?:other|another) (?:user|account|customer|tenant|person"
                        r"|people)(?:'s|s'|s)?\b", _F), _not_public),
     # Typed without the apostrophe: "can see other students grades".
     Pattern(re.compile(rf"\b{_SAW}\b (?:[\w'-]+ ){{0,3}}?(?:other|another) {_PARTIES} (?:[\w-]+ )?(?:{_PRIVATE}|grades|marks|scores)\b", _F),
             _private_and_not_by_staff),
     # Someone else's things of any kind, seen: "can see another household's thermostat schedule".
     Pattern(re.compile(rf"\b{_SAW}\b (?:[\w'-]+ ){{0,3}}?{_OTHER_PARTY}(?:'s|') [\w-]+", _F), _private_and_not_by_staff))
