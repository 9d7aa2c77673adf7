"""The checks on a hand-written plan nobody here had seen: tests/fixtures/other_plan_2565_2569.txt.

Same layout family as the seed (กรมตรวจบัญชีสหกรณ์, BE 2565-2569, Thai digits). Planted:

====================================  ==========================================================
planted                               expected finding
====================================  ==========================================================
3.1 prints 1, 2, 30, 3, 3 / 12        error ``project_total`` 3.1 (hint lost_decimal: 2567 30→3)
1.7 prints 2, 2, 3, 3, 3, 3 / 13      warning ``project_repaired`` 1.7 only (drop one 3 → 13)
1.3 prints 3, 8, 8, 8, 8, 8 / 30      error ``project_unreconciled`` 1.3 (no repair adds up)
2.1 listed twice: 4x5=20, 4,4,4,4,5=21  error ``listing_conflict`` 2.1 (totals use the first)
tactic 1.3 printed 5.4, detail 4.5    error ``tactic_total`` 1.3 (hint swapped_digits)
strategy 1 printed 90, detail 82.5    error ``strategy_total`` 1 (1.3 at its printed 30)
strategy 5 printed 3 projects, 2      error ``strategy_count`` 5
summary 90+35+17.5 vs 82.5+35+17.5    error ``plan_total`` (strategy 6 and 3 left out)
strategy 6 on the summary only        warning ``no_detail`` 6 (no count/total error)
no strategy 4 anywhere                warning ``missing_strategy`` 4
sheet of 1.5: 2567 = 2, table 1       error ``sheet_vs_table`` 1.5 2567
strategy 5 'ในสหกรณ์' / 'ของสหกรณ์'   warning ``name_mismatch`` 5
1.1 1.2 1.4 1.6 2.2 3.2 5.1 5.2       exact: no project finding at all
tactics 1.1 1.2 1.4 1.5 2.1, str. 2   add up: no finding
====================================  ==========================================================
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopanalysis.checks import run_checks
from coopanalysis.model import rollups as totals
from coopanalysis.model.plan import load

FIXTURE = Path(__file__).parent / "fixtures" / "other_plan_2565_2569.txt"

PLANTED_ERRORS = {
    ("project_total", "project", "3.1", None),
    ("project_unreconciled", "project", "1.3", None),
    ("listing_conflict", "project", "2.1", None),
    ("tactic_total", "tactic", "1.3", None),
    ("strategy_total", "strategy", "1", None),
    ("strategy_count", "strategy", "5", None),
    ("plan_total", "plan", "plan", None),
    ("sheet_vs_table", "project", "1.5", 2567),
}
PLANTED_WARNINGS = {
    ("project_repaired", "project", "1.7", None),
    ("no_detail", "strategy", "6", None),
    ("missing_strategy", "strategy", "4", None),
    ("name_mismatch", "strategy", "5", None),
}
CLEAN_PROJECTS = ["1.1", "1.2", "1.4", "1.6", "2.2", "3.2", "5.1", "5.2"]


@pytest.fixture(scope="module")
def plan():
    return load(FIXTURE)


@pytest.fixture(scope="module")
def findings(plan):
    return run_checks(plan)


def _keys(findings, severity):
    return {f.key for f in findings if f.severity == severity}


def _one(findings, check, ident, fiscal_year=None):
    found = [f for f in findings if f.check == check and f.id == ident and f.fiscal_year == fiscal_year]
    assert len(found) == 1, (check, ident)
    return found[0]


def test_fixture_parse_results_the_checks_rely_on(plan):
    """What the ingest must produce for the expectations below (a failure here is a parser issue)."""
    assert plan.years == [2565, 2566, 2567, 2568, 2569]
    projects = plan.projects.set_index("project_id")
    assert sorted(projects.index, key=lambda p: tuple(map(int, p.split(".")))) == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "3.1", "3.2", "5.1", "5.2"]
    status = projects["parse_status"].to_dict()
    assert status["3.1"] == "mismatch"
    assert status["1.7"] == "repaired"
    assert status["1.3"] == "unreconciled"
    assert {status[p] for p in CLEAN_PROJECTS + ["1.5", "2.1"]} == {"exact"}
    assert projects["tactic_id"].to_dict() == {
        "1.1": "1.1", "1.2": "1.1", "1.3": "1.2", "1.4": "1.3", "1.5": "1.4", "1.6": "1.5", "1.7": "1.5",
        "2.1": "2.1", "2.2": "2.1", "3.1": "3.1", "3.2": "3.2", "5.1": "5.1", "5.2": "5.1"}
    strategies = plan.strategies.set_index("strategy_id")
    assert sorted(strategies.index) == ["1", "2", "3", "5", "6"]
    assert strategies["stated_total_mb"].fillna(-1).to_dict() == {"1": 90, "2": 35, "3": -1, "5": 17.5, "6": 12}
    assert strategies["stated_project_count"].fillna(-1).astype(int).to_dict() == {
        "1": 7, "2": 2, "3": -1, "5": 3, "6": 2}
    tactics = plan.tactics.set_index("tactic_id")
    assert {t: tactics.loc[t, "stated_total_mb"] for t in ("1.1", "1.2", "1.3", "1.4", "1.5", "2.1")} == {
        "1.1": 15, "1.2": 30, "1.3": 5.4, "1.4": 5, "1.5": 28, "2.1": 35}
    listings = plan.listings
    assert listings.loc[listings["project_id"] == "2.1", "printed_values"].tolist() == ["4 4 4 4 4", "4 4 4 4 5"]
    sheet = plan.budget[(plan.budget["project_id"] == "1.5") & (plan.budget["source"] == "project_sheet")]
    assert sheet["amount_mb"].tolist() == [1, 1, 2, 1, 1]


def test_fixture_errors_exactly_the_planted_ones(findings):
    assert _keys(findings, "error") == PLANTED_ERRORS


def test_fixture_warnings_exactly_the_planted_ones(findings):
    assert _keys(findings, "warning") == PLANTED_WARNINGS


def test_fixture_clean_rows_produce_nothing(findings):
    for pid in CLEAN_PROJECTS:
        assert not [f for f in findings if f.level == "project" and f.id == pid], pid
    for tid in ("1.1", "1.2", "1.4", "1.5", "2.1", "5.1", "6.1"):
        assert not [f for f in findings if f.level == "tactic" and f.id == tid], tid
    assert not [f for f in findings if f.level == "strategy" and f.id in ("2", "3")]


def test_fixture_lost_decimal(findings):
    f = _one(findings, "project_total", "3.1")
    assert (f.stated, f.computed, f.difference, f.hint) == ("12", "39", "27", "lost_decimal")
    assert "ปี 2567" in f.message and "30" in f.message


def test_fixture_repaired_is_a_warning(findings):
    f = _one(findings, "project_repaired", "1.7")
    assert (f.stated, f.computed) == ("13", "13")
    assert "6 ค่าสำหรับ 5 ปี" in f.message


def test_fixture_unreconciled(findings):
    f = _one(findings, "project_unreconciled", "1.3")
    assert (f.stated, f.computed) == ("30", None)
    assert "6 ค่า" in f.message and "5 ปี" in f.message


def test_fixture_totals_and_counts(findings, plan):
    t = _one(findings, "tactic_total", "1.3")
    assert (t.stated, t.computed, t.hint) == ("5.4", "4.5", "swapped_digits")
    s = _one(findings, "strategy_total", "1")
    assert (s.stated, s.computed, s.difference) == ("90", "82.5", "-7.5")
    c = _one(findings, "strategy_count", "5")
    assert "3" in c.message and "2" in c.message
    p = _one(findings, "plan_total", "plan")
    assert (p.stated, p.computed) == ("142.5", "135")
    assert "ยุทธศาสตร์ที่ 6" in p.message
    rollup = totals.rollup(plan, "strategy").set_index("strategy_id")
    assert rollup.loc["2", "computed_text"] == "35"  # 2.1 counted once, at its first listing


def test_fixture_sheet_vs_table(findings):
    f = _one(findings, "sheet_vs_table", "1.5", 2567)
    assert (f.stated, f.computed) == ("1", "2")


def test_fixture_name_mismatch(findings):
    f = _one(findings, "name_mismatch", "5")
    assert "การส่งเสริมธรรมาภิบาลในสหกรณ์" in f.message and "การส่งเสริม ธรรมาภิบาล ของสหกรณ์" in f.message
