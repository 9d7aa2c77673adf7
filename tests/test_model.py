"""The one model: ``coopanalysis.load`` / ``check`` and the Dataset, for a plan and for a bill.

Expected figures are typed from the documents (the plan's summary and detail pages, the
budget bill's volume 4) or computed in the test with a few lines of plain pandas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import REALDATA  # tests/helpers.py

import coopanalysis as ca
from coopanalysis.errors import FiscalYearError, InputError
from coopanalysis.model.dataset import Dataset, Level

REPO = Path(__file__).resolve().parents[1]
BILL = REALDATA
VOLUME_4 = BILL / "2022-3-4.csv"
needs_bill = pytest.mark.skipif(not VOLUME_4.is_file(), reason=f"real data absent: {VOLUME_4} (../shared/realdata)")
CPD = "กรมส่งเสริมสหกรณ์"


@pytest.fixture(scope="module")
def plan():
    return ca.load()


@pytest.fixture(scope="module")
def bill():
    if not VOLUME_4.is_file():
        pytest.skip(f"real data absent: {VOLUME_4} (../shared/realdata)")
    return ca.load(VOLUME_4, mapping="budget-bill")


def _row(table: pd.DataFrame, label: str) -> pd.Series:
    return table.set_index("label").loc[label]


# ---- one type, numeric amounts -------------------------------------------------------------

def test_plan_and_bill_are_one_dataset_type_with_data_levels(plan, bill):
    assert type(plan) is type(bill) is ca.Dataset
    assert plan.level_keys == ["strategy", "tactic", "project"]
    assert bill.level_keys[:4] == ["ministry", "budgetary_unit", "budget_plan", "output_or_project"]
    assert bill.level_keys[-1] == "item"


def test_amount_columns_are_numeric(plan, bill):
    for ds in (plan, bill):
        assert ds.amounts["amount_mb"].dtype == "float64"
        assert str(ds.amounts["fiscal_year"].dtype) == "Int64"
        assert ds.stated["amount_mb"].dtype == "float64"
    # what an analyst tries first: query by BE year, group and sum, multiply
    in_2565 = bill.amounts.query("fiscal_year == 2565")
    assert len(in_2565) > 0
    assert (in_2565["amount_mb"] * 1.1).dtype == "float64"


def test_strategy_5_printed_and_computed(plan):
    # the summary page prints 125 million baht for strategy 5; its projects' rows add up to 158
    row = _row(plan.figures("strategy"), "5")
    assert (row["stated_mb"], row["computed_mb"], row["difference_mb"]) == (125.0, 158.0, 33.0)
    # strategy 6: printed 20, its one project 0.5 + 5 + 1.5 x 3 = 10 ... plus project 6.2 (10) = 20
    row6 = _row(plan.figures("strategy"), "6")
    assert (row6["stated_mb"], row6["computed_mb"]) == (20.0, 20.0)


def test_cooperative_promotion_department_in_2565(bill):
    table = bill.figures("budgetary_unit", year=2565)
    cpd = table[table["name"] == CPD]
    assert len(cpd) == 1
    assert cpd["computed_mb"].iloc[0] == 2597.5571  # exact, as printed (2,597,557,100 baht)
    raw = pd.read_csv(VOLUME_4, dtype=str, keep_default_na=False)
    mine = raw[(raw["BUDGETARY_UNIT"] == CPD) & (raw["FISCAL_YEAR"] == "2022")]
    baht = pd.to_numeric(mine["AMOUNT"].str.replace(",", ""), errors="coerce").sum()
    assert baht == 2_597_557_100


def test_volume_4_bill_year_total(bill):
    # the ministry's appropriation rows of FY2565 in volume 4 (the 110,039.84 million baht)
    total = bill.figures("ministry", year=2565)["computed_mb"].sum()
    assert abs(total - 110_039.84) <= 0.005


def test_sums_are_exact_where_float_addition_is_not():
    ten = pd.DataFrame({"node_id": ["b"] * 10, "fiscal_year": [2565] * 10, "amount_mb": [0.1] * 10})
    assert sum([0.1] * 10) != 1.0  # what a float sum gives
    ds = Dataset(
        title="t", kind="test", levels=(Level("top", "บน", "top"), Level("leaf", "ล่าง", "leaf")),
        nodes=pd.DataFrame({"node_id": ["a", "b"], "level": ["top", "leaf"], "parent_id": ["", "a"],
                            "name": ["A", "B"]}),
        amounts=ten, stated=pd.DataFrame({"node_id": ["a"], "fiscal_year": [None], "amount_mb": [1.0]}))
    assert ds.figures("top")["computed_mb"].tolist() == [1.0]
    assert ds.figures("top")["difference_mb"].tolist() == [0.0]
    assert ca.check(ds) == []  # a dataset built by hand is checked against its own amounts


def test_editing_amounts_in_place_changes_the_figures():
    plan = ca.load()
    project = plan.amounts.index[plan.amounts["node_id"] == "project:6.1"][0]
    before = _row(plan.figures("strategy"), "6")["computed_mb"]
    plan.amounts.loc[project, "amount_mb"] += 1
    assert _row(plan.figures("strategy"), "6")["computed_mb"] == before + 1
    findings = ca.check(plan)
    assert "differ from the source" in findings.note
    assert any(f.check == "stated_total" and f.id == "6" for f in findings.errors)


# ---- entry points ----------------------------------------------------------------------------

def test_load_from_outside_the_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert ca.load().title == ca.load("data/plan").title
    assert ca.load().kind == "plan"


def test_tables_without_a_mapping_are_refused_with_the_fix(tmp_path):
    table = tmp_path / "bill.csv"
    table.write_text("A,B\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="mapping=\"budget-bill\""):
        ca.load(table)
    with pytest.raises(InputError, match="no such file"):
        ca.load(tmp_path / "missing.txt")


def test_check_gives_one_findings_type_for_both(plan, bill):
    plan_findings, bill_findings = ca.check(plan), ca.check(bill)
    for findings in (plan_findings, bill_findings):
        assert isinstance(findings, ca.Findings)
        assert all(isinstance(f, ca.Finding) for f in findings)
        assert findings.errors + findings.warnings + findings.infos == sorted(findings, key=lambda f: f.severity) \
            or len(findings.errors) + len(findings.warnings) + len(findings.infos) == len(findings)
    # the plan's own rules run: strategy 5's printed 125 against 158
    s5 = [f for f in plan_findings.errors if f.check == "strategy_total" and f.id == "5"]
    assert len(s5) == 1 and s5[0].difference == "33"
    frame = bill_findings.to_frame()
    assert frame["difference"].dtype == "float64"


def test_a_bill_without_printed_totals_says_nothing_was_reconciled(bill):
    findings = ca.check(bill)
    assert findings.compared == 0
    assert "nothing was reconciled" in findings.note
    assert not [f for f in findings if f.check == "stated_total"]


@needs_bill
def test_printed_totals_given_are_compared_and_counted(tmp_path):
    stated = tmp_path / "stated.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\n"
                      f"budgetary_unit,{CPD},2565,\"2,597,557,100\",baht\n"
                      "budgetary_unit,กรมชลประทาน,2565,1,million_baht\n", encoding="utf-8")
    bill = ca.load(VOLUME_4, mapping="budget-bill", stated=stated)
    findings = ca.check(bill)
    assert (findings.compared, findings.held) == (2, 1)
    gaps = [f for f in findings.errors if f.check == "stated_total"]
    assert [f.name for f in gaps] == ["กรมชลประทาน"]


def test_tolerance_edge(plan):
    # strategy 5 differs by exactly 33: within a tolerance of 33, outside one of 32.99
    at = [f for f in ca.check(plan, tolerance=33) if f.check == "strategy_total" and f.id == "5"]
    over = [f for f in ca.check(plan, tolerance="32.99") if f.check == "strategy_total" and f.id == "5"]
    assert (len(at), len(over)) == (0, 1)
    with pytest.raises(ValueError, match="tolerance"):
        ca.check(plan, tolerance=-1)


# ---- finding nodes, years, what-if ---------------------------------------------------------------

def test_nodes_by_id_label_or_name(plan, bill):
    assert plan.node("5") == "strategy:5"
    assert bill.node("กระทรวงเกษตรและสหกรณ์") == "1"
    with pytest.raises(KeyError, match="ambiguous|several"):
        plan.node("5.1")  # tactic 5.1 and project 5.1 print the same label
    found = bill.find("ส่งเสริม สหกรณ์")  # spacing-insensitive
    assert CPD in found["name"].tolist()


def test_christian_era_year_is_refused_with_the_be_year(bill):
    with pytest.raises(FiscalYearError, match="did you mean 2565"):
        ca.allocation(bill, "budgetary_unit", year=2022)


def test_what_if_is_a_new_dataset(plan):
    what_if = plan.scale(1.1, within="5")
    assert _row(what_if.figures("strategy"), "5")["computed_mb"] == 173.8  # 158 x 1.1
    assert _row(plan.figures("strategy"), "5")["computed_mb"] == 158.0  # untouched
    assert _row(what_if.figures("strategy"), "6")["computed_mb"] == 20.0


def test_allocation_and_by_year(plan, bill):
    table = ca.allocation(plan, "strategy")
    assert "รวม" not in table["name"].tolist()  # no totals row inside the data
    assert table["computed_mb"].sum() == 700.0  # 286 + 25 + 50 + 158 + 20 + 161
    units = ca.allocation(plan, "unit", policy="equal")
    top = units.iloc[0]
    assert (top["unit"], top["computed_mb"]) == ("สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์", 286.0)
    years = ca.by_year(plan, "strategy")
    assert [c for c in years.columns if isinstance(c, int)] == [2560, 2561, 2562, 2563, 2564]
    top3 = ca.allocation(bill, "budgetary_unit", year=2565, within="กระทรวงเกษตรและสหกรณ์", top=3)
    assert len(top3) == 3 and top3["computed_mb"].is_monotonic_decreasing
    assert ca.allocation(plan, "strategy", margins=True)["name"].iloc[-1] == "รวม"


def test_reprs_are_short(plan, bill):
    for value in (plan, bill, ca.check(plan), ca.check(bill)):
        assert len(repr(value)) < 1000
        assert "<" in value._repr_html_()
    assert "ยุทธศาสตร์" in plan._repr_html_()


def test_readme_first_screen_is_the_tutorials_first_cell():
    import json

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0].splitlines()[:4]
    notebook = json.loads((REPO / "notebooks" / "tutorial.ipynb").read_text(encoding="utf-8"))
    first = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    cell = "".join(first["source"]).splitlines()

    def code(lines):
        return [line.split("#", 1)[0].rstrip() for line in lines]

    assert code(block) == code(cell)


def test_an_amount_finer_than_a_satang_is_a_finding_not_a_silent_rounding():
    ds = Dataset(
        title="t", kind="test", levels=(Level("top", "บน", "top"), Level("leaf", "ล่าง", "leaf")),
        nodes=pd.DataFrame({"node_id": ["a", "b", "c"], "level": ["top", "leaf", "leaf"],
                            "parent_id": ["", "a", "a"], "name": ["A", "B", "C"]}),
        # 0.000000004 million baht is 0.4 satang; 0.00000001 is exactly one satang
        amounts=pd.DataFrame({"node_id": ["b", "c"], "fiscal_year": [2565, 2565],
                              "amount_mb": [0.000000004, 0.00000001]}),
        stated=pd.DataFrame(columns=["node_id", "fiscal_year", "amount_mb"]))
    findings = ca.check(ds)
    assert [(f.check, f.id) for f in findings] == [("finer_than_satang", "b")]


# ---- a hand-built dataset: every figure typed from the rows below (issue 27, make mutants) ----

def _small() -> Dataset:
    """Two strategies; strategy 1 has tactics 1.1 (two projects) and 1.2 (one project, no amount)."""
    return Dataset(
        title="แผนทดสอบ <ก&ข>", kind="test",
        levels=(Level("strategy", "ยุทธศาสตร์", "strategy"), Level("tactic", "กลยุทธ์", "tactic"),
                {"key": "project", "label_th": "โครงการ", "label_en": "project"}),
        nodes=pd.DataFrame({
            "node_id": ["s1", "s2", "t11", "t12", "p111", "p112", "p121", "p21"],
            "level": ["strategy", "strategy", "tactic", "tactic", "project", "project", "project", "project"],
            "parent_id": ["", "", "s1", "s1", "t11", "t11", "t12", "s2"],
            "name": ["ส่งเสริมสหกรณ์", "การเกษตร", "พัฒนาสหกรณ์ ๒", "ตลาด", "อบรม", "ตลาดสหกรณ์",
                     "ศูนย์", "การเกษตรแปลงใหญ่"],
            "label": ["1", "2", "1.1", "1.2", "1.1", "1", "1.2.1", "2.1"]}),
        amounts=pd.DataFrame({"node_id": ["p111", "p111", "p112", "p121", "p21"],
                              "fiscal_year": [2565, 2566, 2565, 2565, 2566],
                              "amount_mb": [0.1, 0.2, 0.7, None, 5]}),
        stated=pd.DataFrame({"node_id": ["s1", "s1", "s2", "t12"], "fiscal_year": [None, 2565, None, None],
                             "amount_mb": [1.0, 0.8, 5.5, 3]}))


def _figures(ds, level, year=None):
    table = ds.figures(level, year)
    return [(r.node_id, r.stated_mb, r.computed_mb, r.difference_mb) for r in table.itertuples()]


def _same(rows, expected):
    """Rows equal, NaN equal to None."""
    def norm(row):
        return tuple(None if isinstance(v, float) and v != v else v for v in row)
    return [norm(r) for r in rows] == expected


def test_figures_of_a_hand_built_dataset_per_level_and_year():
    ds = _small()
    assert ds.years == [2565, 2566] and ds.level_keys == ["strategy", "tactic", "project"]
    assert _same(_figures(ds, "strategy"), [("s1", 1.0, 1.0, 0.0), ("s2", 5.5, 5.0, -0.5)])
    assert _same(_figures(ds, "strategy", 2565), [("s1", 0.8, 0.8, 0.0), ("s2", None, None, None)])
    assert _same(_figures(ds, "strategy", 2566), [("s1", None, 0.2, None), ("s2", None, 5.0, None)])
    # a node whose only amount is missing has no computed total (not 0)
    assert _same(_figures(ds, "tactic"), [("t11", None, 1.0, None), ("t12", 3.0, None, None)])
    assert ds.figures("strategy")[["label", "name", "parent_id"]].values.tolist() == [
        ["1", "ส่งเสริมสหกรณ์", ""], ["2", "การเกษตร", ""]]


def test_computed_counts_rows_and_sums_per_year():
    ds = _small()
    whole = ds.computed("strategy").set_index("node_id")
    assert whole.loc["s1", "computed_satang"] == 100_000_000 and whole.loc["s1", "rows"] == 4
    assert whole.loc["s2", "rows"] == 1
    every = ds.computed().set_index("node_id")
    assert len(every) == 8 and every.loc["t12", "rows"] == 1 and pd.isna(every.loc["t12", "computed_satang"])
    yearly = ds.computed("tactic", by_year=True)
    assert [(n, y, None if pd.isna(v) else v, r) for n, y, v, r in yearly.itertuples(index=False)] == [
        ("t11", 2565, 80_000_000, 2), ("t11", 2566, 20_000_000, 1), ("t12", 2565, None, 1)]
    closure = ds.ancestors()
    assert sorted(closure.loc[closure["node_id"] == "p111", "ancestor_id"]) == ["p111", "s1", "t11"]
    assert sorted(closure.loc[closure["node_id"] == "p111", "ancestor_level"]) == ["project", "strategy", "tactic"]
    assert ds.beneath("s1") == ["s1", "t11", "t12", "p111", "p112", "p121"]
    with pytest.raises(KeyError, match="no level 'item'.*strategy, tactic, project"):
        ds.computed("item")


def test_tables_are_typed_and_missing_columns_added():
    ds = _small()
    assert list(ds.nodes.columns) == ["node_id", "level", "parent_id", "name", "label", "source_line"]
    assert list(ds.amounts.columns)[:7] == ["node_id", "fiscal_year", "amount_mb", "status", "source",
                                           "source_line", "page"]
    assert str(ds.amounts["fiscal_year"].dtype) == "Int64" and str(ds.stated["page"].dtype) == "Int64"
    assert ds.amounts["amount_mb"].dtype == "float64" and ds.amounts["status"].tolist() == [""] * 5
    assert ds.stated["fiscal_year"].isna().tolist() == [True, False, True, True]
    assert ds.level("tactic") == Level("tactic", "กลยุทธ์", "tactic")
    assert (ds.meta, ds.ingest_report.empty, ds.corrections.empty) == ({}, True, True)
    assert ds.derived  # built by hand: no source to compare with


def test_find_and_node_by_id_label_or_name():
    ds = _small()
    found = ds.find("สหกรณ์")
    # best first: the shorter name the query fills more of; a whole-name match scores 1
    # 6 letters of 10, 12 (Thai digit ๒ as 2, space dropped) and 14
    assert found["node_id"].tolist() == ["p112", "t11", "s1"]
    assert found["score"].round(4).tolist() == [0.6, 0.5, round(6 / 14, 4)]
    assert ds.find("ตลาด")[["node_id", "score"]].values.tolist()[0] == ["t12", 1.0]
    assert ds.find("พัฒนาสหกรณ์2")["node_id"].tolist() == ["t11"]  # Thai digits, spacing ignored
    assert ds.find("1.2.1")[["node_id", "score"]].values.tolist() == [["p121", 1.0]]  # an exact label
    assert ds.find("   ").empty and list(ds.find("").columns) == ["node_id", "level", "label", "name", "score"]
    assert ds.find("การเกษตร", level="project")["node_id"].tolist() == ["p21"]
    # same score: the higher level first
    assert ds.find("การเกษตร")["node_id"].tolist() == ["s2", "p21"]
    assert ds.node("p121") == "p121" and ds.node("2.1") == "p21" and ds.node("ศูนย์") == "p121"
    assert ds.node("การเกษตร") == "s2"  # the whole name beats a longer one containing it
    assert ds.node("แปลงใหญ่") == "p21"  # the only partial match
    with pytest.raises(KeyError, match="'1.1' is ambiguous: t11, p111"):
        ds.node("1.1")
    with pytest.raises(KeyError, match="no node named 'ประมง'"):
        ds.node("ประมง")
    with pytest.raises(KeyError, match="matches several nodes: .*s1 ส่งเสริมสหกรณ์.*give a node id"):
        ds.node("สหกรณ์")


def test_fiscal_years_are_buddhist_era():
    ds = _small()
    assert ds.fiscal_year(" 2566 ") == 2566
    for christian, be in ((2022, 2565), (1900, 2443), (2200, 2743)):
        with pytest.raises(FiscalYearError, match=f"did you mean {be}"):
            ds.fiscal_year(christian)
    for far in (1899, 2201, 2567):
        with pytest.raises(FiscalYearError, match=f"no amounts in fiscal year {far}; this dataset's years are 2565-2566"):
            ds.fiscal_year(far)
    with pytest.raises(FiscalYearError, match="such as 2566, got 'next'"):
        ds.fiscal_year("next")


def test_scale_within_a_node_and_a_year_rounds_to_the_satang():
    ds = _small()
    half = ds.scale(0.5, within="t11", year=2565)
    assert half.amounts["amount_mb"].tolist()[:3] == [0.05, 0.2, 0.35]
    assert ds.amounts["amount_mb"].tolist()[:3] == [0.1, 0.2, 0.7]  # untouched
    assert _same(_figures(half, "strategy"), [("s1", 1.0, 0.6, -0.4), ("s2", 5.5, 5.0, -0.5)])
    third = ds.scale(1 / 3, within="s2")  # 5 / 3 = 1.66666667 million baht to the satang
    assert third.amounts["amount_mb"].tolist()[4] == 1.66666667
    assert ds.scale(2).amounts["amount_mb"].tolist()[:3] == [0.2, 0.4, 1.4]


def test_repr_and_card_name_what_is_inside():
    ds = _small()
    assert repr(ds) == ("<Dataset test: 'แผนทดสอบ <ก&ข>'; fiscal years 2565-2566 (BE); 2 strategy, 2 tactic, "
                        "4 project; 5 amounts, 4 printed totals>")
    long = ds.replace(title="ก" * 81)
    assert f"'{'ก' * 77}...'" in repr(long)
    assert f"'{'ก' * 80}'" in repr(ds.replace(title="ก" * 80))
    card = ds._repr_html_()
    assert "แผนทดสอบ &lt;ก&amp;ข&gt;" in card and "<ก&ข>" not in card
    assert "ปีงบประมาณ พ.ศ. 2565–2566 · 5 จำนวนเงิน · 4 ยอดที่พิมพ์" in card
    assert "ยอดรวมยุทธศาสตร์ตามเอกสาร 6.5 ล้านบาท · คำนวณจากรายการ 6 ล้านบาท" in card
    assert "ยุทธศาสตร์ (strategy)</th><td style='text-align:right'>2</td>" in card
    assert "(strategy → project)" in card
    empty = ds.replace(amounts=ds.amounts.iloc[0:0])
    assert "fiscal years no years" in repr(empty) and "ปีงบประมาณ พ.ศ. –––" in empty._repr_html_()


def test_three_years_a_level_without_nodes_and_one_printed_total():
    ds = _small()
    later = pd.DataFrame({"node_id": ["p21"], "fiscal_year": [2567], "amount_mb": [1.5]})
    three = ds.replace(amounts=pd.concat([ds.amounts, later], ignore_index=True),
                       stated=ds.stated[(ds.stated["node_id"] == "s1") & ds.stated["fiscal_year"].isna()])
    assert "fiscal years 2565-2567 (BE)" in repr(three)
    card = three._repr_html_()
    assert "ปีงบประมาณ พ.ศ. 2565–2567" in card
    # one strategy printed (1), both computed (1 + 6.5): a single printed total is still a total
    assert "ตามเอกสาร 1 ล้านบาท · คำนวณจากรายการ 7.5 ล้านบาท" in card
    only_s1 = ds.replace(amounts=ds.amounts[ds.amounts["node_id"] != "p21"])
    assert "คำนวณจากรายการ 1 ล้านบาท" in only_s1._repr_html_()
    with pytest.raises(FiscalYearError, match="this dataset's years are 2565-2567"):
        three.fiscal_year(2570)
    # a BE year far off is not taken for a Christian-era one (3108 - 543 = 2565 is beside the point)
    with pytest.raises(FiscalYearError, match="no amounts in fiscal year 3108"):
        ds.fiscal_year(3108)
    no_projects = ds.replace(nodes=ds.nodes[ds.nodes["level"] != "project"])
    assert "2 strategy, 2 tactic, 0 project;" in repr(no_projects)
    # the card reads as text: it starts with the title, nothing before it
    text = html_text(card)
    assert text.startswith("แผนทดสอบ <ก&ข>ปีงบประมาณ")


def html_text(page: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_dataset_without_amounts_names_no_years():
    ds = _small().replace(amounts=pd.DataFrame(columns=["node_id", "fiscal_year", "amount_mb"]))
    with pytest.raises(FiscalYearError, match="such as 2565, got 'soon'"):
        ds.fiscal_year("soon")
    with pytest.raises(FiscalYearError, match="no amounts in fiscal year 2570; this dataset's years are none"):
        ds.fiscal_year(2570)


def test_find_by_node_id_and_its_columns():
    ds = _small()
    assert ds.find("p121")[["node_id", "score"]].values.tolist() == [["p121", 1.0]]
    assert list(ds.find("ตลาด").columns) == ["node_id", "level", "label", "name", "score"]
    assert ds.find("").dtypes["score"] == "float64"


def test_ambiguous_refs_list_a_bounded_number_of_candidates():
    n = 12
    ds = Dataset(title="t", kind="test", levels=(Level("project", "โครงการ", "project"),),
                 nodes=pd.DataFrame({"node_id": [f"n{i:02d}" for i in range(n)], "level": ["project"] * n,
                                     "parent_id": [""] * n, "name": [f"อบรมรุ่น {i:02d}" for i in range(n)],
                                     "label": ["1"] * n}),
                 amounts=pd.DataFrame(columns=["node_id", "fiscal_year", "amount_mb"]),
                 stated=pd.DataFrame(columns=["node_id", "fiscal_year", "amount_mb"]))
    with pytest.raises(KeyError) as ambiguous:
        ds.node("1")
    assert "n09;" in str(ambiguous.value) and "n10" not in str(ambiguous.value)  # the first ten ids
    with pytest.raises(KeyError) as several:
        ds.node("อบรมรุ่น")
    assert "n07 อบรมรุ่น 07;" in str(several.value) and "n08" not in str(several.value)  # the first eight


def test_any_edit_of_an_amount_is_seen_and_reordering_is_not():
    plan = ca.load()
    assert not plan.derived
    assert not plan.replace(amounts=plan.amounts.iloc[::-1]).derived  # same rows, another order
    assert not plan.replace(stated=plan.stated.sample(frac=1, random_state=1)).derived
    for row in plan.amounts.index[:25]:
        edited = plan.amounts.copy()
        edited.loc[row, "amount_mb"] += 0.01
        assert plan.replace(amounts=edited).derived, row


def test_hand_edited_tables_are_typed_as_documented():
    ds = Dataset(
        title="t", kind="test", levels=(Level("top", "บน", "top"), Level("leaf", "ล่าง", "leaf")),
        nodes=pd.DataFrame({"node_id": ["a", "b", "c"], "level": ["top", "leaf", None],
                            "parent_id": [None, "a", "gone"], "name": [None, "B", "C"], "label": ["1", None, "3"],
                            "source_line": ["7", None, "x"]}),
        amounts=pd.DataFrame({"node_id": ["b", "c", None], "fiscal_year": ["2565", 2566, None],
                              "amount_mb": ["0.1", 2, "x"], "status": [None, "ok", None],
                              "source": ["table", None, None]}),
        stated=pd.DataFrame(columns=["node_id", "fiscal_year", "amount_mb"]))
    assert ds.nodes["parent_id"].tolist() == ["", "a", "gone"] and ds.nodes["name"].tolist() == ["", "B", "C"]
    assert ds.nodes["label"].tolist() == ["1", "", "3"] and ds.nodes["level"].tolist() == ["top", "leaf", ""]
    assert str(ds.nodes["source_line"].dtype) == "Int64" and ds.nodes["source_line"].tolist()[0] == 7
    assert ds.amounts["node_id"].tolist() == ["b", "c", ""]
    assert ds.amounts["amount_mb"].dtype == "float64" and ds.amounts["amount_mb"].tolist()[:2] == [0.1, 2.0]
    assert pd.isna(ds.amounts["amount_mb"].iloc[2])
    assert ds.amounts["status"].tolist() == ["", "ok", ""] and ds.amounts["source"].tolist() == ["table", "", ""]
    assert ds.years == [2565, 2566]
    # a node whose parent is not in the table counts for itself and that id only; an amount of no
    # node counts nowhere; no row without an id
    computed = ds.computed()
    assert str(computed["computed_satang"].dtype) == "Int64"
    assert computed["node_id"].notna().all()
    assert sorted(computed["node_id"]) == ["a", "b", "c", "gone"]


def test_figures_columns_are_the_documented_ones():
    assert list(_small().figures("tactic").columns) == [
        "node_id", "label", "name", "parent_id", "stated_mb", "computed_mb", "difference_mb"]
    assert list(_small().figures("tactic", 2565).index) == [0, 1]
