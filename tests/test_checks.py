"""coopanalysis.checks: rules on tiny plans, the seed's expected findings, formats, the command."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from helpers import load_tiny  # tests/helpers.py

from coopanalysis import cli
from coopanalysis.checks import Finding, findings_frame, run_checks, summary_counts
from coopanalysis.checks.formats import display_width, render
from coopanalysis.model.plan import load, load_dir
from coopanalysis.paths import CORRECTIONS

tiny = load_tiny()


def keys(findings, severity=None, check=None, level=None):
    return {(f.check, f.level, f.id) if f.fiscal_year is None else (f.check, f.level, f.id, f.fiscal_year)
            for f in findings
            if (severity is None or f.severity == severity) and (check is None or f.check == check)
            and (level is None or f.level == level)}


def one(findings, check, ident, fiscal_year=None):
    found = [f for f in findings if f.check == check and f.id == ident and f.fiscal_year == fiscal_year]
    assert len(found) == 1, (check, ident, [(f.check, f.id) for f in findings])
    return found[0]


# ---- rules on tiny plans --------------------------------------------------------------------


def test_project_total_tolerance(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", ["1", "1", "1", "1", "1.004"], "5", status="mismatch"),
        tiny.project("1.2", ["1", "1", "1", "1", "1.006"], "5", status="mismatch"),
        tiny.project("1.3", ["2", "2", "2", "2", "2.05"], "10", status="mismatch"),
        tiny.project("1.4", ["2", "2", "2", "2", "2.2"], "10", status="mismatch"),
    ])
    assert keys(run_checks(plan), "error") == {("project_total", "project", p) for p in ("1.2", "1.3", "1.4")}
    relative = run_checks(plan, rel_tolerance=Decimal("0.01"))
    assert keys(relative, "error") == {("project_total", "project", "1.4")}
    assert keys(run_checks(plan, tolerance="0.1"), "error") == {("project_total", "project", "1.4")}
    finding = one(run_checks(plan), "project_total", "1.2")
    assert (finding.stated, finding.computed, finding.difference) == ("5", "5.006", "0.006")
    with pytest.raises(ValueError):
        run_checks(plan, tolerance="-1")


def test_project_total_hint_and_message(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("6")], projects=[
        tiny.project("6.1", ["0.5", "5", "15", "15", "15"], "10", status="mismatch")])
    finding = one(run_checks(plan), "project_total", "6.1")
    assert finding.severity == "error" and finding.hint == "lost_decimal"
    assert "2562" in finding.message and "1.5" in finding.message and "ล้านบาท" in finding.message
    assert finding.cells[:2] == ["2560: 0.5", "2561: 5"]


def test_repaired_is_a_warning_not_an_error(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("3")], projects=[
        tiny.project("3.4", ["5", "5", "5", "5", "5"], "25", status="repaired", printed=["5"] * 6,
                     note="6 values for 5 years: dropped the repeated value 5")])
    findings = run_checks(plan)
    assert keys(findings, "error") == set()
    finding = one(findings, "project_repaired", "3.4")
    assert finding.severity == "warning"
    assert "6 ค่าสำหรับ 5 ปี" in finding.message and "ตัดค่า 5" in finding.message
    assert "dropped the repeated value 5" in finding.message_en
    # the message names the value dropped, once: 5 2 2 3 4 1 | 15 keeps 5 2 3 4 1
    plan = tiny.build(tmp_path / "one", strategies=[tiny.strategy("3")], projects=[
        tiny.project("3.4", ["5", "2", "3", "4", "1"], "15", status="repaired", printed=["5", "2", "2", "3", "4", "1"])])
    finding = one(run_checks(plan), "project_repaired", "3.4")
    assert finding.message.startswith("โครงการ 3.4: ตัดค่า 2 ที่ซ้ำเข้าไปในคอลัมน์เกินออก แล้วรวมได้ 15 ล้านบาท")


def test_unreconciled(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("5")], projects=[
        tiny.project("5.7", [""] * 5, "60", status="unreconciled", printed=["1", "10", "10", "10", "10", "10"]),
        tiny.project("5.8", [""] * 5, "20", status="unreconciled", printed=["5", "5", "5", "5"]),
    ])
    findings = run_checks(plan)
    f = one(findings, "project_unreconciled", "5.7")
    assert f.severity == "error" and f.stated == "60" and f.computed is None and f.hint is None
    assert "6 ค่า" in f.message and "5 ปี" in f.message
    g = one(findings, "project_unreconciled", "5.8")
    assert g.hint == "missing_year"


def test_table_row_without_yearly_amounts_is_unreconciled_whatever_its_status(tmp_path):
    # a printed total, a table row, but no yearly amount placed: counted at its printed total
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("5")], projects=[
        tiny.project("5.9", [""] * 5, "12", status="mismatch", printed=["3", "4", "5"])])
    f = one(run_checks(plan), "project_unreconciled", "5.9")
    assert (f.stated, f.computed) == ("12", None) and "3 ค่า (3, 4, 5)" in f.message


def test_project_total_wording(tmp_path):
    """Whole messages, written out by hand: where the years come from, a repaired row that still
    disagrees, the count note only when the count differs, projects without figures named."""
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("2", total="20")], projects=[
        tiny.project("2.1", None, "5", sheet=["1", "1", "1", "1", "2"], status="sheet_only"),
        tiny.project("2.2", ["1"] * 5, "6", status="repaired", printed=["1"] * 6),
        tiny.project("2.3", ["2"] * 5, "11", status="mismatch"),
        tiny.project("2.4", None, "", status="listed_only"),
        tiny.project("2.5", ["1"] * 5, "5", sheet=["1", "", "1", "1", "1"]),  # an empty sheet cell: no finding
    ])
    findings = run_checks(plan)
    assert keys(findings, "error") == {("project_total", "project", p) for p in ("2.1", "2.2", "2.3")} | {
        ("strategy_total", "strategy", "2"), ("plan_total", "plan", "plan")}
    assert one(findings, "project_total", "2.1").message == (
        "โครงการ 2.1: งบประมาณรายปี (จากรายละเอียดโครงการ)รวมกันได้ 6 ล้านบาท แต่ยอดรวมที่พิมพ์คือ 5 ล้านบาท"
        " (มากกว่า 1 ล้านบาท)")
    assert one(findings, "project_total", "2.2").message == (
        "โครงการ 2.2: งบประมาณรายปีรวมกันได้ 5 ล้านบาท (หลังตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออกแล้ว)"
        " แต่ยอดรวมที่พิมพ์คือ 6 ล้านบาท (น้อยกว่า 1 ล้านบาท) (แถวนี้พิมพ์ตัวเลข 6 ค่าสำหรับ 5 ปีงบประมาณ)")
    assert one(findings, "project_total", "2.3").message == (
        "โครงการ 2.3: งบประมาณรายปีรวมกันได้ 10 ล้านบาท แต่ยอดรวมที่พิมพ์คือ 11 ล้านบาท (น้อยกว่า 1 ล้านบาท)")
    assert one(findings, "project_total", "2.3").message_en == (
        "project 2.3: yearly amounts add up to 10 million baht but the printed total is 11 (1 less)")
    assert one(findings, "strategy_total", "2").message == (
        "ยุทธศาสตร์ที่ 2 «ยุทธศาสตร์ 2»: หน้าสรุปพิมพ์งบประมาณรวม 20 ล้านบาท (บรรทัด 1) แต่โครงการในรายละเอียด"
        " 5 โครงการรวมได้ 26 ล้านบาท (มากกว่า 6 ล้านบาท); 1 โครงการ (2.4) ไม่มีตัวเลข")


def test_name_mismatch_only_for_strategies_tactics_projects(tmp_path):
    names = [{"level": level, "id": "1", "source": source, "name": name, "source_line": line}
             for level in ("strategy", "kpi")
             for source, name, line in (("summary", "การพัฒนาระบบ", 3), ("detail", "การส่งเสริมตลาด", 30))]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], names=names)
    (finding,) = run_checks(plan)
    assert (finding.check, finding.level, finding.id) == ("name_mismatch", "strategy", "1")
    assert finding.message == ("ชื่อยุทธศาสตร์ที่ 1 สะกดไม่ตรงกัน: «การพัฒนาระบบ» (หน้าสรุป บรรทัด 3) /"
                               " «การส่งเสริมตลาด» (ตารางรายละเอียด บรรทัด 30)")


def test_tactic_sharing_its_strategys_cells_is_not_reported_twice(tmp_path):
    # tactic 4.1 is printed in the same cells as strategy 4 (lines 41/42) and has no project;
    # tactic 4.3 has its own cells and no project: only 4.3 is incomplete
    plan = tiny.build(
        tmp_path,
        strategies=[tiny.strategy("4", total="10", count="2", line=40, total_line=42, count_line=41)],
        tactics=[tiny.tactic("4.1", total="10", count="2", line=40, total_line=42, count_line=41),
                 tiny.tactic("4.2", total="10", count="2", line=45, total_line=46, count_line=47),
                 tiny.tactic("4.3", total="3", count="1", line=48, total_line=49, count_line=50)],
        projects=[tiny.project("4.1", ["1"] * 5, "5", tactic_id="4.2"),
                  tiny.project("4.2", ["1"] * 5, "5", tactic_id="4.2")])
    findings = run_checks(plan)
    assert keys(findings, check="no_detail") == {("no_detail", "tactic", "4.3")}
    assert keys(findings, "error") == set()


def test_listings_identical_and_conflicting(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("4")], projects=[
        tiny.project("4.1", ["5"] * 5, "25", line=18, listings=[("5 5 5 5 5", "25", 20)]),
        tiny.project("4.2", ["4"] * 5, "20", line=30, listings=[("4 4 4 4 5", "21", 32)]),
    ])
    findings = run_checks(plan)
    assert one(findings, "duplicate_listing", "4.1").severity == "info"
    conflict = one(findings, "listing_conflict", "4.2")
    assert conflict.severity == "error" and "32" in conflict.message
    assert keys(findings, "error") == {("listing_conflict", "project", "4.2")}


def test_sheet_vs_table(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.5", ["1"] * 5, "5", sheet=["1", "1", "2", "1", "1"]),
        tiny.project("1.6", ["1"] * 5, "5", sheet=["1"] * 5),
    ])
    findings = run_checks(plan)
    assert keys(findings, "error") == {("sheet_vs_table", "project", "1.5", 2562)}
    f = one(findings, "sheet_vs_table", "1.5", 2562)
    assert (f.stated, f.computed, f.difference) == ("1", "2", "1")


def test_groups_totals_counts_and_completeness(tmp_path):
    plan = tiny.build(
        tmp_path,
        strategies=[tiny.strategy("1", total="16", count="3", line=5, total_line=9, count_line=8),
                    tiny.strategy("3", total="10", count="2", line=5, total_line=9, count_line=8),
                    tiny.strategy("4", total="10", count="1", line=40, total_line=42, count_line=41)],
        tactics=[tiny.tactic("1.1", total="5.4", count="1", line=6, total_line=7, count_line=8),
                 tiny.tactic("1.2", total="10", count="1", line=6, total_line=7, count_line=8),
                 tiny.tactic("3.1", total="10", count="2", line=6, total_line=7, count_line=8),
                 # shares its printed count and total cells with strategy 4
                 tiny.tactic("4.1", total="10", count="1", line=40, total_line=42, count_line=41)],
        projects=[tiny.project("1.1", ["0.5", "1", "1", "1", "1"], "4.5", tactic_id="1.1"),
                  tiny.project("1.2", ["2"] * 5, "10", tactic_id="1.2"),
                  tiny.project("4.1", ["1"] * 5, "5", tactic_id="4.1"),
                  tiny.project("4.2", ["1"] * 5, "5", tactic_id="4.1")],
    )
    findings = run_checks(plan)
    assert keys(findings, "error") == {
        ("tactic_total", "tactic", "1.1"),          # 5.4 printed vs 4.5: swapped digits
        ("strategy_total", "strategy", "1"),        # 16 vs 14.5
        ("strategy_count", "strategy", "1"),        # 3 vs 2
        ("strategy_count", "strategy", "4"),        # 1 vs 2 (tactic 4.1 shares the cell: no tactic finding)
        ("plan_total", "plan", "plan"),             # 26 vs 24.5 over strategies 1 and 4
    }
    t = one(findings, "tactic_total", "1.1")
    assert t.hint == "swapped_digits" and (t.stated, t.computed, t.difference) == ("5.4", "4.5", "-0.9")
    # strategy 3: printed budget, no detail -> one warning, no total/count error, tactics skipped
    assert keys(findings, "warning") == {("no_detail", "strategy", "3"), ("missing_strategy", "strategy", "2")}
    p = one(findings, "plan_total", "plan")
    assert (p.stated, p.computed) == ("26", "24.5")
    assert "ยุทธศาสตร์ที่ 3" in p.message  # named as left out


def test_group_hint_points_at_project_with_bad_yearly_figures(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("6", total="20", count="2")], projects=[
        tiny.project("6.1", ["0.5", "5", "15", "15", "15"], "10", status="mismatch"),
        tiny.project("6.2", ["10", "0", "0", "0", "0"], "10")])
    f = one(run_checks(plan), "strategy_total", "6")
    assert f.hint == "project_total" and "6.1" in f.message


def test_names(tmp_path):
    names = [
        {"level": "project", "id": "1.2", "source": "list", "name": "โครงการสร้างกลุ่มสมาชิก", "source_line": 3},
        {"level": "project", "id": "1.2", "source": "sheet", "name": "สร้างกลุ่ม สมาชิก", "source_line": 9},
        {"level": "project", "id": "1.3", "source": "sheet", "name": "โครงการที่ ๑.๓ พัฒนากรรมการ", "source_line": 9},
        {"level": "project", "id": "1.3", "source": "detail", "name": "๑.๓ โครงการพัฒนากรรมการ", "source_line": 4},
        {"level": "strategy", "id": "6", "source": "summary", "name": "สนับสนุนการพัฒนาระบบรักษาเสถียรภาพของสหกรณ์",
         "source_line": 38},
        {"level": "strategy", "id": "6", "source": "detail", "name": "สนับสนุนการพัฒนา ระบบบริหารของ สหกรณ์",
         "source_line": 84},
        {"level": "tactic", "id": "6.1", "source": "summary", "name": "ผลักดันการจัดตั้ง", "source_line": 40},
        {"level": "tactic", "id": "6.1", "source": "detail", "name": "ผลักดันการ จัดตั้ง", "source_line": 84},
    ]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1"), tiny.strategy("6")], names=names)
    findings = run_checks(plan)
    assert keys(findings, check="name_mismatch") == {("name_mismatch", "strategy", "6")}
    f = one(findings, "name_mismatch", "6")
    assert f.severity == "warning"
    assert "สนับสนุนการพัฒนาระบบรักษาเสถียรภาพของสหกรณ์" in f.message
    assert "สนับสนุนการพัฒนา ระบบบริหารของ สหกรณ์" in f.message
    assert "หน้าสรุป" in f.message and "ตารางรายละเอียด" in f.message


def test_corrections_and_unread_text_are_info(tmp_path):
    plan = tiny.build(
        tmp_path, strategies=[tiny.strategy("6")],
        projects=[tiny.project("6.1", ["0.5", "5", "1.5", "1.5", "1.5"], "10")],
        corrections=[{"project_id": "6.1", "field": "amount", "fiscal_year": 2562, "printed": "15",
                      "corrected": "1.5", "reason": "Lost decimal point", "source_line": 84}],
        ingest_report=[{"line": 42, "disposition": "unplaced", "text": "2", "note": "stray"}],
    )
    findings = run_checks(plan)
    assert keys(findings, "error") == set()
    c = one(findings, "correction_applied", "6.1", 2562)
    assert c.severity == "info" and "Lost decimal point" in c.message and (c.stated, c.computed) == ("15", "1.5")
    unread = one(findings, "unread_text", "document")
    assert unread.severity == "info"
    assert unread.message == "เอกสาร: มีตัวเลข 1 ชุดที่จัดลงช่องไม่ได้ (บรรทัด 42) — ดู ingest_report.csv"
    assert unread.message_en == "document: 1 groups of values not placed (lines 42); see ingest_report.csv"


def test_finding_json_frame_and_counts():
    f = Finding("error", "project_total", "project", "6.1", stated=Decimal("10"), computed="50.50",
                difference=Decimal("40.5"), message="ข้อความ", cells=["a", "b"])
    assert f.computed == "50.5"
    data = f.to_json()
    assert data["stated"] == 10.0 and data["computed"] == 50.5 and data["fiscal_year"] is None
    json.dumps(data)
    frame = findings_frame([f])
    assert frame.loc[0, "cells"] == "a | b" and frame.loc[0, "difference"] == "40.5"
    assert summary_counts([f]) == {"error": 1, "warning": 0, "info": 0}
    with pytest.raises(ValueError):
        Finding("fatal", "x", "project", "1")


# ---- the seed -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings(plan_dir):
    return run_checks(load_dir(plan_dir))


@pytest.fixture(scope="module")
def corrected_findings(seed_path):
    return run_checks(load(seed_path, corrections=CORRECTIONS))


SEED_PROJECTS_WITHOUT_ERROR = ["3.4", "4.1", "4.2", "5.3", "5.4", "5.5", "5.6", "5.8", "5.9", "5.10", "6.2",
                               "8.u1", "8.u2"]


def test_seed_project_errors_exactly(seed_findings):
    assert keys(seed_findings, "error", level="project") == {
        ("project_total", "project", "6.1"),
        ("project_unreconciled", "project", "5.1"),
        ("project_unreconciled", "project", "5.2"),
        ("project_unreconciled", "project", "5.7"),
    }


def test_seed_6_1_lost_decimal(seed_findings):
    f = one(seed_findings, "project_total", "6.1")
    assert (f.stated, f.computed, f.difference) == ("10", "50.5", "40.5")
    assert f.hint == "lost_decimal"
    assert "ปี 2562, ปี 2563, ปี 2564" in f.message and "1.5" in f.message


def test_seed_unreconciled(seed_findings):
    f = one(seed_findings, "project_unreconciled", "5.7")
    assert (f.stated, f.computed) == ("60", None)
    assert "6 ค่า" in f.message and "5 ปี" in f.message
    assert one(seed_findings, "project_unreconciled", "5.1").stated == "13"
    assert "9 ค่า" in one(seed_findings, "project_unreconciled", "5.1").message
    assert one(seed_findings, "project_unreconciled", "5.2").stated == "13"
    assert "10 ค่า" in one(seed_findings, "project_unreconciled", "5.2").message


def test_seed_clean_projects(seed_findings):
    project_errors = {f.id for f in seed_findings if f.severity == "error" and f.level == "project"}
    assert not project_errors & set(SEED_PROJECTS_WITHOUT_ERROR)
    repaired = keys(seed_findings, "warning", check="project_repaired")
    assert repaired == {("project_repaired", "project", p)
                        for p in ("3.4", "5.3", "5.4", "5.5", "5.6", "5.8", "5.9", "5.10", "8.u1", "8.u2")}
    assert one(seed_findings, "duplicate_listing", "4.1").severity == "info"


def test_seed_strategies(seed_findings):
    s5 = one(seed_findings, "strategy_total", "5")
    assert (s5.stated, s5.computed) == ("125", "158") and s5.severity == "error"
    assert "5.1, 5.2, 5.7" in s5.message  # counted at their printed totals
    s8 = one(seed_findings, "strategy_total", "8")
    assert (s8.stated, s8.computed) == ("121", "161")
    # 6.1's yearly 50.5 makes strategy 6 disagree too (20 vs 60.5), pointing at 6.1
    s6 = one(seed_findings, "strategy_total", "6")
    assert (s6.stated, s6.computed, s6.hint) == ("20", "60.5", "project_total")
    assert keys(seed_findings, "error", level="strategy") == {
        ("strategy_total", "strategy", "5"), ("strategy_total", "strategy", "6"), ("strategy_total", "strategy", "8")}
    assert one(seed_findings, "no_detail", "7").severity == "warning"
    assert one(seed_findings, "missing_strategy", "2").severity == "warning"
    name = one(seed_findings, "name_mismatch", "6")
    assert "สนับสนุนการพัฒนาระบบรักษาเสถียรภาพของสหกรณ์" in name.message
    assert "สนับสนุนการพัฒนา ระบบบริหารของ สหกรณ์" in name.message


def test_seed_all_errors(seed_findings):
    """Every error on the raw seed (tactic figures: summary lines 41/44 vs the detail)."""
    assert keys(seed_findings, "error") == {
        ("plan_total", "plan", "plan"),                       # 266 (5, 6, 8) vs 379.5
        ("strategy_total", "strategy", "5"), ("strategy_total", "strategy", "6"), ("strategy_total", "strategy", "8"),
        ("tactic_total", "tactic", "5.1"), ("tactic_count", "tactic", "5.1"),   # 60 / 5 vs 26 / 2
        ("tactic_total", "tactic", "5.2"), ("tactic_count", "tactic", "5.2"),   # 35 / 2 vs 102 / 5
        ("tactic_total", "tactic", "5.3"), ("tactic_count", "tactic", "5.3"),   # 10 / 1 vs 20 / 2
        ("tactic_total", "tactic", "6.1"),                                       # 20 vs 60.5
        ("project_total", "project", "6.1"),
        ("project_unreconciled", "project", "5.1"), ("project_unreconciled", "project", "5.2"),
        ("project_unreconciled", "project", "5.7"),
    }
    plan_total = one(seed_findings, "plan_total", "plan")
    assert (plan_total.stated, plan_total.computed) == ("266", "379.5")
    # left out and named: 7 (printed 161.5, no detail); 1, 3, 4 (projects, no printed total)
    assert "ยุทธศาสตร์ที่ 7 (พิมพ์งบรวม 161.5 ล้านบาท แต่ไม่มีรายละเอียดโครงการ)" in plan_total.message
    assert "ยุทธศาสตร์ที่ 1, 3, 4 (มีโครงการแต่หน้าสรุปไม่พิมพ์งบ)" in plan_total.message


def test_seed_with_corrections(corrected_findings):
    assert not [f for f in corrected_findings if f.severity == "error" and f.id in ("6", "6.1")]
    assert keys(corrected_findings, check="correction_applied") == {
        ("correction_applied", "project", "6.1", y) for y in (2562, 2563, 2564)}
    info = one(corrected_findings, "correction_applied", "6.1", 2562)
    assert info.severity == "info" and "Lost decimal point" in info.message
    assert (info.stated, info.computed) == ("15", "1.5")


# ---- formats and the command ----------------------------------------------------------------


def test_display_width_thai():
    assert display_width("กำกับ") == 4
    assert display_width("ที่") == 1


def test_render_formats(seed_findings):
    table = render(seed_findings, "table", Decimal("0.005"), title="แผน", strategy_names={"5": "ชื่อ"})
    assert "0.005 ล้านบาท" in table and "== ยุทธศาสตร์ที่ 5 ชื่อ ==" in table
    # errors first within each strategy group
    block = table.split("== ยุทธศาสตร์ที่ 5")[1].split("\n== ")[0]
    severities = [line.split()[0] for line in block.splitlines() if line[:5] in ("ERROR", "WARN ", "INFO ")]
    assert severities == sorted(severities, key=["ERROR", "WARN", "INFO"].index)
    md = render(seed_findings, "markdown", Decimal("0.005"), Decimal("0.01"))
    assert "0.005" in md and "1%" in md and "| ERROR |" in md
    data = json.loads(render(seed_findings, "json", Decimal("0.005")))
    assert isinstance(data, list) and len(data) == len(seed_findings)
    first = next(d for d in data if d["check"] == "project_total")
    assert first["stated"] == 10.0 and first["computed"] == 50.5
    text = render(seed_findings, "csv", Decimal("0.005"))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == len(seed_findings) and {r["tolerance_mb"] for r in rows} == {"0.005"}


def test_command_exit_status_and_formats(plan_dir, tmp_path, capsys):
    assert cli.main(["check", str(plan_dir), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert isinstance(data, list) and any(d["check"] == "project_total" and d["id"] == "6.1" for d in data)
    assert "0.005" in err
    assert cli.main(["check", str(plan_dir), "--format", "csv", "--tolerance", "0.01"]) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("\ufeff") and "0.01" in out
    assert cli.main(["check", str(plan_dir)]) == 1
    out, _ = capsys.readouterr()
    assert "0.005 ล้านบาท" in out
    clean = tiny.build(tmp_path / "clean", strategies=[tiny.strategy("1", total="5", count="1")],
                       projects=[tiny.project("1.1", ["1"] * 5, "5")])
    assert cli.main(["check", str(clean.source), "--format", "markdown"]) == 0
    assert "0.005" in capsys.readouterr().out


def test_command_text_source_with_corrections(seed_path, capsys):
    assert cli.main(["check", str(seed_path), "--corrections", str(CORRECTIONS), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert not [d for d in data if d["severity"] == "error" and d["id"] == "6.1"]


@pytest.mark.parametrize("argv", [
    ["--tolerance", "abc"], ["--tolerance", "-0.1"], ["--tolerance", "nan"], ["--rel-tolerance", "-1"],
])
def test_command_bad_tolerance(plan_dir, capsys, argv):
    assert cli.main(["check", str(plan_dir), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coopanalysis: error: --") and len(err.strip().splitlines()) == 1


def test_command_unusable_input(tmp_path, plan_dir, capsys):
    assert cli.main(["check", str(tmp_path / "missing.txt")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["check", str(empty)]) == 2
    assert cli.main(["check", str(plan_dir), "--corrections", "data/corrections.yaml"]) == 2
    err = capsys.readouterr().err
    assert all(line.startswith("coopanalysis: error:") for line in err.strip().splitlines())


def test_doctests():
    import doctest

    from coopanalysis.checks import findings, formats, project_rules, registry, summary, text_rules, tolerance, wording
    from coopanalysis.commands import check

    for module in (tolerance, findings, formats, project_rules, registry, summary, text_rules, wording, check):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# ---- the registry: codes, Thai names, names of nodes, pivot and grouping -----------------------


def _docstring_table() -> list[tuple[str, str, str]]:
    """(code, severity, level) rows of the table in coopanalysis.checks' docstring."""
    import re

    import coopanalysis.checks as checks_module

    rows = []
    for line in checks_module.__doc__.splitlines():
        match = re.match(r"^``(\w+)``\s+(error|warning|info)\s+(\S+)\s", line)
        if match:
            rows.append(match.groups())
    return rows


def test_docstring_table_matches_the_registry():
    from coopanalysis.checks import CHECKS
    from coopanalysis.checks.rules import DECLARED

    table = _docstring_table()
    assert [code for code, _, _ in table] == list(CHECKS)
    assert table == [(c.code, c.severity, "any" if c.levels == ("any",) else c.level_text) for c in DECLARED]
    assert len(CHECKS) == 18 and CHECKS[0] == "project_total" and CHECKS[-1] == "missing_section"


def test_check_th_labels():
    from coopanalysis.checks import CHECK_TH, CHECKS, check_label

    assert list(CHECK_TH) == list(CHECKS)
    assert all(label.strip() and label != code for code, label in CHECK_TH.items())
    assert len(set(CHECK_TH.values())) == len(CHECK_TH)  # a reader can tell them apart
    assert check_label("plan_total") == "ยอดรวมทั้งแผนไม่ตรง"
    assert check_label("no_detail") == "ไม่มีรายละเอียดโครงการ"
    assert check_label("table_total") == "table_total"  # undeclared: the code itself


def test_a_new_rule_plugs_in_and_must_declare_its_codes(tmp_path):
    from coopanalysis.checks import RULES, Check, rule

    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5", count="1")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5")])

    @rule(Check("demo_total", "warning", ("project",), "ตัวอย่าง"))
    def demo(ctx):
        return [Finding("warning", "demo_total", "project", pid, name=ctx.name_of("project", pid))
                for pid in ctx.figures]

    (found,) = run_checks(plan, rules=(*RULES, demo))
    assert (found.check, found.id, found.name) == ("demo_total", "1.1", "โครงการ 1.1")

    @rule(Check("demo_total", "warning", ("project",), "ตัวอย่าง"))
    def wrong_severity(ctx):
        return [Finding("error", "demo_total", "project", "1.1")]

    @rule(Check("demo_total", "warning", ("project",), "ตัวอย่าง"))
    def undeclared(ctx):
        return [Finding("warning", "other_code", "project", "1.1")]

    for bad in (wrong_severity, undeclared):
        with pytest.raises(ValueError, match="declare"):
            run_checks(plan, rules=(bad,))


def test_findings_name_the_node(seed_findings):
    assert one(seed_findings, "project_repaired", "3.4").name == "โครงการสหกรณ์สีเขียว (Green Coop)"
    assert one(seed_findings, "no_detail", "7").name == "การพัฒนาระบบคุณภาพมาตรฐานสากล"
    assert one(seed_findings, "strategy_total", "8").name == "การสร้างความยั่งยืนด้วยหลักธรรมาภิบาลและภูมิปัญญาสหกรณ์"
    assert one(seed_findings, "tactic_total", "5.1").name.startswith("พัฒนา ระบบเทคโนโลยีสารสนเทศให้เป็นมาตรฐาน")
    assert one(seed_findings, "project_unreconciled", "5.7").name == "โครงการเกษตรดิจิทัล"
    assert one(seed_findings, "missing_strategy", "2").name == ""  # the document never names it
    assert one(seed_findings, "plan_total", "plan").name == ""
    assert all(isinstance(f.name, str) for f in seed_findings)


def test_name_in_json_csv_and_frame(seed_findings):
    old_keys = {"severity", "check", "level", "id", "fiscal_year", "stated", "computed", "difference",
                "message", "message_en", "source_line", "strategy_id", "hint", "cells"}
    data = json.loads(render(seed_findings, "json", Decimal("0.005")))
    assert all(set(d) == old_keys | {"name"} for d in data)
    assert next(d for d in data if d["check"] == "project_repaired" and d["id"] == "3.4")["name"] == \
        "โครงการสหกรณ์สีเขียว (Green Coop)"
    rows = list(csv.DictReader(io.StringIO(render(seed_findings, "csv", Decimal("0.005"))[1:])))
    assert next(r for r in rows if r["check"] == "no_detail" and r["id"] == "7")["name"] == "การพัฒนาระบบคุณภาพมาตรฐานสากล"
    frame = findings_frame(seed_findings)
    assert "name" in frame.columns and set(old_keys) <= set(frame.columns)


def test_findings_pivot_counts_per_check(seed_findings):
    from coopanalysis.checks import findings_pivot

    pivot = findings_pivot(seed_findings)
    assert list(pivot.columns) == ["check", "label_th", "error", "warning", "info", "total"]
    by_check = pivot.set_index("check")
    # the raw seed: ten repaired rows (warnings), three unreconciled rows, three strategy totals
    assert by_check.loc["project_repaired", ["error", "warning", "info", "total"]].tolist() == [0, 10, 0, 10]
    assert by_check.loc["project_unreconciled", "error"] == 3
    assert by_check.loc["strategy_total", "total"] == 3
    assert by_check.loc["tactic_total", "label_th"] == "ยอดรวมกลยุทธ์ไม่ตรง"
    assert "sheet_vs_table" not in by_check.index  # only checks that found something
    assert int(pivot["total"].sum()) == len(seed_findings)
    order = list(pivot["check"])
    assert order.index("project_total") < order.index("tactic_total") < order.index("plan_total")
    assert all(str(pivot[c].dtype) == "int64" for c in ("error", "warning", "info", "total"))
    empty = findings_pivot([])
    assert empty.empty and list(empty.columns) == list(pivot.columns)


def test_group_findings_plan_wide_first_then_strategies(seed_findings):
    from coopanalysis.checks import group_findings

    groups = group_findings(seed_findings, {"5": "การพัฒนาระบบเทคโนโลยี", "6": None})
    assert [sid for sid, _, _ in groups] == [None, "1", "2", "3", "4", "5", "6", "7", "8"]
    assert groups[0][1] == "ทั้งแผนและทั้งเอกสาร"
    assert {f.check for f in groups[0][2]} == {"plan_total", "unread_text"}
    titles = dict((sid, title) for sid, title, _ in groups)
    assert titles["5"] == "ยุทธศาสตร์ที่ 5 การพัฒนาระบบเทคโนโลยี"
    assert titles["6"] == "ยุทธศาสตร์ที่ 6" and titles["8"] == "ยุทธศาสตร์ที่ 8"
    assert sum(len(g) for _, _, g in groups) == len(seed_findings)
    assert all(f.strategy_id == sid for sid, _, g in groups[1:] for f in g)


def test_a_plan_cut_after_30_lines_says_what_is_missing(tmp_path):
    """The seed's first 30 lines hold detail rows but none of the summary blocks (งบประมาณรวม,
    first at line 102): the check names the missing summary instead of checking clean."""
    from coopanalysis.checks import run_checks
    from coopanalysis.model.plan import load
    from coopanalysis.paths import SEED

    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(SEED.read_text(encoding="utf-8").split("\n")[:30]) + "\n", encoding="utf-8")
    findings = run_checks(load(cut))
    missing = [f for f in findings if f.check == "missing_section"]
    assert [(f.severity, f.level, f.source_line) for f in missing] == [("warning", "document", 30)]
    assert "ไม่พบหน้าสรุปงบประมาณรวม" in missing[0].message and "30 บรรทัด" in missing[0].message
    assert not [f for f in findings if f.check == "unread_text" and "()" in f.message]
