"""The words a pattern's match can begin with, worked out from the pattern itself.

A regex that opens with a word boundary or a look-behind gives Python's `re`
no literal to look for, so a scan tries the whole pattern at every
character. Most signal patterns open with a boundary and a short list of
words ("deleted", "wiped", "data ..."), and a responder's text holds few of
them. So pir_reviews.core.mentions tries a pattern only where one of its
lead words starts in the text (Table), and the timeline skips a search when
none of a type's lead words is in an event's message (needles).

The lead of a pattern is read from Python's own parse of it. What this
module does not follow (a class like [\\w-] or a repeat) ends the reading
there: what was read is then a start of the first word, not all of it, and
when nothing was read the lead is unknown and the pattern is run on the
whole text. A lead only ever rules out a place where the pattern could not
have matched (tests/test_leads.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

try:  # Python's parser of regular expressions (re._parser since 3.11)
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - a Python without them: every pattern is run
    _P = _C = None

_MOST = 4096  # more spellings than this and the lead is not worth keeping
_SMALL_CLASS = 64  # a character class of more characters than this ends the reading
_FEW_STARTS = 16  # more starts (not whole words) than this and the lead is not worth keeping
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Lead:
    """What any match of a pattern begins with.

    The match is one of these:
    `words`: it starts a word of the text (a run of word characters), and
    that whole word is one of these; `begins`: it starts a word that begins
    with one of these ("exfiltrat..."); `digits`: it starts a word that
    begins with a decimal digit, of any script ("40%", "3 of 40"); `starts`:
    anywhere, it begins with one of these texts. A pattern with none of the
    four can never be ruled out.
    """

    words: frozenset[str] = frozenset()
    starts: frozenset[str] = frozenset()
    digits: bool = False
    begins: frozenset[str] = frozenset()

    @property
    def known(self) -> bool:
        return bool(self.words or self.starts or self.digits or self.begins)


UNKNOWN = Lead()


class _Unknown(Exception):
    pass


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _chars(items) -> set[str]:
    """The characters of a class ([abc], [a-z]), or _Unknown when it has a category or negation or is large."""
    out: set[str] = set()
    for op, arg in items:
        if op is _C.LITERAL:
            out.add(chr(arg))
        elif op is _C.RANGE and arg[1] - arg[0] < _SMALL_CLASS:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            raise _Unknown
        if len(out) > _SMALL_CLASS:
            raise _Unknown
    return out


def _is_digit(items) -> bool:
    """Whether a class is \\d and nothing else: the decimal digits of every script."""
    return list(items) == [(_C.CATEGORY, _C.CATEGORY_DIGIT)]


def _is_not_word(items) -> bool:
    """Whether a look-around's content is one class that holds every word character ([\\w'], \\w)."""
    items = list(items)
    if len(items) != 1:
        return False
    op, arg = items[0]
    if op is _C.IN:
        return any(o is _C.CATEGORY and a is _C.CATEGORY_WORD for o, a in arg) and not any(o is _C.NEGATE for o, _ in arg)
    return False


# A state: (text read so far, how it stands). OPEN: the first word goes on;
# WORD: it has ended, so `read` is the whole first word; PREFIX: reading
# stopped inside it (an element this module does not follow), so the first
# word begins with `read`; DIGIT: the first word begins with a decimal digit
# (`read` is empty).
OPEN, WORD, PREFIX, DIGIT = 0, 1, 2, 3
_State = tuple[str, int]


def _step(states: set[_State], chars: set[str], across: int) -> set[_State]:
    """Each open state read one character further. A character that is no
    word character ends the first word; with `across` (a count), only once
    the text read holds that many word characters: "on it" reads on past "on"."""
    out = set()
    for read, how in states:
        if how != OPEN:
            out.add((read, how))
            continue
        for ch in chars:
            if _is_word(ch) or _letters(read) < across:
                out.add((read + ch, OPEN))
            else:  # the first word ends; or, with nothing read, the match begins with this character ("~")
                out.add((read, WORD) if read else (ch, PREFIX))
    return out


def _letters(read: str) -> int:
    """How many word characters a text holds: "no " holds two, as few as "no"."""
    return sum(1 for ch in read if _is_word(ch))


def _read(items, states: set[_State], across: int = 0) -> set[_State]:
    """The states after the items of a parsed pattern; stops early once no first word is open."""
    for op, arg in items:
        if all(how != OPEN for _, how in states):
            return states
        if len(states) > _MOST:
            raise _Unknown
        try:
            if op is _C.LITERAL:
                states = _step(states, {chr(arg)}, across)
            elif op is _C.IN and _is_digit(arg):
                # A digit first: the word begins with one; after text read, the reading stops.
                return {(read, (PREFIX if read else DIGIT) if how == OPEN else how) for read, how in states}
            elif op is _C.IN:
                states = _step(states, _chars(arg), across)
            elif op is _C.SUBPATTERN:
                if arg[1] & re.IGNORECASE:
                    raise _Unknown
                states = _read(arg[3], states, across)
            elif op is _C.BRANCH:
                states = set().union(*(_read(branch, states, across) for branch in arg[1]))
            elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and arg[0] == 0 and arg[1] == 1:
                states = states | _read(arg[2], states, across)
            elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and arg[0] >= 1:
                # At least once ("\\d{1,2}", "a+"): the first time is read, what follows is not.
                states = _read(arg[2], states, across)
                raise _Unknown
            elif (op is _C.AT and arg is _C.AT_BOUNDARY) or (op is _C.ASSERT_NOT and arg[0] == 1 and _is_not_word(arg[1])):
                # Inside a match, a boundary or (?![\w...]) after a word character ends the word
                # (read `across` words, only once it holds enough word characters).
                states = {(read, WORD if how == OPEN and read and _letters(read) >= across else how) for read, how in states}
            elif op in (_C.ASSERT, _C.ASSERT_NOT):
                continue  # looks around without reading: ignoring it only admits more
            else:
                raise _Unknown
        except _Unknown:
            # Not followed: what has been read so far still begins the word.
            return {(read, PREFIX if how == OPEN else how) for read, how in states}
    return states


def _parsed(pattern: re.Pattern) -> list | None:
    """Python's own parse of a pattern, or None when it is not to be read (case-insensitive, or refused)."""
    if _P is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return list(_P.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - whatever the parser refuses, the pattern is simply always run
        return None


def lead(pattern: re.Pattern) -> Lead:
    """What every match of `pattern` begins with, or UNKNOWN."""
    items = _parsed(pattern)
    if items is None:
        return UNKNOWN
    first, at_word_start = 0, False
    while first < len(items) and items[first][0] in (_C.ASSERT, _C.ASSERT_NOT):
        op, (direction, inner) = items[first]
        # (?<![\w...]): no word character before, so the match starts a word.
        at_word_start = at_word_start or (op is _C.ASSERT_NOT and direction == -1 and _is_not_word(inner))
        first += 1  # any other look-behind before the start only admits fewer matches
    if first < len(items) and items[first] == (_C.AT, _C.AT_BOUNDARY):
        at_word_start = True
        first += 1
    try:
        states = _read(items[first:], {("", OPEN)})
    except _Unknown:
        return UNKNOWN
    if any(not read and how != DIGIT for read, how in states):
        return UNKNOWN  # some match begins with no word character
    if sum(1 for _, how in states if how in (OPEN, PREFIX)) > _FEW_STARTS:
        return UNKNOWN  # "[a-z]+": every text holds one of them; checking each costs more than the scan
    if at_word_start:
        # A boundary, then a word character: the match starts a word of the
        # text, and a first word that has ended is that whole word, one read
        # in part begins it. A first character that is no word character
        # ("~") is only a text the match begins with.
        return Lead(frozenset(read for read, how in states if how == WORD),
                    frozenset(read for read, how in states if how in (OPEN, PREFIX) and not _is_word(read[0])),
                    any(how == DIGIT for _, how in states),
                    frozenset(read for read, how in states if how in (OPEN, PREFIX) and _is_word(read[0])))
    if any(how == DIGIT for _, how in states):
        return UNKNOWN  # a digit that may stand inside a word: no word start to look for
    return Lead(frozenset(), frozenset(read for read, _ in states))


@dataclass(frozen=True)
class Words:
    """Where each word of a text starts (words as a lead spells them: runs of
    word characters), and where the words that begin with a decimal digit do."""

    text: str
    starts: dict[str, tuple[int, ...]]
    digits: tuple[int, ...] = ()


def words_of(text: str) -> Words:
    starts: dict[str, list[int]] = {}
    for match in _WORD.finditer(text):
        starts.setdefault(match.group(), []).append(match.start())
    # A word that begins with a digit is where `\b\d` matches: told from the
    # words, as a scan for `\b\d` tries the word boundary at every character.
    digits = sorted(at for word, places in starts.items() if word[0].isdecimal() for at in places)
    return Words(text, {word: tuple(at) for word, at in starts.items()}, tuple(digits))


@dataclass(frozen=True)
class Table:
    """The leads of a table of patterns, indexed by their words."""

    by_word: dict[str, tuple[int, ...]]  # word -> the patterns it can begin
    starts: tuple[tuple[int, frozenset[str]], ...]  # patterns that begin with text not a whole word
    unknown: tuple[int, ...]  # patterns whose lead cannot be told
    digits: tuple[int, ...] = ()  # patterns that can begin with a word's first digit
    begins: tuple[tuple[int, tuple[str, ...]], ...] = ()  # patterns whose match starts a word beginning with one of these

    @classmethod
    def of(cls, found: Sequence[Lead]) -> Table:
        by_word: dict[str, list[int]] = {}
        for index, one in enumerate(found):
            for word in one.words:
                by_word.setdefault(word, []).append(index)
        return cls({word: tuple(at) for word, at in by_word.items()},
                   tuple((index, one.starts) for index, one in enumerate(found) if one.starts),
                   tuple(index for index, one in enumerate(found) if not one.known),
                   tuple(index for index, one in enumerate(found) if one.digits),
                   tuple((index, tuple(sorted(one.begins))) for index, one in enumerate(found) if one.begins))

    def places(self, words: Words) -> tuple[dict[int, list[int]], list[int]]:
        """Where in the text each pattern's matches can start ({pattern: places},
        unordered), and the patterns to run on the whole text. A pattern in
        neither cannot match."""
        at: dict[int, list[int]] = {}
        by_word, in_text = self.by_word, words.starts
        # Look the fewer words up in the other's index: a table of a few words
        # reads a long text in a few steps, a long list of nouns a short one.
        if len(by_word) < len(in_text):
            for word, indexes in by_word.items():
                starts = in_text.get(word)
                if starts is not None:
                    for index in indexes:
                        at.setdefault(index, []).extend(starts)
        else:
            for word, starts in in_text.items():
                for index in by_word.get(word, ()):
                    at.setdefault(index, []).extend(starts)
        if words.digits:
            for index in self.digits:
                at.setdefault(index, []).extend(words.digits)
        for index, begins in self.begins:
            for word, starts in in_text.items():
                if word.startswith(begins):
                    at.setdefault(index, []).extend(starts)
        whole = list(self.unknown)
        text = words.text
        for index, starts in self.starts:
            if any(start in text for start in starts):
                whole.append(index)
                at.pop(index, None)
        return at, whole


def openings(pattern: re.Pattern, shortest: int = 3) -> frozenset[str]:
    """Text every match of `pattern` begins with: its first word, read on
    across word ends while it holds fewer than `shortest` word characters
    ("on it", "no further"); empty when it cannot be told."""
    items = _parsed(pattern)
    if items is None:
        return frozenset()
    first = 0
    while first < len(items) and (items[first][0] in (_C.ASSERT, _C.ASSERT_NOT) or items[first] == (_C.AT, _C.AT_BOUNDARY)):
        first += 1  # what stands before the start only admits fewer matches
    try:
        states = _read(items[first:], {("", OPEN)}, across=shortest)
    except _Unknown:
        return frozenset()
    if any(not read for read, _ in states):
        return frozenset()  # some match can begin with text that is not read
    return frozenset(read for read, _ in states)


def needles(pattern: re.Pattern, shortest: int = 3, most: int = 24) -> tuple[str, ...] | None:
    """Text one of which any match contains, fewest first: a check with `in`
    that is cheaper than the search on a short text. None when there is no
    such check worth making (the openings are unknown, one holds fewer than
    `shortest` word characters, as "no " does, which nearly every text
    contains, or there are more than `most` of them)."""
    every = openings(pattern, shortest)
    if not every or min(_letters(one) for one in every) < shortest:
        return None
    out: list[str] = []
    for one in sorted(every, key=lambda one: (len(one), one)):
        if not any(other in one for other in out):
            out.append(one)
    return tuple(out) if len(out) <= most else None


def may_hold(found: tuple[str, ...] | None, text: str) -> bool:
    """False only when `text` holds none of a pattern's needles, so the pattern cannot match it."""
    if found is None:
        return True
    for needle in found:  # a loop, not any() over a generator: this runs for every type of every event
        if needle in text:
            return True
    return False
