"""Exact amounts as printed: parsing, exact text and formatting for readers, at their edges.

Every expected value here is written out by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopanalysis.text.thai import AmountError, amount_text, format_number, is_amount, match_key, parse_amount

# ---- parse_amount / is_amount --------------------------------------------------------------


@pytest.mark.parametrize(("cell", "value"), [
    ("0", "0"), ("25", "25"), ("๒๕", "25"), ("1,200", "1200"), ("๑,๒๐๐", "1200"),
    ("12,345,678", "12345678"), ("0.5", "0.5"), ("๐.๕", "0.5"), (".5", "0.5"), ("1,200.75", "1200.75"),
    ("-", "0"), ("–", "0"), ("—", "0"), ("−", "0"), ("  ๑๖๑.๕  ", "161.5"), ("100", "100"), ("999", "999"),
])
def test_parse_amount_reads_printed_amounts_exactly(cell, value):
    assert parse_amount(cell) == Decimal(value)
    assert str(parse_amount(cell)) == str(Decimal(value)) or parse_amount(cell) == 0
    assert is_amount(cell)


@pytest.mark.parametrize("cell", [
    "๑๒,๕", "12,5", "1,23", "12,3456", "1,2345", ",123", "1,", "1,000,00", "528,000,00", "20,0",
    "1.2.3", "1.", "1o", "", " ", "ล้านบาท", "--", "1 000", "+5", "-5", "1e3", "0x10", "๑,๒๐๐,", "1,,200",
])
def test_malformed_amounts_are_never_read_as_numbers(cell):
    assert not is_amount(cell)
    with pytest.raises(AmountError, match="not an amount"):
        parse_amount(cell)


def test_the_error_names_the_cell_as_printed():
    with pytest.raises(AmountError) as info:
        parse_amount("๑๒,๕")
    assert str(info.value) == "not an amount: '๑๒,๕'"


# ---- amount_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    ("1.50", "1.5"), ("10", "10"), ("100", "100"), ("0.5", "0.5"), ("1E+1", "10"), ("1E+2", "100"),
    ("0", "0"), ("0.000", "0"), ("-0", "0"), ("-0.0", "0"), ("-2.50", "-2.5"), ("120.0", "120"),
    ("0.05", "0.05"), ("1200.250", "1200.25"), ("5E-3", "0.005"), ("1000000", "1000000"),
])
def test_amount_text_is_exact_without_exponent_or_trailing_zeros(value, text):
    assert amount_text(Decimal(value)) == text


def test_amount_text_of_none_is_empty():
    assert amount_text(None) == ""


# ---- format_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1200.5"), "1,200.5"), (Decimal("1234567"), "1,234,567"), (Decimal("999"), "999"),
    (Decimal("1000"), "1,000"), (Decimal("0.5"), "0.5"), (Decimal("0"), "0"), (Decimal("-1200"), "-1,200"),
    (Decimal("-0.5"), "-0.5"), (Decimal("10.00"), "10"), (Decimal("0.12345"), "0.1234"),
    (Decimal("0.00005"), "0"), (Decimal("2.00015"), "2.0002"), (161.5, "161.5"), (25, "25"),
    (Decimal("1" * 24), "111,111,111,111,111,111,111,111"),
    (Decimal("9" * 30 + ".5"), "999,999,999,999,999,999,999,999,999,999.5"),
])
def test_format_number_keeps_significant_decimals(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("value", "decimals", "text"), [
    # 16 digits: a float would read 2345678901234567.1 as ...567.0 (its spacing there is 0.5)
    (Decimal("2345678901234567.1"), 1, "2,345,678,901,234,567.1"),
    (Decimal("99999999999999999999.25"), 1, "99,999,999,999,999,999,999.2"),  # half-even
    (Decimal("123456789012345678901234"), 2, "123,456,789,012,345,678,901,234.00"),
    (Decimal("234567890123456.7"), 0, "234,567,890,123,457"),  # 15 digits: a float holds them
    (25, 1, "25.0"), (1234.5, 0, "1,234"), (1235.5, 0, "1,236"), (0.125, 2, "0.12"), (1200, 2, "1,200.00"),
])
def test_format_number_with_fixed_decimals(value, decimals, text):
    assert format_number(value, decimals=decimals) == text


def test_format_number_thai_digits_and_missing():
    assert format_number(Decimal("1200.5"), thai_digits=True) == "๑,๒๐๐.๕"
    assert format_number(25, decimals=1, thai_digits=True) == "๒๕.๐"
    assert format_number(None) == ""
    assert format_number(float("nan")) == ""
    assert format_number(Decimal("NaN")) == ""
    assert format_number(Decimal("Infinity")) == ""


# ---- match_key ------------------------------------------------------------------------------------


def test_match_key_ignores_spaces_and_digit_systems_only():
    assert match_key("ยุทธศาสตร์ที่ ๕") == "ยุทธศาสตร์ที่5"
    assert match_key(" การพัฒนา\tระบบ  ") == "การพัฒนาระบบ"
    assert match_key("กํากับ") == match_key("กำกับ")  # nikhahit + sara aa is sara am
    assert match_key("ระบบ 1") != match_key("ระบบ 2")
    assert match_key("ระบบ") != match_key("ระบอบ")
