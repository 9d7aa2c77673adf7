"""The Excel workbook of a plan: README, roll-ups, projects wide by year, findings, long table.

``write_workbook(source, path)`` writes, in this order:

1. ``อ่านก่อน README``: title, source file and its sha256, corrections applied, tolerance, the
   date (Buddhist era) and what each sheet holds, in Thai and English;
2. one sheet per level above the projects (``ยุทธศาสตร์``, ``กลยุทธ์``): yearly sums, their
   live ``SUM`` beside the printed total, the total used, the difference, the counts;
3. ``โครงการ``: one row per project, one column per fiscal year, a live ``SUM`` beside the
   printed total;
4. ``งบรายปี (ตารางยาว)``: one row per project and fiscal year, ready for a pivot table;
5. ``หน่วยงาน``: the responsible units and their projects;
6. ``ผลการตรวจ``: every finding of :func:`coopanalysis.checks.run_checks`, severity coloured;
7. ``การแก้ไขตัวเลข``: the reviewed corrections applied at ingest.

Amounts are million baht, written as numbers exactly equal to the printed decimals.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from ..fmt import digits
from ..labels import COLUMN_TH, PARSE_STATUS_TH, SEVERITY_COLORS, SEVERITY_TH, SOURCE_TH
from .common import as_figures, be_date, group_rows, items, levels_of, long_rows, source_info, unit_rows
from .sheets import Column, Formats, new_workbook, save_workbook, sheet_name, write_table

__all__ = ["write_workbook", "SHEETS"]

#: Sheet key -> (Thai name, Thai description, English description).
SHEETS = {
    "readme": ("อ่านก่อน README", "ที่มาของข้อมูลและคำอธิบายแต่ละแผ่นงาน", "where the data come from and what each sheet holds"),
    "strategy": ("ยุทธศาสตร์", "ยอดรวมรายยุทธศาสตร์: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
                 "per strategy: yearly sums, their live SUM beside the printed total, the total used and the difference"),
    "tactic": ("กลยุทธ์", "ยอดรวมรายกลยุทธ์: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
               "per tactic: yearly sums, their live SUM beside the printed total, the total used and the difference"),
    "project": ("โครงการ", "งบประมาณรายโครงการ หนึ่งคอลัมน์ต่อปีงบประมาณ รวม (สูตร SUM) ข้างยอดตามเอกสาร",
                "one row per project, one column per fiscal year, a live SUM beside the printed total"),
    "long": ("งบรายปี (ตารางยาว)", "หนึ่งแถวต่อโครงการต่อปี สำหรับ PivotTable",
             "one row per project and fiscal year, ready for a pivot table"),
    "units": ("หน่วยงาน", "หน่วยงานรับผิดชอบและโครงการของแต่ละหน่วยงาน", "responsible units and their projects"),
    "findings": ("ผลการตรวจ", "ผลการตรวจยอดรวม (สีตามระดับความรุนแรง) พร้อมข้อความเต็ม",
                 "every reconciliation finding, coloured by severity, with the full messages"),
    "corrections": ("การแก้ไขตัวเลข", "ตัวเลขที่แก้ไขตามการตรวจทาน (corrections) ตอนนำเข้า",
                    "reviewed corrections applied at ingest"),
}
BASIS_TH = {"yearly": "รวมจากงบรายปี", "printed": "ใช้ยอดรวมที่พิมพ์", "none": "ไม่มีตัวเลข"}
_FONT_ON = {"error": "#FFFFFF", "warning": "#000000", "info": "#000000"}


def _year_columns(years: list[int], thai_digits: bool) -> list[Column]:
    return [Column(f"y{y}", digits(f"ปีงบประมาณ {y}", thai_digits), "amount") for y in years]


def _yearly(row: dict, yearly: dict[int, Decimal], years: list[int]) -> dict:
    for year in years:
        row[f"y{year}"] = yearly.get(year)
    return row


def _group_sheet(workbook, formats, used, level, label, rows, years, thai_digits, parent_label=None):
    year_keys = [f"y{y}" for y in years]
    columns = [Column("id", label)]
    if parent_label:
        columns.append(Column("parent", parent_label))
    columns += [Column("name", COLUMN_TH["name"], wrap=True)]
    columns += _year_columns(years, thai_digits)
    columns += [
        Column("sum", "รวมงบรายปี (สูตร)", "sum", of=year_keys),
        Column("stated", "ยอดรวมตามเอกสาร", "amount"),
        Column("computed", "ยอดรวมที่ใช้ (รวมโครงการ)", "amount"),
        Column("difference", "ผลต่าง (ที่ใช้ - ตามเอกสาร)", "amount"),
        Column("stated_count", COLUMN_TH["stated_count"], "count"),
        Column("found_count", COLUMN_TH["found_count"], "count"),
        Column("n_printed_basis", COLUMN_TH["n_printed_basis"], "count"),
    ]
    data = []
    for g in rows:
        row = {"id": g.id, "parent": g.parents[0][1] if g.parents else "", "name": g.name,
               "stated": g.stated, "computed": g.computed, "difference": g.difference,
               "stated_count": g.stated_count, "found_count": g.found_count, "n_printed_basis": g.n_printed_basis}
        data.append(_yearly(row, g.yearly, years))
    write_table(workbook, formats, sheet_name(SHEETS[level][0], used), columns, data, freeze_columns=1)


def _project_sheet(workbook, formats, used, project_items, years, thai_digits):
    year_keys = [f"y{y}" for y in years]
    columns = [Column("id", "โครงการ"), Column("strategy", "ยุทธศาสตร์"), Column("tactic", "กลยุทธ์"),
               Column("name", "ชื่อโครงการ", wrap=True), Column("units", "หน่วยงานรับผิดชอบ", wrap=True)]
    columns += _year_columns(years, thai_digits)
    columns += [
        Column("sum", "รวมงบรายปี (สูตร)", "sum", of=year_keys),
        Column("stated", "ยอดรวมตามเอกสาร", "amount"),
        Column("amount", "ยอดที่ใช้ในยอดรวม", "amount"),
        Column("basis", "ที่มาของยอดที่ใช้"),
        Column("status", COLUMN_TH["parse_status"]),
        Column("line", "บรรทัดในเอกสาร", "int"),
    ]
    data = []
    for item in project_items:
        ids = {level: ident for level, ident, _ in item.path}
        row = {"id": item.id, "strategy": ids.get("strategy", ""), "tactic": ids.get("tactic", ""),
               "name": item.name, "units": "; ".join(item.units), "stated": item.stated, "amount": item.amount,
               "basis": BASIS_TH.get(item.basis, item.basis), "status": PARSE_STATUS_TH.get(item.status, item.status),
               "line": item.source_line}
        data.append(_yearly(row, item.yearly, years))
    write_table(workbook, formats, sheet_name(SHEETS["project"][0], used), columns, data, freeze_columns=1)


def _long_sheet(workbook, formats, used, levels, rows):
    columns = []
    for level in levels:
        columns += [Column(f"{level.key}_id", level.th), Column(f"{level.key}_name", f"ชื่อ{level.th}")]
    columns += [Column("units", "หน่วยงานรับผิดชอบ"), Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
                Column("amount", "จำนวนเงิน (ล้านบาท)", "amount"), Column("source", "แหล่งในเอกสาร"),
                Column("source_line", "บรรทัดในเอกสาร", "int")]
    data = [dict(row, source=SOURCE_TH.get({"table": "detail", "project_sheet": "sheet"}.get(row["source"], ""),
                                           row["source"])) for row in rows]
    write_table(workbook, formats, sheet_name(SHEETS["long"][0], used), columns, data)


def _units_sheet(workbook, formats, used, rows):
    columns = [Column("unit", COLUMN_TH["unit"]), Column("name", COLUMN_TH["unit_name"], wrap=True),
               Column("count", "จำนวนโครงการ", "count"), Column("projects", "โครงการ", wrap=True)]
    data = [{"unit": r["unit"], "name": r["name"], "count": len(r["projects"]), "projects": ", ".join(r["projects"])}
            for r in rows]
    write_table(workbook, formats, sheet_name(SHEETS["units"][0], used), columns, data)


def _findings_sheet(workbook, formats, used, findings):
    columns = [Column("severity", COLUMN_TH["severity"]), Column("check", COLUMN_TH["check"]),
               Column("level", COLUMN_TH["level"]), Column("id", COLUMN_TH["id"]),
               Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
               Column("stated", "ตามเอกสาร (ล้านบาท)", "amount"), Column("computed", "คำนวณได้ (ล้านบาท)", "amount"),
               Column("difference", "ผลต่าง (ล้านบาท)", "amount"),
               Column("message", COLUMN_TH["message"], wrap=True), Column("message_en", "Message (English)", wrap=True),
               Column("hint", COLUMN_TH["hint"]), Column("source_line", COLUMN_TH["source_line"], "int")]
    data, colours = [], {}
    for index, f in enumerate(findings):
        data.append({"severity": SEVERITY_TH.get(f.severity, f.severity), "check": f.check, "level": f.level,
                     "id": f.id, "fiscal_year": f.fiscal_year,
                     "stated": Decimal(f.stated) if f.stated is not None else None,
                     "computed": Decimal(f.computed) if f.computed is not None else None,
                     "difference": Decimal(f.difference) if f.difference is not None else None,
                     "message": f.message, "message_en": f.message_en, "hint": f.hint or "",
                     "source_line": f.source_line})
        colours[(index, "severity")] = formats.fill(SEVERITY_COLORS.get(f.severity, "#FFFFFF"),
                                                    _FONT_ON.get(f.severity, "#000000"))
    write_table(workbook, formats, sheet_name(SHEETS["findings"][0], used), columns, data, row_formats=colours)


def _corrections_sheet(workbook, formats, used, corrections):
    columns = [Column("project_id", COLUMN_TH["project_id"]), Column("field", COLUMN_TH["field"]),
               Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
               Column("printed", "ค่าที่พิมพ์ (ล้านบาท)", "amount"), Column("corrected", "ค่าที่แก้ (ล้านบาท)", "amount"),
               Column("reason", COLUMN_TH["reason"], wrap=True), Column("source_line", COLUMN_TH["source_line"], "int")]
    write_table(workbook, formats, sheet_name(SHEETS["corrections"][0], used), columns, corrections)


def _readme(workbook, formats, used, plan, info, tolerance, findings, sheets, thai_digits):
    sheet = workbook.add_worksheet(sheet_name(SHEETS["readme"][0], used))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 70, formats.wrap)
    sheet.write_string(0, 0, plan.title or "แผน", formats.title)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    corrections = info["corrections"]
    years = plan.years
    rows = [
        ("", "ภาษาไทย", "English"),
        ("ชื่อแผน / title", plan.title, plan.title),
        ("ปีงบประมาณ / fiscal years", digits(f"พ.ศ. {years[0]}-{years[-1]}", thai_digits) if years else "",
         f"BE {years[0]}-{years[-1]}" if years else ""),
        ("ไฟล์ต้นฉบับ / source file", info["source_file"], info["source_file"]),
        ("SHA-256 ของไฟล์ต้นฉบับ", info["sha256"] or "ไม่ทราบ", info["sha256"] or "unknown"),
        ("การแก้ไขตัวเลข / corrections",
         f"แก้ {len(corrections)} ค่า ตามไฟล์ {info['corrections_file']} (ดูแผ่นงาน {SHEETS['corrections'][0]})"
         if corrections else "ไม่มี",
         f"{len(corrections)} values corrected from {info['corrections_file']} (see sheet {SHEETS['corrections'][0]})"
         if corrections else "none"),
        ("เกณฑ์ผลต่าง / tolerance", f"ผลต่างไม่เกิน {tolerance} ล้านบาท ถือว่าตรงกัน",
         f"differences up to {tolerance} million baht count as equal"),
        ("ผลการตรวจ / findings", f"ผิดพลาด {counts['error']} คำเตือน {counts['warning']} ข้อมูล {counts['info']}",
         f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes"),
        ("หน่วย / unit", "จำนวนเงินเป็นล้านบาท ปีเป็นปีงบประมาณ พ.ศ. (1 ต.ค. - 30 ก.ย.)",
         "amounts in million baht; years are Thai fiscal years, Buddhist era (1 Oct - 30 Sep)"),
        ("สูตร / formulas", "คอลัมน์ \"รวมงบรายปี (สูตร)\" เป็นสูตร SUM ที่คำนวณใหม่เมื่อแก้ตัวเลขรายปี",
         "the \"รวมงบรายปี (สูตร)\" column is a live SUM of the yearly columns beside the printed total"),
        ("วันที่จัดทำ / made on", be_date(thai_digits=thai_digits), be_date()),
        ("", "", ""),
        ("แผ่นงาน / sheet", "เนื้อหา", "contents"),
    ]
    rows += [(SHEETS[key][0], SHEETS[key][1], SHEETS[key][2]) for key in sheets]
    for r, (label, th, en) in enumerate(rows, start=2):
        style = formats.header if label in ("", "แผ่นงาน / sheet") and th in ("ภาษาไทย", "เนื้อหา") else None
        sheet.write_string(r, 0, label, style or formats.bold)
        sheet.write_string(r, 1, str(th), style or formats.wrap)
        sheet.write_string(r, 2, str(en), style or formats.wrap)
    sheet.activate()


def write_workbook(source, path, *, thai_digits: bool = False, tolerance=None) -> Path:
    """Write the workbook of *source* (a Plan, Figures, or a path) to *path*; returns the path.

    *thai_digits* shows numbers and years in Thai digits (the cells still hold plain numbers);
    *tolerance* (million baht, default that of ``coopanalysis check``) is passed to the checks.
    The file is written atomically: a reader sees the old workbook or the new one.
    """
    from ..checks import DEFAULT_TOLERANCE, run_checks

    fig = as_figures(source)
    plan = fig.plan
    tolerance = DEFAULT_TOLERANCE if tolerance is None else Decimal(str(tolerance))
    findings = run_checks(plan, tolerance=tolerance)
    info = source_info(plan)
    levels = levels_of(plan)
    years = plan.years
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    workbook.set_properties({"title": plan.title, "subject": "million baht (ล้านบาท)",
                             "comments": f"source {info['source_file']} sha256 {info['sha256']}"})
    formats = Formats(workbook, thai_digits)
    used: set[str] = set()
    sheets = ["readme", "strategy", "tactic", "project", "long", "units", "findings", "corrections"]
    _readme(workbook, formats, used, plan, info, tolerance, findings, sheets, thai_digits)
    _group_sheet(workbook, formats, used, "strategy", "ยุทธศาสตร์", group_rows(fig, "strategy"), years, thai_digits)
    _group_sheet(workbook, formats, used, "tactic", "กลยุทธ์", group_rows(fig, "tactic"), years, thai_digits,
                 parent_label="ยุทธศาสตร์")
    _project_sheet(workbook, formats, used, items(fig), years, thai_digits)
    _long_sheet(workbook, formats, used, levels, long_rows(fig))
    _units_sheet(workbook, formats, used, unit_rows(fig))
    _findings_sheet(workbook, formats, used, findings)
    _corrections_sheet(workbook, formats, used, info["corrections"])
    return save_workbook(workbook, buffer, path)
