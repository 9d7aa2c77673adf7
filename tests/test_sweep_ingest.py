"""A planted-bug sweep of a plan's ingest and text helpers (docs/sweeps/plan-ingest.md): the cases
no other fixture had. Plans are typed here (Thai digits, TABs, the seed's layout) or made by the
synthetic generator; expected values are typed by hand or read off the generator's truth.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from support.synthetic import generate, render

from coopanalysis.ingest import ingest_file
from coopanalysis.text import fmt
from coopanalysis.text.markdown import md_text

T = "\t"
YEARS = ["๒๕๖๕", "๒๕๖๖", "๒๕๖๗", "๒๕๖๘", "๒๕๖๙"]
TITLE = "แผนปฏิบัติการกรมทดสอบ ๕ ปี (พ.ศ. ๒๕๖๕-๒๕๖๙)"
HEADER = T.join(["ยุทธศาสตร์ / เป้าหมาย/กลยุทธ์", "ตัวชี้วัดเป้าหมาย", "หน่วยนับ", "ค่าเป้าหมาย", "", "", "", "",
                 "โครงการ/กิจกรรม", "วงเงินงบประมาณปี (ล้านบาท)", "", "", "", "", "", "หน่วยงานรับผิดชอบ"])
YEARS_ROW = T.join(["", "", "", *YEARS, "", *YEARS, "รวม"])
# strategy 2 with its first KPI (no target in 2565), project 2.1 (nothing in 2566), project 2.2
STRATEGY_ROW = T.join(["ยุทธศาสตร์ที่ ๒ พัฒนาคน เป้าหมาย คนเก่ง กลยุทธ์ ๒.๑ อบรม", "๑.จำนวนคน", "คน",
                       "-", "๑๐", "๑๐", "๑๐", "๑๐", "๒.๑ โครงการอบรม", "๑", "-", "๑", "๑", "๑", "๔", "กตส."])
SECOND_ROW = T.join([""] * 8 + ["๒.๒ โครงการสอง", "๒", "๒", "๒", "๒", "๒", "๑๐", "กตส."])
SUMMARY = [T.join(["ยุทธศาสตร์", "๒ พัฒนาคน"]), T.join(["เป้าหมาย", "คนเก่ง"]), T.join(["กลยุทธ์", "๒.๑ อบรม"]),
           T.join(["โครงการกิจกรรม", "๒"]), T.join(["งบประมาณรวม ๕ ปี", "๒ โครงการ"]), T.join(["", "๑๔"]),
           "๑๔ ล้านบาท"]


def plan_text(*rows: str, summary=SUMMARY, header: str = HEADER, before=()) -> str:
    """A plan's text: title, *before*, the summary block, one detail table holding *rows*."""
    return "\n".join([TITLE, "", *before, *summary, "", header, YEARS_ROW, *rows, ""])


def ingest(tmp_path: Path, text: str, name: str = "plan", corrections: str | None = None) -> Path:
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    fixes = None
    if corrections is not None:
        fixes = tmp_path / f"{name}.yaml"
        fixes.write_text(corrections, encoding="utf-8")
    ingest_file(source, tmp_path / name, corrections=fixes)
    return tmp_path / name


def rows(directory: Path, name: str) -> list[dict]:
    with open(directory / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def column(directory: Path, name: str, key: str) -> list[str]:
    return [r[key] for r in rows(directory, name)]


# ---- dashes: a PDF's text has '-', '–', '—' or '−' for "nothing this year" ------------------
@pytest.mark.parametrize("dash", ["–", "—", "−"])
def test_every_kind_of_dash_reads_like_a_hyphen_in_targets_and_amounts(tmp_path, dash):
    def dashed(row: str) -> str:
        return T.join(dash if cell == "-" else cell for cell in row.split(T))

    hyphen = ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW), "hyphen")
    other = ingest(tmp_path, plan_text(dashed(STRATEGY_ROW), SECOND_ROW), "other")
    # read off the rows above: no target printed for 2565, project 2.1 has nothing in 2566
    assert column(other, "kpis", "target") == ["", "10", "10", "10", "10"]
    assert [r["amount_mb"] for r in rows(other, "budget") if r["project_id"] == "2.1"] == ["1", "0", "1", "1", "1"]
    assert column(other, "listings", "printed_values") == ["1 - 1 1 1", "2 2 2 2 2"]
    assert column(other, "projects", "parse_status") == ["exact", "exact"]
    assert rows(other, "ingest_report") == []
    for table in sorted(hyphen.glob("*.csv")):
        assert (other / table.name).read_text(encoding="utf-8") == table.read_text(encoding="utf-8"), table.name


# ---- ten or more siblings: ids sort as numbers ------------------------------------------
def test_strategy_9_comes_before_10_and_project_9_2_before_9_10(tmp_path):
    truth = generate(n_projects=22, n_strategies=2, seed=3, first_strategy=9, repeat_rate=0, per_kpi_rate=0)
    assert len(truth.strategies[0].projects) >= 10  # so 9.10 exists
    out = ingest(tmp_path, render(truth))
    assert column(out, "strategies", "strategy_id") == ["9", "10"]
    assert column(out, "tactics", "tactic_id") == [t.id for s in truth.strategies for t in s.tactics]
    assert column(out, "projects", "project_id") == [p.id for s in truth.strategies for p in s.projects]
    from coopanalysis.model.plan import load_dir

    assert load_dir(out).strategy_ids() == ["9", "10"]


def test_ingest_report_lists_lines_in_number_order_line_4_before_line_15(tmp_path):
    stray = "ข้อความที่ไม่อยู่ในส่วนใด"
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW, before=["", stray]) + stray + "\n")
    assert [(r["line"], r["disposition"], r["text"]) for r in rows(out, "ingest_report")] == [
        ("4", "unparsed", stray), ("17", "unparsed", stray)]


def test_every_line_of_a_text_ending_in_a_newline_is_counted_once(tmp_path):
    # title, blank, 7 summary lines, blank, header, years row, 2 project rows: 14 lines, the last ending in \n
    source = tmp_path / "plan.txt"
    source.write_text(plan_text(STRATEGY_ROW, SECOND_ROW), encoding="utf-8")
    result = ingest_file(source, tmp_path / "out")
    assert result.accounting == {"read": 14, "used": 10, "layout": 4, "blank": 2, "unparsed": 0}
    assert result.accounting_line() == "14 lines read: 10 used, 4 layout (2 blank), 0 unparsed"
    meta = json.loads((tmp_path / "out" / "ingest_meta.json").read_text(encoding="utf-8"))
    assert meta["accounting"] == result.accounting


# ---- what a table row holds ---------------------------------------------------------------
def test_n_values_counts_the_yearly_cells_printed_not_the_total(tmp_path):
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW))
    assert column(out, "projects", "n_values") == ["5", "5"]


def test_a_kpi_row_with_four_targets_for_five_years_says_so(tmp_path):
    short = STRATEGY_ROW.replace(T.join(["-", "๑๐", "๑๐", "๑๐", "๑๐"]), T.join(["๑๐", "๑๐", "๑๐", "๑๐"]))
    out = ingest(tmp_path, plan_text(short, SECOND_ROW))
    kpis = rows(out, "kpis")
    assert [(r["fiscal_year"], r["target"]) for r in kpis] == [("2565", "10"), ("2566", "10"), ("2567", "10"),
                                                               ("2568", "10")]
    assert {r["parse_note"] for r in kpis} == {"4 targets for 5 years"}


def test_a_header_naming_only_indicator_project_and_budget_starts_a_table(tmp_path):
    header = T.join(["", "ตัวชี้วัด", "", "", "", "", "", "", "โครงการ/กิจกรรม", "วงเงินงบประมาณ"])
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW, header=header))
    assert column(out, "projects", "project_id") == ["2.1", "2.2"]
    assert column(out, "budget", "amount_mb")[-5:] == ["2"] * 5


def test_projects_without_a_name_are_numbered_within_their_own_strategy(tmp_path):
    unnamed = T.join([""] * 9 + ["๑", "๑", "๑", "๑", "๑", "๕", "กตส."])  # figures and units, no name
    strategy_3 = T.join(["ยุทธศาสตร์ที่ ๓ พัฒนางาน เป้าหมาย งานดี กลยุทธ์ ๓.๑ ปรับ", "", "", "", "", "", "", "",
                         "๓.๑ โครงการปรับ", "๓", "๓", "๓", "๓", "๓", "๑๕", "กตส."])
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, unnamed, strategy_3, unnamed, unnamed))
    assert column(out, "projects", "project_id") == ["2.1", "2.u1", "3.1", "3.u1", "3.u2"]
    assert column(out, "projects", "tactic_id") == ["2.1", "2.1", "3.1", "3.1", "3.1"]


def test_a_spilled_row_that_adds_up_two_ways_is_not_repaired(tmp_path):
    # six cells for five years: dropping the 1 in cell 1 (or 2) gives 1 5 1 1 2, in cell 4 (or 5) 1 1 5 1 2
    both_ways = T.join([""] * 8 + ["๒.๒ โครงการสอง", "๑", "๑", "๕", "๑", "๑", "๒", "๑๐", "กตส."])
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, both_ways))
    (second,) = [r for r in rows(out, "projects") if r["project_id"] == "2.2"]
    assert (second["parse_status"], second["stated_total_mb"], second["n_values"]) == ("unreconciled", "10", "6")
    assert "more than one way to add up" in second["parse_note"]
    assert [r["amount_mb"] for r in rows(out, "budget") if r["project_id"] == "2.2"] == [""] * 5


def test_a_kpi_name_ending_in_clause_12_is_not_split_at_its_2():
    from coopanalysis.ingest.cells import split_kpis

    assert split_kpis("1.สหกรณ์ที่ผ่านเกณฑ์ข้อ 12. 2.ระบบบัญชี") == [("1", "สหกรณ์ที่ผ่านเกณฑ์ข้อ 12."), ("2", "ระบบบัญชี")]


# ---- summary blocks -------------------------------------------------------------------------
def test_a_summary_block_with_fewer_goals_than_strategies_is_reported(tmp_path):
    summary = [T.join(["ยุทธศาสตร์", "๒ พัฒนาคน", "๓ พัฒนางาน"]), T.join(["เป้าหมาย", "คนเก่ง"])]
    out = ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW, summary=summary))
    report = rows(out, "ingest_report")
    assert [(r["line"], r["disposition"], r["text"]) for r in report] == [("4", "unplaced", "คนเก่ง")]
    assert "goals do not match the strategies" in report[0]["note"]
    assert column(out, "strategies", "goal") == ["คนเก่ง", ""]


# ---- number formats and Markdown ----------------------------------------------------------
def test_a_zero_difference_has_no_sign():
    assert (fmt.amount(0, sign=True), fmt.amount(0.0, sign=True), fmt.amount(-40, sign=True),
            fmt.amount(0.5, sign=True)) == ("0", "0", "-40", "+0.5")


def test_markdown_keeps_strike_through_as_text():
    assert md_text("~~ยกเลิก~~ ๒๕๖๕") == "\\~\\~ยกเลิก\\~\\~ ๒๕๖๕"


# ---- reviewed corrections -------------------------------------------------------------------
MISMATCH_ROW = STRATEGY_ROW.replace(T.join(["๑", "-", "๑", "๑", "๑", "๔"]), T.join(["๑", "๑๕", "๑", "๑", "๑", "๕"]))


def correction(corrected: str, field: str = "field: amount\n    ") -> str:
    return (f"corrections:\n  - project_id: \"2.1\"\n    {field}fiscal_year: 2566\n    printed: \"15\"\n"
            f"    corrected: \"{corrected}\"\n    reason: จุดทศนิยมหายไป\n")


def test_a_correction_without_a_field_corrects_that_years_amount(tmp_path):
    out = ingest(tmp_path, plan_text(MISMATCH_ROW, SECOND_ROW), corrections=correction("1", field=""))
    assert [(r["fiscal_year"], r["amount_mb"], r["corrected_from"]) for r in rows(out, "budget")
            if r["project_id"] == "2.1"] == [("2565", "1", ""), ("2566", "1", "15"), ("2567", "1", ""),
                                             ("2568", "1", ""), ("2569", "1", "")]
    assert [(r["field"], r["fiscal_year"], r["printed"], r["corrected"], r["reason"])
            for r in rows(out, "corrections_applied")] == [("amount", "2566", "15", "1", "จุดทศนิยมหายไป")]
    assert column(out, "projects", "parse_status") == ["exact", "exact"]


def test_a_correction_after_which_the_years_still_do_not_add_up_leaves_a_mismatch(tmp_path):
    out = ingest(tmp_path, plan_text(MISMATCH_ROW, SECOND_ROW), corrections=correction("2"))
    (first, _) = rows(out, "projects")
    assert (first["project_id"], first["parse_status"], first["stated_total_mb"]) == ("2.1", "mismatch", "5")
    assert "corrected amount 2566 from 15 to 2: จุดทศนิยมหายไป" in first["parse_note"]


# ---- bad input: exit 2 naming the file and line ---------------------------------------------
def test_a_years_row_printed_backwards_is_refused_with_its_line(tmp_path, capsys):
    from coopanalysis.cli import main

    backwards = T.join(reversed(YEARS))
    text = plan_text(STRATEGY_ROW, SECOND_ROW).replace(YEARS_ROW, T.join(["", "", "", backwards, "", backwards, "รวม"]))
    source = tmp_path / "plan.txt"
    source.write_text(text, encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("coopanalysis: ") and f"{source}:12:" in err, err  # title, blank, 7 summary lines, blank, header
    assert "2569 2568 2567 2566 2565" in err
    assert not (tmp_path / "out" / "budget.csv").exists()


# ---- a plan's tables edited by an analyst -------------------------------------------------------
def test_a_budget_whose_years_became_floats_keeps_every_yearly_amount(tmp_path):
    from coopanalysis.model.plan import load_dir
    from coopanalysis.model.rollups import project_totals, yearly_amounts

    plan = load_dir(ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW)))
    edited = plan.replace(budget=plan.budget.astype({"fiscal_year": "float64"}))  # 2565.0, as pandas makes it
    yearly = yearly_amounts(edited)
    assert list(zip(yearly["project_id"], yearly["fiscal_year"], yearly["amount_text"])) == [
        ("2.1", 2565, "1"), ("2.1", 2566, "0"), ("2.1", 2567, "1"), ("2.1", 2568, "1"), ("2.1", 2569, "1"),
        ("2.2", 2565, "2"), ("2.2", 2566, "2"), ("2.2", 2567, "2"), ("2.2", 2568, "2"), ("2.2", 2569, "2")]
    totals = project_totals(edited)
    assert list(zip(totals["computed_text"], totals["basis"])) == [("4", "yearly"), ("10", "yearly")]


def test_the_dataset_names_the_line_a_total_is_printed_on_not_the_groups_first_line(tmp_path):
    from coopanalysis.model.build import from_plan
    from coopanalysis.model.plan import load_dir

    dataset = from_plan(load_dir(ingest(tmp_path, plan_text(STRATEGY_ROW, SECOND_ROW))))
    stated = dataset.stated.set_index("node_id")
    # summary lines 3-9: strategy (3), goal, tactic (5), counts, 'งบประมาณรวม', tactic budgets (8), '๑๔ ล้านบาท' (9)
    assert (stated.loc["strategy:2", "source_line"], stated.loc["tactic:2.1", "source_line"]) == (9, 8)
    assert (stated.loc["strategy:2", "amount_mb"], stated.loc["tactic:2.1", "amount_mb"]) == (14.0, 14.0)
    assert stated.loc["project:2.1", "source_line"] == 13  # its table row
