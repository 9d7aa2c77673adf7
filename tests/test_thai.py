"""Text helpers: the fast path of normalize_text never departs from pythainlp."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import normalize

from coopanalysis import paths
from coopanalysis.text.thai import amount_text, format_number, normalize_text, parse_amount

# Thai letters, vowels, marks and digits, plus the spaces and zero-width characters that
# pythainlp rewrites: enough to hit every rule of normalize in random order.
THAI = [chr(c) for c in range(0x0E01, 0x0E5C)] + [" ", "  ", "\u200b", "\u200c", "a", "1"]


def reference(text: str) -> str:
    return re.sub(r"[ \u00a0\u2000-\u200b\u3000]+", " ", normalize(text)).strip()


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(THAI), max_size=12).map("".join))
def test_normalize_text_matches_pythainlp(text):
    assert normalize_text(text) == reference(text)


def test_normalize_text_matches_pythainlp_on_every_seed_cell():
    text = paths.SEED.read_text(encoding="utf-8")
    for line in text.split("\n"):
        for cell in line.split("\t"):
            assert normalize_text(cell) == reference(cell)


@given(st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False, allow_infinity=False))
def test_amounts_round_trip_exactly(value):
    text = amount_text(value)
    assert parse_amount(text) == value
    assert parse_amount(format_number(value).replace(",", "")) == value


def test_thai_decimal_round_trips():
    assert amount_text(parse_amount("๐.๕")) == "0.5"
    assert amount_text(parse_amount("๑,๒๐๐")) == "1200"
    assert format_number(Decimal("1200.5"), thai_digits=True) == "๑,๒๐๐.๕"
