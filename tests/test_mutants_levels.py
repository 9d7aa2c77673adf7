"""The analysis API keyed by level (``ca.allocation``, ``ca.by_year``: analysis/levels.py) on a
hand-built dataset whose every figure is typed from the rows below (issue 27, ``make mutants``):
the totals row, the Thai column names, the whole-period amounts a project gives without years,
the zero of a year a node has nothing in, and the shares of a year whose amounts add up to 0."""

from __future__ import annotations

import math

import pandas as pd

import coopanalysis as ca
from coopanalysis.model.dataset import Dataset, Level


def _plan() -> Dataset:
    """Strategy s1: p11 (1.5 in 2565, 0 in 2567) and p12 (2.25 in 2566); strategy s2: p21, 4 for
    the whole period with no year (unsplit)."""
    return Dataset(
        title="แผนทดสอบ", kind="test",
        levels=(Level("strategy", "ยุทธศาสตร์", "strategy"), Level("project", "โครงการ", "project")),
        nodes=pd.DataFrame({"node_id": ["s1", "s2", "p11", "p12", "p21"],
                            "level": ["strategy", "strategy", "project", "project", "project"],
                            "parent_id": ["", "", "s1", "s1", "s2"],
                            "name": ["สหกรณ์", "เกษตร", "อบรม", "ตลาด", "แปลงใหญ่"],
                            "label": ["1", "2", "1.1", "1.2", "2.1"]}),
        amounts=pd.DataFrame({"node_id": ["p11", "p11", "p12", "p21"], "fiscal_year": [2565, 2567, 2566, None],
                              "amount_mb": [1.5, 0.0, 2.25, 4.0]}),
        stated=pd.DataFrame({"node_id": ["s1", "s2"], "fiscal_year": [None, None], "amount_mb": [3.75, 4.0]}))


def test_by_year_fills_a_year_without_amounts_with_zero_and_keeps_the_unsplit_apart():
    table = ca.by_year(_plan(), "strategy")
    assert list(table.columns) == ["node_id", "label", "name", 2565, 2566, 2567, "unsplit_mb"]
    assert table[[2565, 2566, 2567, "unsplit_mb"]].values.tolist() == [[1.5, 2.25, 0.0, 0.0],
                                                                        [0.0, 0.0, 0.0, 4.0]]


def test_by_year_in_thai_with_its_totals_row():
    table = ca.by_year(_plan(), "strategy", thai=True, margins=True)
    assert list(table.columns) == ["รหัส", "ลำดับ", "ชื่อ", 2565, 2566, 2567, "ไม่แยกปี (ล้านบาท)"]
    total = table.iloc[-1]
    assert total["ชื่อ"] == "รวม"
    assert [total[2565], total[2566], total[2567], total["ไม่แยกปี (ล้านบาท)"]] == [1.5, 2.25, 0.0, 4.0]


def test_allocation_totals_row_adds_the_rows_up():
    table = ca.allocation(_plan(), "strategy", margins=True)
    assert table["name"].tolist() == ["สหกรณ์", "เกษตร", "รวม"]
    assert table["stated_mb"].tolist() == [3.75, 4.0, 7.75]
    assert table["computed_mb"].tolist() == [3.75, 4.0, 7.75]
    assert table["share"].iloc[-1] == 1.0


def test_allocation_of_a_year_whose_amounts_add_up_to_zero_has_no_shares():
    table = ca.allocation(_plan(), "strategy", year=2567)
    assert table["node_id"].tolist() == ["s1", "s2"]
    assert table["computed_mb"].iloc[0] == 0.0
    assert all(math.isnan(share) for share in table["share"])
