"""Chat shorthand spelled out: contractions without their apostrophe, the
abbreviations responders type for people and records, and a few common
misspellings ("completly").

Responders type fast: "cant tap search", "dont see any difference", "thats
~8% of users", "other ppl's balances", "the auth svc". The signal patterns
spell words out ("can't", "people", "service"), so the classifier spells the
shorthand out first, for the forms that mean nothing else. "Its" before a
noun is a possessive and stays; before "not", "a", "the", "just" ... it is
"it's". "Were" and "ill" are words of their own and stay as they are
("wont", a habit, is too rare to matter).

Most texts hold none of these words, so the text's words are looked up
first and only the words found are replaced.

Pure: stdlib only. The length of the text changes, so what reads the result
quotes the result, not the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Each "n't" word is its stem and "n't": "ca" + "n't" is "can't".
_NOT_STEMS = "ca wo do does did is are was were has have had could would should must need"
_SPELLED = {
    **{stem + "nt": stem + "n't" for stem in _NOT_STEMS.split()},
    **{word + "s": word + "'s" for word in "that what there here who".split()},
    "theyre": "they're", "youre": "you're", "its": "it's",
    "ppl": "people", "ppls": "people's", "svc": "service", "svcs": "services", "txn": "transaction",
    "txns": "transactions", "acct": "account", "accts": "accounts", "msg": "message", "msgs": "messages",
    "nobodys": "nobody's", "everyones": "everyone's", "someones": "someone's",
    # Common slips of the fingers: "down completly".
    "completly": "completely", "compleatly": "completely", "totaly": "totally", "entirly": "entirely",
    "definately": "definitely", "recieved": "received", "seperate": "separate",
}
# "Its" is "it's" only before these; before a noun it is the possessive.
_ITS_BEFORE = r"(?= (?:not|a|an|the|just|only|been|still|all|fine|ok|down|up|back|broken|gone)\b)"
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=256)
def _pattern(found: frozenset[str]) -> re.Pattern:
    """One pattern for the shorthand words a text holds."""
    words = sorted(found, key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(w + _ITS_BEFORE if w == "its" else w for w in words) + r")\b", re.IGNORECASE)


def _spelled(match: re.Match) -> str:
    said = match.group()
    out = _SPELLED[said.lower()]
    return out[0].upper() + out[1:] if said[0].isupper() else out


def spelled_out(text: str) -> str:
    """The text with "cant", "thats", "theyre", "its not", "ppl", "svc" ... written "can't", "that's", "they're",
    "it's not", "people", "service"."""
    found = _SPELLED.keys() & _WORD.findall(text.lower())
    return _pattern(frozenset(found)).sub(_spelled, text) if found else text
