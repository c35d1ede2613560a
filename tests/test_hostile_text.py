"""Text fields: invisible and control characters refused in one-line fields; anything printable accepted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pir_reviews.load.loader import parse
from loadhelp import VALID, first_error, problems_of


def with_title(title: str) -> str:
    return VALID.replace("title: Checkout errors after a deploy", f"title: {title}")


@pytest.mark.parametrize("char,name", [
    ("\\a", "U+0007"), ("\\e[31m", "U+001B"), ("\\x9b", "U+009B"),
    ("\\u202e", "U+202E"), ("\\u2066", "U+2066"), ("\\u200b", "U+200B"), ("\\ufeff", "U+FEFF"),
])
def test_control_bidi_and_zero_width_refused_in_titles(char, name):
    line, message = first_error(with_title(f'"safe{char}title"'))
    assert line == 2 and name in message and message.startswith("title: contains")


@pytest.mark.parametrize("char", ["\\u202e", "\\u200b", "\\a"])
def test_refused_in_ids(char):
    text = VALID.replace("id: INC-2024-0101-001", f'id: "INC{char}1"')
    line, message = first_error(text)
    assert line == 1 and message.startswith("id:")


def test_raw_terminal_escape_refused_by_the_reader():
    line, message = first_error(VALID.replace("deploy", "\x1b[2Jdeploy"))
    assert line == 2 and "U+001B" in message


def test_newline_in_one_line_field():
    line, message = first_error(with_title('"one\\ntwo"'))
    assert line == 2 and "must be one line" in message


def test_very_long_fields_are_fine_or_refused_clearly():
    long_summary = VALID.replace("summary: Checkout failed for some users.", "summary: " + "word " * 100_000)
    assert problems_of(long_summary) == []
    line, message = first_error(VALID.replace("INC-2024-0101-001", "I" * 200))
    assert line == 1 and "not a valid id" in message


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "{{ 7*7 }}", "[a](" * 3000, "&lt;script&gt;", "| a | b |", "```", "--8<-- \"mkdocs.yml\"",
    "مرحبا بالعالم", "שלום", "🔥 outage",
])
def test_hostile_but_printable_text_is_accepted(payload):
    text = VALID.replace("summary: Checkout failed for some users.", "summary: " + __import__("json").dumps(payload, ensure_ascii=False))
    incident, problems = parse(text.encode(), "f.yaml")
    assert problems == [] and incident.summary == payload


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=60).filter(lambda s: s.strip() and s == s.strip()))
def test_any_printable_title_round_trips(title):
    import json

    incident, problems = parse(with_title(json.dumps(title, ensure_ascii=False)).encode(), "f.yaml")
    invisible = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c")
    if invisible & set(title):
        assert incident is None and problems[0].line == 2
    else:
        assert problems == [] and incident.title == title


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_loader_never_raises_on_arbitrary_bytes(data):
    incident, problems = parse(data, "f.yaml")
    assert incident is not None or problems
    for problem in problems:
        assert problem.line >= 1 and problem.message


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abc:-[]{}&*!|>'\"#\n ,?%@`\t0123", max_size=200))
def test_loader_never_raises_on_yaml_like_text(text):
    incident, problems = parse(text.encode(), "f.yaml")
    assert incident is not None or problems
