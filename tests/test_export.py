"""The Excel workbook export (``coopanalysis export --format xlsx``).

Expected figures come from the bundled tables (``data/plan/*.csv``) read with the csv module,
never from the exporter. The LibreOffice round trip (Debian ``libreoffice-calc``) skips when
``soffice`` is absent, but fails when ``CI=true``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from coopanalysis.cli import main
from coopanalysis.export import write_table_xlsx, write_workbook
from coopanalysis.thai import to_arabic

PLAN = Path(__file__).resolve().parent.parent / "data" / "plan"
YEARS = [2560, 2561, 2562, 2563, 2564]
FORBIDDEN = set("[]:*?/\\")


def _rows(name: str) -> list[dict]:
    with open(PLAN / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _expected_yearly() -> dict[tuple[str, int], Decimal]:
    """(project, year) -> amount: the table rows of a project, else its project-sheet rows."""
    rows = [r for r in _rows("budget") if r["amount_mb"] != ""]
    with_table = {r["project_id"] for r in rows if r["source"] == "table"}
    return {(r["project_id"], int(r["fiscal_year"])): Decimal(r["amount_mb"]) for r in rows
            if r["source"] == ("table" if r["project_id"] in with_table else "project_sheet")}


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory) -> Path:
    return write_workbook(PLAN, tmp_path_factory.mktemp("xlsx") / "plan.xlsx")


@pytest.fixture(scope="module")
def book(workbook_path):
    return openpyxl.load_workbook(workbook_path)


def _header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def _row_of(sheet, ident: str) -> dict:
    header = _header(sheet)
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == ident:
            return dict(zip(header, row))
    raise AssertionError(f"no row {ident!r} in {sheet.title}")


def test_readme_first_with_title_source_hash_and_corrections(book):
    meta = json.loads((PLAN / "ingest_meta.json").read_text(encoding="utf-8"))
    title = json.loads((PLAN / "plan.json").read_text(encoding="utf-8"))["title"]
    readme = book.worksheets[0]
    assert "README" in readme.title
    text = "\n".join(str(c.value) for row in readme.iter_rows() for c in row if c.value is not None)
    assert readme["A1"].value == title
    assert meta["sha256"] in text and meta["source_file"] in text
    assert "corrections.yaml" in text and "แก้ 3 ค่า" in text  # three reviewed corrections of 6.1
    assert "0.005" in text and "พ.ศ. 25" in text  # tolerance and a Buddhist-era date
    for sheet in book.worksheets[1:]:
        assert sheet.title in text, f"README does not describe sheet {sheet.title}"


def test_sheet_names_are_valid_thai_and_headers_frozen_and_filtered(book):
    names = book.sheetnames
    assert names[1:5] == ["ยุทธศาสตร์", "กลยุทธ์", "โครงการ", "งบรายปี (ตารางยาว)"]
    for sheet in book.worksheets:
        assert 0 < len(sheet.title) <= 31 and not FORBIDDEN & set(sheet.title)
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes in ("A2", "B2"), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    header = _header(book["โครงการ"])
    assert [f"ปีงบประมาณ {y}" for y in YEARS] == header[5:10]
    assert header[10:12] == ["รวมงบรายปี (สูตร)", "ยอดรวมตามเอกสาร"]  # live SUM beside the printed total


def test_thai_column_widths_count_display_width(book):
    import unicodedata

    sheet = book["โครงการ"]
    # the name column holds long Thai names: capped at the widest allowed width (60 + padding)
    assert 40 <= sheet.column_dimensions["D"].width <= 61
    # the longest unit, 1.1's "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์", has 38 characters of which
    # 5 are combining marks (ั ั ่ ี ์) that take no width: 33 cells + 2 padding (xlsxwriter
    # stores 35 as 35.71, whole pixels), not 38 + 2.
    unit = "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์"
    assert len(unit) == 38 and sum(unicodedata.category(c) == "Mn" for c in unit) == 5
    assert sheet.column_dimensions["E"].width == pytest.approx(35, abs=0.75)


def test_project_yearly_amounts_sum_formula_and_printed_total(book):
    sheet = book["โครงการ"]
    row = _row_of(sheet, "5.3")
    expected = _expected_yearly()
    assert [Decimal(repr(row[f"ปีงบประมาณ {y}"])) for y in YEARS] == [expected[("5.3", y)] for y in YEARS]
    assert [expected[("5.3", y)] for y in YEARS] == [Decimal(v) for v in ("0", "5", "3", "3", "3")]
    printed = {r["project_id"]: r["stated_total_mb"] for r in _rows("projects")}
    assert row["ยอดรวมตามเอกสาร"] == float(printed["5.3"]) == 14
    formula = row["รวมงบรายปี (สูตร)"]
    line = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "5.3")
    assert formula == f"=SUM(F{line}:J{line})"
    # a project with no yearly amount gets no misleading 0 total
    assert _row_of(sheet, "1.3")["รวมงบรายปี (สูตร)"] is None


def test_every_amount_in_the_long_table_is_the_printed_decimal(book):
    sheet = book["งบรายปี (ตารางยาว)"]
    header = _header(sheet)
    got = {}
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, values))
        got[(row["โครงการ"], row["ปีงบประมาณ"])] = Decimal(repr(row["จำนวนเงิน (ล้านบาท)"]))
        assert isinstance(row["จำนวนเงิน (ล้านบาท)"], (int, float))
    assert got == _expected_yearly()
    assert got[("6.1", 2562)] == Decimal("1.5")  # the reviewed correction, not the printed 15
    assert sheet.cell(2, header.index("จำนวนเงิน (ล้านบาท)") + 1).number_format == "#,##0.0"


def test_strategy_sheet_printed_totals(book):
    printed = {r["strategy_id"]: r["stated_total_mb"] for r in _rows("strategies")}
    sheet = book["ยุทธศาสตร์"]
    for sid in ("5", "6", "7", "8"):
        assert _row_of(sheet, sid)["ยอดรวมตามเอกสาร"] == float(printed[sid])
    # strategy 6: projects 6.1 and 6.2 add up to its printed 20 once 6.1 is corrected
    expected = _expected_yearly()
    six = sum(v for (pid, _), v in expected.items() if pid.split(".")[0] == "6")
    row = _row_of(sheet, "6")
    assert Decimal(repr(row["ยอดรวมที่ใช้ (รวมโครงการ)"])) == six == Decimal("20")
    assert row["ผลต่าง (รวม - ตามเอกสาร)"] == 0


def test_findings_sheet_has_full_messages_and_severity_colours(book):
    from coopanalysis.checks import run_checks
    from coopanalysis.labels import SEVERITY_COLORS
    from coopanalysis.plan import load

    findings = run_checks(load(PLAN))
    sheet = book["ผลการตรวจ"]
    header = _header(sheet)
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(findings)
    for cells, finding in zip(rows, findings):
        row = dict(zip(header, [c.value for c in cells]))
        assert row["รายละเอียด"] == finding.message and row["Message (English)"] == finding.message_en
        colour = cells[0].fill.fgColor.rgb
        assert colour.endswith(SEVERITY_COLORS[finding.severity].lstrip("#").upper())
    assert {dict(zip(header, [c.value for c in r]))["ระดับ"] for r in rows} >= {"ผิดพลาด", "คำเตือน"}


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1"], "amount_mb": [1.5, 2.0],
                          "amount_mb_text": ["1.5", "2"]})
    path = write_table_xlsx(frame, tmp_path / "t.xlsx", "ตาราง", headers={"amount_mb": "งบ (ล้านบาท)"})
    sheet = openpyxl.load_workbook(path)["ตาราง"]
    assert [c.value for c in sheet[1]] == ["ชื่อ", "งบ (ล้านบาท)"]  # COLUMN_TH, then the given header
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1.5 and sheet["B3"].value == 2
    assert sheet.freeze_panes == "A2"


def test_cli_export_xlsx_and_bad_input(tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["export", str(PLAN), "--format", "xlsx", "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0].endswith("README")
    capsys.readouterr()
    assert main(["export", str(tmp_path / "missing"), "--format", "xlsx", "--out", str(out)]) == 2
    assert main(["export", str(PLAN), "--format", "xlsx", "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["export", str(tmp_path), "--format", "xlsx", "--out", str(out)]) == 2  # not a plan dir
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("coopanalysis: error: ") for line in err)
    assert "Traceback" not in "".join(err)


# ---- LibreOffice round trip ---------------------------------------------------------------


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI: install the Debian package libreoffice-calc")
        pytest.skip("LibreOffice (soffice) not installed: the Debian package libreoffice-calc provides it")
    return exe


def _to_csv(xlsx: Path, out: Path, profile: Path, shown: bool) -> dict[str, list[list[str]]]:
    """Every sheet of *xlsx* as CSV rows, converted by LibreOffice headless (fresh profile)."""
    out.mkdir()
    # separator, quote, UTF-8, first line, formats, language, quoted-as-text, detect numbers,
    # save as shown, formulas, BOM, sheet (-1: every sheet into its own file)
    options = f"44,34,76,1,,0,false,true,{'true' if shown else 'false'},false,false,-1"
    result = subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out), str(xlsx)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    sheets = {}
    for path in out.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            sheets[path.stem[len(xlsx.stem) + 1:]] = list(csv.reader(handle))
    assert sheets, f"LibreOffice wrote no CSV: {result.stdout} {result.stderr}"
    return sheets


def _by_id(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_libreoffice_reads_the_figures_back(workbook_path, tmp_path):
    sheets = _to_csv(workbook_path, tmp_path / "csv", tmp_path / "profile", shown=False)
    assert set(sheets) >= {"ยุทธศาสตร์", "โครงการ", "งบรายปี (ตารางยาว)", "ผลการตรวจ"}
    projects = _by_id(sheets["โครงการ"])
    expected = _expected_yearly()
    printed = {r["project_id"]: r["stated_total_mb"] for r in _rows("projects")}
    for pid in ("5.3", "6.1", "8.u1", "1.1"):
        row = projects[pid]
        assert [Decimal(row[f"ปีงบประมาณ {y}"]) for y in YEARS] == [expected[(pid, y)] for y in YEARS]
        assert Decimal(row["รวมงบรายปี (สูตร)"]) == sum(expected[(pid, y)] for y in YEARS)
        if printed[pid]:
            assert Decimal(row["ยอดรวมตามเอกสาร"]) == Decimal(printed[pid])
    long = sheets["งบรายปี (ตารางยาว)"]
    header = long[0]
    got = {(r[header.index("โครงการ")], int(r[header.index("ปีงบประมาณ")])):
           Decimal(r[header.index("จำนวนเงิน (ล้านบาท)")]) for r in long[1:]}
    assert got == expected


def test_libreoffice_recalculates_the_sum_formula(workbook_path, tmp_path):
    """Change 5.3's 2561 amount with openpyxl (which keeps formulas, drops cached results):
    the SUM LibreOffice computes follows the edit, so the column is a live formula."""
    book = openpyxl.load_workbook(workbook_path)
    sheet = book["โครงการ"]
    line = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "5.3")
    sheet.cell(line, 7).value = 99  # column G = ปีงบประมาณ 2561 (printed 5)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    row = _by_id(_to_csv(edited, tmp_path / "csv", tmp_path / "profile", shown=False)["โครงการ"])["5.3"]
    assert Decimal(row["รวมงบรายปี (สูตร)"]) == Decimal("0") + 99 + 3 + 3 + 3
    assert Decimal(row["ยอดรวมตามเอกสาร"]) == 14


def test_libreoffice_shows_thousands_separators_and_thai_digits(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"name": ["ก"], "amount_mb": [1234567.5], "amount_mb_text": ["1234567.5"]})
    arabic = write_table_xlsx(frame, tmp_path / "a.xlsx", "ตาราง")
    thai = write_table_xlsx(frame, tmp_path / "t.xlsx", "ตาราง", thai_digits=True)
    shown = _to_csv(arabic, tmp_path / "csv_a", tmp_path / "profile", shown=True)["ตาราง"]
    assert shown[1][1] == "1,234,567.5"
    shown = _to_csv(thai, tmp_path / "csv_t", tmp_path / "profile", shown=True)["ตาราง"]
    assert shown[1][1] == "๑,๒๓๔,๕๖๗.๕" and to_arabic(shown[1][1]) == "1,234,567.5"

    book = write_workbook(PLAN, tmp_path / "plan_th.xlsx", thai_digits=True)
    projects = _by_id(_to_csv(book, tmp_path / "csv_p", tmp_path / "profile", shown=True)["โครงการ"])
    assert to_arabic(projects["5.3"]["ยอดรวมตามเอกสาร"]) == "14.0"
    assert projects["5.3"]["ยอดรวมตามเอกสาร"] == "๑๔.๐"


def test_table_download_of_a_figures_frame(tmp_path):
    """The report downloads pass figures' frames: amounts exact from their *_text twins,
    integer counts, a coverage fraction as a percentage, the API's keyword names."""
    from coopanalysis.plan import load
    from coopanalysis.rollups import rollup

    path = write_table_xlsx(rollup(load(PLAN), "strategy"), path=tmp_path / "s.xlsx", sheet_name="ยุทธศาสตร์/รวม",
                            headers={"name": "ชื่อยุทธศาสตร์"})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ยุทธศาสตร์-รวม"]  # '/' is not allowed in a sheet name
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["ยุทธศาสตร์", "ชื่อยุทธศาสตร์", "ตามเอกสาร", "คำนวณได้"]
    assert not any(h.endswith("_text") for h in header)
    printed = {r["strategy_id"]: r["stated_total_mb"] for r in _rows("strategies")}
    five = _row_of(sheet, "5")
    assert five["ตามเอกสาร"] == float(printed["5"]) == 125
    assert five["โครงการที่พบ"] == 10 and isinstance(five["โครงการที่พบ"], int)
    column = header.index("ความครอบคลุม") + 1
    assert sheet.cell(2, column).number_format == "0.0%"
