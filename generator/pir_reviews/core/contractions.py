"""Contractions typed without their apostrophe, given it back.

Responders type fast: "cant tap search", "dont see any difference", "thats
~8% of users". The signal patterns spell contractions with the apostrophe
("can't", "don't"), so the classifier puts it back first, for the words that
mean nothing else without it ("wont", a habit, is too rare to matter).
"Its", "were" and "ill" are words of their own and stay as they are.

Pure: stdlib only. The length of the text changes, so what reads the result
quotes the result, not the original.
"""

from __future__ import annotations

import re

# The "n't" words, and the "'s" and "'re" ones that are no word without the apostrophe.
# Each "n't" word is its stem and "n't": "ca" + "n't" is "can't".
_NOT = "ca wo do does did is are was were has have had could would should must need"
_CONTRACTED = re.compile(
    r"\b(" + "|".join(_NOT.split()) + r")nt\b|\b(that|what|there|here|who)s\b|\b(they|you)re\b",
    re.IGNORECASE,
)


def _apostrophe(match: re.Match) -> str:
    if match.group(1):
        return match.group(1) + "n't"
    if match.group(2):
        return match.group(2) + "'s"
    return match.group(3) + "'re"


def with_apostrophes(text: str) -> str:
    """The text with "cant", "dont", "thats", "theyre" ... written "can't", "don't", "that's", "they're"."""
    return _CONTRACTED.sub(_apostrophe, text)
