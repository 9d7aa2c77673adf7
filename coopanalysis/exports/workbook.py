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

from coopanalysis.exports.shape import shape
from coopanalysis.exports.sheets import Column, Formats, new_workbook, safe_sheet_name, save_workbook, write_table
from coopanalysis.text.fiscal import be_date
from coopanalysis.text.fmt import digits
from coopanalysis.text.labels import COLUMN_TH, PARSE_STATUS_TH, SEVERITY_COLORS, SEVERITY_TH, SOURCE_TH

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
PHASE_TH = {"planned": "แผน (planned)", "proposed": "ร่างที่เสนอ (proposed)", "approved": "อนุมัติแล้ว (approved)"}
BASIS_TH = {"yearly": "รวมจากงบรายปี", "printed": "ใช้ยอดรวมที่พิมพ์", "none": "ไม่มีตัวเลข"}
_FONT_ON = {"error": "#FFFFFF", "warning": "#000000", "info": "#000000"}


def _year_columns(years: list[int], thai_digits: bool) -> list[Column]:
    return [Column(f"y{y}", digits(f"ปีงบประมาณ {y}", thai_digits), "amount") for y in years]


def _yearly(row: dict, yearly: dict[int, Decimal], years: list[int]) -> dict:
    for year in years:
        row[f"y{year}"] = yearly.get(year)
    return row


def _total_headers(shaped, thai_digits: bool) -> tuple[str, str]:
    """Headers of the printed and the computed total: the whole period, or the bill's year."""
    if shaped.totals_year is None:
        return "ยอดรวมตามเอกสาร", "ยอดรวมที่ใช้ (รวมโครงการ)"
    year = digits(str(shaped.totals_year), thai_digits)
    return f"ยอดตามเอกสาร ปี {year}", f"รวมรายการ ปี {year}"


def _path_text(path) -> str:
    return " › ".join(name or ident for _, ident, name in path[:-1])


def _group_sheet(workbook, formats, used, shaped, level, rows, thai_digits):
    years = shaped.years
    plan = shaped.kind == "plan"
    stated_h, computed_h = _total_headers(shaped, thai_digits)
    columns = [Column("id", level.label_th)]
    if any(g.parents for g in rows):
        columns.append(Column("parent", "ยุทธศาสตร์" if plan else "รหัสระดับบน"))
    columns += [Column("name", COLUMN_TH["name"], wrap=True)]
    columns += _year_columns(years, thai_digits)
    columns += [
        Column("sum", "รวมงบรายปี (สูตร)", "sum", of=[f"y{y}" for y in years]),
        Column("stated", stated_h, "amount"),
        Column("computed", computed_h, "amount"),
        Column("difference", "ผลต่าง (รวม - ตามเอกสาร)", "amount"),
    ]
    if plan:
        columns += [Column("stated_count", COLUMN_TH["stated_count"], "count"),
                    Column("found_count", COLUMN_TH["found_count"], "count"),
                    Column("n_printed_basis", COLUMN_TH["n_printed_basis"], "count")]
    data = []
    for g in rows:
        row = {"id": g.id, "parent": g.parents[0][1] if g.parents else "", "name": g.name,
               "stated": g.stated, "computed": g.computed, "difference": g.difference,
               "stated_count": g.stated_count, "found_count": g.found_count, "n_printed_basis": g.n_printed_basis}
        data.append(_yearly(row, g.yearly, years))
    write_table(workbook, formats, safe_sheet_name(level.label_th, used), columns, data, freeze_columns=1)


def _items_sheet(workbook, formats, used, shaped, name, thai_digits):
    years = shaped.years
    plan = shaped.kind == "plan"
    stated_h, computed_h = _total_headers(shaped, thai_digits)
    if plan:
        columns = [Column("id", "โครงการ"), Column("strategy", "ยุทธศาสตร์"), Column("tactic", "กลยุทธ์"),
                   Column("name", "ชื่อโครงการ", wrap=True)]
    else:
        columns = [Column("id", "รหัส"), Column("level", "ระดับ"), Column("name", COLUMN_TH["name"], wrap=True),
                   Column("path", "อยู่ภายใต้", wrap=True)]
    columns.append(Column("units", "หน่วยงานรับผิดชอบ", wrap=True))
    columns += _year_columns(years, thai_digits)
    columns += [Column("sum", "รวมงบรายปี (สูตร)", "sum", of=[f"y{y}" for y in years]),
                Column("stated", stated_h, "amount")]
    if plan:
        columns += [Column("amount", "ยอดที่ใช้ในยอดรวม", "amount"), Column("basis", "ที่มาของยอดที่ใช้"),
                    Column("status", COLUMN_TH["parse_status"]), Column("line", "บรรทัดในเอกสาร", "int")]
    else:
        columns += [Column("amount", computed_h, "amount"), Column("status", "สถานะแถว"),
                    Column("line", "แถวแรกในตาราง", "int")]
    labels = {level.key: level.label_th for level in shaped.levels}
    data = []
    for item in shaped.items:
        ids = {level: ident for level, ident, _ in item.path}
        status = PARSE_STATUS_TH.get(item.status, item.status) if plan else item.status
        row = {"id": item.id, "strategy": ids.get("strategy", ""), "tactic": ids.get("tactic", ""),
               "level": labels.get(item.path[-1][0], item.path[-1][0]), "path": _path_text(item.path),
               "name": item.name, "units": "; ".join(item.units), "stated": item.stated, "amount": item.amount,
               "basis": BASIS_TH.get(item.basis, item.basis), "status": status, "line": item.source_line}
        data.append(_yearly(row, item.yearly, years))
    write_table(workbook, formats, safe_sheet_name(name, used), columns, data, freeze_columns=1)


def _long_sheet(workbook, formats, used, shaped):
    plan = shaped.kind == "plan"
    columns = []
    for level in shaped.levels:
        columns += [Column(f"{level.key}_id", level.label_th), Column(f"{level.key}_name", f"ชื่อ{level.label_th}")]
    columns += [Column("units", "หน่วยงานรับผิดชอบ"), Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
                Column("amount", "จำนวนเงิน (ล้านบาท)", "amount"),
                Column("source", "แหล่งในเอกสาร" if plan else "ไฟล์"),
                Column("source_line", "บรรทัดในเอกสาร" if plan else "แถวในไฟล์", "int")]
    columns += [Column(key, th) for key, th, _ in shaped.long_extra]
    where = {"table": SOURCE_TH["detail"], "project_sheet": SOURCE_TH["sheet"]}
    data = [dict(row, source=where.get(row["source"], row["source"])) if plan else row for row in shaped.long]
    write_table(workbook, formats, safe_sheet_name(SHEETS["long"][0], used), columns, data)


def _units_sheet(workbook, formats, used, rows):
    columns = [Column("unit", COLUMN_TH["unit"]), Column("name", COLUMN_TH["unit_name"], wrap=True),
               Column("count", "จำนวนโครงการ", "count"), Column("projects", "โครงการ", wrap=True)]
    data = [{"unit": r["unit"], "name": r["name"], "count": len(r["projects"]), "projects": ", ".join(r["projects"])}
            for r in rows]
    write_table(workbook, formats, safe_sheet_name(SHEETS["units"][0], used), columns, data)


def _findings_sheet(workbook, formats, used, findings, level_th):
    columns = [Column("severity", COLUMN_TH["severity"]), Column("check", COLUMN_TH["check"]),
               Column("level", COLUMN_TH["level"]), Column("id", COLUMN_TH["id"])]
    if any(getattr(f, "name", "") for f in findings):
        columns.append(Column("name", COLUMN_TH["name"], wrap=True))
    columns += [
        Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
        Column("stated", "ตามเอกสาร (ล้านบาท)", "amount"), Column("computed", "คำนวณได้ (ล้านบาท)", "amount"),
        Column("difference", "ผลต่าง (ล้านบาท)", "amount"),
        Column("message", COLUMN_TH["message"], wrap=True), Column("message_en", "Message (English)", wrap=True),
        Column("hint", COLUMN_TH["hint"]), Column("source_line", COLUMN_TH["source_line"], "int")]
    data, colours = [], {}
    for index, f in enumerate(findings):
        data.append({"severity": SEVERITY_TH.get(f.severity, f.severity), "check": f.check,
                     "level": level_th.get(f.level, f.level), "id": f.id, "name": getattr(f, "name", ""),
                     "fiscal_year": f.fiscal_year,
                     "stated": Decimal(f.stated) if f.stated is not None else None,
                     "computed": Decimal(f.computed) if f.computed is not None else None,
                     "difference": Decimal(f.difference) if f.difference is not None else None,
                     "message": f.message, "message_en": f.message_en, "hint": f.hint or "",
                     "source_line": f.source_line})
        colours[(index, "severity")] = formats.fill(SEVERITY_COLORS.get(f.severity, "#FFFFFF"),
                                                    _FONT_ON.get(f.severity, "#000000"))
    write_table(workbook, formats, safe_sheet_name(SHEETS["findings"][0], used), columns, data, row_formats=colours)


def _corrections_sheet(workbook, formats, used, corrections, plan: bool):
    """A plan's corrections name its project and line, in million baht; a table's name the row
    (item id, row of the file), its values as the table prints them."""
    unit = "ล้านบาท" if plan else "หน่วยตามต้นฉบับ"
    columns = [Column("project_id", COLUMN_TH["project_id"] if plan else "รหัสรายการในต้นฉบับ"),
               Column("field", COLUMN_TH["field"]), Column("fiscal_year", COLUMN_TH["fiscal_year"], "year"),
               Column("printed", f"ค่าที่พิมพ์ ({unit})", "amount"), Column("corrected", f"ค่าที่แก้ ({unit})", "amount"),
               Column("reason", COLUMN_TH["reason"], wrap=True),
               Column("source_line", COLUMN_TH["source_line"] if plan else "แถวในไฟล์", "int")]
    write_table(workbook, formats, safe_sheet_name(SHEETS["corrections"][0], used), columns, corrections)


def _readme(workbook, formats, used, shaped, sheets, thai_digits):
    sheet = workbook.add_worksheet(safe_sheet_name(SHEETS["readme"][0], used))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 70, formats.wrap)
    info, years, findings = shaped.info, shaped.years, shaped.findings
    sheet.write_string(0, 0, shaped.title or "แผน", formats.title)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    corrections = info["corrections"]
    rows = [("", "ภาษาไทย", "English"), ("ชื่อ / title", shaped.title, shaped.title)]
    if years:
        rows.append(("ปีงบประมาณ / fiscal years", digits(f"พ.ศ. {years[0]}-{years[-1]}", thai_digits),
                     f"BE {years[0]}-{years[-1]}"))
    for source in info["sources"] or [{"file": "", "sha256": ""}]:
        rows.append(("ไฟล์ต้นฉบับ / source file", source["file"] or "ไม่ทราบ", source["file"] or "unknown"))
        rows.append(("SHA-256 ของไฟล์ต้นฉบับ", source["sha256"] or "ไม่ทราบ", source["sha256"] or "unknown"))
    if info["mapping"]:
        rows.append(("การจับคู่คอลัมน์ / mapping", info["mapping"], info["mapping"]))
    if shaped.totals_year is not None:
        year = shaped.totals_year
        rows.append(("ปีของร่าง พ.ร.บ. / bill year", digits(f"พ.ศ. {year}", thai_digits), f"BE {year}"))
    rows += [
        ("ขั้นของงบประมาณ / phase", PHASE_TH.get(shaped.phase, shaped.phase), shaped.phase),
        ("การแก้ไขตัวเลข / corrections",
         f"แก้ {len(corrections)} ค่า ตามไฟล์ {info['corrections_file']} (ดูแผ่นงาน {SHEETS['corrections'][0]})"
         if corrections else "ไม่มี",
         f"{len(corrections)} values corrected from {info['corrections_file']} (see sheet {SHEETS['corrections'][0]})"
         if corrections else "none"),
        ("เกณฑ์ผลต่าง / tolerance", f"ผลต่างไม่เกิน {shaped.tolerance} ล้านบาท ถือว่าตรงกัน",
         f"differences up to {shaped.tolerance} million baht count as equal"),
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
    rows += sheets
    for r, (label, th, en) in enumerate(rows, start=2):
        heading = label in ("", "แผ่นงาน / sheet") and th in ("ภาษาไทย", "เนื้อหา")
        sheet.write_string(r, 0, label, formats.header if heading else formats.bold)
        sheet.write_string(r, 1, str(th), formats.header if heading else formats.wrap)
        sheet.write_string(r, 2, str(en), formats.header if heading else formats.wrap)
    sheet.activate()


def _planned_sheets(shaped) -> tuple[list[tuple[str, str, str]], str]:
    """(sheet name, Thai, English) in workbook order (README excluded), each name as its sheet
    gets it (valid, unique), and the items sheet's name."""
    plan = shaped.kind == "plan"
    out = []
    for level, _ in shaped.groups:
        if plan and level.key in SHEETS:
            out.append((level.label_th, SHEETS[level.key][1], SHEETS[level.key][2]))
        else:
            out.append((level.label_th, f"ยอดรวมราย{level.label_th}: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
                        f"per {level.label_en}: yearly sums, their live SUM, the printed total and the difference"))
    items_name = SHEETS["project"][0] if plan else "รายการ"
    out.append((items_name, SHEETS["project"][1], SHEETS["project"][2]) if plan else
               (items_name, "หนึ่งแถวต่อรายการ หนึ่งคอลัมน์ต่อปีงบประมาณ รวม (สูตร SUM) ข้างยอดตามเอกสาร",
                "one row per item node, one column per fiscal year, a live SUM beside the printed total"))
    keys = ["long"] + (["units"] if shaped.units else []) + ["findings"] + (["corrections"] if plan or shaped.info["corrections"] else [])
    out += [SHEETS[key] for key in keys]
    used = {SHEETS["readme"][0]}  # named as the sheets will be, in the order they are written
    return [(safe_sheet_name(name, used), th, en) for name, th, en in out], items_name


def write_workbook(source, path, *, thai_digits: bool = False, tolerance=None) -> Path:
    """Write the workbook of *source* to *path*; returns the path.

    *source*: a Plan, Figures, a budget dataset, or a path (an ingested plan directory, a plan
    text file, a budget dataset directory). *thai_digits* shows numbers and years in Thai
    digits (the cells still hold plain numbers); *tolerance* (million baht, default that of
    ``coopanalysis check``) is passed to the checks. The file is written atomically: a reader
    sees the old workbook or the new one.
    """
    shaped = shape(source, tolerance)
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    workbook.set_properties({"title": shaped.title, "subject": "million baht (ล้านบาท)",
                             "comments": f"source {shaped.info['source_file']} sha256 {shaped.info['sha256']}"})
    formats = Formats(workbook, thai_digits)
    used: set[str] = set()
    planned, items_name = _planned_sheets(shaped)
    _readme(workbook, formats, used, shaped, planned, thai_digits)
    for level, rows in shaped.groups:
        _group_sheet(workbook, formats, used, shaped, level, rows, thai_digits)
    _items_sheet(workbook, formats, used, shaped, items_name, thai_digits)
    _long_sheet(workbook, formats, used, shaped)
    if shaped.units:
        _units_sheet(workbook, formats, used, shaped.units)
    _findings_sheet(workbook, formats, used, shaped.findings, {lv.key: lv.label_th for lv in shaped.levels})
    if shaped.kind == "plan" or shaped.info["corrections"]:
        _corrections_sheet(workbook, formats, used, shaped.info["corrections"], shaped.kind == "plan")
    return save_workbook(workbook, buffer, path)
