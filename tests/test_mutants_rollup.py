"""Roll-ups where a silent error costs most (issue 27, `make mutants`): the budget table's
exact sums per ancestor and year, and the one model's figures.

Expected values are typed by hand from the small tables built in each test.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd

from coopanalysis.budget.sums import rollup, rollup_present


def _table(rows):
    """A budget table as the roll-up reads it: node id, year and exact amount text per item."""
    return SimpleNamespace(items=pd.DataFrame(rows, columns=["node_id", "fiscal_year", "amount_mb"]))


ITEMS = _table([
    ("1.1.1", "2565", "0.1"),
    ("1.1.2", "2565", "0.2"),
    ("1.2.1", "2565", ""),      # malformed: no amount, adds nothing, but the node has a row
    ("1.2.1", "2566", "5"),
    ("2.1", "2565", "1.005"),
])


def test_rollup_adds_exactly_per_ancestor_and_year():
    sums = rollup(ITEMS)
    assert sums == {
        ("1", 2565): Decimal("0.3"), ("1.1", 2565): Decimal("0.3"),
        ("1.1.1", 2565): Decimal("0.1"), ("1.1.2", 2565): Decimal("0.2"),
        ("1", 2566): Decimal("5"), ("1.2", 2566): Decimal("5"), ("1.2.1", 2566): Decimal("5"),
        ("2", 2565): Decimal("1.005"), ("2.1", 2565): Decimal("1.005"),
    }
    assert str(sums[("1", 2565)]) == "0.3"  # decimal text, not 0.30000000000000004
    assert all(type(year) is int for _, year in sums)


def test_rows_without_an_amount_are_present_but_add_nothing():
    sums, present = rollup_present(ITEMS)
    assert ("1.2", 2565) not in sums and ("1.2.1", 2565) not in sums
    assert {("1.2", 2565), ("1.2.1", 2565), ("1", 2565)} <= present
    assert ("2", 2566) not in present
    assert len(present) == 11


def test_years_and_depths_limit_the_sums():
    assert rollup(ITEMS, years=["2566"]) == {("1", 2566): 5, ("1.2", 2566): 5, ("1.2.1", 2566): 5}
    assert rollup(ITEMS, years=[2564]) == {}
    assert rollup(ITEMS, depths=[2]) == {("1.1", 2565): Decimal("0.3"), ("1.2", 2566): 5,
                                         ("2.1", 2565): Decimal("1.005")}
    assert set(rollup(ITEMS, depths=["3"])) == {("1.1.1", 2565), ("1.1.2", 2565), ("1.2.1", 2566)}
    # depths outside 1..deepest ask for nothing rather than failing
    assert rollup(ITEMS, depths=[0, 4]) == {}
    sums, present = rollup_present(ITEMS, years=[2565], depths=[1])
    assert sums == {("1", 2565): Decimal("0.3"), ("2", 2565): Decimal("1.005")}
    assert present == {("1", 2565), ("2", 2565)}


def test_an_empty_table_has_no_sums():
    assert rollup_present(_table([])) == ({}, set())


def test_a_node_id_names_its_ancestors_top_first():
    from coopanalysis.budget.sums import ancestors

    assert ancestors("1.2.3") == ["1", "1.2", "1.2.3"]
    assert ancestors("7") == ["7"]
