"""Malformed YAML: every class gives located messages, quickly, and never expands or constructs anything."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings, strategies as st

from loadhelp import VALID, first_error, problems_of

BOMB = """\
id: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: [*i,*i,*i,*i,*i,*i,*i,*i,*i]
"""


def test_alias_bomb_is_refused_without_expanding():
    tracemalloc.start()
    found = problems_of(BOMB)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found[0].startswith("f.yaml:1:5: anchor &a is not allowed")
    assert any("alias *a is not allowed" in p for p in found)
    assert peak < 50_000_000  # nothing was expanded


def test_self_referencing_alias():
    line, message = first_error("a: &x [1, *x]\n")
    assert line == 1 and "anchor &x" in message


def test_duplicate_keys_name_both_lines():
    line, message = first_error(VALID + "title: again\n")
    assert line == 6
    assert "duplicate key 'title': first given on line 2" in message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo hi']", "!!binary aGk=", "!custom x", "!!set {a}"])
def test_explicit_tags_are_refused(tag):
    line, message = first_error(VALID + f"extra: {tag}\n")
    assert line == 6 and "explicit tag" in message and "not allowed" in message


def test_several_documents():
    line, message = first_error(VALID + "---\n" + VALID)
    assert line == 6 and "one incident per file" in message


def test_deep_nesting_is_capped():
    line, message = first_error("extra: " + "[" * 5000)
    assert "nesting" in message


def test_many_megabytes_refused_before_parsing():
    line, message = first_error(VALID + "extra: '" + "x" * (3 * 1024 * 1024) + "'\n")
    assert line == 1 and "limit is 1,048,576 bytes" in message


def test_non_utf8_bytes_located():
    line, message = first_error(VALID.encode() + b"extra: caf\xe9\n")
    assert line == 6 and "not valid UTF-8" in message


def test_utf16_refused():
    line, message = first_error(VALID.encode("utf-16"))
    assert line == 1 and "UTF-16" in message


def test_bom_is_fine():
    assert problems_of(b"\xef\xbb\xbf" + VALID.encode()) == []


def test_tabs_as_indentation():
    line, message = first_error(VALID + "impact:\n\tdescription: x\n")
    assert line == 7 and "tabs" in message


@pytest.mark.parametrize("text,needle", [("", "empty"), ("# only a comment\n", "empty"), ("- a\n- b\n", "a list"), ("just text\n", "a single value")])
def test_empty_and_wrong_roots(text, needle):
    line, message = first_error(text)
    assert line == 1 and needle in message


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "Yes"])
def test_yaml11_booleans_do_not_leak(value):
    line, message = first_error(VALID + f"status: {value}\n")
    assert line == 6 and f"'{value}' is not allowed; expected one of investigating" in message
    line, message = first_error(VALID + f"impact:\n  workaround: {value}\n")
    assert line == 7 and "write true or false" in message


@pytest.mark.parametrize("digits", ["9" * 5000, "1" * 41, "-" + "2" * 4400, "1" * 400 + ".5"])
def test_a_number_too_long_to_read_is_refused_where_it_stands(digits):
    line, message = first_error(VALID + f"impact:\n  users_affected_pct: {digits}\n")
    assert line == 7 and f"a number of {len(digits):,} characters is too long; expected a number from 0 to 100" in message
    line, message = first_error(VALID + f"impact:\n  users_affected_pct: {digits}x\n")
    assert line == 7 and len(message) < 300 and "is not a plain decimal number" in message


def test_sexagesimal_octal_and_exponent():
    line, message = first_error(VALID + "impact:\n  users_affected_pct: 1:30\n")
    assert "not a plain decimal number" in message
    line, message = first_error(VALID + "impact:\n  users_affected_pct: 1e3\n")
    assert "'1e3' is not a plain decimal number" in message
    text = VALID.replace("id: INC-2024-0101-001", "id: 0012")
    from pir_reviews.load.loader import parse

    incident, problems = parse(text.encode(), "f.yaml")
    assert problems == [] and incident.id == "0012"


@pytest.mark.parametrize("key,needle", [("null", "key is null"), ("~", "key is null"), ("12", "is a number"), ("<<", "merge key")])
def test_bad_keys(key, needle):
    line, message = first_error(VALID + f"{key}: x\n")
    assert line == 6 and needle in message


def test_merge_key_with_alias():
    found = problems_of("base: &b {title: x}\n<<: *b\n")
    assert any("merge key << is not allowed" in p for p in found)


def test_every_problem_in_a_file_is_reported():
    text = VALID + "status: yes\nreview_status: done\ntitel: x\n"
    found = problems_of(text)
    assert [p.split(":")[1] for p in found] == ["6", "7", "8"]
    assert "did you mean 'title'?" in found[2]


def test_comment_cutting_unquoted_text_is_a_warning():
    from pir_reviews.load.loader import parse

    incident, problems = parse((VALID + "timeline:\n  - {at: 2024-01-01T10:00:00Z, message: x}\n  - at: 2024-01-01T10:05:00Z\n    message: merged PR #4821 into main\n").encode(), "f.yaml")
    assert incident.timeline[1].message == "merged PR"
    assert [str(p) for p in problems] == ["f.yaml:9:14: warning: timeline[1].message: the rest of this line after ' #' is a YAML comment, not part of the text; put the whole value in quotes to keep it"]
    incident, problems = parse((VALID + "status: resolved   # a comment after a choice is fine\n").encode(), "f.yaml")
    assert problems == []


# NEL, LS and PS end a line for YAML but not for an editor, git or a diff:
# the line and column of every message are the editor's.
ODD_BREAKS = ("\x85", "\u2028", "\u2029")


@pytest.mark.parametrize("odd", ODD_BREAKS)
def test_lines_and_columns_are_an_editors_after_nel_ls_and_ps(odd):
    text = VALID + f"extra: {{note: \"a{odd}b{odd}c\", more: \"{odd}\"}}\nstatus: [nope]\n"
    assert problems_of(text)[0].startswith("f.yaml:7:9: status: expected")
    comment = VALID + f"extra: {{note: \"x{odd}y\"}}\ntimeline:\n  - at: 2024-01-01T10:05:00Z\n    message: merged PR #4821 into main\n"
    assert problems_of(comment) == ["f.yaml:9:14: warning: timeline[0].message: the rest of this line after ' #' is a YAML comment, not part of the text; put the whole value in quotes to keep it"]
    assert problems_of(f'title: "a{odd}b"\nsummary: [\n')[0].startswith("f.yaml:3:1: YAML syntax")


@given(st.lists(st.tuples(st.sampled_from(ODD_BREAKS + ("", "\r\n", "é")), st.booleans()), min_size=1, max_size=8))
@settings(max_examples=60, deadline=None)
def test_a_problem_after_any_breaks_is_on_the_line_an_editor_shows(parts):
    """Quoted values holding odd breaks (and CRLF lines, and wide characters) above a bad key:
    the message names the key's line and column as counted by splitting on \\n."""
    lines = [f'k{i}: "{odd}x{odd}"' if quoted else f"k{i}: plain{odd.strip() if odd in ('é',) else ''}" for i, (odd, quoted) in enumerate(parts)]
    text = "\n".join(lines) + "\n  - bad: [\n"
    line = text[: text.index("  - bad")].count("\n") + 1
    found = problems_of(text)
    assert found and found[0].startswith(f"f.yaml:{line}:"), (found, line)
