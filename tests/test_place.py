"""Placing one printed row's cells into fiscal years (coopanalysis.ingest.reconcile.place).

A repair only undoes layout: it drops a value that repeats its neighbour (a merged cell spilled
into a spurious column) and only when exactly one such repair adds up to the printed total.
Every expected value is worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopanalysis.ingest.reconcile import place
from coopanalysis.text.thai import AmountError


def values(placement):
    return None if placement.yearly is None else [str(v) for v in placement.yearly]


def test_no_cells():
    p = place([], 5)
    assert (p.status, p.yearly, p.total, p.note) == ("unreconciled", None, None, "no budget values printed")


def test_exact_row():
    p = place(["5", "5", "5", "5", "5", "25"], 5)  # 5 x 5 = 25
    assert (p.status, values(p), p.total, p.note) == ("exact", ["5"] * 5, Decimal(25), "")


def test_exact_with_thai_digits_dash_and_decimals():
    p = place(["-", "๐.๕", "๑,๐๐๐", "1.25", "๒", "1,003.75"], 5)  # 0 + 0.5 + 1000 + 1.25 + 2
    assert (p.status, values(p), str(p.total)) == ("exact", ["0", "0.5", "1000", "1.25", "2"], "1003.75")


def test_mismatch_keeps_printed_values_and_says_both_sums():
    p = place(["0.5", "5", "15", "15", "15", "10"], 5)  # project 6.1: 50.5 against 10
    assert (p.status, values(p), p.total) == ("mismatch", ["0.5", "5", "15", "15", "15"], Decimal(10))
    assert p.note == "yearly values add up to 50.5, printed total 10"


def test_off_by_the_smallest_amount_is_a_mismatch():
    assert place(["1", "1", "1", "1", "1.01", "5"], 5).status == "mismatch"


def test_repair_drops_a_repeated_value_when_it_is_the_only_fit():
    # 0 5 3 3 3 3 = 17 against 14: only dropping a 3 adds up, and every 3 gives 0 5 3 3 3
    p = place(["-", "5", "3", "3", "3", "3", "14"], 5)
    assert (p.status, values(p), p.total) == ("repaired", ["0", "5", "3", "3", "3"], Decimal(14))
    assert p.note == ("6 values for 5 years: dropped the repeated value 3 (cell 3), a merged cell spilled "
                      "into a spurious column; the rest add up to the printed total 14")


def test_repair_of_the_first_cell_repeated_by_its_next_neighbour():
    # 7 7 1 1 1 1 = 18 against 11: drop a 7 -> 7 1 1 1 1 (the 1s would leave 17)
    p = place(["7", "7", "1", "1", "1", "1", "11"], 5)
    assert (p.status, values(p)) == ("repaired", ["7", "1", "1", "1", "1"])
    assert "dropped the repeated value 7 (cell 1)" in p.note


def test_repair_of_the_last_cell_repeated_by_its_previous_neighbour():
    # 1 2 3 4 9 9 = 28 against 19: drop a 9 -> 1 2 3 4 9
    p = place(["1", "2", "3", "4", "9", "9", "19"], 5)
    assert (p.status, values(p)) == ("repaired", ["1", "2", "3", "4", "9"])
    assert "dropped the repeated value 9 (cell 5)" in p.note


def test_two_different_repairs_that_both_fit_are_refused():
    # 4 4 1 1 4 4 = 18 against 14: dropping the first pair's 4 gives 4 1 1 4 4, the last pair's
    # 4 gives 4 4 1 1 4: two different years' layouts, so no yearly amounts are invented
    p = place(["4", "4", "1", "1", "4", "4", "14"], 5)
    assert (p.status, p.yearly, p.total) == ("unreconciled", None, Decimal(14))
    assert p.note == "6 values for 5 years and more than one way to add up to the printed total 14"


def test_six_values_without_a_repeated_neighbour_are_never_repaired():
    # 1 10 2 10 3 20 = 46 against 36: dropping a 10 would add up, but no 10 repeats its neighbour
    p = place(["1", "10", "2", "10", "3", "20", "36"], 5)
    assert (p.status, p.yearly) == ("unreconciled", None)
    assert p.note == "6 values for 5 years and no repeated value whose removal adds up to the printed total 36"


def test_a_repeated_value_whose_removal_does_not_add_up_is_not_dropped():
    # project 5.7: 1 10 10 10 10 10 = 51 against 60; dropping a 10 leaves 41, dropping 1 is no repeat
    p = place(["1", "10", "10", "10", "10", "10", "60"], 5)
    assert (p.status, p.yearly, p.total) == ("unreconciled", None, Decimal(60))


@pytest.mark.parametrize(("cells", "n"), [(["1", "1", "1", "1", "4"], 4 + 1), (["1"] * 8 + ["7"], 5)])
def test_other_counts_cannot_be_placed(cells, n):
    p = place(cells, n)
    assert (p.status, p.yearly) == ("unreconciled", None)
    assert p.note == f"{len(cells) - 1} values for {n} years; cannot tell which year each belongs to"
    assert p.total == Decimal(cells[-1])


def test_a_malformed_cell_is_an_error_not_a_guess():
    with pytest.raises(AmountError):
        place(["1", "1", "๑๒,๕", "1", "1", "5"], 5)
