"""What users see, pinned where the third round of planted bugs (docs/planted-bugs-round3.md)
passed every other test: each test here failed with its bug and passes without it.

Expected values are worked out by hand from the rows written in each test (budget tables in
thousand baht, as the tiny mapping reads them).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py
from test_planted_round2 import AGENCIES, HEADER, STATED_HEADER

import coopanalysis as ca
from coopanalysis.present import budget as page


def load(tmp_path: Path, rows: list[str], stated: str | None = None):
    """The model's dataset of *rows* read through the tiny mapping (with printed totals if given)."""
    (tmp_path / "t.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    extra = {}
    if stated is not None:
        extra["stated"] = tmp_path / "stated.csv"
        extra["stated"].write_text(stated, encoding="utf-8")
    return ca.load(tmp_path / "t.csv", mapping=str(tmp_path / "tiny.yaml"), **extra)


# กรมหนึ่ง: แผน ก 1,000 + 300 thousand, แผน ข 300 thousand (1.6 million in 2567); กรมสอง 5,000 thousand
TWO_AGENCIES = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
                "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,300,no",
                "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2567,300,no",
                "b1,5,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"5,000\",no"]


# ---- bug 6: shares within a node are shares of that node's total -------------------------------

def test_shares_within_a_node_add_up_to_that_node(tmp_path):
    ds = load(tmp_path, TWO_AGENCIES)
    table = ca.allocation(ds, "plan", within="กรมหนึ่ง")
    # 1.3 / 1.6 and 0.3 / 1.6, not shares of both agencies' 6.6
    assert dict(zip(table["name"], table["share"])) == pytest.approx({"แผน ก": 0.8125, "แผน ข": 0.1875})


# ---- bug 7: node 1's page does not count node 10's printed totals -------------------------------

def test_node_1_is_not_reconciled_by_node_10s_printed_total(tmp_path):
    rows = [f"x{i},9,{name},แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"5,000\",no" for i, name in enumerate(AGENCIES, 1)]
    ds = load(tmp_path, rows, STATED_HEADER + "agency,กรมสิบ,2567,5,million_baht\n")
    assert dict(zip(ds.nodes["name"], ds.nodes["node_id"]))["กรมสิบ"] == "10"
    one, ten = page.node_facts(ds, "1"), page.node_facts(ds, "10")
    assert (one["stated"], one["stated_here"], ten["stated_here"]) == (1, 0, 1)
    assert page.budget_summary(one, [], "agency_1")[1]["reconciled"] is False
    assert "ไม่ได้กระทบยอดของหน่วยนี้" in page.budget_findings([], one).text


# ---- bug 9: a Thai-digit page shows its key figure in Thai digits -------------------------------

def test_thai_digit_heading_shows_the_total_in_thai_digits(tmp_path):
    ds = load(tmp_path, TWO_AGENCIES)
    text = page.budget_heading(page.node_facts(ds, "1"), thai_digits=True).text
    assert "๑.๖" in text and "๒๕๖๗" in text  # 1,000 + 300 + 300 thousand baht in 2567
    assert not re.search(r"[0-9]", text), text


# ---- bug 12: printed totals with Thai-digit years ------------------------------------------------

def test_stated_totals_with_thai_digit_years_are_read(tmp_path):
    ds = load(tmp_path, TWO_AGENCIES, STATED_HEADER + "agency,กรมหนึ่ง,๒๕๖๗,1.6,million_baht\n")
    assert ds.stated[["node_id", "fiscal_year", "amount_mb"]].values.tolist() == [["1", 2567, 1.6]]
    figures = ds.figures("agency", 2567).set_index("node_id")
    assert (figures.at["1", "stated_mb"], figures.at["1", "difference_mb"]) == (1.6, 0.0)


# ---- bug 13: a dash in table 6.2 is no printed total ---------------------------------------------

def test_a_dash_in_table_6_2_is_no_printed_total():
    from coopanalysis.budget.pdf import _Line, _Volume

    def lines(*rows):
        return [_Line(float(i), list(cells)) for i, cells in enumerate(rows)]

    volume = _Volume("v.pdf")  # an agency's header page, then its table 6.2 with dashes for no budget
    volume.page(3, lines(["กระทรวงตัวอย่าง"], ["กรมตัวอย่าง"], ["งบประมาณ", "ปี 2565", "ปี 2566"],
                         ["งบประมาณรายจ่าย", "5 บาท", "7 บาท"]))
    columns = ["งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น", "รวม"]
    volume.page(4, lines(["6.2 จำแนกตามแผนงาน ผลผลิต/โครงการ และงบรายจ่าย"], ["ผลผลิต / โครงการ", *columns],
                         ["1. แผนงานพื้นฐาน", "1.5", "-", "-", "-", "-", "1.5"]))
    read = volume.finish()
    assert read.problems == []
    assert [(t.level, t.name, t.parent, t.amount, t.fiscal_year) for t in read.totals] == [
        ("budgetary_unit", "กรมตัวอย่าง", "", "7", 2566),
        ("category_lv1", "งบบุคลากร", "กรมตัวอย่าง > แผนงานพื้นฐาน", "1.5", 2566),
        ("budget_plan", "แผนงานพื้นฐาน", "กรมตัวอย่าง", "1.5", 2566)]


# ---- bug 16: parts without a name are never duplicates -------------------------------------------

def test_parts_without_names_are_never_named_duplicates():
    from coopanalysis.checks.hints import Part, gap_cause

    # a tactic printed at 7 whose projects (two unreadable names) add up to 4 + 3 + 3 = 10
    D = Decimal
    assert gap_cause([Part(D(4), "ก"), Part(D(3)), Part(D(3))], D(7), cells=False) is None
    named = gap_cause([Part(D(4), "ก"), Part(D(3), "ข"), Part(D(3), "ข")], D(7), cells=False)
    assert (named.code, named.cells, named.basis) == ("duplicate_rows", ((2, D(3), None),), (1,))


# ---- bug 2: a download's file name is escaped in the index's title attribute ---------------------

def test_a_download_named_with_markup_is_escaped_in_the_index(tmp_path):
    from coopanalysis.report.index import render_index
    from coopanalysis.report.jobs import Outcome

    (tmp_path / "strategy_1.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / 'strategy_1_a"><img src=x>.csv').write_text("x\n", encoding="utf-8")
    run = [Outcome("strategy_1", "/nb/strategy_1.ipynb", str(tmp_path / "strategy_1.ipynb"),
                   html=str(tmp_path / "strategy_1.html"), ok=True,
                   summary={"text": "หนึ่ง", "strategy_id": "1", "name": "ยุทธศาสตร์หนึ่ง", "findings": 0})]
    html = render_index(run, tmp_path, "แผนทดสอบ", generated="วันนี้", navigation=False)
    assert "<img" not in html
    assert 'title="strategy_1_a&quot;&gt;&lt;img src=x&gt;.csv"' in html


# ---- bug 19: a budget check with warnings only exits 0 --------------------------------------------

def test_budget_check_with_only_warnings_exits_0_and_with_an_error_1(tmp_path, capsys):
    from coopanalysis.cli import main

    # the second row repeats the first (names, year, amount): a duplicate_row warning, no error
    rows = TWO_AGENCIES[:1] + ["a9,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no"]
    (tmp_path / "t.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_text(STATED_HEADER + "agency,กรมหนึ่ง,2567,2,million_baht\n", encoding="utf-8")
    check = ["check", str(tmp_path / "t.csv"), "--mapping", str(tmp_path / "tiny.yaml"), "--format", "json"]
    assert main(check + ["--stated", str(tmp_path / "stated.csv")]) == 0  # 1,000 + 1,000 thousand: holds
    found = capsys.readouterr().out
    assert '"duplicate_row"' in found and '"error"' not in found
    (tmp_path / "stated.csv").write_text(STATED_HEADER + "agency,กรมหนึ่ง,2567,3,million_baht\n", encoding="utf-8")
    assert main(check + ["--stated", str(tmp_path / "stated.csv")]) == 1  # printed 3: an error
