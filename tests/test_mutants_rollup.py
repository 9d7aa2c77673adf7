"""Roll-ups where a silent error costs most (issue 27, `make mutants`): the sums a budget table's
printed totals are compared with, per node and year. They are the model's one roll-up
(``Dataset.computed``, integer satang), read by the table checks
(:func:`coopanalysis.checks.table_rules.compared_sums`).

Expected values are typed by hand from the small tables built in each test, or added one by one
with ``Decimal`` here.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopanalysis.checks.table_rules import compared_sums
from coopanalysis.errors import InputError
from coopanalysis.model.dataset import Dataset, Level
from coopanalysis.text.thai import amount_text


def _dataset(rows, source="t.csv") -> Dataset:
    """A table's dataset from ``(node_id, fiscal_year, amount text)`` rows: dotted node ids, each
    prefix its parent; an empty amount is a malformed one (no amount). Source rows from 2."""
    ids = sorted({".".join(n.split(".")[:d]) for n, _, _ in rows for d in range(1, len(n.split(".")) + 1)})
    depth = max([len(n.split(".")) for n in ids], default=1)
    nodes = pd.DataFrame({"node_id": ids, "level": [f"l{len(n.split('.'))}" for n in ids],
                          "parent_id": [n.rpartition(".")[0] for n in ids], "name": ids},
                         columns=["node_id", "level", "parent_id", "name"])
    amounts = pd.DataFrame({"node_id": [r[0] for r in rows], "fiscal_year": [r[1] for r in rows],
                            "amount_mb": [float(r[2]) if r[2] else None for r in rows],
                            "source": source, "source_line": range(2, len(rows) + 2)},
                           columns=["node_id", "fiscal_year", "amount_mb", "source", "source_line"])
    return Dataset("t", "budget_table", [Level(f"l{d}", f"ระดับ {d}", f"level {d}") for d in range(1, depth + 1)],
                   nodes, amounts, pd.DataFrame())


ITEMS = [
    ("1.1.1", 2565, "0.1"),
    ("1.1.2", 2565, "0.2"),
    ("1.2.1", 2565, ""),      # malformed: no amount, adds nothing
    ("1.2.1", 2566, "5"),
    ("2.1", 2565, "1.005"),
]


def test_the_sums_add_exactly_per_ancestor_and_year():
    sums = compared_sums(_dataset(ITEMS))
    assert sums == {
        ("1", 2565): Decimal("0.3"), ("1.1", 2565): Decimal("0.3"),
        ("1.1.1", 2565): Decimal("0.1"), ("1.1.2", 2565): Decimal("0.2"),
        ("1", 2566): Decimal("5"), ("1.2", 2566): Decimal("5"), ("1.2.1", 2566): Decimal("5"),
        ("2", 2565): Decimal("1.005"), ("2.1", 2565): Decimal("1.005"),
    }
    assert amount_text(sums[("1", 2565)]) == "0.3"  # decimal, not 0.30000000000000004
    assert all(type(year) is int for _, year in sums)


def test_rows_without_an_amount_add_nothing_and_years_limit_the_sums():
    sums = compared_sums(_dataset(ITEMS))
    assert ("1.2", 2565) not in sums and ("1.2.1", 2565) not in sums
    assert compared_sums(_dataset(ITEMS), years=["2566"]) == {("1", 2566): 5, ("1.2", 2566): 5, ("1.2.1", 2566): 5}
    assert compared_sums(_dataset(ITEMS), years=[2564]) == {}


def test_an_empty_table_has_no_sums():
    assert compared_sums(_dataset([])) == {}


NODE = st.lists(st.integers(1, 3), min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
# whole satang, 15 significant digits
MB = st.one_of(st.just(""), st.decimals(min_value=Decimal("-9999999.99999999"), max_value=Decimal("9999999.99999999"),
                                        places=8, allow_nan=False)).map(lambda d: d if d == "" else amount_text(d))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NODE, st.sampled_from([2565, 2566]), MB), max_size=25), st.sampled_from([None, [2565]]))
def test_the_sums_equal_adding_one_by_one(rows, years):
    expected: dict = {}
    for node, year, amount in rows:
        if (years and year not in years) or not amount:
            continue
        parts = node.split(".")
        for d in range(1, len(parts) + 1):
            key = (".".join(parts[:d]), year)
            expected[key] = expected.get(key, Decimal(0)) + Decimal(amount)
    got = compared_sums(_dataset(rows), years)
    assert {k: amount_text(v) for k, v in got.items()} == {k: amount_text(v) for k, v in expected.items()}


def test_amounts_finer_than_a_satang_are_summed_rounded_to_the_satang():
    # by hand: 151.65031666666666 -> 151.65031667; 0.333… -> 0.33333333 (each row, then added)
    fine = [("1", 2565, "151.65031666666666"), ("1", 2565, "0.1"), ("2", 2565, "0.33333333333333333333")]
    sums = compared_sums(_dataset(fine))
    assert sums[("1", 2565)] == Decimal("151.75031667") and sums[("2", 2565)] == Decimal("0.33333333")
    big = "90071992.54740992"  # the largest amount summed exactly (2**53 satang), ten times over
    sums = compared_sums(_dataset([("1.1", 2565, big)] * 10 + [("1.2", 2566, "1.5"), ("2", 2565, "0.25")]))
    assert sums[("1", 2565)] == Decimal("900719925.4740992") and sums[("1", 2566)] == Decimal("1.5")


@pytest.mark.parametrize("amount", ["90071992.54741", "9" * 25 + ".5", "-12345678901.234567"])
def test_an_amount_too_large_to_sum_exactly_is_refused_naming_its_file_and_row(amount):
    with pytest.raises(InputError, match=r"^t\.csv:3: amount .* too large to sum exactly"):
        compared_sums(_dataset([("1.1", 2565, "0.5"), ("1.2", 2565, amount)]))


def test_amounts_that_together_could_overflow_the_sums_are_refused():
    rows = [("1", 2565, "90000000")] * 100  # 9e17 satang: summed; ten times as many could overflow
    assert compared_sums(_dataset(rows))[("1", 2565)] == Decimal("9000000000")
    with pytest.raises(InputError, match="add up to more than"):
        compared_sums(_dataset(rows * 10))
