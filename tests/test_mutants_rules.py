"""The plan's rules (``checks/group_rules.py``, ``checks/project_rules.py``) finding by finding,
for the planted bugs (``make mutants``) the other check tests let through: every field a reader
or a program gets (severity, code, node, line, name, the exact amounts, the hint, the printed
cells) and the whole Thai and English message, on small hand-made plans. Every expected value is
typed here from the plan built beside it.
"""

from __future__ import annotations

from dataclasses import asdict

from helpers import load_tiny  # tests/helpers.py

from coopanalysis.checks import run_checks

tiny = load_tiny()

UNPLACED_TH = ("จัดค่าลงปีไม่ได้อย่างมั่นใจ จึงเว้นงบรายปีไว้ และนับยอดรวมที่พิมพ์แทนในยอดของกลยุทธ์/ยุทธศาสตร์")
UNPLACED_EN = ("they cannot be placed in years with confidence, so yearly amounts are left empty and the printed"
               " total is counted in the tactic/strategy totals")


def found(plan, *checks: str, **kw) -> dict:
    """(check, id, fiscal_year) -> the finding's fields that are set, for the given checks."""
    return {(f.check, f.id, f.fiscal_year): {k: v for k, v in asdict(f).items() if v not in (None, "", [])}
            for f in run_checks(plan, **kw) if f.check in checks}


# ---- one project --------------------------------------------------------------------------------


def test_unreconciled_rows_say_what_was_printed(tmp_path):
    without_count = tiny.project("5.8", None, "", status="unreconciled", line=12)
    without_count["row"]["n_values"] = 4  # counted by the ingest, no table row kept
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("5")], projects=[
        tiny.project("5.7", [""] * 5, "60", status="unreconciled", printed=["1", "10", "10", "10", "10", "10"],
                     line=33, name="อบรมสมาชิก"),
        tiny.project("5.9", [""] * 5, "20", status="unreconciled", printed=["5", "5", "5", "5"], line=34),
        without_count,
        tiny.project("5.10", None, "7", status="unreconciled", line=35)])
    got = found(plan, "project_unreconciled")
    assert got[("project_unreconciled", "5.7", None)] == {
        "severity": "error", "check": "project_unreconciled", "level": "project", "id": "5.7", "stated": "60",
        "source_line": 33, "strategy_id": "5", "name": "อบรมสมาชิก",
        "cells": ["บรรทัด 33: 1 10 10 10 10 10 | รวม 60"],
        "message": ("โครงการ 5.7: แถวงบประมาณพิมพ์ตัวเลข 6 ค่า (1, 10, 10, 10, 10, 10) สำหรับ 5 ปีงบประมาณ"
                    f" รวมได้ 51 ล้านบาท เทียบกับยอดรวมที่พิมพ์ 60 ล้านบาท — {UNPLACED_TH}"),
        "message_en": ("project 5.7: the budget row prints 6 values (1, 10, 10, 10, 10, 10) for 5 fiscal years,"
                       f" adding up to 51, against the printed total 60; {UNPLACED_EN}"),
    }
    nine = got[("project_unreconciled", "5.9", None)]
    assert nine["hint"] == "missing_year" and nine["stated"] == "20"
    assert nine["message"] == (
        "โครงการ 5.9: แถวงบประมาณพิมพ์ตัวเลข 4 ค่า (5, 5, 5, 5) สำหรับ 5 ปีงบประมาณ รวมได้ 20 ล้านบาท"
        f" เทียบกับยอดรวมที่พิมพ์ 20 ล้านบาท — {UNPLACED_TH} — สาเหตุที่เป็นไปได้: ตัวเลขปีหนึ่งหายไป"
        " — ค่าที่พิมพ์มีน้อยกว่าจำนวนปีหนึ่งค่า แต่รวมได้เท่ายอดรวมพอดี")
    assert nine["message_en"].endswith(
        f"{UNPLACED_EN}; likely cause: a missing year: one value fewer than the years, and they add up to the total")
    eight = got[("project_unreconciled", "5.8", None)]
    assert "stated" not in eight and "hint" not in eight and eight["source_line"] == 12
    assert eight["message"] == (f"โครงการ 5.8: แถวงบประมาณพิมพ์ตัวเลข 4 ค่าสำหรับ 5 ปีงบประมาณ"
                                f" โดยไม่มียอดรวมที่พิมพ์ — {UNPLACED_TH}")
    assert eight["message_en"] == (f"project 5.8: the budget row prints 4 values for 5 fiscal years, with no"
                                   f" printed total; {UNPLACED_EN}")
    ten = got[("project_unreconciled", "5.10", None)]
    assert ten["message"] == (f"โครงการ 5.10: แถวงบประมาณพิมพ์ตัวเลข ? ค่าสำหรับ 5 ปีงบประมาณ"
                              f" เทียบกับยอดรวมที่พิมพ์ 7 ล้านบาท — {UNPLACED_TH}")
    assert ten["message_en"].startswith("project 5.10: the budget row prints ? values for 5 fiscal years, against"
                                        " the printed total 7;")


def test_unreconciled_rows_whose_hint_names_the_printed_total(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", [""] * 5, "15", status="unreconciled", printed=["5", "2", "2", "3", "4", "1"]),
        tiny.project("1.2", [""] * 5, "8", status="unreconciled", printed=["1", "30", "2", "1", "1"])])
    got = found(plan, "project_unreconciled")
    one, two = got[("project_unreconciled", "1.1", None)], got[("project_unreconciled", "1.2", None)]
    assert one["hint"] == "repeated_value" and two["hint"] == "lost_decimal"
    assert one["message"].endswith(
        f"รวมได้ 17 ล้านบาท เทียบกับยอดรวมที่พิมพ์ 15 ล้านบาท — {UNPLACED_TH} — สาเหตุที่เป็นไปได้:"
        " ค่า 2 ถูกพิมพ์ซ้ำลงช่องถัดไป (ค่าที่ 3) — ตัดออกแล้วรวมได้ 15 ล้านบาทพอดี")
    assert one["message_en"].endswith(
        f"{UNPLACED_EN}; likely cause: value 2 repeated into the next cell (value 3); dropping it adds up to exactly 15")
    assert two["message"].endswith(
        f"รวมได้ 35 ล้านบาท เทียบกับยอดรวมที่พิมพ์ 8 ล้านบาท — {UNPLACED_TH} — สาเหตุที่เป็นไปได้:"
        " จุดทศนิยมหายไป — ถ้า 30 ของค่าที่ 2 เป็น 3 จะรวมได้ 8 ล้านบาทพอดี")
    assert two["message_en"].endswith(
        f"{UNPLACED_EN}; likely cause: lost decimal point: reading 30 in value 2 as 3 adds up to exactly 8")


def test_unreconciled_row_of_a_plan_without_fiscal_years(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("5")], years=[], projects=[
        tiny.project("5.7", [""] * 3, "60", status="unreconciled", printed=["1", "10", "10"], years=[2560, 2561, 2562])])
    (f,) = found(plan, "project_unreconciled").values()
    assert f["message"].startswith("โครงการ 5.7: แถวงบประมาณพิมพ์ตัวเลข 3 ค่า (1, 10, 10) สำหรับ ? ปีงบประมาณ รวมได้ 21")
    assert "hint" not in f  # no year count to compare the values with
    assert f["message_en"].startswith("project 5.7: the budget row prints 3 values (1, 10, 10) for ? fiscal years,")
    counted = tiny.project("5.8", None, "", status="unreconciled")
    counted["row"]["n_values"] = 3  # counted by the ingest, no table row kept
    plan = tiny.build(tmp_path / "counted", strategies=[tiny.strategy("5")], years=[], projects=[counted])
    (f,) = found(plan, "project_unreconciled").values()
    assert f["message"].startswith("โครงการ 5.8: แถวงบประมาณพิมพ์ตัวเลข 3 ค่าสำหรับ ? ปีงบประมาณ โดยไม่มียอดรวมที่พิมพ์")
    assert f["message_en"].startswith("project 5.8: the budget row prints 3 values for ? fiscal years, with no"
                                      " printed total;")


def test_a_repaired_row(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("3")], projects=[
        tiny.project("3.4", ["5", "2", "3", "4", "1"], "15", status="repaired", printed=["5", "2", "2", "3", "4", "1"],
                     note="dropped the repeated value 2", line=44),
        tiny.project("3.5", ["1"] * 5, "5", status="repaired", printed=["1"] * 5)])
    got = found(plan, "project_repaired")
    assert got[("project_repaired", "3.4", None)] == {
        "severity": "warning", "check": "project_repaired", "level": "project", "id": "3.4",
        "stated": "15", "computed": "15", "difference": "0", "hint": "repeated_value", "source_line": 44,
        "strategy_id": "3", "name": "โครงการ 3.4", "cells": ["บรรทัด 44: 5 2 2 3 4 1 | รวม 15"],
        "message": ("โครงการ 3.4: ตัดค่า 2 ที่ซ้ำเข้าไปในคอลัมน์เกินออก แล้วรวมได้ 15 ล้านบาท ตรงกับยอดรวมที่พิมพ์"
                    " (แถวนี้พิมพ์ตัวเลข 6 ค่าสำหรับ 5 ปีงบประมาณ) — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี"),
        "message_en": "project 3.4: repaired by the ingest: dropped the repeated value 2",
    }
    # nothing dropped that can be named, the count agrees, no note
    five = got[("project_repaired", "3.5", None)]
    assert five["message"] == ("โครงการ 3.5: ตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออก แล้วรวมได้ 5 ล้านบาท ตรงกับยอดรวมที่พิมพ์"
                               " — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี")
    assert five["message_en"] == "project 3.5: repaired by the ingest: layout artefact undone"


def test_repaired_rows_that_dropped_two_values_or_have_no_table_row_or_no_total(tmp_path):
    bare = tiny.project("3.6", ["1"] * 5, "5", status="repaired")
    bare["listings"], bare["row"]["n_listings"] = [], 0  # its table row was not kept
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("3")], projects=[
        tiny.project("3.4", ["5", "2", "3", "4", "1"], "15", status="repaired", printed=["5", "2", "2", "3", "3", "4", "1"]),
        bare,
        tiny.project("3.7", [""] * 5, "", status="repaired", printed=["1"] * 6)])
    got = found(plan, "project_repaired")
    assert got[("project_repaired", "3.4", None)]["message"] == (
        "โครงการ 3.4: ตัดค่า 2, 3 ที่ซ้ำเข้าไปในคอลัมน์เกินออก แล้วรวมได้ 15 ล้านบาท ตรงกับยอดรวมที่พิมพ์"
        " (แถวนี้พิมพ์ตัวเลข 7 ค่าสำหรับ 5 ปีงบประมาณ) — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี")
    assert got[("project_repaired", "3.6", None)]["message"] == (
        "โครงการ 3.6: ตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออก แล้วรวมได้ 5 ล้านบาท ตรงกับยอดรวมที่พิมพ์"
        " — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี")
    seven = got[("project_repaired", "3.7", None)]["message"]  # no amount placed: nothing added up
    assert "แล้วรวมได้" not in seven
    assert seven.endswith("ที่ซ้ำเข้าไปในคอลัมน์เกินออก (แถวนี้พิมพ์ตัวเลข 6 ค่าสำหรับ 5 ปีงบประมาณ)"
                          " — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี")


def test_project_total_from_the_project_sheet_of_a_plan_without_fiscal_years(tmp_path):
    # the plan names no fiscal years: the cells list the project's own years, in order
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("2")], years=[], projects=[
        tiny.project("2.1", None, "5", sheet=["1", "1", "1", "1", "2"], status="sheet_only", line=20,
                     years=[2561, 2560, 2562, 2563, 2564])])
    assert found(plan, "project_total") == {("project_total", "2.1", None): {
        "severity": "error", "check": "project_total", "level": "project", "id": "2.1", "stated": "5",
        "computed": "6", "difference": "1", "source_line": 20, "strategy_id": "2", "name": "โครงการ 2.1",
        "cells": ["2560: 1", "2561: 1", "2562: 1", "2563: 1", "2564: 2", "รวมที่พิมพ์: 5"],
        "message": ("โครงการ 2.1: งบประมาณรายปี (จากรายละเอียดโครงการ)รวมกันได้ 6 ล้านบาท แต่ยอดรวมที่พิมพ์คือ 5 ล้านบาท"
                    " (มากกว่า 1 ล้านบาท)"),
        "message_en": "project 2.1: yearly amounts add up to 6 million baht but the printed total is 5 (1 more)",
    }}


def test_project_total_with_its_hint_and_value_count(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("6")], projects=[
        tiny.project("6.1", ["0.5", "5", "15", "1.5", "1.5"], "10", status="mismatch", printed=["0.5", "5", "15", "1.5"],
                     line=61)])
    (f,) = found(plan, "project_total").values()
    assert (f["stated"], f["computed"], f["difference"], f["hint"]) == ("10", "23.5", "13.5", "lost_decimal")
    assert f["cells"] == ["2560: 0.5", "2561: 5", "2562: 15", "2563: 1.5", "2564: 1.5", "รวมที่พิมพ์: 10"]
    assert f["message"].startswith(
        "โครงการ 6.1: งบประมาณรายปีรวมกันได้ 23.5 ล้านบาท แต่ยอดรวมที่พิมพ์คือ 10 ล้านบาท (มากกว่า 13.5 ล้านบาท)"
        " (แถวนี้พิมพ์ตัวเลข 4 ค่าสำหรับ 5 ปีงบประมาณ) — สาเหตุที่เป็นไปได้:")
    assert "ปี 2562" in f["message"]  # the hint names the year by its label
    assert f["message_en"] == (
        "project 6.1: yearly amounts add up to 23.5 million baht but the printed total is 10 (13.5 more)"
        " (4 values printed for 5 fiscal years); likely cause: lost decimal point: reading 15 in 2562 as 1.5"
        " adds up to exactly 10")


# ---- table rows ---------------------------------------------------------------------------------


def test_listings_identical_and_conflicting_in_full(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("4")], projects=[
        tiny.project("4.1", ["5"] * 5, "25", line=18, listings=[("5 5 5 5 5", "25", 20), ("5 5 5 5 5", "25.0", 22)]),
        tiny.project("4.2", ["4"] * 5, "20", line=30, name="ฝึกอบรม", listings=[("4 4 4 4 5", "21", 32)]),
        tiny.project("4.3", ["4"] * 5, "20", line=40, listings=[("4 4 4 4 4", "", 41)]),
        tiny.project("4.4", ["4"] * 5, "20", line=50, listings=[("4 4 4 4 4", "20", 51)])])
    got = found(plan, "duplicate_listing", "listing_conflict")
    assert got[("duplicate_listing", "4.1", None)] == {
        "severity": "info", "check": "duplicate_listing", "level": "project", "id": "4.1", "source_line": 18,
        "strategy_id": "4", "name": "โครงการ 4.1",
        "cells": ["บรรทัด 18: 5 5 5 5 5 | รวม 25", "บรรทัด 20: 5 5 5 5 5 | รวม 25", "บรรทัด 22: 5 5 5 5 5 | รวม 25.0"],
        "message": "โครงการ 4.1: อยู่ในตาราง 3 แถว (บรรทัด 18, 20, 22) ตัวเลขเหมือนกันทุกช่อง — นับครั้งเดียว",
        "message_en": "project 4.1: listed 3 times (lines 18, 20, 22) with identical figures; counted once",
    }
    assert got[("listing_conflict", "4.2", None)] == {
        "severity": "error", "check": "listing_conflict", "level": "project", "id": "4.2", "source_line": 30,
        "strategy_id": "4", "name": "ฝึกอบรม",
        "cells": ["บรรทัด 30: 4 4 4 4 4 | รวม 20", "บรรทัด 32: 4 4 4 4 5 | รวม 21"],
        "message": ("โครงการ 4.2: อยู่ในตาราง 2 แถวที่ตัวเลขไม่ตรงกัน (บรรทัด 30: 4 4 4 4 4 | รวม 20;"
                    " บรรทัด 32: 4 4 4 4 5 | รวม 21) — การคำนวณใช้แถวแรก"),
        "message_en": ("project 4.2: listed 2 times (lines 30, 32) with figures that disagree; totals use the first"
                       " listing"),
    }
    assert ("listing_conflict", "4.3", None) in got  # one row prints its total, the other does not
    assert ("duplicate_listing", "4.4", None) in got
    assert len(got) == 4


def test_listings_whose_cells_are_not_amounts_are_compared_as_printed(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("4")], projects=[
        tiny.project("4.1", ["5"] * 5, "25", line=18, printed=["5", "5", "5", "5", "x5"],
                     listings=[("5 5 5 5 x5", "25", 20)]),
        tiny.project("4.2", ["5"] * 5, "25", line=30, printed=["5", "5", "5", "5", "x5"],
                     listings=[("5 5 5 5 y5", "25", 31)])])
    got = found(plan, "duplicate_listing", "listing_conflict")
    assert set(got) == {("duplicate_listing", "4.1", None), ("listing_conflict", "4.2", None)}


def test_sheet_against_table_in_full_and_in_id_order(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.10", ["1"] * 5, "5", sheet=["1", "1", "0.5", "1", "3"], line=50, name="สิบ"),
        tiny.project("1.9", ["1"] * 5, "5", sheet=["1.004", "1", "1", "1", "1.006"], line=60),
        tiny.project("1.8", ["1", "", "1", "1", "1"], "", sheet=["1", "7", "1", "1", "1"], line=70)])
    findings = [f for f in run_checks(plan) if f.check == "sheet_vs_table"]
    assert [(f.id, f.fiscal_year) for f in findings] == [("1.9", 2564), ("1.10", 2562), ("1.10", 2564)]
    assert {k: v for k, v in asdict(findings[1]).items() if v not in (None, "", [])} == {
        "severity": "error", "check": "sheet_vs_table", "level": "project", "id": "1.10", "fiscal_year": 2562,
        "stated": "1", "computed": "0.5", "difference": "-0.5", "source_line": 150, "strategy_id": "1", "name": "สิบ",
        "cells": ["ตารางรายละเอียด บรรทัด 50: 2562 = 1", "รายละเอียดโครงการ บรรทัด 150: 2562 = 0.5"],
        "message": ("โครงการ 1.10 ปี 2562: รายละเอียดโครงการ (บรรทัด 150) ประมาณการ 0.5 ล้านบาท"
                    " แต่ตารางรายละเอียดแผน (บรรทัด 50) พิมพ์ 1 ล้านบาท (น้อยกว่า 0.5 ล้านบาท)"),
        "message_en": ("project 1.10 2562: the project sheet (line 150) budgets 0.5 but the detail table (line 50)"
                       " prints 1 (0.5 less)"),
    }
    assert (findings[0].stated, findings[0].computed, findings[0].difference) == ("1", "1.006", "0.006")
    assert findings[2].message.endswith("(มากกว่า 2 ล้านบาท)") and findings[2].message_en.endswith("(2 more)")


def test_sheet_rows_without_a_year_or_of_another_source_are_not_compared(tmp_path):
    extra = [{"project_id": "1.1", "fiscal_year": "", "amount_mb": "9", "source": "project_sheet", "source_line": 80},
             {"project_id": "1.1", "fiscal_year": 2561, "amount_mb": "9", "source": "summary", "source_line": 81}]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], budget=extra, projects=[
        tiny.project("1.1", ["1"] * 5, "5", sheet=["1"] * 5)])
    assert found(plan, "sheet_vs_table") == {}


# ---- groups -------------------------------------------------------------------------------------


def groups_plan(tmp_path):
    return tiny.build(
        tmp_path,
        strategies=[tiny.strategy("1", total="20", count="3", name="พัฒนาคน", line=5, total_line=7, count_line=6),
                    tiny.strategy("2", total="8", count="2", line=20, total_line=21, count_line=22),
                    tiny.strategy("3", total="4", line=30), tiny.strategy("4", count="2", line=40),
                    tiny.strategy("5", total="9", count="1", line=50, total_line=51, count_line=52)],
        tactics=[tiny.tactic("1.1", total="12", count="2", name="อบรม", line=8, total_line=9, count_line=10),
                 tiny.tactic("1.2", total="6", line=11, total_line=12),
                 tiny.tactic("2.1", total="8", count="5", line=20, total_line=21, count_line=23),
                 tiny.tactic("2.2", total="1", count="1", line=25),
                 tiny.tactic("3.1", total="4", count="1", line=31)],
        projects=[tiny.project("1.1", ["1", "1", "1", "1", "1"], "5", tactic_id="1.1", line=100),
                  tiny.project("1.2", None, "6", tactic_id="1.1", status="unreconciled", line=101),
                  tiny.project("1.3", None, "", tactic_id="1.2", status="listed_only", line=102),
                  tiny.project("2.1", ["1", "1", "1", "1", "1"], "5", tactic_id="2.1"),
                  tiny.project("2.2", ["1", "1", "1", "1", "1"], "5", tactic_id="2.1"),
                  tiny.project("5.1", None, "", status="listed_only")])


GROUP_CHECKS = ("tactic_total", "tactic_count", "strategy_total", "strategy_count", "no_detail", "no_figures",
                "plan_total")


def test_group_findings_are_exactly_these(tmp_path):
    got = found(groups_plan(tmp_path), *GROUP_CHECKS)
    assert sorted(got) == sorted([
        ("tactic_total", "1.1", None),     # 12 printed, 5 + 6 (1.2 at its printed total)
        ("no_figures", "1.2", None),       # its one project has no figures
        ("tactic_count", "2.1", None),     # 5 printed, 2 found; its total is strategy 2's cell
        ("no_detail", "2.2", None),        # printed, no project
        ("strategy_total", "1", None),     # 20 vs 11; its count 3 = 3
        ("strategy_total", "2", None),     # 8 vs 10; count 2 = 2
        ("no_detail", "3", None),          # tactic 3.1 not checked: its strategy has no detail
        ("no_detail", "4", None),          # a count only
        ("no_figures", "5", None),
        ("plan_total", "plan", None),
    ])


def test_group_total_with_projects_counted_at_their_printed_total_or_without_figures(tmp_path):
    got = found(groups_plan(tmp_path), *GROUP_CHECKS)
    assert got[("strategy_total", "1", None)] == {
        "severity": "error", "check": "strategy_total", "level": "strategy", "id": "1", "stated": "20",
        "computed": "11", "difference": "-9", "source_line": 7, "strategy_id": "1", "name": "พัฒนาคน",
        "cells": ["1.1: 5", "1.2: 6 (ยอดที่พิมพ์)"],
        "message": ("ยุทธศาสตร์ที่ 1 «พัฒนาคน»: หน้าสรุปพิมพ์งบประมาณรวม 20 ล้านบาท (บรรทัด 7) แต่โครงการในรายละเอียด"
                    " 3 โครงการรวมได้ 11 ล้านบาท (น้อยกว่า 9 ล้านบาท); ในจำนวนนี้ 1 โครงการ (1.2)"
                    " นับตามยอดรวมที่พิมพ์เพราะแยกงบรายปีไม่ได้; 1 โครงการ (1.3) ไม่มีตัวเลข"),
        "message_en": ("strategy 1: the summary prints 20 million baht but its 3 projects in the detail add up to 11"
                       " (9 less); 1 (1.2) counted at their printed total; 1 (1.3) without figures"),
    }
    tactic = got[("tactic_total", "1.1", None)]
    assert (tactic["level"], tactic["strategy_id"], tactic["name"], tactic["source_line"]) == ("tactic", "1", "อบรม", 9)
    assert tactic["message"] == (
        "กลยุทธ์ 1.1 «อบรม»: หน้าสรุปพิมพ์งบประมาณรวม 12 ล้านบาท (บรรทัด 9) แต่โครงการในรายละเอียด 2 โครงการ"
        "รวมได้ 11 ล้านบาท (น้อยกว่า 1 ล้านบาท); ในจำนวนนี้ 1 โครงการ (1.2) นับตามยอดรวมที่พิมพ์เพราะแยกงบรายปีไม่ได้")
    two = got[("strategy_total", "2", None)]
    assert two["message"] == ("ยุทธศาสตร์ที่ 2 «ยุทธศาสตร์ 2»: หน้าสรุปพิมพ์งบประมาณรวม 8 ล้านบาท (บรรทัด 21)"
                              " แต่โครงการในรายละเอียด 2 โครงการรวมได้ 10 ล้านบาท (มากกว่า 2 ล้านบาท)")
    assert two["message_en"] == ("strategy 2: the summary prints 8 million baht but its 2 projects in the detail add"
                                 " up to 10 (2 more)")
    assert two["cells"] == ["2.1: 5", "2.2: 5"]


def test_a_group_total_without_a_line_of_its_own(tmp_path):
    # the printed total has no line: no "(บรรทัด …)", and the finding points at the group's line
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="9", line=3, total_line="")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5")])
    (f,) = found(plan, "strategy_total").values()
    assert f["source_line"] == 3
    assert f["message"] == ("ยุทธศาสตร์ที่ 1 «ยุทธศาสตร์ 1»: หน้าสรุปพิมพ์งบประมาณรวม 9 ล้านบาท แต่โครงการในรายละเอียด"
                            " 1 โครงการรวมได้ 5 ล้านบาท (น้อยกว่า 4 ล้านบาท)")


def test_counts_and_completeness_in_full(tmp_path):
    got = found(groups_plan(tmp_path), *GROUP_CHECKS)
    assert got[("tactic_count", "2.1", None)] == {
        "severity": "error", "check": "tactic_count", "level": "tactic", "id": "2.1", "source_line": 23,
        "strategy_id": "2", "name": "กลยุทธ์ 2.1", "cells": ["จำนวนที่พิมพ์ บรรทัด 23: 5", "โครงการที่พบ: 2.1, 2.2"],
        "message": "กลยุทธ์ 2.1 «กลยุทธ์ 2.1»: หน้าสรุปพิมพ์ว่ามี 5 โครงการ แต่รายละเอียดมี 2 โครงการ (2.1, 2.2)",
        "message_en": "tactic 2.1: the summary prints 5 projects but the detail has 2 (2.1, 2.2)",
    }
    assert got[("no_detail", "2.2", None)] == {
        "severity": "warning", "check": "no_detail", "level": "tactic", "id": "2.2", "stated": "1", "source_line": 25,
        "strategy_id": "2", "name": "กลยุทธ์ 2.2",
        "message": ("กลยุทธ์ 2.2 «กลยุทธ์ 2.2»: หน้าสรุปพิมพ์งบประมาณ 1 ล้านบาท และ 1 โครงการ"
                    " แต่ไม่มีรายละเอียดโครงการในเอกสาร — ตรวจสอบความครบถ้วน (ไม่นำไปเทียบยอด)"),
        "message_en": ("tactic 2.2: the summary prints a budget of 1 million baht and 1 project but the document"
                       " gives no project detail; completeness (not reconciled)"),
    }
    three = got[("no_detail", "3", None)]
    assert (three["stated"], three["source_line"]) == ("4", 30)
    assert three["message"].startswith("ยุทธศาสตร์ที่ 3 «ยุทธศาสตร์ 3»: หน้าสรุปพิมพ์งบประมาณ 4 ล้านบาท แต่ไม่มี")
    assert three["message_en"].startswith("strategy 3: the summary prints a budget of 4 million baht but the")
    four = got[("no_detail", "4", None)]
    assert "stated" not in four
    assert four["message"].startswith("ยุทธศาสตร์ที่ 4 «ยุทธศาสตร์ 4»: หน้าสรุปพิมพ์ว่ามี 2 โครงการ แต่ไม่มี")
    assert four["message_en"].startswith("strategy 4: the summary prints 2 projects but the")
    assert got[("no_figures", "5", None)] == {
        "severity": "warning", "check": "no_figures", "level": "strategy", "id": "5", "stated": "9", "source_line": 51,
        "strategy_id": "5", "name": "ยุทธศาสตร์ 5",
        "message": ("ยุทธศาสตร์ที่ 5 «ยุทธศาสตร์ 5»: หน้าสรุปพิมพ์งบประมาณ 9 ล้านบาท แต่โครงการที่พบ 1 โครงการ"
                    "ไม่มีตัวเลขงบประมาณเลย — เทียบยอดไม่ได้"),
        "message_en": ("strategy 5: the summary prints 9 million baht but none of its 1 project has figures;"
                       " cannot reconcile"),
    }
    assert got[("no_figures", "1.2", None)]["source_line"] == 12


def test_an_incomplete_group_points_at_its_printed_total(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("3", total="4", line=30, total_line=33),
                                            tiny.strategy("4", count="2", line=40, count_line=42)])
    got = found(plan, "no_detail")
    assert got[("no_detail", "3", None)]["source_line"] == 33
    assert got[("no_detail", "4", None)]["source_line"] == 40  # a count only: the group's own line


def test_a_tactic_and_its_strategy_without_lines_do_not_share_cells(tmp_path):
    # neither printed cell has a line: nothing says they are the same cell, so both are checked
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="9", count="2", line=3, total_line="", count_line="")],
                      tactics=[tiny.tactic("1.1", total="9", count="2", line=4, total_line="", count_line="")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5", tactic_id="1.1")])
    assert sorted(found(plan, *GROUP_CHECKS)) == [
        ("plan_total", "plan", None), ("strategy_count", "1", None), ("strategy_total", "1", None),
        ("tactic_count", "1.1", None), ("tactic_total", "1.1", None)]
    plan = tiny.build(tmp_path / "empty", strategies=[tiny.strategy("1", total="9", line=3, total_line="")],
                      tactics=[tiny.tactic("1.1", total="9", line=4, total_line=""), tiny.tactic("1.2", count="1", line=5)],
                      projects=[tiny.project("1.2", ["1"] * 5, "5", tactic_id="1.2")])
    assert sorted(found(plan, *GROUP_CHECKS)) == [
        ("no_detail", "1.1", None), ("plan_total", "plan", None), ("strategy_total", "1", None)]


def test_groups_without_a_name(tmp_path):
    strategy, tactic = tiny.strategy("1", total="9", line=3), tiny.tactic("1.1", count="3", line=4)
    strategy["name"] = tactic["name"] = ""
    plan = tiny.build(tmp_path, strategies=[strategy], tactics=[tactic],
                      projects=[tiny.project("1.1", ["1"] * 5, "5", tactic_id="1.1")])
    got = found(plan, *GROUP_CHECKS)
    assert got[("strategy_total", "1", None)]["message"].startswith(
        "ยุทธศาสตร์ที่ 1: หน้าสรุปพิมพ์งบประมาณรวม 9 ล้านบาท (บรรทัด 3)")
    assert got[("tactic_count", "1.1", None)]["message"] == (
        "กลยุทธ์ 1.1: หน้าสรุปพิมพ์ว่ามี 3 โครงการ แต่รายละเอียดมี 1 โครงการ (1.1)")
    assert [f.name for f in run_checks(plan) if f.level in ("strategy", "tactic")] == ["", ""]


def test_two_projects_at_their_printed_total_and_groups_with_nothing_printed(tmp_path):
    # strategy 1 prints nothing (not checked) and comes first: the strategies after it are checked
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1"), tiny.strategy("2", total="9", line=3)],
                      tactics=[tiny.tactic("2.1"), tiny.tactic("2.2", count="3", line=5)], projects=[
        tiny.project("2.1", [""] * 5, "15", status="unreconciled", printed=["5", "2", "2", "3", "4", "1"], tactic_id="2.2"),
        tiny.project("2.2", [""] * 5, "8", status="unreconciled", printed=["1", "30", "2", "1", "1"], tactic_id="2.2")])
    got = found(plan, *GROUP_CHECKS)
    assert sorted(got) == [("plan_total", "plan", None), ("strategy_total", "2", None), ("tactic_count", "2.2", None)]
    assert got[("strategy_total", "2", None)]["message_en"] == (
        "strategy 2: the summary prints 9 million baht but its 2 projects in the detail add up to 23 (14 more);"
        " 2 (2.1, 2.2) counted at their printed total")


def test_tactics_after_one_whose_strategy_has_no_detail_are_still_checked(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="4", line=3), tiny.strategy("2", line=6)],
                      tactics=[tiny.tactic("1.1", total="4", line=4), tiny.tactic("2.1", count="3", line=7)],
                      projects=[tiny.project("2.1", ["1"] * 5, "5", tactic_id="2.1")])
    assert sorted(found(plan, *GROUP_CHECKS)) == [("no_detail", "1", None), ("tactic_count", "2.1", None)]


def test_a_count_without_a_line_of_its_own(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", count="2", line=3, count_line="")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5")])
    (f,) = found(plan, "strategy_count").values()
    assert (f["source_line"], f["cells"]) == (3, ["จำนวนที่พิมพ์: 2", "โครงการที่พบ: 1.1"])


def test_a_tactic_sharing_only_its_strategys_count_is_still_checked_for_its_total(tmp_path):
    plan = tiny.build(
        tmp_path, strategies=[tiny.strategy("4", total="10", count="2", line=40, total_line=42, count_line=41)],
        tactics=[tiny.tactic("4.1", total="7", count="2", line=40, total_line=43, count_line=41),
                 tiny.tactic("4.2", total="", count="", line=44)],
        projects=[tiny.project("4.1", ["1"] * 5, "5", tactic_id="4.1"),
                  tiny.project("4.2", ["1"] * 5, "5", tactic_id="4.1"),
                  tiny.project("4.3", ["1"] * 5, "5", tactic_id="4.1")])
    got = found(plan, *GROUP_CHECKS)
    # strategy 4: 3 projects vs 2 printed, 15 vs 10; tactic 4.1 shares the count cell, not the total
    assert sorted(got) == [("plan_total", "plan", None), ("strategy_count", "4", None),
                           ("strategy_total", "4", None), ("tactic_total", "4.1", None)]
    assert got[("tactic_total", "4.1", None)]["source_line"] == 43


def test_a_tactic_sharing_both_cells_and_without_projects_is_not_incomplete(tmp_path):
    plan = tiny.build(
        tmp_path, strategies=[tiny.strategy("4", total="10", count="2", line=40, total_line=42, count_line=41),
                              tiny.strategy("5", total="5", count="1", line=50, total_line=52, count_line=51)],
        tactics=[tiny.tactic("4.1", total="10", count="2", line=40, total_line=42, count_line=41),
                 tiny.tactic("5.1", total="5", count="1", line=50, total_line=52, count_line=59)],
        projects=[tiny.project("4.1", ["1"] * 5, "5", tactic_id="4.2"),
                  tiny.project("4.2", ["1"] * 5, "5", tactic_id="4.2"),
                  tiny.project("5.1", ["1"] * 5, "5", tactic_id="5.2")])
    # 5.1 shares only its strategy's total cell: without projects it is incomplete
    assert sorted(found(plan, *GROUP_CHECKS)) == [("no_detail", "5.1", None)]


def test_group_hint_names_the_project_whose_years_disagree(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("6", total="20", count="2", line=3)], projects=[
        tiny.project("6.1", ["0.5", "5", "15", "15", "15"], "10", status="mismatch"),
        tiny.project("6.2", ["10", "0", "0", "0", "0"], "10"),
        tiny.project("6.3", None, "", status="listed_only")])
    f = found(plan, "strategy_total")[("strategy_total", "6", None)]
    assert (f["hint"], f["stated"], f["computed"], f["difference"]) == ("project_total", "20", "60.5", "40.5")
    assert f["cells"] == ["6.1: 50.5", "6.2: 10"]
    assert f["message"] == (
        "ยุทธศาสตร์ที่ 6 «ยุทธศาสตร์ 6»: หน้าสรุปพิมพ์งบประมาณรวม 20 ล้านบาท (บรรทัด 3) แต่โครงการในรายละเอียด"
        " 3 โครงการรวมได้ 60.5 ล้านบาท (มากกว่า 40.5 ล้านบาท); 1 โครงการ (6.3) ไม่มีตัวเลข — สาเหตุที่เป็นไปได้:"
        " ตัวเลขรายปีของโครงการ 6.1 ที่รวมไม่ตรงกับยอดรวมของโครงการเอง ถ้าใช้ยอดรวมที่พิมพ์ของโครงการ (10 ล้านบาท)"
        " จะตรงกันพอดี")
    assert f["message_en"] == (
        "strategy 6: the summary prints 20 million baht but its 3 projects in the detail add up to 60.5 (40.5 more);"
        " 1 (6.3) without figures; likely cause: the yearly figures of project 6.1, which do not add up to its own"
        " printed total; using that printed total (10) makes it agree exactly")


def test_group_hint_with_two_projects_off(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("6", total="20", line=3)], projects=[
        tiny.project("6.1", ["1", "1", "1", "1", "2"], "5", status="mismatch"),
        tiny.project("6.2", ["2", "2", "2", "2", "3"], "10", status="mismatch"),
        tiny.project("6.3", ["1"] * 5, "5")])
    f = found(plan, "strategy_total")[("strategy_total", "6", None)]
    assert f["hint"] == "project_total" and (f["computed"], f["difference"]) == ("22", "2")
    assert ("ตัวเลขรายปีของโครงการ 6.1, 6.2 ที่รวมไม่ตรงกับยอดรวมของโครงการเอง"
            " ถ้าใช้ยอดรวมที่พิมพ์ของโครงการ (5, 10 ล้านบาท) จะตรงกันพอดี") in f["message"]


def test_group_hint_from_the_projects_amounts_when_no_project_explains_it(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5.4", line=3), tiny.strategy("2", total="50", line=4)],
                      projects=[tiny.project("1.1", ["0.5", "1", "1", "1", "1"], "4.5"),
                                tiny.project("2.1", ["1", "1", "1", "1", "2"], "5", status="mismatch"),
                                tiny.project("2.2", ["1", "1", "1", "1", "1"], "5")])
    got = found(plan, "strategy_total")
    one = got[("strategy_total", "1", None)]
    assert one["hint"] == "swapped_digits"
    assert one["message"].endswith(
        "1 โครงการรวมได้ 4.5 ล้านบาท (น้อยกว่า 0.9 ล้านบาท) — สาเหตุที่เป็นไปได้: ตัวเลขสลับหลัก"
        " — ถ้า ยอดรวมที่พิมพ์ 5.4 เป็น 4.5 จะตรงกับผลรวมพอดี")
    assert one["message_en"].endswith(
        "(0.9 less); likely cause: two digits swapped: reading the printed total 5.4 as 4.5 makes them agree exactly")
    two = got[("strategy_total", "2", None)]  # 2.1 is off by 1, but 10 is still not 50: no cause named
    assert "hint" not in two and two["message"].endswith("(น้อยกว่า 39 ล้านบาท)") and two["message_en"].endswith("(39 less)")


def test_group_hint_of_a_duplicated_project(tmp_path):
    # 1.2 repeats 1.1 (same name, same amount); 1.3 has no figures and is no candidate, so the
    # hint's positions must name the projects that have figures
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5", line=3)], projects=[
        tiny.project("1.3", None, ""), tiny.project("1.1", ["1"] * 5, "5", name="อบรม"),
        tiny.project("1.2", ["1"] * 5, "5", name="อบรม")])
    f = found(plan, "strategy_total")[("strategy_total", "1", None)]
    assert f["hint"] == "duplicate_rows"
    assert f["message"].endswith(
        "(มากกว่า 5 ล้านบาท); 1 โครงการ (1.3) ไม่มีตัวเลข — สาเหตุที่เป็นไปได้: มีแถวซ้ำกัน จึงนับซ้ำ"
        " — โครงการ 1.2 ซ้ำกับโครงการ 1.1 (5 ล้านบาท) ตัดออกแล้วรวมได้ 5 ล้านบาทพอดี")
    assert f["message_en"].endswith(
        "; likely cause: duplicated rows are counted twice: project 1.2 repeats project 1.1 (5); dropping it adds up"
        " to exactly 5")


# ---- the whole plan ---------------------------------------------------------------------------


def test_plan_total_in_full_with_what_it_leaves_out(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="10"), tiny.strategy("2"), tiny.strategy("3", total="3"),
                                            tiny.strategy("4", total="1.5"), tiny.strategy("5", total="4")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5"), tiny.project("2.1", ["1"] * 5, "5"),
                                tiny.project("5.1", ["1"] * 5, "5")])
    assert found(plan, "plan_total") == {("plan_total", "plan", None): {
        "severity": "error", "check": "plan_total", "level": "plan", "id": "plan", "stated": "14", "computed": "10",
        "difference": "-4",
        "cells": ["ยุทธศาสตร์ที่ 1: พิมพ์ 10 / รายละเอียด 5", "ยุทธศาสตร์ที่ 5: พิมพ์ 4 / รายละเอียด 5"],
        "message": ("ทั้งแผน: งบประมาณรวมในหน้าสรุปของยุทธศาสตร์ที่ 1, 5 รวม 14 ล้านบาท แต่รายละเอียดโครงการของ"
                    "ยุทธศาสตร์เดียวกันรวมได้ 10 ล้านบาท (น้อยกว่า 4 ล้านบาท) — ไม่นับยุทธศาสตร์ที่ 3, 4"
                    " (พิมพ์งบรวม 4.5 ล้านบาท แต่ไม่มีรายละเอียดโครงการ) และยุทธศาสตร์ที่ 2 (มีโครงการแต่หน้าสรุปไม่พิมพ์งบ)"),
        "message_en": ("whole plan: the summary totals of strategies 1, 5 add up to 14 million baht but their project"
                       " detail adds up to 10 (4 less); left out: strategy 3, 4 (printed total, no project detail);"
                       " strategy 2 (projects, but no printed total)"),
    }}


def test_plan_total_leaving_out_only_a_strategy_without_a_printed_total(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="10"), tiny.strategy("2")],
                      projects=[tiny.project("1.1", ["2"] * 5, "10"), tiny.project("1.2", ["1"] * 5, "5"),
                                tiny.project("2.1", ["1"] * 5, "5")])
    (f,) = found(plan, "plan_total").values()
    assert (f["stated"], f["computed"], f["difference"]) == ("10", "15", "5")
    assert f["message"].endswith("(มากกว่า 5 ล้านบาท) — ไม่นับยุทธศาสตร์ที่ 2 (มีโครงการแต่หน้าสรุปไม่พิมพ์งบ)")
    assert f["message_en"].endswith("(5 more); left out: strategy 2 (projects, but no printed total)")


def test_plan_total_agrees_over_the_strategies_compared(tmp_path):
    # strategy 1 is 5 short and strategy 2 5 over: the plan's totals agree (14 = 14)
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="10"), tiny.strategy("2", total="4")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5"), tiny.project("2.1", ["1.8"] * 5, "9")])
    assert sorted(found(plan, *GROUP_CHECKS)) == [("strategy_total", "1", None), ("strategy_total", "2", None)]


def test_missing_strategies_are_numbered_up_to_the_last(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("A"), tiny.strategy("5"), tiny.strategy("2")])
    got = found(plan, "missing_strategy")
    assert sorted(got) == [("missing_strategy", "1", None), ("missing_strategy", "3", None),
                           ("missing_strategy", "4", None)]
    assert got[("missing_strategy", "3", None)] == {
        "severity": "warning", "check": "missing_strategy", "level": "strategy", "id": "3", "strategy_id": "3",
        "message": "ยุทธศาสตร์ที่ 3: เอกสารไม่กล่าวถึงเลย (มียุทธศาสตร์ที่ 2, 5) — อาจมีหน้าที่หายไป ตรวจสอบความครบถ้วน",
        "message_en": "strategy 3: not in the document at all (the document has strategies 2, 5); a page may be missing",
    }
    assert found(tiny.build(tmp_path / "letters", strategies=[tiny.strategy("A")]), "missing_strategy") == {}
    assert found(tiny.build(tmp_path / "one", strategies=[tiny.strategy("1")]), "missing_strategy") == {}


def test_plan_total_over_every_strategy_leaves_nothing_out(tmp_path):
    # strategy 1 prints 10 million baht, its one project adds up to 5 x 1 = 5; nothing else to leave out
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="10")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5")])
    (f,) = found(plan, "plan_total").values()
    assert f["message"] == ("ทั้งแผน: งบประมาณรวมในหน้าสรุปของยุทธศาสตร์ที่ 1 รวม 10 ล้านบาท แต่รายละเอียดโครงการของ"
                            "ยุทธศาสตร์เดียวกันรวมได้ 5 ล้านบาท (น้อยกว่า 5 ล้านบาท)")
    assert f["message_en"] == ("whole plan: the summary totals of strategies 1 add up to 10 million baht but their"
                               " project detail adds up to 5 (5 less)")


def test_a_missing_strategy_beside_a_single_one_says_strategy(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("3")])
    got = found(plan, "missing_strategy")
    assert sorted(got) == [("missing_strategy", "1", None), ("missing_strategy", "2", None)]
    assert got[("missing_strategy", "1", None)]["message"] == (
        "ยุทธศาสตร์ที่ 1: เอกสารไม่กล่าวถึงเลย (มียุทธศาสตร์ที่ 3) — อาจมีหน้าที่หายไป ตรวจสอบความครบถ้วน")
    assert got[("missing_strategy", "1", None)]["message_en"] == (
        "strategy 1: not in the document at all (the document has strategy 3); a page may be missing")
