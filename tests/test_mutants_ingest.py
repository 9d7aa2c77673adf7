"""Table ingest where a silent error costs most (issue 27, `make mutants`): subtotal and
duplicate flags of a budget table.

Expected values are typed by hand from the small tables built in each test.
"""

from __future__ import annotations

import pandas as pd

from coopanalysis.budget.flags import duplicates, suspected_subtotals


def _subtotals(paths, years, amounts):
    """suspected_subtotals over rows given as key paths ('' pads a level without a key)."""
    depth = max(len(p) for p in paths)
    keys = [pd.Series([p[level] if level < len(p) else "" for p in paths]) for level in range(depth)]
    return suspected_subtotals(keys, pd.Series(years), pd.Series(amounts))


def test_a_row_equal_to_the_rows_nested_under_it_in_its_year_is_a_subtotal():
    paths = [("A",), ("A", "x"), ("A", "x", "p"), ("B",), ("B", "y")]
    # A: 1 + 5 = 6 (every row nested under it, whatever the depth); A.x (1) is not its child's 5
    assert _subtotals(paths, [2565] * 5, ["6", "1", "5", "2", "2"]) == [0, 3]
    # the other year's rows do not count
    assert _subtotals(paths, [2565, 2565, 2566, 2565, 2565], ["6", "1", "5", "2", "2"]) == [3]
    assert _subtotals(paths, [2565, 2565, 2566, 2565, 2565], ["1", "1", "5", "2", "2"]) == [0, 3]


def test_a_nested_row_without_an_amount_spoils_the_sum_and_zero_is_never_a_subtotal():
    paths = [("A",), ("A", "x"), ("A", "y")]
    assert _subtotals(paths, [2565] * 3, ["3", "1", ""]) == []
    assert _subtotals(paths, [2565] * 3, ["3", "", "3"]) == []
    assert _subtotals(paths, [2565] * 3, ["0", "0", "0"]) == []
    assert _subtotals(paths, [2565] * 3, ["", "1", "2"]) == []
    assert _subtotals([("A",), ("B",)], [2565] * 2, ["1", "1"]) == []  # nothing nested


def test_keys_on_skipped_levels_make_the_same_path():
    keys = [pd.Series(["A", "A"]), pd.Series(["", ""]), pd.Series(["", "x"])]
    assert suspected_subtotals(keys, pd.Series([2565, 2565]), pd.Series(["1.50", "1.5"])) == [0]


def test_duplicates_name_the_first_row_they_repeat():
    node = pd.Series(["a", "a", "a", "b", "a", "a", "a", "a"])
    years = pd.Series([2565, 2565, 2566, 2565, 2565, 2565, 2565, 2565])
    obliged = pd.Series([False, False, False, False, True, False, False, False])
    amounts = pd.Series(["1", "1", "1", "1", "1", "", "", "2"])
    printed = pd.Series(["1", "1", "1", "1", "1", "x", "x", "2"])
    assert duplicates(node, years, obliged, amounts, printed) == {1: 0, 6: 5}
    printed_apart = pd.Series(["1", "1", "1", "1", "1", "x", "y", "2"])
    assert duplicates(node, years, obliged, amounts, printed_apart) == {1: 0}
    assert duplicates(node.iloc[:1], years.iloc[:1], obliged.iloc[:1], amounts.iloc[:1], printed.iloc[:1]) == {}


def test_a_value_equal_only_to_the_far_end_is_not_a_spilled_merged_cell():
    from coopanalysis.ingest.reconcile import place

    # six values for five years; dropping the first 2 would add up (1+3+4+5+2 = 15), but its
    # neighbour is 1, not 2: no merged cell spilled, so nothing is placed
    placed = place(["2", "1", "3", "4", "5", "2", "15"], 5)
    assert (placed.status, placed.yearly) == ("unreconciled", None)
    assert "no repeated value whose removal adds up" in placed.note
    spilled = place(["2", "2", "3", "4", "5", "1", "15"], 5)
    assert (spilled.status, [str(v) for v in spilled.yearly]) == ("repaired", ["2", "3", "4", "5", "1"])
    assert "dropped the repeated value 2 (cell 1)" in spilled.note


def test_budget_amounts_shift_the_decimal_point_by_unit():
    from decimal import Decimal

    from coopanalysis.budget.amounts import parse_amount_cell, to_million

    assert str(to_million(Decimal("78459000"), "baht")) == "78.459000"
    assert str(to_million(Decimal("1.5"), "thousand_baht")) == "0.0015"
    assert str(to_million(Decimal("2597.5571"), "million_baht")) == "2597.5571"
    assert parse_amount_cell("2,500", "thousand_baht") == (Decimal("2.500"), "ok")
