"""coopanalysis.checks.hints: likely causes (pure functions on Decimals)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from coopanalysis.checks import hints


def _cells(h):
    return [(i, str(old), None if new is None else str(new)) for i, old, new in h.cells]


def test_seed_6_1_lost_decimal_in_the_three_15s():
    h = hints.likely_cause([D("0.5"), D(5), D(15), D(15), D(15)], D(10), n_years=5)
    assert h.code == "lost_decimal"
    assert _cells(h) == [(2, "15", "1.5"), (3, "15", "1.5"), (4, "15", "1.5")]


def test_lost_decimal_single_cell_preferred():
    h = hints.lost_decimal([D(1), D(2), D(30), D(3), D(3)], D(12))
    assert _cells(h) == [(2, "30", "3")]


def test_lost_decimal_subset_of_up_to_three_cells():
    # two different cells
    h = hints.lost_decimal([D(1), D(20), D(30), D(4)], D(10))
    assert _cells(h) == [(1, "20", "2"), (2, "30", "3")]
    # three different cells
    h = hints.lost_decimal([D(10), D(20), D(30), D(4)], D(10))
    assert _cells(h) == [(0, "10", "1"), (1, "20", "2"), (2, "30", "3")]
    # four different cells would be needed: no hint
    assert hints.lost_decimal([D(10), D(20), D(30), D(40)], D(10)) is None


def test_lost_decimal_in_the_total():
    h = hints.lost_decimal([D(5), D("5.5")], D(105))
    assert _cells(h) == [("total", "105", "10.5")]


def test_repeated_value():
    h = hints.repeated_value([D("0.5"), D(20), D(20), D(20), D(20), D(20)], D("80.5"), n_years=5)
    assert h.code == "repeated_value"
    assert _cells(h) == [(2, "20", None)]
    # wrong count: not this cause
    assert hints.repeated_value([D(20), D(20)], D(20), n_years=5) is None
    # seed 5.7: six values, no repeated value whose removal adds up
    assert hints.likely_cause([D(1), D(10), D(10), D(10), D(10), D(10)], D(60), n_years=5) is None


def test_missing_year():
    assert hints.likely_cause([D(5), D(5), D(5), D(5)], D(20), n_years=5).code == "missing_year"
    assert hints.missing_year([D(5), D(5), D(5), D(5)], D(21), n_years=5) is None
    assert hints.missing_year([D(5)] * 5, D(25), n_years=5) is None


def test_swapped_digits():
    h = hints.likely_cause([D(10), D(52), D(1), D(1), D(1)], D(38), n_years=5)
    assert h.code == "swapped_digits" and _cells(h) == [(1, "52", "25")]
    h = hints.likely_cause([D(10), D(15)], D(52))
    assert h.code == "swapped_digits" and _cells(h) == [("total", "52", "25")]
    # only the total when cells=False
    h = hints.likely_cause([D("4.5")], D("5.4"), cells=False)
    assert _cells(h) == [("total", "5.4", "4.5")]
    assert [str(v) for v in hints.digit_swaps(D(1200))] == ["2100", "1020"]


def test_no_cause_when_it_adds_up():
    assert hints.likely_cause([D(1), D(2)], D(3)) is None
    assert hints.likely_cause([D(1), D(2)], D(3), n_years=2) is None


def test_describe_names_years_and_total():
    h = hints.likely_cause([D("0.5"), D(5), D(15), D(15), D(15)], D(10), n_years=5)
    th, en = hints.describe(h, D(10), [f"ปี {y}" for y in range(2560, 2565)], [str(y) for y in range(2560, 2565)])
    assert "ปี 2562, ปี 2563, ปี 2564" in th and "1.5" in th and "ล้านบาท" in th
    assert "2562, 2563, 2564" in en and "lost decimal" in en
    th, en = hints.describe(hints.Hint("swapped_digits", (("total", D("5.4"), D("4.5")),)), D("5.4"))
    assert "ยอดรวมที่พิมพ์" in th and "printed total" in en


amounts = st.decimals(min_value=D("0.1"), max_value=D(500), places=1, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, min_size=5, max_size=5), st.integers(min_value=0, max_value=4))
def test_property_lost_decimal_found_when_planted(values, index):
    """Multiply one cell by 10: the hint finds *a* set of cells whose division restores the total."""
    total = sum(values, D(0))
    printed = list(values)
    printed[index] = printed[index] * 10
    h = hints.lost_decimal(printed, total)
    assert h is not None and h.code == "lost_decimal"
    fixed = list(printed)
    new_total = total
    for i, _old, new in h.cells:
        if i == "total":
            new_total = new
        else:
            fixed[i] = new
    assert sum(fixed, D(0)) == new_total


@given(st.lists(amounts, min_size=5, max_size=5), st.integers(min_value=0, max_value=4))
def test_property_repeated_value_found_when_planted(values, index):
    total = sum(values, D(0))
    printed = values[: index + 1] + [values[index]] + values[index + 1:]
    h = hints.likely_cause(printed, total, n_years=5)
    assert h is not None and h.code == "repeated_value"
    (i, old, new), = h.cells
    assert sum(printed[:i] + printed[i + 1:], D(0)) == total


def test_doctests():
    import doctest

    result = doctest.testmod(hints)
    assert result.failed == 0 and result.attempted > 10


# ---- boundaries the mutation run of hints.py showed unpinned (issue 27) ------------------------

TH = [f"ปี {y}" for y in range(2560, 2565)]
EN = [str(y) for y in range(2560, 2565)]


def test_lost_decimal_in_four_equal_cells_even_of_value_1():
    # 1 + 1 + 1 + 1 + 5 = 9 printed against 5.4: the four 1s read as 0.1 (four cells: beyond the
    # subsets of up to 3, only "all cells with the same value" finds it)
    h = hints.lost_decimal([D(1), D(1), D(1), D(1), D(5)], D("5.4"))
    assert h.code == "lost_decimal" and _cells(h) == [(i, "1", "0.1") for i in range(4)]
    # 5 + 15 x 4 = 65 against 11: the four 15s read as 1.5
    h = hints.lost_decimal([D(5), D(15), D(15), D(15), D(15)], D(11))
    assert _cells(h) == [(i, "15", "1.5") for i in range(1, 5)]


def test_lost_decimal_subset_may_hold_a_1_and_names_its_code():
    # 1 + 20 + 3 = 24 against 5.1: 0.1 + 2 + 3 (cells 0 and 1 together)
    h = hints.lost_decimal([D(1), D(20), D(3)], D("5.1"))
    assert h.code == "lost_decimal" and _cells(h) == [(0, "1", "0.1"), (1, "20", "2")]


def test_lost_decimal_in_a_printed_total_of_1():
    h = hints.lost_decimal([D("0.1")], D(1))
    assert h.code == "lost_decimal" and _cells(h) == [("total", "1", "0.1")]
    h = hints.likely_cause([D("0.1")], D(1), cells=False)
    assert h.code == "lost_decimal" and _cells(h) == [("total", "1", "0.1")]
    h = hints.likely_cause([D("1.05")], D("10.5"), cells=False)
    assert _cells(h) == [("total", "10.5", "1.05")]


def test_missing_year_has_no_cells():
    assert hints.missing_year([D(5)] * 4, D(20), n_years=5).cells == ()


def test_wrong_number_of_values_gets_no_cell_hint():
    # 7 values for 5 years: neither one too many nor one too few, so no hint at all, although
    # reading 20 as 2 would make them add up (26 - 18 = 8)
    assert hints.likely_cause([D(20), D(1), D(1), D(1), D(1), D(1), D(1)], D(8), n_years=5) is None
    assert hints.likely_cause([D(20), D(1), D(1), D(1), D(1), D(1), D(1)], D(8)).code == "lost_decimal"


def test_digit_swaps_negative_repeated_digits_and_a_leading_zero_before_the_point():
    assert hints.digit_swaps(D(-52)) == [D(-25)]
    assert hints.digit_swaps(D(112)) == [D(121)]  # 1-1 is no swap; 1-2 is
    assert [str(v) for v in hints.digit_swaps(D("1.05"))] == ["0.15", "1.50"]  # 0.15 is a printed number
    assert [str(v) for v in hints.digit_swaps(D(103))] == ["130"]  # 013 is not
    assert hints.swapped_digits([D(-52), D(10)], D(-15)).cells == ((0, D(-52), D(-25)),)


def test_describe_every_code_word_for_word():
    h = hints.lost_decimal([D(1), D(20), D(30), D(4)], D(10))
    assert hints.describe(h, D(10), TH, EN) == (
        "สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า 20 ของปี 2561 เป็น 2; 30 ของปี 2562 เป็น 3 จะรวมได้ 10 ล้านบาทพอดี",
        "likely cause: lost decimal point: reading 20 in 2561 as 2; 30 in 2562 as 3 adds up to exactly 10")
    # no labels: the cell's position, counted from 1
    assert hints.describe(hints.lost_decimal([D(1), D(2), D(30), D(3), D(3)], D(12)), D(12)) == (
        "สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า 30 ของ#3 เป็น 3 จะรวมได้ 12 ล้านบาทพอดี",
        "likely cause: lost decimal point: reading 30 in #3 as 3 adds up to exactly 12")
    h = hints.lost_decimal([D(1), D(2), D("7.5")], D(105))
    assert hints.describe(h, D(105), TH, EN) == (
        "สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า ยอดรวมที่พิมพ์ 105 เป็น 10.5 จะตรงกับผลรวมพอดี",
        "likely cause: lost decimal point: reading the printed total 105 as 10.5 makes them agree exactly")
    h = hints.swapped_digits([D(10), D(52)], D(35))
    assert hints.describe(h, D(35), TH, EN) == (
        "สาเหตุที่เป็นไปได้: ตัวเลขสลับหลัก — ถ้า 52 ของปี 2561 เป็น 25 จะรวมได้ 35 ล้านบาทพอดี",
        "likely cause: two digits swapped: reading 52 in 2561 as 25 adds up to exactly 35")
    h = hints.swapped_digits([D(10), D(15)], D(52))
    assert hints.describe(h, D(52), TH, EN) == (
        "สาเหตุที่เป็นไปได้: ตัวเลขสลับหลัก — ถ้า ยอดรวมที่พิมพ์ 52 เป็น 25 จะตรงกับผลรวมพอดี",
        "likely cause: two digits swapped: reading the printed total 52 as 25 makes them agree exactly")
    h = hints.repeated_value([D("0.5"), D(20), D(20), D(20), D(20), D(20)], D("80.5"), n_years=5)
    assert hints.describe(h, D("80.5"), TH, EN) == (
        "สาเหตุที่เป็นไปได้: ค่า 20 ถูกพิมพ์ซ้ำลงช่องถัดไป (ปี 2562) — ตัดออกแล้วรวมได้ 80.5 ล้านบาทพอดี",
        "likely cause: value 20 repeated into the next cell (2562); dropping it adds up to exactly 80.5")
    assert hints.describe(h, D("80.5")) == (
        "สาเหตุที่เป็นไปได้: ค่า 20 ถูกพิมพ์ซ้ำลงช่องถัดไป (#3) — ตัดออกแล้วรวมได้ 80.5 ล้านบาทพอดี",
        "likely cause: value 20 repeated into the next cell (#3); dropping it adds up to exactly 80.5")
    h = hints.missing_year([D(5)] * 4, D(20), n_years=5)
    assert hints.describe(h, D(20), TH, EN) == (
        "สาเหตุที่เป็นไปได้: ตัวเลขปีหนึ่งหายไป — ค่าที่พิมพ์มีน้อยกว่าจำนวนปีหนึ่งค่า แต่รวมได้เท่ายอดรวมพอดี",
        "likely cause: a missing year: one value fewer than the years, and they add up to the total")
    # thousands separators in the figures a reader sees
    h = hints.lost_decimal([D(12000), D(5)], D(1205))
    assert hints.describe(h, D(1205), TH, EN)[1] == "likely cause: lost decimal point: reading 12,000 in 2560 as 1,200 adds up to exactly 1,205"


def test_digit_swaps_below_1_and_labels_shorter_than_the_row():
    assert [str(v) for v in hints.digit_swaps(D("0.12"))] == ["1.02", "0.21"]  # positive stays positive
    # two labels for a hint in the third cell: the cell's position instead (no IndexError)
    h = hints.lost_decimal([D(1), D(2), D(30), D(3), D(3)], D(12))
    assert hints.describe(h, D(12), TH[:2], EN[:2])[1] == "likely cause: lost decimal point: reading 30 in #3 as 3 adds up to exactly 12"
