"""Ingest of the seed document: exact figures read off the document by hand."""

from __future__ import annotations

import csv
import filecmp
import json
from pathlib import Path

import pytest

from coopanalysis import paths
from coopanalysis.ingest import ingest_file

SEED = paths.SEED
YEARS = [2560, 2561, 2562, 2563, 2564]


def rows(directory: Path, name: str) -> list[dict]:
    with open(directory / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    ingest_file(SEED, out)
    return out


@pytest.fixture(scope="module")
def corrected_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corrected")
    ingest_file(SEED, out, corrections=paths.CORRECTIONS)
    return out


def project(directory: Path, pid: str) -> dict:
    (row,) = [r for r in rows(directory, "projects") if r["project_id"] == pid]
    return row


def yearly(directory: Path, pid: str, source: str = "table") -> list[str]:
    found = [r for r in rows(directory, "budget") if r["project_id"] == pid and r["source"] == source]
    assert [int(r["fiscal_year"]) for r in found] == YEARS
    return [r["amount_mb"] for r in found]


def units(directory: Path, pid: str) -> list[str]:
    return [r["unit"] for r in rows(directory, "project_units") if r["project_id"] == pid]


def test_plan_json(raw_dir):
    plan = json.loads((raw_dir / "plan.json").read_text(encoding="utf-8"))
    assert plan["organisation"] == "กรมส่งเสริมสหกรณ์"
    assert (plan["first_fiscal_year"], plan["last_fiscal_year"]) == (2560, 2564)
    assert plan["fiscal_years"] == YEARS
    assert plan["vision"].startswith("สหกรณ์และกลุ่มเกษตรกรเข้มแข็งเป็นศูนย์กลางการพัฒนา")
    assert len(plan["missions"]) == 4  # printed twice (two summary pages), kept once
    assert plan["missions"][3].startswith("พัฒนาระบบการรักษาเสถียรภาพ")
    assert plan["strategic_goal"].startswith("กรมส่งเสริมสหกรณ์เป็นองค์กรที่มุ่งเน้น")


def test_green_coop_repaired(raw_dir):
    p = project(raw_dir, "3.4")
    assert p["name"] == "โครงการสหกรณ์สีเขียว (Green Coop)"
    assert (p["stated_total_mb"], p["parse_status"], p["n_values"]) == ("25", "repaired", "6")
    assert "dropped the repeated value 5" in p["parse_note"]
    assert yearly(raw_dir, "3.4") == ["5"] * 5
    assert units(raw_dir, "3.4") == ["กพท.", "สทล.", "สสจ.", "สสพ.", "สกก."]
    assert p["tactic_id"] == "3.3" and "3.2, 3.3" in p["parse_note"]


def test_project_listed_once_per_kpi_is_one_row(raw_dir):
    assert [r["project_id"] for r in rows(raw_dir, "projects")].count("4.1") == 1
    p = project(raw_dir, "4.1")
    assert (p["stated_total_mb"], p["parse_status"], p["n_listings"]) == ("25", "exact", "2")
    assert yearly(raw_dir, "4.1") == ["5"] * 5
    listings = [r for r in rows(raw_dir, "listings") if r["project_id"] == "4.1"]
    assert [(x["printed_values"], x["printed_total"], x["source_line"]) for x in listings] == [
        ("5 5 5 5 5", "25", "18"),
        ("5 5 5 5 5", "25", "20"),
    ]
    assert units(raw_dir, "4.1") == ["กพร.", "กพรง."]


@pytest.mark.parametrize(
    "pid, amounts, total, status",
    [
        ("4.2", ["5", "5", "5", "5", "5"], "25", "exact"),
        ("5.3", ["0", "5", "3", "3", "3"], "14", "repaired"),
        ("5.4", ["0.5", "5", "1.5", "1.5", "1.5"], "10", "repaired"),
        ("5.5", ["0.5", "5", "1.5", "1.5", "1.5"], "10", "repaired"),
        ("5.6", ["1", "1", "2", "2", "2"], "8", "repaired"),
        ("5.8", ["0.5", "5", "1.5", "1.5", "1.5"], "10", "repaired"),
        ("6.2", ["10", "0", "0", "0", "0"], "10", "exact"),
        ("6.1", ["0.5", "5", "15", "15", "15"], "10", "mismatch"),
    ],
)
def test_table_rows(raw_dir, pid, amounts, total, status):
    p = project(raw_dir, pid)
    assert yearly(raw_dir, pid) == amounts
    assert (p["stated_total_mb"], p["parse_status"]) == (total, status)


def test_names_sharing_a_cell(raw_dir):
    assert project(raw_dir, "6.2")["name"] == "โครงการจัดตั้งธนาคารสหกรณ์"
    assert project(raw_dir, "6.1")["name"].startswith("โครงการพัฒนาศักยภาพ")
    assert units(raw_dir, "6.2") == ["กฟนง."]


def test_unreconciled_keeps_total_and_leaves_years_empty(raw_dir):
    p = project(raw_dir, "5.7")
    assert p["name"] == "โครงการเกษตรดิจิทัล"
    assert (p["stated_total_mb"], p["parse_status"], p["n_values"]) == ("60", "unreconciled", "6")
    assert yearly(raw_dir, "5.7") == [""] * 5


def test_project_sheets(raw_dir):
    assert yearly(raw_dir, "1.1", "project_sheet") == ["51", "50", "50", "50", "50"]
    assert yearly(raw_dir, "1.2", "project_sheet") == ["5", "6", "7", "8", "9"]
    assert project(raw_dir, "1.1")["parse_status"] == "sheet_only"
    sheet = rows(raw_dir, "project_sheets")
    objectives = [r for r in sheet if r["project_id"] == "1.2" and r["section"] == "objective"]
    assert [r["item_id"] for r in objectives] == ["1.1", "1.2", "1.3"]
    assert any(r["section"] == "target_group" and "9,625 กลุ่ม" in r["text"] for r in sheet)
    activities = [r for r in rows(raw_dir, "activities") if r["project_id"] == "1.1" and r["activity_id"] == "3.5"]
    # ←…→ spans all five years
    assert [(r["fiscal_year"], r["active"]) for r in activities] == [(str(y), "true") for y in YEARS]
    a32 = [r for r in rows(raw_dir, "activities") if r["project_id"] == "1.2" and r["activity_id"] == "3.2"]
    assert [r["target"] for r in a32][1:] == ["385 สหกรณ์"] * 4


def test_bullet_list_projects_get_rows(raw_dir):
    listed = [r for r in rows(raw_dir, "projects") if r["strategy_id"] == "1"]
    assert [r["project_id"] for r in listed] == [f"1.{i}" for i in range(1, 12)]
    assert project(raw_dir, "1.5")["parse_status"] == "listed_only"


def test_unnamed_projects_get_stable_generated_ids(raw_dir):
    unnamed = [r for r in rows(raw_dir, "projects") if r["strategy_id"] == "8"]
    assert [r["project_id"] for r in unnamed] == ["8.u1", "8.u2"]
    assert all("generated" in r["parse_note"] and r["stated_total_mb"] == "80.5" for r in unnamed)
    assert yearly(raw_dir, "8.u1") == ["0.5", "20", "20", "20", "20"]
    assert units(raw_dir, "8.u2") == ["กพร."]  # printed three times, kept once


def test_strategy_and_tactic_summaries(raw_dir):
    strategies = {r["strategy_id"]: r for r in rows(raw_dir, "strategies")}
    assert sorted(strategies, key=int) == ["1", "3", "4", "5", "6", "7", "8"]
    got = {sid: (strategies[sid]["stated_total_mb"], strategies[sid]["stated_project_count"]) for sid in "5678"}
    assert got == {"5": ("125", "10"), "6": ("20", "2"), "7": ("161.5", "2"), "8": ("121", "2")}
    tactics = {r["tactic_id"]: r for r in rows(raw_dir, "tactics")}
    assert (tactics["5.1"]["stated_total_mb"], tactics["5.1"]["stated_project_count"]) == ("60", "5")
    assert [tactics[t]["stated_total_mb"] for t in ["5.2", "5.3", "5.4", "5.5", "6.1"]] == ["35", "10", "10", "10", "20"]
    assert strategies["7"]["present_in"] == "summary"
    names = [r for r in rows(raw_dir, "names") if r["level"] == "strategy" and r["id"] == "6"]
    assert {r["source"] for r in names} == {"summary", "detail"}


def test_kpis_keep_every_target_row(raw_dir):
    kpis = rows(raw_dir, "kpis")
    k41 = [(r["fiscal_year"], r["target"], r["source_line"]) for r in kpis if (r["strategy_id"], r["kpi_id"]) == ("4", "1")]
    assert k41 == [(str(y), t, "17") for y, t in zip(YEARS, ["", "50", "60", "70", "80"])] + [
        (str(y), "20", "18") for y in YEARS
    ]
    k62 = [r["target"] for r in kpis if (r["strategy_id"], r["kpi_id"]) == ("6", "2")]
    assert k62 == ["10", "", "", "", ""]


def test_every_line_accounted_for(raw_dir):
    meta = json.loads((raw_dir / "ingest_meta.json").read_text(encoding="utf-8"))
    acc = meta["accounting"]
    non_blank = sum(1 for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip())
    assert acc["read"] == 221  # the last line has no trailing newline
    assert acc["used"] + acc["layout"] + acc["unparsed"] == acc["read"]
    assert acc["read"] - acc["blank"] == non_blank
    unparsed = [r for r in rows(raw_dir, "ingest_report") if r["disposition"] == "unparsed"]
    assert len(unparsed) == acc["unparsed"]


def test_corrections_applied_and_recorded(corrected_dir):
    p = project(corrected_dir, "6.1")
    assert p["parse_status"] == "exact"
    assert "Lost decimal point" in p["parse_note"]
    assert yearly(corrected_dir, "6.1") == ["0.5", "5", "1.5", "1.5", "1.5"]
    corrected = [r["corrected_from"] for r in rows(corrected_dir, "budget") if r["project_id"] == "6.1"]
    assert corrected == ["", "", "15", "15", "15"]
    assert len(rows(corrected_dir, "corrections_applied")) == 3


def test_bundled_tables_are_reproducible(corrected_dir):
    """data/plan/ is exactly what `make data` produces from data/raw/ and the corrections."""
    bundled = paths.PLAN_DIR
    def tables(d):  # the hidden manifest of what ingest wrote is not a table
        return sorted(p.name for p in d.iterdir()
                      if p.suffix in (".csv", ".json") and p.name != "ingest_meta.json" and not p.name.startswith("."))
    names = tables(corrected_dir)
    assert names == tables(bundled)
    _, mismatch, errors = filecmp.cmpfiles(bundled, corrected_dir, names, shallow=False)
    assert mismatch == [] and errors == []


# ---- a page header repeated inside a table (issue 13, item 8) ------------------------------------------
def _figures(directory: Path) -> tuple[list, list]:
    budget = sorted((r["project_id"], r["fiscal_year"], r["amount_mb"]) for r in rows(directory, "budget"))
    projects = sorted((r["project_id"], r["tactic_id"], r["stated_total_mb"], r["parse_status"])
                      for r in rows(directory, "projects"))
    return budget, projects


@pytest.mark.parametrize("with_years", [False, True], ids=["header-only", "header-and-years"])
def test_page_header_repeated_mid_table(tmp_path, raw_dir, with_years):
    """Lines 62-63 are the header of the table that lists projects 5.4-5.7 (lines 65-68). A copy
    put between 5.5 and 5.6 is skipped as layout; 5.6 and 5.7 stay under tactic 5.2."""
    lines = paths.SEED.read_text(encoding="utf-8").split("\n")
    assert "๕.๕ โครงการ" in lines[65] and "๕.๖ โครงการ" in lines[66]
    block = lines[61:63] if with_years else lines[61:62]
    lines[66:66] = block
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(lines), encoding="utf-8")
    result = ingest_file(plan, tmp_path / "out")
    assert _figures(tmp_path / "out") == _figures(raw_dir)
    assert [p for p in rows(tmp_path / "out", "projects") if p["project_id"] in ("5.6", "5.7")][0]["tactic_id"] == "5.2"
    seed = json.loads((raw_dir / "ingest_meta.json").read_text(encoding="utf-8"))["accounting"]
    assert result.accounting["layout"] == seed["layout"] + len(block)
    assert result.accounting["unparsed"] == seed["unparsed"] == 0


# ---- budget years outside the plan, a document cut short (issue 13, item 8) -------------------------------
OTHER = Path(__file__).parent / "fixtures" / "other_plan_2565_2569.txt"


def test_sheet_budget_for_years_outside_the_plan_is_not_placed(tmp_path):
    """Project 1.5's sheet (lines 135-139) is headed 2565-2569 / 65..69. Headed 2560-2564 / 60..64
    instead (a sheet copied from the previous plan), its amounts 1 1 2 1 1 must not land in
    2560-2564 of a 2565-2569 plan: they are listed as unplaced and the check says so."""
    lines = OTHER.read_text(encoding="utf-8").split("\n")
    assert lines[134].strip() == "๒๕๖๕ - ๒๕๖๙" and lines[135].split() == ["๖๕", "๖๖", "๖๗", "๖๘", "๖๙"]
    lines[134] = "\t๒๕๖๐ - ๒๕๖๔"
    lines[135] = "\t๖๐\t๖๑\t๖๒\t๖๓\t๖๔"
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(lines), encoding="utf-8")
    ingest_file(plan, tmp_path / "out")
    budget = rows(tmp_path / "out", "budget")
    assert not [r for r in budget if r["source"] == "project_sheet"]
    assert {r["fiscal_year"] for r in budget} == {"2565", "2566", "2567", "2568", "2569"}
    report = [r for r in rows(tmp_path / "out", "ingest_report") if r["line"] == "139"]
    assert [(r["disposition"], r["text"]) for r in report] == [("unplaced", "1 1 2 1 1")]
    assert "2560-2564, outside the plan's 2565-2569" in report[0]["note"]
    note = next(r["parse_note"] for r in rows(tmp_path / "out", "projects") if r["project_id"] == "1.5")
    assert "project sheet budget on line 139 is for years 2560-2564" in note
    # unchanged fixture: the same sheet lands in 2565-2569
    ingest_file(OTHER, tmp_path / "good")
    sheet = [(r["fiscal_year"], r["amount_mb"]) for r in rows(tmp_path / "good", "budget") if r["source"] == "project_sheet"]
    assert sheet == [("2565", "1"), ("2566", "1"), ("2567", "2"), ("2568", "1"), ("2569", "1")]


def test_document_cut_after_30_lines_says_what_is_missing(tmp_path, capsys):
    from coopanalysis.cli import main

    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(paths.SEED.read_text(encoding="utf-8").split("\n")[:30]) + "\n", encoding="utf-8")
    assert main(["ingest", str(cut), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: no summary of strategy totals" in err and "30 lines" in err
    missing = [r for r in rows(tmp_path / "out", "ingest_report") if r["disposition"] == "missing"]
    assert [(r["line"], r["note"][:10]) for r in missing] == [("30", "no summary")]
    main(["check", str(cut), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    findings = findings["findings"] if isinstance(findings, dict) else findings
    assert any("no summary" in json.dumps(f, ensure_ascii=False) for f in findings)
    # the whole seed has every section: no such row
    assert not [r for r in rows(paths.PLAN_DIR, "ingest_report") if r["disposition"] == "missing"]
