"""Finding what a text says: whole-word, case-insensitive mentions that respect negation.

A mention is ignored when a negation ("no", "not", "never", "without", "zero",
"n't", "no evidence of", ...) comes within three words before it in the same
clause, when the clause goes on to rule it out ("data loss was ruled out"),
or when the next clause denies it outright ("looks cosmetic but isn't:").
Substrings never count: "download" does not mention "down". For the kinds
that say something happened (pir_reviews.core.signals.REFUTABLE), a mention
framed as a belief or a report and then refuted by the text is set aside too
(pir_reviews.core.modality).

The words themselves, signal kind by kind, are in pir_reviews.core.signals
and pir_reviews.core.harm; this module holds how they are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from pir_reviews.core.leads import Table, Words, lead, words_of
from pir_reviews.core.modality import Refuted, refutation

# Patterns are lowercase and read lowercased text: case-insensitive matching
# costs several times as much in Python's re.
_F = 0
_BREAK = r"[.;:!?,()\n\u2014]|\s-\s|\b(?:but|and|while|whereas|however|although|though|yet|so|because|until|after)\b"
_CLAUSE_BREAK = re.compile(_BREAK, _F)
# The last clause break of a text: everything before it, then the break. The
# greedy run backs off from the end, so the search costs what lies after the
# break (a clause is short), where finding every break costs the whole text.
_LAST_BREAK = re.compile(rf"(?s:.*)(?:{_BREAK})", _F)
_WORDS = re.compile(r"[\w'\u2019]+", _F)
_NEGATORS = frozenset(
    "no not never without zero none nothing nobody nobody's neither nor cannot hardly free".split()
)
_NEGATING_PHRASES = re.compile(
    r"\b(?:no (?:evidence|sign|signs|indication) of|ruled out|rather than|instead of"
    # A subject ruled out, then what it did: "it wasn't the gateway that went down".
    r"|(?:wasn't|isn't|weren't|aren't|was not|is not|were not|are not) (?!just |only |merely )(?:the |our |a )?(?:[\w-]+ ){1,4}?(?:that|which|who)"
    r"(?: (?:is|was|were|are|has|had|have|went|got|has been|had been))?)\s*$", _F)
_RULED_OUT_AFTER = re.compile(
    r"^\s*(?:(?:was|were|is|has been|had been)\s+)?(?:ruled out|avoided|prevented|not (?:observed|detected|found|seen))"
    r"|^\s*(?:did not|didn't|does not|doesn't|never) (?:occur|happen)",
    _F,
)
# A mention the next clause denies outright: "looks cosmetic but isn't:", "seemed down, but it wasn't.",
# "uploads got deleted, they didn't, files all still in storage" (a bare denial: its own clause, nothing after it).
_NOT_AUX = r"(?:is|was|are|were|did|does|do|has|have|had)(?:n'?t| not)"
_DENIED_AFTER = re.compile(
    r"^[\s,]*(?:(?:but|though|yet)\s+(?:(?:it|that|this|they)(?:'s|'re| is| was| are| were) not|(?:it |that |this |they )?(?:really |actually )?"
    rf"{_NOT_AUX})|(?:it|that|this|they|we) (?:really |actually )?{_NOT_AUX})(?=\s*(?:[.;:!?,)\n\u2014]|$))", _F)
_WINDOW = 200


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    accept: Callable[[str, re.Match], bool] | None = None


def words(spelled: str) -> str:
    """A regex alternation of the words of `spelled` (separated by spaces or
    "|", "_" inside one for a space: "order_history"), shaped as a tree of
    their letters, so that a long list of nouns costs one step per letter
    rather than one try per word. Matches exactly the words given; put a
    boundary after it (r"\\b" or a space) as for any list of words."""
    tree: dict = {}
    for word in spelled.replace("|", " ").split():
        node = tree
        for letter in word.replace("_", " "):
            node = node.setdefault(letter, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(letter) + emit(child) for letter, child in sorted(node.items()) if letter]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return "(?:" + emit(tree) + ")"


def patterns(*sources: str) -> tuple[Pattern, ...]:
    """Each source compiled as a pattern with no check of the words around it."""
    return tuple(Pattern(re.compile(s, _F)) for s in sources)


def sentence_around(text: str, match: re.Match) -> tuple[int, int]:
    """The sentence of a match, at most _WINDOW characters either side: a
    sentence is short, and the bound keeps a long text without full stops linear."""
    low, high = max(0, match.start() - _WINDOW), min(len(text), match.end() + _WINDOW)
    start = max(text.rfind(c, low, match.start()) for c in ".;!?\n") + 1
    ends = [i for i in (text.find(c, match.end(), high) for c in ".;!?\n") if i >= 0]
    return max(start, low), min(ends) if ends else high


@dataclass(frozen=True)
class Mentions:
    """What the text says about one signal kind: kept and negated phrases, in text order."""

    kept: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    refuted: tuple[Refuted, ...] = ()  # reported or believed, then refuted by the text
    quoted: tuple[str, ...] = ()  # kept phrases that stand inside double quotes: words shown, not said


def is_quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands inside double quotes on its line: the
    heading says "Outage", the banner reads “Service unavailable”. Straight
    quotes open and close in turn; curly ones say which they are."""
    line = max(text.rfind("\n", max(0, start - _WINDOW), start) + 1, start - _WINDOW)
    if text.count('"', line, start) % 2:
        return text.find('"', end, end + _WINDOW) >= 0
    opened = text.rfind("\u201c", line, start)
    return opened > text.rfind("\u201d", line, start) and text.find("\u201d", end, end + _WINDOW) >= 0


def one_clause(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds no clause break: what stands at its two ends is in one clause."""
    return _CLAUSE_BREAK.search(text, start, end) is None


def is_negated(text: str, match: re.Match) -> tuple[bool, str]:
    """Whether a negation governs this mention; also the phrase to quote."""
    # A clause is short: looking 200 characters back and ahead is enough and
    # keeps long texts linear.
    window = max(0, match.start() - _WINDOW)
    last = _LAST_BREAK.match(text, window, match.start())
    clause_start = last.end() if last else window
    clause = text[clause_start: match.start()]
    words = list(_WORDS.finditer(clause))[-3:]
    for word in words:
        w = word.group().lower().replace("\u2019", "'")
        if w in _NEGATORS or w.endswith("n't"):
            return True, text[clause_start + word.start(): match.end()]
    phrase = _NEGATING_PHRASES.search(clause)
    if phrase:
        return True, text[clause_start + phrase.start(): match.end()]
    after = text[match.end(): match.end() + _WINDOW]
    denied = _DENIED_AFTER.match(after)
    if denied:
        return True, text[match.start(): match.end() + denied.end()]
    cut = _CLAUSE_BREAK.search(after)
    ruled_out = _RULED_OUT_AFTER.search(after[: cut.start()] if cut else after)
    if ruled_out:
        return True, text[match.start(): match.end() + ruled_out.end()]
    return False, match.group()


_LEADS: dict[int, tuple[tuple[Pattern, ...], Table]] = {}


def _leads(patterns: tuple[Pattern, ...]) -> Table:
    """The leads of a table of patterns, worked out once. Kept by the
    identity of the tuple (the tables live as long as their modules), since
    hashing every pattern on every call cost more than the scan itself."""
    seen = _LEADS.get(id(patterns))
    if seen is None or seen[0] is not patterns:
        seen = (patterns, Table.of([lead(p.regex) for p in patterns]))
        if len(_LEADS) < 256:
            _LEADS[id(patterns)] = seen
    return seen[1]


# The words of the last few texts read: every kind of signal reads the same text.
_RECENT: dict[str, Words] = {}
# The lower case of the last few texts, for the same reason: the same text
# object is looked up by its cached hash, and its lower case, being the same
# object every time too, is then found in _RECENT without hashing it again.
_LOWERED: dict[str, str] = {}


def _lower(text: str) -> str:
    low = _LOWERED.get(text)
    if low is None:
        if len(_LOWERED) >= 4:
            _LOWERED.clear()  # one call, so safe beside another thread reading
        low = _LOWERED[text] = text.lower()
    return low


def _words(text: str) -> Words:
    words = _RECENT.get(text)
    if words is None:
        if len(_RECENT) >= 4:
            _RECENT.clear()  # one call, so safe beside another thread reading
        words = _RECENT[text] = words_of(text)
    return words


def matches(text: str, patterns: tuple[Pattern, ...]) -> Iterator[tuple[Pattern, re.Match]]:
    """Every match of every pattern, as each pattern's own finditer would give
    them, in text order (patterns in table order at the same place).

    A regex that opens with a word boundary has no literal prefix for Python's
    re to search for, so scanning a text tries the whole pattern at every
    character. Instead a pattern is tried only where a word it can begin with
    (its lead, pir_reviews.core.leads) starts, and never again inside its own
    last match, as finditer goes on from the end of a match; a pattern whose
    lead cannot be told runs finditer on the whole text."""
    at, whole = _leads(patterns).places(_words(text))
    found: list[tuple[int, int, re.Match]] = []
    for index in whole:
        found.extend((match.start(), index, match) for match in patterns[index].regex.finditer(text))
    for index, starts in at.items():
        regex = patterns[index].regex
        resume = 0
        for start in sorted(starts):
            if start >= resume:
                match = regex.match(text, start)
                if match is not None:
                    resume = max(match.end(), start + 1)
                    found.append((start, index, match))
    if len(found) > 1:
        found.sort(key=lambda hit: hit[:2])
    for _, index, match in found:
        yield patterns[index], match


def find_mentions(text: str, patterns: Iterable[Pattern], refutable: bool = False, harm: bool = False) -> Mentions:
    """Every whole-word mention of the patterns, split into kept and negated;
    with `refutable`, mentions the text reports and then refutes are split off
    as refuted (pir_reviews.core.modality); with `harm` too (data lost or
    exposed), a mention in scare quotes counts as reported ("the 'leaked'
    key"), and one whose data the text then calls stand-ins or public anyway,
    or says is still where it is kept, is refuted."""
    patterns = patterns if isinstance(patterns, tuple) else tuple(patterns)
    text = _lower(text)
    hits: list[tuple[int, int, bool, str]] = []
    for pattern, match in matches(text, patterns):
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
    refuted: list[Refuted] = []
    if refutable:
        negated_later = tuple((start, phrase) for start, _, neg, phrase in outer if neg)
        kept_hits = []
        for hit in outer:
            refuting = None if hit[2] else refutation(text, hit[0], -hit[1], negated_later, harm)
            if refuting is None:
                kept_hits.append(hit)
            else:
                refuted.append(refuting)
        outer = kept_hits
    kept = tuple(dict.fromkeys(p for _, _, neg, p in outer if not neg))
    negated = tuple(dict.fromkeys(p for _, _, neg, p in outer if neg))
    quotes = '"' in text or "\u201c" in text  # most texts have none: no mention to check
    quoted = tuple(dict.fromkeys(p for start, end, neg, p in outer if quotes and not neg and is_quoted(text, start, -end)))
    return Mentions(kept, negated, tuple(dict.fromkeys(refuted)), quoted)
