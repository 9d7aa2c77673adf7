"""One hint engine for every source: a table's printed total gets the plan's hints (a lost
decimal point, a repeated value), a plan's totals the table's (a subtotal kept beside its
items, a duplicate); when two causes fit, the order documented in coopanalysis.checks.hints
decides.

Every expected value is worked out by hand from the rows written here (or read off the real
table's rows and the printed volume).
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from helpers import REALDATA, TINY_MAPPING, load_tiny  # tests/helpers.py

from coopanalysis.budget import ingest_tables
from coopanalysis.budget.dataset import dataset_from_result
from coopanalysis.checks import run_checks
from coopanalysis.checks.hints import Part, gap_cause
from coopanalysis.cli import main

tiny = load_tiny()
HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
REAL = REALDATA


def _table(tmp_path, rows, stated_rows):
    table = tmp_path / "t.csv"
    table.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    spec = tmp_path / "tiny.yaml"
    spec.write_text(TINY_MAPPING, encoding="utf-8")
    stated = tmp_path / "stated.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\n" + "".join(r + "\n" for r in stated_rows), encoding="utf-8")
    return table, spec, stated


def _table_total(tmp_path, rows, stated_row):
    """The one ``stated_total`` finding of a table written here against one printed total."""
    table, spec, stated = _table(tmp_path, rows, [stated_row])
    (f,) = [f for f in run_checks(dataset_from_result(ingest_tables([table], str(spec), stated=stated)))
            if f.check == "stated_total"]
    return f


def _one(findings, check, ident):
    found = [f for f in findings if f.check == check and f.id == ident]
    assert len(found) == 1, [(f.check, f.id) for f in findings]
    return found[0]


# ---- a table's total, the plan's hints --------------------------------------------------------


def test_table_total_short_of_its_rows_by_a_lost_decimal_point_names_the_row(tmp_path, capsys):
    # thousand baht: 1,000 + 1,505 + 300 = 2,805 in the rows; the agency prints 1,450.5, which is
    # what they add up to when row 3 (ITEM_ID a2) reads 150.5: the extraction lost its decimal point
    table, spec, stated = _table(tmp_path, [
        "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
        "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,\"1,505\",no",
        "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2567,300,no",
    ], ["agency,กรมหนึ่ง,2567,1.4505,million_baht"])
    assert main(["check", str(table), "--mapping", str(spec), "--stated", str(stated), "--format", "json"]) == 1
    (f,) = [f for f in json.loads(capsys.readouterr().out) if f["check"] == "stated_total"]
    assert f["hint"] == "lost_decimal"
    assert f["message"] == (
        "หน่วยงาน กรมหนึ่ง ปี 2567: ยอดที่พิมพ์ 1.4505 ล้านบาท แต่รายการรวมได้ 2.805 ล้านบาท (ต่าง +1.3545 ล้านบาท);"
        " สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า 1.505 ของแถว 3 เป็น 0.1505 จะรวมได้ 1.4505 ล้านบาทพอดี"
        " — t.csv แถว 3 ITEM_ID a2 หน้า 3")
    assert f["message_en"].endswith(
        "likely: lost decimal point: reading 1.505 in row 3 as 0.1505 adds up to exactly 1.4505")


def test_table_total_with_a_flagged_duplicate_keeps_the_tables_own_hint(tmp_path):
    # b2 repeats b1 (names, year, amount): flagged by the ingest. Dropping it adds up, and so
    # does the plan's "value repeated into the next cell": the source's own flag comes first.
    f = _table_total(tmp_path, [
        "b1,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no",
        "b2,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no",
    ], "agency,กรมสอง,2567,0.25,million_baht")
    assert f.hint == "duplicate_rows"
    assert f.message.endswith("สาเหตุที่เป็นไปได้: มีแถวซ้ำกัน จึงนับซ้ำ — t.csv แถว 3 ITEM_ID b2 หน้า 9")


def test_table_total_no_hint_fits_falls_back_to_rows_missing(tmp_path):
    # 1,000 + 300 = 1,300 thousand against 1,333: no row read differently closes 0.033 million
    f = _table_total(tmp_path, [
        "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
        "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2567,300,no",
    ], "agency,กรมหนึ่ง,2567,1.333,million_baht")
    assert f.hint == "missing_rows" and f.difference == "-0.033"


@pytest.mark.skipif(not (REAL / "2022-3-17.csv").exists(), reason="real data ../shared/realdata/ not present")
def test_real_volume_17_the_repeated_row_of_the_trade_competition_commission(tmp_path, capsys):
    # 31.pdf prints the commission's 2565 total as 166,576,700 baht; in 2022-3-17.csv, rows 4
    # (ค่าใช้จ่ายลงทุน) and 5 (the information system it pays for) both print 2,256,500, and the
    # rows add up to 2,256,500 more than printed: one of the two is a repeat.
    stated = tmp_path / "stated.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\n"
                      "budgetary_unit,สำนักงานคณะกรรมการการแข่งขันทางการค้า,2565,\"166,576,700\",baht\n",
                      encoding="utf-8")
    assert main(["check", str(REAL / "2022-3-17.csv"), "--mapping", "budget-bill", "--stated", str(stated),
                 "--format", "json"]) == 1
    (f,) = [f for f in json.loads(capsys.readouterr().out) if f["check"] == "stated_total"]
    assert (f["hint"], f["difference"]) == ("repeated_value", 2.2565)
    assert ("สาเหตุที่เป็นไปได้: ค่า 2.2565 ถูกพิมพ์ซ้ำลงช่องถัดไป (แถว 5) — ตัดออกแล้วรวมได้ 166.5767 ล้านบาทพอดี"
            " — 2022-3-17.csv แถว 5 ") in f["message"]
    assert "2022-3-17.csv แถว 4 " in f["message"]


def test_table_rows_are_not_read_with_digits_swapped_nor_several_decimal_points_lost(tmp_path):
    # thousand baht. 1,000 + 250 = 1,250 against a printed 1,520: 250 for 520 would fit, but over
    # many rows some swap fits any gap of 9 x a power of ten by chance (volume 3(5), row 155)
    rows = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no", "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,250,no",
            "a3,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่า,2567,250,no"]
    assert _table_total(tmp_path, rows[:2], "agency,กรมหนึ่ง,2567,1.52,million_baht").hint == "missing_rows"
    # 1,000 + 250 + 250 = 1,500 against 1,050: both 250s as 25 would fit; one row's point only
    assert _table_total(tmp_path, rows, "agency,กรมหนึ่ง,2567,1.05,million_baht").hint == "extra_rows"
    # the engine on rows: no swap tried (a plan's row of yearly values still gets one: likely_cause)
    assert gap_cause([Part(D(1)), Part(D("0.25"))], D("1.52")) is None


# ---- a plan's totals, the table's hints -------------------------------------------------------


def _tactic(tmp_path, projects, total="10"):
    return run_checks(tiny.build(tmp_path, strategies=[tiny.strategy("1")],
                                 tactics=[tiny.tactic("1.1", total=total, line=2)], projects=projects))


def test_plan_tactic_with_a_subtotal_kept_beside_its_projects(tmp_path):
    # 4 + 6 + 10 = 20 against a printed 10: project 1.3 is the subtotal of 1.1 and 1.2
    f = _one(_tactic(tmp_path, [
        tiny.project("1.1", ["1", "1", "1", "0.5", "0.5"], "4", tactic_id="1.1", line=10),
        tiny.project("1.2", ["1", "1", "1", "1.5", "1.5"], "6", tactic_id="1.1", line=11),
        tiny.project("1.3", ["2"] * 5, "10", tactic_id="1.1", line=12, name="รวมกลยุทธ์ 1.1"),
    ]), "tactic_total", "1.1")
    assert f.hint == "subtotal_double_count"
    assert f.message.endswith(
        "(มากกว่า 10 ล้านบาท) — สาเหตุที่เป็นไปได้: มีแถวยอดรวมย่อยอยู่คู่กับรายการของมัน จึงนับซ้ำ — 10 ของโครงการ 1.3"
        " เท่ากับผลรวมของโครงการ 1.1, โครงการ 1.2 ตัดออกแล้วรวมได้ 10 ล้านบาทพอดี")
    assert f.message_en.endswith(
        "likely cause: a subtotal row kept beside its items double-counts: 10 in project 1.3 is the sum of"
        " project 1.1, project 1.2; dropping it adds up to exactly 10")


def test_plan_tactic_with_a_project_listed_twice_under_two_ids(tmp_path):
    # 4 + 6 + 6 = 16 against 10: 1.3 has 1.2's name and amount
    f = _one(_tactic(tmp_path, [
        tiny.project("1.1", ["1", "1", "1", "0.5", "0.5"], "4", tactic_id="1.1", name="อบรม"),
        tiny.project("1.2", ["1", "1", "1", "1.5", "1.5"], "6", tactic_id="1.1", name="ศึกษาดูงาน"),
        tiny.project("1.3", ["1", "1", "1", "1.5", "1.5"], "6", tactic_id="1.1", name="ศึกษาดูงาน"),
    ]), "tactic_total", "1.1")
    assert f.hint == "duplicate_rows"
    assert f.message.endswith("สาเหตุที่เป็นไปได้: มีแถวซ้ำกัน จึงนับซ้ำ — โครงการ 1.3 ซ้ำกับโครงการ 1.2 (6 ล้านบาท)"
                              " ตัดออกแล้วรวมได้ 10 ล้านบาทพอดี")


def test_plan_two_projects_of_the_same_amount_are_not_a_subtotal(tmp_path):
    # like the seed's tactic 5.3: printed 10, two different projects of 10 each. One project is
    # not a subtotal of one other, nor a duplicate (names differ), and a plan's projects are not
    # read as cells: no hint.
    f = _one(_tactic(tmp_path, [
        tiny.project("1.1", ["2"] * 5, "10", tactic_id="1.1", name="ระบบเตือนภัย"),
        tiny.project("1.2", ["2"] * 5, "10", tactic_id="1.1", name="ระบบไอที"),
    ]), "tactic_total", "1.1")
    assert f.hint is None and "สาเหตุ" not in f.message


def test_plan_subtotal_and_duplicate_both_fit_the_subtotal_is_named(tmp_path):
    # 2 + 3 + 5 + 5 = 15 against 10: 1.3 = 1.1 + 1.2 (a subtotal), and 1.4 repeats 1.3 (a duplicate)
    f = _one(_tactic(tmp_path, [
        tiny.project("1.1", ["1", "1", "0", "0", "0"], "2", tactic_id="1.1", name="ก"),
        tiny.project("1.2", ["1", "1", "1", "0", "0"], "3", tactic_id="1.1", name="ข"),
        tiny.project("1.3", ["1"] * 5, "5", tactic_id="1.1", name="ค"),
        tiny.project("1.4", ["1"] * 5, "5", tactic_id="1.1", name="ค"),
    ]), "tactic_total", "1.1")
    assert f.hint == "subtotal_double_count" and "เท่ากับผลรวมของโครงการ 1.1, โครงการ 1.2" in f.message


# ---- the order, on the engine itself ------------------------------------------------------------


def test_order_when_several_causes_fit():
    # 2 + 3 + 5 + 5 = 15 against 10; as printed cells (a table) the last 5 also repeats its neighbour
    parts = [Part(D(2), "ก"), Part(D(3), "ข"), Part(D(5), "ค"), Part(D(5), "ค")]
    h = gap_cause(parts, D(10))
    assert (h.code, h.cells, h.basis) == ("subtotal_double_count", ((2, D(5), None),), (0, 1))
    # no subtotal (5 + 5 + 5 against 10): the duplicate comes before the repeated value
    parts = [Part(D(5), "กข"), Part(D(5), "ค"), Part(D(5), "ค")]
    assert (gap_cause(parts, D(10)).code, gap_cause(parts, D(10)).basis) == ("duplicate_rows", (1,))
    # different names: the repeated value; not read as cells (a plan's projects): nothing
    parts = [Part(D(5), "ก"), Part(D(5), "ข"), Part(D(5), "ค")]
    assert (gap_cause(parts, D(10)).code, gap_cause(parts, D(10)).cells) == ("repeated_value", ((1, D(5), None),))
    assert gap_cause(parts, D(10), cells=False) is None
    # the source's own flag first: a flagged subtotal row whose amount is the gap
    flagged = [Part(D(5), "ก"), Part(D(5), "ข", frozenset({"suspected_subtotal"})), Part(D(5), "ค")]
    assert gap_cause(flagged, D(10)).cells == ((1, D(5), None),)
    # the printed total read differently (1 + 9.5 = 10.5, printed 105): for sums checked on their
    # own (a plan's projects); a table's printed totals come clean from the volume
    assert gap_cause([Part(D(1)), Part(D("9.5"))], D(105), cells=False).cells == (("total", D(105), D("10.5")),)
    assert gap_cause([Part(D(1)), Part(D("9.5"))], D(105)) is None


def test_subtotal_printed_above_or_below_its_items():
    # above: 5 then 2, 3 (the Budget Bureau prints a category's total, then its items)
    h = gap_cause([Part(D(5)), Part(D(2)), Part(D(3))], D(5), cells=False)
    assert (h.cells, h.basis) == (((0, D(5), None),), (1, 2))
    # below: 2, 3 then 5
    h = gap_cause([Part(D(2)), Part(D(3)), Part(D(5))], D(5), cells=False)
    assert (h.cells, h.basis) == (((2, D(5), None),), (0, 1))
    # both fit (2, 3, 5, 2, 3 against 10): the items after it, as the Budget Bureau prints them
    h = gap_cause([Part(D(2)), Part(D(3)), Part(D(5)), Part(D(2)), Part(D(3))], D(10), cells=False)
    assert (h.cells, h.basis) == (((2, D(5), None),), (3, 4))
    # the run must touch it: 2, 9, 3, 5 has no neighbouring run of 5 beside the 5
    assert gap_cause([Part(D(2)), Part(D(9)), Part(D(3)), Part(D(5))], D(14), cells=False) is None


def test_rows_without_amount_explain_a_short_total_malformed_before_missing():
    parts = [Part(D(1)), Part(None, flags=frozenset({"missing_amount"})),
             Part(None, flags=frozenset({"malformed_amount"}))]
    h = gap_cause(parts, D(3))
    assert h.code == "malformed_amount" and [i for i, _, _ in h.cells] == [2, 1]
    # more than printed: rows without amount do not explain it
    assert gap_cause(parts, D("0.5"), cells=False) is None


def test_a_plans_new_hint_reads_in_thai_in_the_report_table(tmp_path):
    from coopanalysis.present.findings import strategy_findings_table

    findings = _tactic(tmp_path, [
        tiny.project("1.1", ["1", "1", "1", "0.5", "0.5"], "4", tactic_id="1.1", name="อบรม"),
        tiny.project("1.2", ["1", "1", "1", "1.5", "1.5"], "6", tactic_id="1.1", name="ศึกษาดูงาน"),
        tiny.project("1.3", ["1", "1", "1", "1.5", "1.5"], "6", tactic_id="1.1", name="ศึกษาดูงาน"),
    ])
    text = strategy_findings_table(findings).text()
    assert "สาเหตุที่เป็นไปได้: รายการซ้ำกัน จึงนับซ้ำ" in text and "duplicate_rows" not in text
