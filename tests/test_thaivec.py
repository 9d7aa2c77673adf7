"""The fast "might normalisation change this?" mark never misses a string the slow path changes.

The expectation is the slow path itself (pythainlp via ``normalize_text``, and ``re``'s ``\\s``),
run on every string: an unmarked string must come out of it unchanged.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coopanalysis.budget.names import fold
from coopanalysis.thai import match_key
from coopanalysis.thaivec import WHITESPACE, may_change

# Thai consonants, leading/following vowels, above/below vowels, tone marks, signs, digits,
# ASCII and Unicode spaces, zero-width characters, a Latin letter and a digit
ALPHABET = ("กขงนมยรสอ" "ะาำเแโใไๅ" "ัิีึืฺุู" "่้๊๋็์ํ๎" "๐๕๙" " \t\n\u00a0\u2003\u3000\u200b\u200c\u200d" "a1")


def _unchanged_by_fold(text: str) -> bool:
    return fold(text) == text


def _unchanged_by_key(text: str) -> bool:
    return match_key(text) == text.replace(" ", "")


def test_whitespace_set_is_exactly_what_the_regex_calls_whitespace():
    space = re.compile(r"\s")
    assert WHITESPACE == {c for c in range(0x110000) if space.match(chr(c))}


def test_every_short_string_over_the_alphabet():
    strings = ["".join(p) for k in (1, 2, 3) for p in itertools.product(ALPHABET, repeat=k)]
    marks = may_change(strings).tolist()
    key_marks = may_change(strings, digits=True).tolist()
    missed = [s for s, m in zip(strings, marks) if not m and not _unchanged_by_fold(s)]
    assert missed == []
    missed_keys = [s for s, m in zip(strings, key_marks) if not m and not _unchanged_by_key(s)]
    assert missed_keys == []
    # and the mark is not trivially "everything": most plain strings pass untouched
    plain = [s for s in strings if all(ch in "กขงนมยรสอาเ" for ch in s)]
    assert sum(may_change(plain)) < len(plain) // 10


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12), max_size=30))
def test_random_lists_never_miss(strings):
    marks = may_change(strings).tolist()
    keys = may_change(strings, digits=True).tolist()
    for text, mark, key_mark in zip(strings, marks, keys):
        if not mark:
            assert _unchanged_by_fold(text), text
        if not key_mark:
            assert _unchanged_by_key(text), text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=10))
def test_any_unicode_never_misses(strings):
    for text, mark in zip(strings, may_change(strings).tolist()):
        if not mark:
            assert _unchanged_by_fold(text), text


def test_examples_and_edges():
    assert may_change([]).tolist() == []
    assert may_change(["", "ก", " "]).tolist() == [False, False, True]
    assert may_change(["ก\x00ข", "ค"]).tolist() == [True, True]  # a NUL inside: everything is looked at
    assert may_change(["กา", "าก"]).tolist() == [False, False]  # no pair across the boundary is missed or made
    assert may_change(["ก า า"]).tolist() == [True]  # repeated vowel with spaces between
    assert may_change(["ก๒"]).tolist() == [False] and may_change(["ก๒"], digits=True).tolist() == [True]
