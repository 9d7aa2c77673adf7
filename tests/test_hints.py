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
