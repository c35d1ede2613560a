"""The lead of a pattern (the words its matches can begin with) and the scan built on it.

`mentions.matches` tries a pattern only where one of its lead words starts;
these tests hold it to what each pattern's own finditer finds, on the real
tables and on patterns and texts hypothesis makes up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.core import leads, mentions, quantities
from pir_reviews.core.mentions import Pattern, matches
from pir_reviews.core.signals import OTHERS_FINE, SIGNALS

ROOT = Path(__file__).resolve().parent.parent


def reference(text: str, patterns: tuple[Pattern, ...]) -> list[tuple[int, int, int]]:
    """What the scan must give: each pattern's own finditer, in text order, table order at one place."""
    found = [(m.start(), i, m.end()) for i, p in enumerate(patterns) for m in p.regex.finditer(text)]
    return sorted(found)


def scanned(text: str, patterns: tuple[Pattern, ...]) -> list[tuple[int, int, int]]:
    index = {id(p): i for i, p in enumerate(patterns)}
    return [(m.start(), index[id(p)], m.end()) for p, m in matches(text, patterns)]


def places(found: leads.Lead, text: str) -> list[int] | None:
    """Where one pattern of this lead can start in text; None: run it on the whole text."""
    at, whole = leads.Table.of([found]).places(leads.words_of(text))
    return None if whole else sorted(at.get(0, []))


def tables() -> list[tuple[str, tuple[Pattern, ...]]]:
    out = [(kind, tuple(patterns)) for kind, patterns in SIGNALS.items()]
    out.append(("others_fine", OTHERS_FINE))
    out.append(("shares", quantities._READING))
    return out


def test_words_after_a_boundary_are_whole_words():
    found = leads.lead(re.compile(r"\b(?:deleted|wiped) (?:the )?data\b"))
    assert found.words == {"deleted", "wiped"}
    assert not found.starts


def test_an_optional_first_word_leads_with_both_words():
    found = leads.lead(re.compile(r"\b(?:the )?only copy\b"))
    assert found.words == {"the", "only"}


def test_optional_letters_and_classes_are_spelled_out():
    assert leads.lead(re.compile(r"\baccounts?\b")).words == {"account", "accounts"}
    assert leads.lead(re.compile(r"\bfail-?over\b")).words == {"fail", "failover"}
    assert leads.lead(re.compile(r"\b[bc]at\b")).words == {"bat", "cat"}


def test_an_open_ending_word_is_a_start_not_a_word():
    found = leads.lead(re.compile(r"\bexfiltrat\w*\b"))
    assert found.begins == {"exfiltrat"}
    assert not found.words and not found.starts
    # With no boundary before it, a match can begin inside a word: only a start.
    assert leads.lead(re.compile(r"deploy(?:ed)?")).starts == {"deploy", "deployed"}


def test_a_look_behind_for_word_characters_starts_a_word():
    found = leads.lead(re.compile(r"(?<![\w'])(?:resolved|closed)(?![\w'])"))
    assert found.words == {"resolved", "closed"}


@pytest.mark.parametrize("source", [
    r"\b\w+ deleted",  # a category first: any word
    r"\b(?:[a-z]+'s) data",  # a repeat first
    r"(?i)\bdeleted",  # case-insensitive: the spellings are not the text's
    r"\b(?i:deleted)",
    r"\b(?:x|)\w",  # may begin with no word character
])
def test_what_cannot_be_followed_is_unknown(source):
    assert not leads.lead(re.compile(source)).known


def test_a_first_character_that_is_no_word_character_is_a_start():
    # "~40%": the match begins with "~"; where the text has none, the words are enough.
    found = leads.lead(re.compile(r"\b(?:(?:about|~)\s*)?\d{1,3}%"))
    assert found.begins == {"about"} and found.starts == {"~"} and found.digits
    assert leads.lead(re.compile(r"\b \w")).starts == {" "}


def test_a_first_digit_leads_where_a_word_begins_with_one():
    assert leads.lead(re.compile(r"\b\d+ users\b")).digits
    assert leads.lead(re.compile(r"(?<![\d,.])\b(?:one|\d{1,2}) of\b")).words == {"one"}
    # Without a boundary a digit can stand inside a word ("v2"): no word start to look for.
    assert not leads.lead(re.compile(r"\d+ users")).known
    text = "v2 broke for 40% of users, 3 of 40 tenants and \u0663 more"  # \u0663: ARABIC-INDIC DIGIT THREE
    assert leads.words_of(text).digits == (13, 27, 32, 47)
    assert places(leads.lead(re.compile(r"\b\d+")), text) == [13, 27, 32, 47]


def test_at_least_once_reads_the_first_time():
    assert leads.lead(re.compile(r"\b(?:ab)+c")).begins == {"ab"}
    # Every letter is a start, which every text holds: not worth keeping.
    assert not leads.lead(re.compile(r"\b[a-z]+ing\b")).known


def test_a_pattern_whose_words_are_absent_is_not_run():
    text = "we deleted the data, nothing was wiped out; deleted"
    assert places(leads.lead(re.compile(r"\bdeleted (?:the )?data\b")), text) == [3, 44]
    assert places(leads.lead(re.compile(r"\bpurged\b")), text) == []
    assert places(leads.UNKNOWN, text) is None
    # A word's beginning: tried where a word begins so ("wiped"), not inside one ("unwiped").
    assert places(leads.lead(re.compile(r"\b(?:wip\w+|deleted)\b")), text + " unwiped") == [3, 33, 44]
    assert places(leads.lead(re.compile(r"\b(?:purg\w+|deleted)\b")), text) == [3, 44]
    # A start that is no word ("~"): the pattern runs on the whole text when it holds one.
    assert places(leads.lead(re.compile(r"\b(?:~|about )\d")), "about 5, ~6") is None
    assert places(leads.lead(re.compile(r"\b(?:~|about )\d")), "about 5, 6") == [0]


def test_needles_are_the_fewest_substrings_a_match_holds():
    pattern = re.compile(r"(?<![\w'])(?:fail-?over|failed over|revert(?:ed)?|rolled back)(?![\w'])")
    assert leads.needles(pattern) == ("fail", "revert", "rolled")
    assert leads.needles(re.compile(r"\bcase (?:closed|shut)")) == ("case",)
    assert leads.needles(re.compile(r"\w+ deleted")) is None  # what a match begins with cannot be told


def test_a_short_first_word_is_read_on_with_the_words_after_it():
    # "on" or "no" is in nearly every text: the check reads on to "on it", "no further".
    assert leads.needles(re.compile(r"\b(?:on it|acknowledged)\b")) == ("on it", "acknowledged")
    assert leads.needles(re.compile(r"(?<![\w'])no (?:further|more) impact(?![\w'])")) == ("no more", "no further")
    # What stops the reading before the text is long enough leaves no check worth making.
    assert leads.needles(re.compile(r"\bno \w+ impact")) is None
    assert leads.needles(re.compile(r"\b(?:a|an) (?:[\w-]+ )?outage")) is None
    # Too many spellings to check one by one: the search is cheaper.
    assert leads.needles(re.compile(r"\b[a-c][a-c][a-c][a-c]"), most=24) is None


def test_event_types_and_stated_milestones_read_as_before_the_check(eval_texts):
    # The check with needles only skips searches that would have found nothing.
    from pir_reviews.core import statements, timeline

    for text in eval_texts:
        for name, pattern, needles in (*timeline._COMPILED, *statements._STATED):
            if pattern.search(text) is not None:
                assert needles is None or any(needle in text for needle in needles), (name, text)


def test_the_scan_counts_each_match_once_and_in_text_order():
    patterns = mentions.patterns(r"\bdata (?:was )?lost\b", r"\blost\b", r"\bdata\b")
    text = "data was lost; lost data, data lost"
    assert scanned(text, patterns) == reference(text, patterns)
    assert [start for start, _, _ in scanned(text, patterns)] == sorted(start for start, _, _ in scanned(text, patterns))


@pytest.mark.parametrize("kind,table", tables(), ids=[kind for kind, _ in tables()])
def test_every_table_scans_as_its_patterns_finditer(kind, table, eval_texts):
    for text in eval_texts:
        assert scanned(text, table) == reference(text, table), (kind, text)


def test_most_table_patterns_have_a_lead():
    every = [p for _, table in tables() for p in table]
    known = [p for p in every if leads.lead(p.regex).known]
    # The scan is only fast when most patterns lead with words; an unknown lead is run everywhere.
    assert len(known) >= 0.95 * len(every)


@pytest.fixture(scope="module")
def eval_texts() -> list[str]:
    """Every sentence of the evaluation corpus, lowercased as the classifier reads it."""
    cases = yaml.safe_load((ROOT / "eval" / "corpus.yaml").read_text(encoding="utf-8"))
    return [case["text"].lower() for case in cases if case.get("text")]


def _vocabulary() -> list[str]:
    """Words the tables read, with what sits between them."""
    out: set[str] = set()
    for _, table in tables():
        for pattern in table:
            found = leads.lead(pattern.regex)
            out.update(sorted(found.words)[:6])
            out.update(sorted(found.starts)[:3])
    return sorted(out) + ["the", "customer", "customers'", "data", "was", "were", "all", "5xx", "503s", "isn't",
                          "not", "no", "50%", "half", "of", "users", "every", "request"]


VOCABULARY = _vocabulary()
PIECES = st.one_of(st.sampled_from(VOCABULARY), st.sampled_from([",", ".", "-", "'", "\n", ";", "(", ")"]),
                   st.text(alphabet="abcdeilnorst'- 0123456789", max_size=8))


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=40).map(" ".join), st.sampled_from(tables()))
def test_made_up_texts_scan_as_finditer(text, named):
    _, table = named
    assert scanned(text, table) == reference(text, table)


# Patterns built from the parts the lead follows and the parts that stop it.
_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "s", " ", "-", "'", "[ab]", "[a ]", r"\w", r"\w*", r"\b", r"(?![\w'])",
                          r"(?=a)", "x?", "(?:a|b)", "(?:ab|b )", "(?:a )?", r"\d", ".", "~", r"\d{1,2}", "(?:ab)+",
                          r"(?:~|a)", r"[a-z]+"])


@st.composite
def _patterns(draw) -> str:
    head = draw(st.sampled_from(["", r"\b", r"(?<![\w'])", r"(?<!a)\b", r"(?<![\d,.])\b"]))
    return head + "".join(draw(st.lists(_ATOMS, min_size=1, max_size=6)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_patterns(), min_size=1, max_size=4), st.text(alphabet="ab s-'x1.~\u0663", max_size=30))
def test_made_up_patterns_scan_as_finditer(sources, text):
    table = mentions.patterns(*sources)
    assert scanned(text, table) == reference(text, table)
    for pattern in table:
        found = leads.lead(pattern.regex)
        at = places(found, text)
        if at is not None:  # a lead never rules out a place where the pattern matches
            assert {m.start() for m in pattern.regex.finditer(text)} <= set(at)
        for shortest in (1, 3):  # nor do its needles rule out a text it matches
            needles = leads.needles(pattern.regex, shortest=shortest)
            for match in pattern.regex.finditer(text):
                assert needles is None or any(needle in text[match.start():] for needle in needles)


# ---- the clause of a mention: its start found from the end ---------------------------

def _clause_start_by_every_place(text: str, start: int) -> int:
    """Where the clause before `start` begins, by trying a break at every place
    of the window: the end of the break that starts last, else the window."""
    window = max(0, start - mentions._WINDOW)
    for place in range(start - 1, window - 1, -1):
        found = mentions._CLAUSE_BREAK.match(text, place, start)
        if found is not None:
            return found.end()
    return window


def _clause_start(text: str, start: int) -> int:
    last = mentions._LAST_BREAK.match(text, max(0, start - mentions._WINDOW), start)
    return last.end() if last else max(0, start - mentions._WINDOW)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["and", "but", "brand", "so", "also", " - ", "-", ",", ".", "\n", "not", "no", "x",
                                 "\u2014", "(", ")", "data", "lost"]), max_size=60).map(" ".join),
       st.integers(min_value=0, max_value=400))
def test_the_clause_starts_after_its_last_break(text, at):
    at = min(at, len(text))
    assert _clause_start(text, at) == _clause_start_by_every_place(text, at)


def test_negation_reads_the_clause_of_the_mention(eval_texts):
    lost = re.compile(r"\b(?:lost|deleted|down|exposed|leaked)\b")
    assert mentions.is_negated("nothing was lost", next(lost.finditer("nothing was lost")))[0]
    # A break ends the clause: the negation before it governs nothing after.
    text = "no alerts fired, but the data was lost"
    assert not mentions.is_negated(text, next(lost.finditer(text)))[0]
    # "brand" ends in "and" without being the word: no break inside it.
    text = "no brand data lost"
    assert mentions.is_negated(text, next(lost.finditer(text))) == (True, "no brand data lost")
    for text in eval_texts:  # on what responders write, the clause is the one every break gives
        for match in lost.finditer(text):
            assert _clause_start(text, match.start()) == _clause_start_by_every_place(text, match.start())
