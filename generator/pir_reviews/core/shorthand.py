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

Pure: stdlib only. The length of the text changes, so what reads the result
quotes the result, not the original.
"""

from __future__ import annotations

import re

# Each "n't" word is its stem and "n't": "ca" + "n't" is "can't".
_NOT = "ca wo do does did is are was were has have had could would should must need"
_ABBREVIATIONS = {"ppl": "people", "ppls": "people's", "svc": "service", "svcs": "services", "txn": "transaction",
                  "txns": "transactions", "acct": "account", "accts": "accounts", "msg": "message", "msgs": "messages",
                  "nobodys": "nobody's", "everyones": "everyone's", "someones": "someone's",
                  # Common slips of the fingers: "down completly".
                  "completly": "completely", "compleatly": "completely", "totaly": "totally", "entirly": "entirely",
                  "definately": "definitely", "recieved": "received", "seperate": "separate"}
_SHORTHAND = re.compile(
    r"\b(" + "|".join(_NOT.split()) + r")nt\b|\b(that|what|there|here|who)s\b|\b(they|you)re\b"
    r"|\b(it)s(?= (?:not|a|an|the|just|only|been|still|all|fine|ok|down|up|back|broken|gone)\b)"
    r"|\b(" + "|".join(_ABBREVIATIONS) + r")\b",
    re.IGNORECASE,
)


def _spelled(match: re.Match) -> str:
    stem, is_word, re_word, it, short = match.groups()
    if stem:
        return stem + "n't"
    if is_word or it:
        return (is_word or it) + "'s"
    if re_word:
        return re_word + "'re"
    return _ABBREVIATIONS[short.lower()]


def spelled_out(text: str) -> str:
    """The text with "cant", "thats", "theyre", "its not", "ppl", "svc" ... written "can't", "that's", "they're",
    "it's not", "people", "service"."""
    return _SHORTHAND.sub(_spelled, text)
