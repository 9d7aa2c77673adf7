"""The model's roll-up where a silent error costs most (issue 27, ``make mutants``): what the
survivors of ``model/dataset.py`` and ``model/figures.py`` showed no selected test read.

Expected values are typed by hand from the rows of each small dataset or plan built here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import hand_dataset, load_tiny  # tests/helpers.py

from coopanalysis.errors import InputError, LimitError
from coopanalysis.model.rollups import rollup

tiny = load_tiny()


def test_an_amount_too_large_to_add_up_is_refused_naming_the_amount():
    ds = hand_dataset()
    huge = ds.replace(amounts=pd.DataFrame({"node_id": ["p11"], "fiscal_year": [2565], "amount_mb": [1e12]}))
    with pytest.raises(LimitError, match=r"^an amount of 1,000,000,000,000 million baht is too large to add up"):
        huge.figures("strategy")


def _two_strategies(tmp_path):
    """Strategy 1 (printed 10): project 1.1 with yearly amounts 1 × 5 (printed 5); strategy 2
    (printed 10): project 2.1 with only a printed total, 7."""
    return tiny.build(tmp_path, strategies=[tiny.strategy("1", total="10"), tiny.strategy("2", total="10")],
                      projects=[tiny.project("1.1", ["1", "1", "1", "1", "1"], "5"), tiny.project("2.1", None, "7")])


def test_the_plan_rows_coverage_is_its_yearly_amounts_over_its_printed_total(tmp_path):
    plan = rollup(_two_strategies(tmp_path), "plan").iloc[0]
    assert (plan["stated_mb"], plan["computed_mb"]) == (20.0, 12.0)  # 10 + 10; 5 + 7
    assert plan["coverage"] == 0.25  # only 1.1's 5 has yearly figures: 5 / 20


def test_strategies_come_in_number_order_with_ten_or_more(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy(s, total="1") for s in ("2", "10", "1")])
    assert rollup(plan, "strategy")["strategy_id"].tolist() == ["1", "2", "10"]



def test_an_amount_finer_than_a_satang_is_refused_saying_how_to_round_it(tmp_path):
    from coopanalysis.model.figures import Figures

    plan = _two_strategies(tmp_path)
    plan.budget.loc[0, "amount_mb"] = 1 / 3
    with pytest.raises(InputError) as refused:
        Figures.of(plan)
    assert str(refused.value) == (
        "the plan's budget table, row 0: amount_mb 0.3333333333333333 is not a whole number of satang "
        "(0.00000001 million baht) that can be summed exactly; round it to the satang first (e.g. round(x, 8))")


def test_a_project_with_only_a_printed_total_counts_it_for_the_whole_period_marked_printed(tmp_path):
    from coopanalysis.model.build import from_plan

    amounts = from_plan(_two_strategies(tmp_path)).amounts
    rows = [(r.node_id, None if pd.isna(r.fiscal_year) else int(r.fiscal_year), r.amount_mb,
             r.status, r.source) for r in amounts.itertuples()]
    assert rows == [("project:1.1", year, 1.0, "ok", "table") for year in range(2560, 2565)] + [
        ("project:2.1", None, 7.0, "printed_total", "project_total")]
