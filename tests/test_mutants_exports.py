"""What a reader of the exported workbooks sees, cell by cell (issue 27: mutation gaps of
``exports/sheets.py``, ``exports/workbook.py`` and ``exports/shape.py``).

Every workbook here is read back with openpyxl: cell values, number formats (the Thai-digit
locale code included), formulas and their cached results, header styles, sheet names, and the
widths a reader notices (the 60-character cap and the wrapping of longer text). Expected values
are typed by hand from the small tables and datasets built in each test.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from coopanalysis.exports.sheets import (
    MAX_WIDTH,
    Column,
    Formats,
    amount_format,
    decimals_of,
    new_workbook,
    safe_sheet_name,
    save_workbook,
    write_table,
    write_table_xlsx,
)

TH = "[$-D00041E]"  # Excel's locale code for Thai digits (th-TH, numeral system D)


# ---- helpers ----------------------------------------------------------------------------------


def _table(path: Path, columns, rows, *, thai_digits=False, name="T", **kwargs):
    """One sheet written by write_table, read back (formulas kept) and with cached values."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    write_table(workbook, Formats(workbook, thai_digits), name, columns, rows, **kwargs)
    save_workbook(workbook, buffer, path)
    return openpyxl.load_workbook(path)[name], openpyxl.load_workbook(path, data_only=True)[name]


def _width(sheet, letter: str) -> float:
    """The width of column *letter* (openpyxl groups equal neighbours under the first letter)."""
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in sheet.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim.width
    raise AssertionError(f"no width for column {letter}")


def _column_wraps(sheet, letter: str) -> bool:
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in sheet.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return bool(dim.alignment and dim.alignment.wrap_text)
    return False


def _sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


# ---- sheets.py: sheet names ---------------------------------------------------------------------


def test_sheet_names_replace_each_forbidden_character_and_strip_quotes():
    assert safe_sheet_name("a[b]c:d*e?f/g\\h") == "a-b-c-d-e-f-g-h"
    assert safe_sheet_name("ยุทธศาสตร์/กลยุทธ์ [รวม]") == "ยุทธศาสตร์-กลยุทธ์ -รวม-"
    assert safe_sheet_name("  'งบ'  ") == "งบ"  # Excel refuses a name that starts or ends with '
    assert safe_sheet_name("'XML X'") == "XML X"  # only quotes go
    assert safe_sheet_name("   ") == "Sheet" and safe_sheet_name("''") == "Sheet" and safe_sheet_name("") == "Sheet"
    assert safe_sheet_name(2565) == "2565"
    assert safe_sheet_name("x" * 40) == "x" * 31 and safe_sheet_name("y" * 31) == "y" * 31


def test_sheet_names_are_unique_whatever_the_case_and_stay_31_characters():
    used = {"โครงการ"}
    assert safe_sheet_name("โครงการ", used) == "โครงการ (2)"
    assert safe_sheet_name("โครงการ", used) == "โครงการ (3)"
    assert used == {"โครงการ", "โครงการ (2)", "โครงการ (3)"}
    assert safe_sheet_name("งบ", used) == "งบ" and "งบ" in used  # a free name is taken as it is
    used = {"Sheet"}
    assert safe_sheet_name("SHEET", used) == "SHEET (2)"  # Excel compares names case-blind
    used = set()
    first, second = safe_sheet_name("x" * 40, used), safe_sheet_name("x" * 40, used)
    assert (first, second) == ("x" * 31, "x" * 27 + " (2)") and len(second) == 31
    lone = set()
    safe_sheet_name("ก", None)
    assert safe_sheet_name("ก", lone) == "ก" and lone == {"ก"}


# ---- sheets.py: number formats ------------------------------------------------------------------


def test_decimals_are_the_most_any_value_needs_at_most_eight():
    assert decimals_of([Decimal("5"), Decimal("0.5"), None, Decimal("1.25")]) == 2
    assert decimals_of([]) == 0 and decimals_of([None]) == 0
    assert decimals_of([Decimal("1.50")]) == 1  # trailing zeros need no place
    assert decimals_of([Decimal("1E+2"), Decimal("300")]) == 0
    assert decimals_of([Decimal("0.123456789012")]) == 8
    assert decimals_of([Decimal("0.12345678")]) == 8 and decimals_of([Decimal("0.1234567")]) == 7
    assert decimals_of([3, Decimal("0.001")]) == 3


def test_amount_format_codes():
    assert amount_format(0) == "#,##0"
    assert amount_format(1) == "#,##0.0"
    assert amount_format(3) == "#,##0.000"
    assert amount_format(0, thai_digits=True) == TH + "#,##0"
    assert amount_format(2, True) == TH + "#,##0.00"


def test_a_column_kind_must_be_known():
    with pytest.raises(ValueError, match="column kind must be one of"):
        Column("x", "x", "money")
    assert Column("x", "x").kind == "text" and Column("x", "x").of == [] and not Column("x", "x").wrap


# ---- sheets.py: one table, every kind of column ------------------------------------------------

_COLUMNS = [
    Column("id", "รหัส"), Column("name", "ชื่อ", wrap=True), Column("a", "ก", "amount"), Column("b", "ข", "amount"),
    Column("s", "รวม", "sum", of=["a", "b"]), Column("p", "สัดส่วน", "percent"), Column("n", "เลข", "int"),
    Column("y", "ปี", "year"), Column("c", "นับ", "count"), Column("t", "รวมข้าม", "sum", of=["a", "n"]),
    Column("long", "ยาว"),
]
_ROWS = [
    {"id": "1", "name": "ชื่อ", "a": Decimal("1234.5"), "b": Decimal("0.25"), "p": Decimal("0.125"), "n": 7,
     "y": 2565, "c": 1234, "long": "x" * 100},
    {"id": "2", "name": None, "a": None, "b": None, "p": None, "n": None, "y": "", "c": None, "long": None},
    {"id": "=1+1", "name": "", "a": float("nan"), "b": 2.0, "p": 0.5, "n": 3, "y": 2566, "c": 0, "long": "ข"},
]


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.xlsx"
    sheet, cached = _table(path, _COLUMNS, _ROWS, freeze_columns=1)
    return path, sheet, cached


def test_table_values_formulas_and_cached_sums(table):
    _, sheet, cached = table
    assert [c.value for c in sheet[1]] == ["รหัส", "ชื่อ", "ก", "ข", "รวม", "สัดส่วน", "เลข", "ปี", "นับ", "รวมข้าม", "ยาว"]
    assert [c.value for c in sheet[2]] == ["1", "ชื่อ", 1234.5, 0.25, "=SUM(C2:D2)", 0.125, 7, 2565, 1234,
                                           "=SUM(C2,G2)", "x" * 100]
    # by hand: 1234.5 + 0.25 and 1234.5 + 7, cached for viewers that do not recalculate
    assert (cached["E2"].value, cached["J2"].value) == (1234.75, 1241.5)
    # nothing to add up: blank, not a misleading 0; empty and missing values stay blank
    assert [c.value for c in sheet[3]] == ["2"] + [None] * 10
    # a NaN amount is blank; the sum adds what there is (2.0), its formula still names both cells
    assert [c.value for c in sheet[4]][:10] == ["=1+1", None, None, 2, "=SUM(C4:D4)", 0.5, 3, 2566, 0, "=SUM(C4,G4)"]
    assert (cached["E4"].value, cached["J4"].value) == (2, 3)
    assert sheet["A4"].data_type == "s"  # text that looks like a formula stays text


def test_table_number_formats_share_the_decimals_of_the_amounts(table):
    _, sheet, _ = table
    formats = {c.column_letter: c.number_format for c in sheet[2]}
    # 0.25 needs two decimals: every amount and sum column shows two
    assert formats == {"A": "General", "B": "General", "C": "#,##0.00", "D": "#,##0.00", "E": "#,##0.00",
                       "F": "0.0%", "G": "0", "H": "0", "I": "#,##0", "J": "#,##0.00", "K": "General"}
    # blank cells keep their column's format: a value typed in later shows like its neighbours
    blank = {c.column_letter: c.number_format for c in sheet[3]}
    assert {k: blank[k] for k in "CDEFGHIJ"} == {k: formats[k] for k in "CDEFGHIJ"}


def test_table_thai_digit_formats_on_every_number(tmp_path):
    sheet, _ = _table(tmp_path / "th.xlsx", _COLUMNS, _ROWS, thai_digits=True)
    for row in (2, 3):
        formats = {c.column_letter: c.number_format for c in sheet[row]}
        assert {k: formats[k] for k in "CDEFGHIJ"} == {
            "C": TH + "#,##0.00", "D": TH + "#,##0.00", "E": TH + "#,##0.00", "F": TH + "0.0%", "G": TH + "0",
            "H": TH + "0", "I": TH + "#,##0", "J": TH + "#,##0.00"}
    assert sheet["C2"].value == 1234.5  # the cell still holds the plain number


def test_table_styles_header_sums_and_wrapping(table):
    _, sheet, _ = table
    for cell in sheet[1]:
        assert cell.font.b and cell.fill.fgColor.rgb == "FFDDE6F0" and cell.alignment.wrap_text
        assert cell.border.left.style == "thin" and cell.alignment.vertical == "top"
    assert sheet["E2"].font.b and sheet["E2"].fill.fgColor.rgb == "FFF2F2F2"  # the live sums stand out
    assert sheet["E3"].font.b and sheet["E3"].fill.fgColor.rgb == "FFF2F2F2"
    assert not sheet["C2"].font.b and sheet["C2"].fill.fgColor.rgb == "00000000"
    assert sheet["B2"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text
    assert all(sheet.cell(2, col).alignment.vertical == "top" for col in range(1, 12))


def test_table_widths_fit_the_text_and_cap_long_text_with_wrapping(table):
    _, sheet, _ = table
    # xlsxwriter stores n characters as n + 0.71 (whole pixels)
    assert _width(sheet, "A") == pytest.approx(6, abs=0.75)  # never narrower than 6
    assert _width(sheet, "C") == pytest.approx(10, abs=0.75)  # "1,234.50" + 2
    assert _width(sheet, "E") == pytest.approx(10, abs=0.75)  # "1,234.75" + 2
    assert _width(sheet, "F") == pytest.approx(7, abs=0.75)  # "12.5%" + 2
    assert _width(sheet, "K") == pytest.approx(MAX_WIDTH, abs=0.75)  # 100 characters: capped at 60
    assert _column_wraps(sheet, "K") and _column_wraps(sheet, "B") and not _column_wraps(sheet, "A")
    assert not _column_wraps(sheet, "C")


def test_a_long_number_column_is_capped_but_never_wrapped(tmp_path):
    columns = [Column("a", "ก" * 70, "amount"), Column("t", "ข" * 70)]
    sheet, _ = _table(tmp_path / "w.xlsx", columns, [{"a": Decimal(1), "t": "ค"}])
    assert _width(sheet, "A") == pytest.approx(MAX_WIDTH, abs=0.75)
    assert not _column_wraps(sheet, "A") and _column_wraps(sheet, "B")


def test_table_frozen_header_filter_print_setup_and_ignored_text_numbers(table):
    path, sheet, _ = table
    assert sheet.freeze_panes == "B2"  # header row and the id column
    assert sheet.auto_filter.ref == "A1:K4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
    assert sheet.print_title_rows == "$1:$1"
    assert '<ignoredError sqref="A1:K4" numberStoredAsText="1"/>' in _sheet_xml(path)


def test_an_empty_table_keeps_its_header_filter_and_frozen_row(tmp_path):
    sheet, _ = _table(tmp_path / "e.xlsx", [Column("id", "รหัส"), Column("a", "ก", "amount")], [])
    assert [c.value for c in sheet[1]] == ["รหัส", "ก"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B2"
    assert '<ignoredError sqref="A1:B1" numberStoredAsText="1"/>' in _sheet_xml(tmp_path / "e.xlsx")


def test_row_formats_colour_single_cells(tmp_path):
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    formats = Formats(workbook)
    red = formats.fill("#C00000", "#FFFFFF")
    assert formats.fill("#C00000", "#FFFFFF") is red  # one format per colour pair
    write_table(workbook, formats, "T", [Column("s", "ระดับ"), Column("a", "ก", "amount"), Column("x", "รวม", "sum", of=["a"])],
                [{"s": "ผิดพลาด", "a": Decimal(1)}, {"s": "ข้อมูล", "a": None}],
                row_formats={(0, "s"): red, (1, "a"): red, (1, "x"): red})
    save_workbook(workbook, buffer, tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["T"]
    assert sheet["A2"].fill.fgColor.rgb == "FFC00000" and sheet["A2"].font.color.rgb == "FFFFFFFF" and sheet["A2"].font.b
    assert sheet["A3"].fill.fgColor.rgb == "00000000"  # only the cells named
    assert sheet["B3"].fill.fgColor.rgb == "FFC00000" and sheet["C3"].fill.fgColor.rgb == "FFC00000"


def test_values_of_other_types_are_blank_amounts(tmp_path):
    """An amount that is text, infinite or not a number is left blank, never a wrong number."""
    columns = [Column("a", "ก", "amount"), Column("b", "ข", "amount"), Column("s", "รวม", "sum", of=["a", "b"])]
    rows = [{"a": "12", "b": Decimal("Infinity")}, {"a": Decimal("NaN"), "b": 4}, {"a": 5, "b": Decimal("-0.5")}]
    sheet, cached = _table(tmp_path / "o.xlsx", columns, rows)
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == [
        [None, None, None], [None, 4, "=SUM(A3:B3)"], [5, -0.5, "=SUM(A4:B4)"]]
    assert cached["C4"].value == 4.5 and sheet["A2"].number_format == "#,##0.0"


# ---- sheets.py: a DataFrame as a download --------------------------------------------------------


def test_frame_download_column_kinds_headers_and_values(tmp_path):
    frame = pd.DataFrame({
        "name": ["ก", None], "x_mb": [0.1, float("nan")], "x_mb_text": ["0.10", ""], "ratio": [0.5, 1.0],
        "share": [0.25, None], "coverage": [1.0, 0.5], "difference_share": [-0.125, 0.0],
        "fiscal_year": [2565, 2566], "n": pd.array([3, None], dtype="Int64"), "k": [1, 2], "note": [float("nan"), "z"],
    })
    path = write_table_xlsx(frame, tmp_path / "f.xlsx", "ตาราง:ก", headers={"note": "หมายเหตุ", "name": ""})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ตาราง-ก"]
    sheet = book.worksheets[0]
    # the given header, else the Thai label, else the column name; no *_text column is written
    assert [c.value for c in sheet[1]] == ["ชื่อ", "x_mb", "ratio", "สัดส่วน", "ความครอบคลุม", "ผลต่าง (ร้อยละ)",
                                           "ปีงบประมาณ", "n", "k", "หมายเหตุ"]
    assert [c.value for c in sheet[2]] == ["ก", 0.1, 0.5, 0.25, 1, -0.125, 2565, 3, 1, None]
    assert [c.value for c in sheet[3]] == [None, None, 1, None, 0.5, 0, 2566, None, 2, "z"]
    assert [c.number_format for c in sheet[2]] == ["General", "#,##0.0", "#,##0.0", "0.0%", "0.0%", "0.0%", "0", "0",
                                                   "0", "General"]


def test_frame_download_unsigned_integers_and_years_held_as_text(tmp_path):
    frame = pd.DataFrame({"u": pd.array([1, None], dtype="UInt8"), "fiscal_year": ["2565", "<NA>"],
                          "k": pd.array([7, 8], dtype="uint16")})
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "f.xlsx", "ก"))["ก"]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == [[1, 2565, 7], [None, None, 8]]
    assert [c.number_format for c in sheet[2]] == ["0", "0", "0"]
    frame = pd.DataFrame({"fiscal_year": ["nan", "2566"]})
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "g.xlsx", "ก"))["ก"]
    assert [sheet["A2"].value, sheet["A3"].value] == [None, 2566]


def test_frame_download_a_year_column_with_a_gap_stays_a_year(tmp_path):
    """pandas makes a year column with a missing value float64 (2565.0, NaN): the download still
    shows the year 2565 in a year format, not the amount 2,565.0."""
    frame = pd.DataFrame({"fiscal_year": [2565, None], "amount_mb": [1.5, 2.0]})
    assert str(frame["fiscal_year"].dtype) == "float64"
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "f.xlsx", "ก"))["ก"]
    assert [sheet["A2"].value, sheet["A3"].value] == [2565, None]
    assert isinstance(sheet["A2"].value, int)
    assert sheet["A2"].number_format == "0"


def test_frame_download_takes_each_amount_from_its_own_text(tmp_path):
    """``a_mb`` and ``b_mb`` are floats; only ``b`` has an exact text twin (``b_text``): the
    ``a`` column shows a's own figure, never b's."""
    frame = pd.DataFrame({"a_mb": [1.0], "b_text": ["2.5"], "b_mb": [2.4999999]})
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "f.xlsx", "ก"))["ก"]
    assert [c.value for c in sheet[1]] == ["a_mb", "b_mb"]
    assert [c.value for c in sheet[2]] == [1, 2.5]  # b exact from its text


def test_frame_download_in_thai_digits_converts_the_headers(tmp_path):
    frame = pd.DataFrame({"y2565_mb": [1.5], "fiscal_year": [2565]})
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "f.xlsx", "ก", headers={"y2565_mb": "ปี 2565"},
                                                    thai_digits=True))["ก"]
    assert [c.value for c in sheet[1]] == ["ปี ๒๕๖๕", "ปีงบประมาณ"]
    assert (sheet["A2"].number_format, sheet["B2"].number_format) == (TH + "#,##0.0", TH + "0")


# ---- workbook.py: the bundled plan -----------------------------------------------------------------
# Expected values typed by hand from data/raw/cpd_action_plan_2560_2564.txt (line numbers are the
# document's) and data/corrections.yaml.

PLAN = Path(__file__).resolve().parent.parent / "data" / "plan"
TITLE = "แผนปฏิบัติการกรมส่งเสริมสหกรณ์ ๕ ปี (พ.ศ. ๒๕๖๐-๒๕๖๔)"
RAW_SHA256 = "f804e14bca5ff6e4505f8860564954b4b3514fccae1a640379ba1e69daac16ec"
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
          "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
YEAR_HEADERS = [f"ปีงบประมาณ {y}" for y in (2560, 2561, 2562, 2563, 2564)]


def _today_be() -> str:
    import datetime

    today = datetime.date.today()
    return f"{today.day} {MONTHS[today.month - 1]} {today.year + 543}"


class _Books:
    """The workbook of *source*: ``[0]`` in Arabic digits, ``[1]`` in Thai digits, each written
    (and read with openpyxl) when first asked for. Written anew for every test on purpose:
    mutmut traces which test calls which function, and a workbook shared between tests would
    count only for the first of them."""

    def __init__(self, source, folder: Path):
        self.source, self.folder, self.books = source, folder, {}

    def __getitem__(self, index: int):
        from coopanalysis.exports import write_workbook

        if index not in self.books:
            path = write_workbook(self.source, self.folder / f"book{index}.xlsx", thai_digits=bool(index))
            self.books[index] = openpyxl.load_workbook(path)
        return self.books[index]

    def __iter__(self):
        return iter((self[0], self[1]))


@pytest.fixture
def plan_books(tmp_path):
    """The bundled plan's workbook, in Arabic and in Thai digits."""
    return _Books(PLAN, tmp_path)


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]


def _by_first(sheet) -> dict:
    return {r[next(iter(r))]: r for r in _rows(sheet)}


def _readme_rows(sheet) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(min_row=3, values_only=True)]


def test_plan_workbook_sheets_in_order_and_the_readme_opens_first(plan_books):
    book = plan_books[0]
    assert book.sheetnames == ["อ่านก่อน README", "ยุทธศาสตร์", "กลยุทธ์", "โครงการ", "งบรายปี (ตารางยาว)",
                               "หน่วยงาน", "ผลการตรวจ", "การแก้ไขตัวเลข"]
    assert book.active.title == "อ่านก่อน README"
    assert book.properties.title == TITLE and book.properties.subject == "million baht (ล้านบาท)"
    assert book.properties.description == f"source cpd_action_plan_2560_2564.txt sha256 {RAW_SHA256}"


def test_plan_readme_rows_in_thai_and_english(plan_books):
    book = plan_books[0]
    readme = book.worksheets[0]
    assert readme["A1"].value == TITLE and readme["A1"].font.b and readme["A1"].font.sz == 14
    errors = warnings = notes = 0
    for finding in _rows(book["ผลการตรวจ"]):  # counted here from the findings sheet
        errors += finding["ระดับ"] == "ผิดพลาด"
        warnings += finding["ระดับ"] == "คำเตือน"
        notes += finding["ระดับ"] == "ข้อมูล"
    assert errors and warnings and notes
    assert _readme_rows(readme) == [
        ("", "ภาษาไทย", "English"),
        ("ชื่อ / title", TITLE, TITLE),
        ("ปีงบประมาณ / fiscal years", "พ.ศ. 2560-2564", "BE 2560-2564"),
        ("ไฟล์ต้นฉบับ / source file", "cpd_action_plan_2560_2564.txt", "cpd_action_plan_2560_2564.txt"),
        ("SHA-256 ของไฟล์ต้นฉบับ", RAW_SHA256, RAW_SHA256),
        ("ขั้นของงบประมาณ / phase", "แผน (planned)", "planned"),
        ("การแก้ไขตัวเลข / corrections", "แก้ 3 ค่า ตามไฟล์ corrections.yaml (ดูแผ่นงาน การแก้ไขตัวเลข)",
         "3 values corrected from corrections.yaml (see sheet การแก้ไขตัวเลข)"),
        ("เกณฑ์ผลต่าง / tolerance", "ผลต่างไม่เกิน 0.005 ล้านบาท ถือว่าตรงกัน",
         "differences up to 0.005 million baht count as equal"),
        ("ผลการตรวจ / findings", f"ผิดพลาด {errors} คำเตือน {warnings} ข้อมูล {notes}",
         f"{errors} errors, {warnings} warnings, {notes} notes"),
        ("หน่วย / unit", "จำนวนเงินเป็นล้านบาท ปีเป็นปีงบประมาณ พ.ศ. (1 ต.ค. - 30 ก.ย.)",
         "amounts in million baht; years are Thai fiscal years, Buddhist era (1 Oct - 30 Sep)"),
        ("สูตร / formulas", "คอลัมน์ \"รวมงบรายปี (สูตร)\" เป็นสูตร SUM ที่คำนวณใหม่เมื่อแก้ตัวเลขรายปี",
         "the \"รวมงบรายปี (สูตร)\" column is a live SUM of the yearly columns beside the printed total"),
        ("วันที่จัดทำ / made on", _today_be(), _today_be()),
        ("", "", ""),
        ("แผ่นงาน / sheet", "เนื้อหา", "contents"),
        ("ยุทธศาสตร์", "ยอดรวมรายยุทธศาสตร์: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
         "per strategy: yearly sums, their live SUM beside the printed total, the total used and the difference"),
        ("กลยุทธ์", "ยอดรวมรายกลยุทธ์: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
         "per tactic: yearly sums, their live SUM beside the printed total, the total used and the difference"),
        ("โครงการ", "งบประมาณรายโครงการ หนึ่งคอลัมน์ต่อปีงบประมาณ รวม (สูตร SUM) ข้างยอดตามเอกสาร",
         "one row per project, one column per fiscal year, a live SUM beside the printed total"),
        ("งบรายปี (ตารางยาว)", "หนึ่งแถวต่อโครงการต่อปี สำหรับ PivotTable",
         "one row per project and fiscal year, ready for a pivot table"),
        ("หน่วยงาน", "หน่วยงานรับผิดชอบและโครงการของแต่ละหน่วยงาน", "responsible units and their projects"),
        ("ผลการตรวจ", "ผลการตรวจยอดรวม (สีตามระดับความรุนแรง) พร้อมข้อความเต็ม",
         "every reconciliation finding, coloured by severity, with the full messages"),
        ("การแก้ไขตัวเลข", "ตัวเลขที่แก้ไขตามการตรวจทาน (corrections) ตอนนำเข้า", "reviewed corrections applied at ingest"),
    ]


def test_plan_readme_layout(plan_books):
    readme = plan_books[0].worksheets[0]
    assert _width(readme, "A") == pytest.approx(28, abs=0.75)
    assert _width(readme, "B") == pytest.approx(70, abs=0.75) and _width(readme, "C") == pytest.approx(70, abs=0.75)
    headings = [r for r in range(3, readme.max_row + 1) if readme.cell(r, 2).value in ("ภาษาไทย", "เนื้อหา")]
    assert len(headings) == 2
    for r in headings:  # the two heading rows look like table headers
        assert all(readme.cell(r, c).fill.fgColor.rgb == "FFDDE6F0" for c in (1, 2, 3))
    assert readme["A4"].font.b and readme["A4"].fill.fgColor.rgb == "00000000"  # a label: bold, no fill
    assert readme["B4"].alignment.wrap_text and not readme["B4"].font.b
    blank = next(r for r in range(3, readme.max_row + 1) if readme.cell(r, 1).value in ("", None)
                 and readme.cell(r, 2).value in ("", None))
    assert readme.cell(blank, 1).fill.fgColor.rgb == "00000000"  # the spacer row is no heading


def test_plan_readme_in_thai_digits(plan_books):
    readme = plan_books[1].worksheets[0]
    rows = {r[0]: r for r in _readme_rows(readme)}
    assert rows["ปีงบประมาณ / fiscal years"][1:] == ("พ.ศ. ๒๕๖๐-๒๕๖๔", "BE 2560-2564")
    assert rows["วันที่จัดทำ / made on"][1:] == (_today_be().translate(THAI_DIGITS), _today_be())


def test_plan_strategy_and_tactic_sheets(plan_books):
    book, thai = plan_books
    sheet = book["ยุทธศาสตร์"]
    assert [c.value for c in sheet[1]] == ["ยุทธศาสตร์", "ชื่อ", *YEAR_HEADERS, "รวมงบรายปี (สูตร)", "ยอดรวมตามเอกสาร",
                                           "ยอดรวมที่ใช้ (รวมโครงการ)", "ผลต่าง (รวม - ตามเอกสาร)", "โครงการตามเอกสาร",
                                           "โครงการที่พบ", "ใช้ยอดรวมที่พิมพ์ (โครงการ)"]
    strategies = _by_first(sheet)
    # line 43 prints "๑๐ โครงการ" for strategy 5 and ๒ for strategy 6; 5.1-5.10 are found, three of
    # them (5.1, 5.2, 5.7) at their printed totals; 6.1 and 6.2 at their yearly amounts
    five, six = strategies["5"], strategies["6"]
    assert (five["โครงการตามเอกสาร"], five["โครงการที่พบ"], five["ใช้ยอดรวมที่พิมพ์ (โครงการ)"]) == (10, 3 + 7, 3)
    assert (six["โครงการตามเอกสาร"], six["โครงการที่พบ"], six["ใช้ยอดรวมที่พิมพ์ (โครงการ)"]) == (2, 2, 0)
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    count = header.index("โครงการที่พบ") + 1
    assert sheet.cell(2, count).number_format == "#,##0"
    assert thai["ยุทธศาสตร์"].cell(2, count).number_format == TH + "#,##0"
    tactic = book["กลยุทธ์"]
    assert [c.value for c in tactic[1]][:3] == ["กลยุทธ์", "ยุทธศาสตร์", "ชื่อ"]
    tactics = _by_first(tactic)
    assert tactics["6.1"]["ยุทธศาสตร์"] == "6" and tactics["5.1"]["ยุทธศาสตร์"] == "5"
    # tactic 6.1 holds 6.1 and 6.2 (line 84): 0.5 + 10 in 2560, 5 in 2561, 1.5 a year after (corrected)
    assert [tactics["6.1"][h] for h in YEAR_HEADERS] == [10.5, 5, 1.5, 1.5, 1.5]


def test_plan_projects_sheet(plan_books):
    book, thai = plan_books
    sheet = book["โครงการ"]
    assert [c.value for c in sheet[1]] == ["โครงการ", "ยุทธศาสตร์", "กลยุทธ์", "ชื่อโครงการ", "หน่วยงานรับผิดชอบ",
                                           *YEAR_HEADERS, "รวมงบรายปี (สูตร)", "ยอดรวมตามเอกสาร", "ยอดที่ใช้ในยอดรวม",
                                           "ที่มาของยอดที่ใช้", "สถานะการอ่าน", "บรรทัดในเอกสาร"]
    projects = _by_first(sheet)
    six = projects["6.1"]  # line 84: 0.5 5 15 15 15, total 10, unit กฟนง.; the 15s corrected to 1.5
    assert (six["ยุทธศาสตร์"], six["กลยุทธ์"], six["หน่วยงานรับผิดชอบ"], six["บรรทัดในเอกสาร"]) == ("6", "6.1", "กฟนง.", 84)
    assert (six["ยอดรวมตามเอกสาร"], six["ยอดที่ใช้ในยอดรวม"], six["ที่มาของยอดที่ใช้"]) == (10, 10, "รวมจากงบรายปี")
    # 1.1 is only listed on line 124; its yearly amounts are on its project sheet (line 160: 51 50 50 50 50)
    one = projects["1.1"]
    assert (one["ยุทธศาสตร์"], one["กลยุทธ์"], one["บรรทัดในเอกสาร"]) == ("1", None, 124)
    assert (one["ยอดรวมตามเอกสาร"], one["ยอดที่ใช้ในยอดรวม"]) == (None, 251)
    assert one["สถานะการอ่าน"] == "จากแผ่นโครงการ (ไม่มียอดรวม)"
    listed = projects["1.3"]  # line 126: a name only
    assert listed["ชื่อโครงการ"] == "โครงการพัฒนาฝ่ายจัดการสหกรณ์ให้เป็นมืออาชีพ (Smart Manager Development Program)"
    assert projects["5.9"]["ชื่อโครงการ"] == "โครงการ IT เพื่อการตรวจการสหกรณ์"  # line 77
    assert (listed["ที่มาของยอดที่ใช้"], listed["สถานะการอ่าน"], listed["บรรทัดในเอกสาร"]) == (
        "ไม่มีตัวเลข", "มีเพียงชื่อ ไม่มีตัวเลข", 126)
    assert listed["ยอดที่ใช้ในยอดรวม"] is None and listed["หน่วยงานรับผิดชอบ"] is None
    assert projects["5.10"]["หน่วยงานรับผิดชอบ"] == "คสท.; สนม."  # line 78
    printed = projects["5.1"]  # its cells do not add up to its printed 13: the printed total is used
    assert (printed["ที่มาของยอดที่ใช้"], printed["ยอดรวมตามเอกสาร"], printed["ยอดที่ใช้ในยอดรวม"]) == (
        "ใช้ยอดรวมที่พิมพ์", 13, 13)
    assert [printed[h] for h in YEAR_HEADERS] == [None] * 5
    line = [c.value for c in sheet[1]].index("บรรทัดในเอกสาร") + 1
    assert sheet.cell(2, line).number_format == "0" and thai["โครงการ"].cell(2, line).number_format == TH + "0"
    assert sheet.freeze_panes == "B2"


def test_plan_long_sheet(plan_books):
    sheet = plan_books[0]["งบรายปี (ตารางยาว)"]
    assert [c.value for c in sheet[1]] == ["ยุทธศาสตร์", "ชื่อยุทธศาสตร์", "กลยุทธ์", "ชื่อกลยุทธ์", "โครงการ", "ชื่อโครงการ",
                                           "หน่วยงานรับผิดชอบ", "ปีงบประมาณ", "จำนวนเงิน (ล้านบาท)", "แหล่งในเอกสาร",
                                           "บรรทัดในเอกสาร"]
    rows = _rows(sheet)
    six = [(r["ปีงบประมาณ"], r["จำนวนเงิน (ล้านบาท)"], r["แหล่งในเอกสาร"], r["บรรทัดในเอกสาร"], r["กลยุทธ์"],
            r["หน่วยงานรับผิดชอบ"]) for r in rows if r["โครงการ"] == "6.1"]
    assert six == [(2560, 0.5, "ตารางรายละเอียด", 84, "6.1", "กฟนง."), (2561, 5, "ตารางรายละเอียด", 84, "6.1", "กฟนง."),
                   (2562, 1.5, "ตารางรายละเอียด", 84, "6.1", "กฟนง."), (2563, 1.5, "ตารางรายละเอียด", 84, "6.1", "กฟนง."),
                   (2564, 1.5, "ตารางรายละเอียด", 84, "6.1", "กฟนง.")]
    one = [(r["ปีงบประมาณ"], r["จำนวนเงิน (ล้านบาท)"], r["แหล่งในเอกสาร"], r["บรรทัดในเอกสาร"]) for r in rows
           if r["โครงการ"] == "1.1"]
    assert one == [(2560, 51, "รายละเอียดโครงการ", 160), (2561, 50, "รายละเอียดโครงการ", 160),
                   (2562, 50, "รายละเอียดโครงการ", 160), (2563, 50, "รายละเอียดโครงการ", 160),
                   (2564, 50, "รายละเอียดโครงการ", 160)]
    # 3.4 (line 9) names five units, in the document's order
    assert {r["หน่วยงานรับผิดชอบ"] for r in rows if r["โครงการ"] == "3.4"} == {"กพท.; สทล.; สสจ.; สสพ.; สกก."}
    assert sheet.freeze_panes == "A2"


def test_plan_units_findings_and_corrections_sheets(plan_books):
    book = plan_books[0]
    units = book["หน่วยงาน"]
    assert [c.value for c in units[1]] == ["หน่วยงาน", "ชื่อเต็ม", "จำนวนโครงการ", "โครงการ"]
    assert "6.1" in _by_first(units)["กฟนง."]["โครงการ"].split(", ")
    row = _by_first(units)["กฟนง."]
    assert row["จำนวนโครงการ"] == len(row["โครงการ"].split(", "))

    findings = book["ผลการตรวจ"]
    assert [c.value for c in findings[1]] == ["ระดับ", "การตรวจ", "ระดับข้อมูล", "รหัส", "ชื่อ", "ปีงบประมาณ",
                                              "ตามเอกสาร (ล้านบาท)", "คำนวณได้ (ล้านบาท)", "ผลต่าง (ล้านบาท)",
                                              "รายละเอียด", "Message (English)", "สาเหตุที่เป็นไปได้", "บรรทัด"]
    rows = _rows(findings)
    five = next(r for r in rows if r["การตรวจ"] == "strategy_total" and r["รหัส"] == "5")
    # findings about the whole plan or the document name that level as it is
    assert {(r["การตรวจ"], r["ระดับข้อมูล"]) for r in rows} >= {("plan_total", "plan"), ("unread_text", "document")}
    assert five["ระดับข้อมูล"] == "ยุทธศาสตร์" and five["ระดับ"] == "ผิดพลาด"
    cells = {findings.cell(r, 1).value: findings.cell(r, 1) for r in range(2, findings.max_row + 1)}
    error, warning, note = cells["ผิดพลาด"], cells["คำเตือน"], cells["ข้อมูล"]
    assert (error.fill.fgColor.rgb, error.font.color.rgb) == ("FFB2182B", "FFFFFFFF")  # white on red
    assert (warning.fill.fgColor.rgb, warning.font.color.rgb) == ("FFE69F00", "FF000000")
    assert (note.fill.fgColor.rgb, note.font.color.rgb) == ("FF56B4E9", "FF000000")

    # 5.3 (line 64) to 5.10 (line 78) name คสท., 5.10 also สนม.: projects in printed order, 5.9 before 5.10
    assert _by_first(units)["คสท."]["โครงการ"].startswith("5.3, ")
    assert _by_first(units)["คสท."]["โครงการ"].endswith(", 5.9, 5.10")
    assert (_by_first(units)["สนม."]["จำนวนโครงการ"], _by_first(units)["สนม."]["โครงการ"]) == (1, "5.10")
    assert list(_by_first(units)) == sorted(_by_first(units))
    # the units glossary spells out the one unit the document names in full (project sheets 1.1, 1.2)
    office = "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์"
    assert _by_first(units)[office] == {"หน่วยงาน": office, "ชื่อเต็ม": office, "จำนวนโครงการ": 2, "โครงการ": "1.1, 1.2"}

    corrections = book["การแก้ไขตัวเลข"]
    assert [c.value for c in corrections[1]] == ["โครงการ", "ช่อง", "ปีงบประมาณ", "ค่าที่พิมพ์ (ล้านบาท)", "ค่าที่แก้ (ล้านบาท)",
                                                 "เหตุผล", "บรรทัด"]
    rows = [tuple(r) for r in corrections.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[2], r[3], r[4], r[6]) for r in rows] == [
        ("6.1", "amount", year, 15, 1.5, 84) for year in (2562, 2563, 2564)]
    assert rows[1][5] == "Lost decimal point (see the 2562 correction of 6.1)."


# ---- workbook.py and shape.py: a budget table of two files --------------------------------------
# Amounts in thousand baht; the bill year is 2567. Row a2 is printed twice (a duplicate the table
# keeps and flags), b1 is not a whole satang (float noise, kept as printed), a3 has an obligation
# for 2568. The agency กรมหนึ่ง prints 1.2 million for 2567.

UNITS_MAPPING = """\
name: tiny-units
title: ตารางทดสอบหน่วย
levels:
  - {key: agency, label_th: หน่วยงาน, label_en: agency, columns: [AGENCY]}
  - {key: plan, label_th: แผนงาน, label_en: plan, columns: [PLAN]}
  - {key: item, label_th: รายการ, label_en: item, columns: [ITEM]}
fiscal_year: {column: YEAR, era: BE}
amount: {column: AMOUNT, unit: thousand_baht}
item_id: ID
page: PAGE
unit: UNIT
obligation: {column: OBL, true_values: ["yes"]}
bill_year: 2567
"""
A_CSV = ("ID,PAGE,AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL,UNIT\n"
         "a1,3,กรมหนึ่ง,แผน ก,ค่าจ้าง,2567,\"1,000\",no,กอง ก\n"
         "a2,3,กรมหนึ่ง,แผน ก,ค่าวัสดุ,2567,25,no,กอง ข\n"
         "a2,3,กรมหนึ่ง,แผน ก,ค่าวัสดุ,2567,25,no,กอง ข\n"
         "a3,4,กรมหนึ่ง,แผน ก,ค่าที่ดิน,2567,100.5,no,กอง ก\n"
         "a3,4,กรมหนึ่ง,แผน ก,ค่าที่ดิน,2568,200,yes,กอง ก\n")
B_CSV = ("ID,PAGE,AGENCY,PLAN,ITEM,YEAR,AMOUNT,OBL,UNIT\n"
         "b1,5,กรมสอง,แผน ข,=ค่าจ้าง,2567,7.0000001,no,\n")
TABLE_YEARS = ["ปีงบประมาณ 2567", "ปีงบประมาณ 2568"]


@pytest.fixture(scope="module")
def table_dataset(tmp_path_factory) -> Path:
    from coopanalysis.cli import main

    folder = tmp_path_factory.mktemp("units")
    (folder / "in").mkdir()
    (folder / "in" / "a.csv").write_text(A_CSV, encoding="utf-8")
    (folder / "in" / "b.csv").write_text(B_CSV, encoding="utf-8")
    (folder / "map.yaml").write_text(UNITS_MAPPING, encoding="utf-8")
    (folder / "stated.csv").write_text("level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,1.2,million_baht\n",
                                       encoding="utf-8")
    assert main(["ingest", str(folder / "in"), "--mapping", str(folder / "map.yaml"), "--stated",
                 str(folder / "stated.csv"), "--out", str(folder / "ds")]) == 0
    return folder / "ds"


@pytest.fixture
def table_books(table_dataset, tmp_path):
    return _Books(table_dataset, tmp_path)


def test_table_workbook_sheets_and_readme(table_books, table_dataset):
    import hashlib

    book, thai = table_books
    # the units sheet is named like the agency level: it takes the next free name
    assert book.sheetnames == ["อ่านก่อน README", "หน่วยงาน", "แผนงาน", "รายการ", "งบรายปี (ตารางยาว)", "หน่วยงาน (2)",
                               "ผลการตรวจ"]  # no corrections: no corrections sheet
    assert book.properties.description == "source a.csv, b.csv sha256 "  # two files: no single hash
    sha = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in (("a", A_CSV), ("b", B_CSV))}
    rows = _readme_rows(book.worksheets[0])
    mapping = str(table_dataset.parent / "map.yaml")
    assert rows[:12] == [
        ("", "ภาษาไทย", "English"),
        ("ชื่อ / title", "ตารางทดสอบหน่วย", "ตารางทดสอบหน่วย"),
        ("ปีงบประมาณ / fiscal years", "พ.ศ. 2567-2568", "BE 2567-2568"),
        ("ไฟล์ต้นฉบับ / source file", "a.csv", "a.csv"), ("SHA-256 ของไฟล์ต้นฉบับ", sha["a"], sha["a"]),
        ("ไฟล์ต้นฉบับ / source file", "b.csv", "b.csv"), ("SHA-256 ของไฟล์ต้นฉบับ", sha["b"], sha["b"]),
        ("การจับคู่คอลัมน์ / mapping", mapping, mapping),
        ("ปีของร่าง พ.ร.บ. / bill year", "พ.ศ. 2567", "BE 2567"),
        ("ขั้นของงบประมาณ / phase", "ร่างที่เสนอ (proposed)", "proposed"),  # the mapping names no phase
        ("การแก้ไขตัวเลข / corrections", "ไม่มี", "none"),
        ("เกณฑ์ผลต่าง / tolerance", "ผลต่างไม่เกิน 0.005 ล้านบาท ถือว่าตรงกัน",
         "differences up to 0.005 million baht count as equal"),
    ]
    # one error (the agency's printed total), two warnings (the duplicate, the float noise)
    assert rows[12] == ("ผลการตรวจ / findings", "ผิดพลาด 1 คำเตือน 2 ข้อมูล 0", "1 errors, 2 warnings, 0 notes")
    sheets = rows[rows.index(("แผ่นงาน / sheet", "เนื้อหา", "contents")) + 1:]
    assert sheets == [
        ("หน่วยงาน", "ยอดรวมรายหน่วยงาน: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
         "per agency: yearly sums, their live SUM, the printed total and the difference"),
        ("แผนงาน", "ยอดรวมรายแผนงาน: งบรายปี รวม (สูตร SUM) เทียบยอดตามเอกสาร",
         "per plan: yearly sums, their live SUM, the printed total and the difference"),
        ("รายการ", "หนึ่งแถวต่อรายการ หนึ่งคอลัมน์ต่อปีงบประมาณ รวม (สูตร SUM) ข้างยอดตามเอกสาร",
         "one row per item node, one column per fiscal year, a live SUM beside the printed total"),
        ("งบรายปี (ตารางยาว)", "หนึ่งแถวต่อโครงการต่อปี สำหรับ PivotTable",
         "one row per project and fiscal year, ready for a pivot table"),
        ("หน่วยงาน (2)", "หน่วยงานรับผิดชอบและโครงการของแต่ละหน่วยงาน", "responsible units and their projects"),
        ("ผลการตรวจ", "ผลการตรวจยอดรวม (สีตามระดับความรุนแรง) พร้อมข้อความเต็ม",
         "every reconciliation finding, coloured by severity, with the full messages"),
    ]
    assert [name for name, _, _ in sheets] == book.sheetnames[1:]  # the README names each sheet as it is named
    th_rows = {r[0]: r for r in _readme_rows(thai.worksheets[0])}
    assert th_rows["ปีของร่าง พ.ร.บ. / bill year"][1:] == ("พ.ศ. ๒๕๖๗", "BE 2567")


def test_table_group_sheets_compare_the_bill_year(table_books):
    book, thai = table_books
    agency = book["หน่วยงาน"]
    assert [c.value for c in agency[1]] == ["หน่วยงาน", "ชื่อ", *TABLE_YEARS, "รวมงบรายปี (สูตร)", "ยอดตามเอกสาร ปี 2567",
                                            "รวมรายการ ปี 2567", "ผลต่าง (รวม - ตามเอกสาร)"]
    assert [c.value for c in thai["หน่วยงาน"][1]][4:7] == ["รวมงบรายปี (สูตร)", "ยอดตามเอกสาร ปี ๒๕๖๗",
                                                           "รวมรายการ ปี ๒๕๖๗"]
    # by hand, thousand baht: 1,000 + 25 + 25 + 100.5 = 1,150.5 in 2567; 200 in 2568
    assert [c.value for c in agency[2]] == ["1", "กรมหนึ่ง", 1.1505, 0.2, "=SUM(C2:D2)", 1.2, 1.1505, -0.0495]
    assert [c.value for c in agency[3]] == ["2", "กรมสอง", 0.007, None, "=SUM(C3:D3)", None, 0.007, None]
    plan = book["แผนงาน"]
    assert [c.value for c in plan[1]][:3] == ["แผนงาน", "รหัสระดับบน", "ชื่อ"]
    assert [c.value for c in plan[2]][:5] == ["1.1", "1", "แผน ก", 1.1505, 0.2]


def test_table_items_sheet(table_books):
    sheet = table_books[0]["รายการ"]
    assert [c.value for c in sheet[1]] == ["รหัส", "ระดับ", "ชื่อ", "อยู่ภายใต้", "หน่วยงานรับผิดชอบ", *TABLE_YEARS,
                                           "รวมงบรายปี (สูตร)", "ยอดตามเอกสาร ปี 2567", "รวมรายการ ปี 2567", "สถานะแถว",
                                           "แถวแรกในตาราง"]
    rows = [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [
        ("1.1.1", "รายการ", "ค่าจ้าง", "กรมหนึ่ง › แผน ก", "กอง ก", 1, None, "=SUM(F2:G2)", None, 1, None, 2),
        ("1.1.2", "รายการ", "ค่าวัสดุ", "กรมหนึ่ง › แผน ก", "กอง ข", 0.05, None, "=SUM(F3:G3)", None, 0.05, "duplicate", 3),
        ("1.1.3", "รายการ", "ค่าที่ดิน", "กรมหนึ่ง › แผน ก", "กอง ก", 0.1005, 0.2, "=SUM(F4:G4)", None, 0.1005, None, 5),
        ("2.1.1", "รายการ", "=ค่าจ้าง", "กรมสอง › แผน ข", None, 0.007, None, "=SUM(F5:G5)", None, 0.007, "float_noise", 2),
    ]
    assert sheet["C5"].data_type == "s"


def test_table_long_sheet_keeps_each_row_as_printed(table_books):
    sheet = table_books[0]["งบรายปี (ตารางยาว)"]
    assert [c.value for c in sheet[1]] == ["หน่วยงาน", "ชื่อหน่วยงาน", "แผนงาน", "ชื่อแผนงาน", "รายการ", "ชื่อรายการ",
                                           "หน่วยงานรับผิดชอบ", "ปีงบประมาณ", "จำนวนเงิน (ล้านบาท)", "ไฟล์", "แถวในไฟล์",
                                           "ประเภทแถว", "สถานะแถว", "รหัสรายการในต้นฉบับ", "หน้า", "จำนวนเงินตามต้นฉบับ"]
    rows = [tuple(r)[4:] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [
        ("1.1.1", "ค่าจ้าง", "กอง ก", 2567, 1, "a.csv", 2, "appropriation", "ok", "a1", "3", "1,000"),
        ("1.1.2", "ค่าวัสดุ", "กอง ข", 2567, 0.025, "a.csv", 3, "appropriation", "ok", "a2", "3", "25"),
        ("1.1.2", "ค่าวัสดุ", "กอง ข", 2567, 0.025, "a.csv", 4, "appropriation", "duplicate", "a2", "3", "25"),
        ("1.1.3", "ค่าที่ดิน", "กอง ก", 2567, 0.1005, "a.csv", 5, "appropriation", "ok", "a3", "4", "100.5"),
        ("1.1.3", "ค่าที่ดิน", "กอง ก", 2568, 0.2, "a.csv", 6, "obligation_other_year", "ok", "a3", "4", "200"),
        ("2.1.1", "=ค่าจ้าง", None, 2567, 0.0070000001, "b.csv", 2, "appropriation", "float_noise", "b1", "5", "7.0000001"),
    ]


def test_table_units_and_findings_sheets(table_books, table_dataset):
    book = table_books[0]
    assert [tuple(r) for r in book["หน่วยงาน (2)"].iter_rows(values_only=True)] == [
        ("หน่วยงาน", "ชื่อเต็ม", "จำนวนโครงการ", "โครงการ"), ("กอง ก", None, 2, "1.1.1, 1.1.3"), ("กอง ข", None, 1, "1.1.2")]
    findings = _rows(book["ผลการตรวจ"])
    assert [(f["ระดับ"], f["การตรวจ"], f["ระดับข้อมูล"], f["รหัส"], f["ชื่อ"], f["ปีงบประมาณ"]) for f in findings] == [
        ("ผิดพลาด", "stated_total", "หน่วยงาน", "1", "กรมหนึ่ง", 2567),
        ("คำเตือน", "duplicate_row", "รายการ", "1.1.2", "ค่าวัสดุ", 2567),
        ("คำเตือน", "float_noise", "รายการ", "2.1.1", "=ค่าจ้าง", 2567)]
    import coopanalysis as ca

    expected = list(ca.check(ca.load(table_dataset)))  # the workbook carries each finding's full messages
    assert [(f["รายละเอียด"], f["Message (English)"]) for f in findings] == [(f.message, f.message_en) for f in expected]
    assert all(f["Message (English)"] for f in findings)
    first = findings[0]
    assert (first["ตามเอกสาร (ล้านบาท)"], first["คำนวณได้ (ล้านบาท)"], first["ผลต่าง (ล้านบาท)"]) == (1.2, 1.1505, -0.0495)
    assert first["สาเหตุที่เป็นไปได้"] == "missing_rows" and first["บรรทัด"] == 2


def test_table_package_printed_totals_for_the_bill_year(table_dataset, tmp_path):
    import csv

    from coopanalysis.exports import write_fdp

    write_fdp(table_dataset, tmp_path / "fdp")
    with open(tmp_path / "fdp" / "printed_totals.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"level": "agency", "id": "1", "name": "กรมหนึ่ง", "fiscal_year": "2567", "printed_amount": "1.2",
                     "computed_amount": "1.1505"}]
    with open(tmp_path / "fdp" / "budget.csv", encoding="utf-8", newline="") as handle:
        budget = list(csv.DictReader(handle))
    assert [(r["item_id"], r["units"], r["amount"], r["amount_text"]) for r in budget][-2:] == [
        ("1.1.3", "กอง ก", "0.2", "200"), ("2.1.1", "", "0.0070000001", "7.0000001")]


_WRAPPED = {  # the columns whose cells wrap: names, paths, units, messages, reasons
    "ยุทธศาสตร์": {"ชื่อ"}, "กลยุทธ์": {"ชื่อ"}, "โครงการ": {"ชื่อโครงการ", "หน่วยงานรับผิดชอบ"},
    "งบรายปี (ตารางยาว)": set(), "หน่วยงาน": {"ชื่อเต็ม", "โครงการ"},
    "ผลการตรวจ": {"ชื่อ", "รายละเอียด", "Message (English)"}, "การแก้ไขตัวเลข": {"เหตุผล"},
    "แผนงาน": {"ชื่อ"}, "รายการ": {"ชื่อ", "อยู่ภายใต้", "หน่วยงานรับผิดชอบ"}, "หน่วยงาน (2)": {"ชื่อเต็ม", "โครงการ"},
}


@pytest.mark.parametrize("which", ["plan", "table"])
def test_long_text_cells_wrap_and_the_rest_do_not(which, plan_books, table_books):
    book = (plan_books if which == "plan" else table_books)[0]
    seen = set()
    for sheet in book.worksheets[1:]:
        if which == "table" and sheet.title == "หน่วยงาน":
            wrapped = {"ชื่อ"}
        else:
            wrapped = _WRAPPED[sheet.title]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for name, cell in zip(header, row):
                if isinstance(cell.value, str) and not cell.value.startswith("=SUM("):
                    assert bool(cell.alignment.wrap_text) == (name in wrapped), (sheet.title, name, cell.coordinate)
                    seen.add((sheet.title, name))
    assert {name for _, name in seen} >= {"ชื่อ", "รายละเอียด"}


# ---- shape.py: any dataset --------------------------------------------------------------------


def _eleven_programmes(**meta):
    """A hand-built dataset: programmes labelled 1-11, one item each. Item k has k million in
    2565; item 3 also 0.5 in 2566; item 11 has 7 for the whole period and no year. Programme 1
    prints 1 (then, a second time, 9); programme 2 prints 5."""
    import coopanalysis as ca

    programmes = [f"g{k}" for k in range(1, 12)]
    items = [f"i{k}" for k in range(1, 12)]
    nodes = pd.DataFrame({"node_id": programmes + items, "level": ["programme"] * 11 + ["item"] * 11,
                          "parent_id": [""] * 11 + programmes,
                          "name": [f"แผน {k}" for k in range(1, 12)] + [f"รายการ {k}" for k in range(1, 12)],
                          "label": [str(k) for k in range(1, 12)] + [f"{k}.1" for k in range(1, 12)]})
    amounts = pd.DataFrame({"node_id": items[:10] + ["i3", "i11"], "fiscal_year": [2565] * 10 + [2566, None],
                            "amount_mb": [float(k) for k in range(1, 11)] + [0.5, 7.0],
                            "source": ["x.csv"] * 12, "source_line": list(range(2, 14))})
    stated = pd.DataFrame({"node_id": ["g1", "g1", "g2"], "fiscal_year": [None, None, None], "amount_mb": [1.0, 9.0, 5.0]})
    return ca.Dataset(title="งบทดสอบ", kind="test",
                      levels=(ca.Level("programme", "แผนงาน", "programme"), ca.Level("item", "", "")),
                      nodes=nodes, amounts=amounts, stated=stated, provenance={"meta": dict(meta)})


@pytest.fixture
def eleven(tmp_path):
    import coopanalysis as ca

    return openpyxl.load_workbook(ca.export(_eleven_programmes(), tmp_path / "e.xlsx"))


def test_ten_and_more_siblings_in_their_printed_order(eleven):
    assert eleven.sheetnames[1:3] == ["แผนงาน", "รายการ"]
    # a level without a Thai label is named by its key
    assert [c.value for c in eleven["งบรายปี (ตารางยาว)"][1]][:4] == ["แผนงาน", "ชื่อแผนงาน", "item", "ชื่อitem"]
    ids = [r[0] for r in eleven["แผนงาน"].iter_rows(min_row=2, values_only=True)]
    assert ids == [str(k) for k in range(1, 12)]  # 10 and 11 after 9, not after 1
    items = [r[0] for r in eleven["รายการ"].iter_rows(min_row=2, values_only=True)]
    assert items == [f"{k}.1" for k in range(1, 12)]


def test_a_dataset_without_years_printed_totals_the_whole_period(eleven):
    sheet = eleven["แผนงาน"]
    assert [c.value for c in sheet[1]] == ["แผนงาน", "ชื่อ", "ปีงบประมาณ 2565", "ปีงบประมาณ 2566", "รวมงบรายปี (สูตร)",
                                           "ยอดรวมตามเอกสาร", "ยอดรวมที่ใช้ (รวมโครงการ)", "ผลต่าง (รวม - ตามเอกสาร)"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["1"][2:] == (1, None, "=SUM(C2:D2)", 1, 1, 0)  # the first printed total counts
    assert rows["2"][5:] == (5, 2, -3)
    assert rows["3"][2:4] == (3, 0.5) and rows["3"][6] == 3.5
    assert rows["11"][2:4] == (None, None) and rows["11"][6] == 7  # a whole-period amount rolls up
    items = {r[0]: r for r in eleven["รายการ"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in eleven["รายการ"][1]]
    assert header == ["รหัส", "ระดับ", "ชื่อ", "อยู่ภายใต้", "หน่วยงานรับผิดชอบ", "ปีงบประมาณ 2565", "ปีงบประมาณ 2566",
                      "รวมงบรายปี (สูตร)", "ยอดรวมตามเอกสาร", "ยอดรวมที่ใช้ (รวมโครงการ)", "สถานะแถว", "แถวแรกในตาราง"]
    assert items["3.1"][1:] == ("item", "รายการ 3", "แผน 3", None, 3, 0.5, "=SUM(F4:G4)", None, 3.5, None, 4)
    assert items["11.1"][5:] == (None, None, None, None, 7, None, 13)


def test_a_dataset_exports_its_own_phase_and_years_from_its_description(tmp_path):
    import coopanalysis as ca

    ds = _eleven_programmes(phase="approved", fiscal_years=[2566, 2564, 2565])
    book = openpyxl.load_workbook(ca.export(ds, tmp_path / "p.xlsx"))
    rows = {r[0]: r for r in _readme_rows(book.worksheets[0])}
    assert rows["ขั้นของงบประมาณ / phase"][1:] == ("อนุมัติแล้ว (approved)", "approved")
    assert rows["ปีงบประมาณ / fiscal years"][1:] == ("พ.ศ. 2564-2566", "BE 2564-2566")
    assert [c.value for c in book["แผนงาน"][1]][2:5] == ["ปีงบประมาณ 2564", "ปีงบประมาณ 2565", "ปีงบประมาณ 2566"]
    assert rows["ไฟล์ต้นฉบับ / source file"][1:] == ("ไม่ทราบ", "unknown")  # no source recorded
    assert rows["SHA-256 ของไฟล์ต้นฉบับ"][1:] == ("ไม่ทราบ", "unknown")
    assert rows["ชื่อ / title"][1:] == ("งบทดสอบ", "งบทดสอบ")
    blank = _eleven_programmes(phase="  ")
    rows = {r[0]: r for r in _readme_rows(openpyxl.load_workbook(ca.export(blank, tmp_path / "b.xlsx")).worksheets[0])}
    assert rows["ขั้นของงบประมาณ / phase"][1:] == ("ร่างที่เสนอ (proposed)", "proposed")


def test_shape_takes_a_dataset_a_plan_a_table_or_a_path_and_nothing_else(table_dataset):
    from coopanalysis.budget import load_dataset
    from coopanalysis.exports.shape import shape
    from coopanalysis.model.plan import load

    with pytest.raises(TypeError, match="expected a Dataset, a Plan, a budget dataset or a path, got float"):
        shape(3.5)
    for source in (str(PLAN), PLAN, load(PLAN)):
        shaped = shape(source)
        assert (shaped.kind, shaped.phase, shaped.totals_year) == ("plan", "planned", None)
        assert [g[0].key for g in shaped.groups] == ["strategy", "tactic"]
    table = shape(load_dataset(table_dataset))
    assert (table.kind, table.totals_year, [lv.key for lv in table.levels]) == ("budget_table", 2567,
                                                                           ["agency", "plan", "item"])
    assert shape(PLAN, tolerance=0.5).tolerance == Decimal("0.5")


def test_the_tolerance_is_the_one_stated_in_the_readme_and_used_by_the_checks(tmp_path):
    from coopanalysis.exports import write_workbook

    book = openpyxl.load_workbook(write_workbook(PLAN, tmp_path / "t.xlsx", tolerance=40))
    rows = {r[0]: r for r in _readme_rows(book.worksheets[0])}
    assert rows["เกณฑ์ผลต่าง / tolerance"][1:] == ("ผลต่างไม่เกิน 40 ล้านบาท ถือว่าตรงกัน",
                                                 "differences up to 40 million baht count as equal")
    # strategy 5 prints 125 against 158 from its projects: 33 apart, within 40
    assert not [r for r in _rows(book["ผลการตรวจ"]) if r["การตรวจ"] == "strategy_total" and r["รหัส"] == "5"]


def test_a_scaled_table_exports_its_scaled_amounts_beside_the_printed_text(table_dataset, tmp_path):
    import coopanalysis as ca

    doubled = ca.load(table_dataset).scale(2)
    sheet = openpyxl.load_workbook(ca.export(doubled, tmp_path / "d.xlsx"))["งบรายปี (ตารางยาว)"]
    rows = [tuple(r)[7:] for r in sheet.iter_rows(min_row=2, values_only=True)]
    # by hand: twice 1,000 thousand baht is 2 million; the printed text stays as printed
    assert [(r[0], r[1], r[-1]) for r in rows] == [(2567, 2, "1,000"), (2567, 0.05, "25"), (2567, 0.05, "25"),
                                                   (2567, 0.201, "100.5"), (2568, 0.4, "200"), (2567, 0.014, "7.0000001")]


def test_plan_package_lists_every_printed_total_and_the_ones_it_does_not_print(tmp_path):
    import csv

    from coopanalysis.exports import write_fdp

    write_fdp(PLAN, tmp_path / "fdp")
    with open(tmp_path / "fdp" / "printed_totals.csv", encoding="utf-8", newline="") as handle:
        rows = {(r["level"], r["id"]): r for r in csv.DictReader(handle)}
    assert (rows[("strategy", "5")]["printed_amount"], rows[("strategy", "5")]["computed_amount"]) == ("125", "158")
    assert rows[("strategy", "5")]["fiscal_year"] == ""  # printed for the whole period
    assert (rows[("project", "6.1")]["printed_amount"], rows[("project", "6.1")]["computed_amount"]) == ("10", "10")
    assert (rows[("project", "1.1")]["printed_amount"], rows[("project", "1.1")]["computed_amount"]) == ("", "251")
    assert (rows[("project", "1.3")]["printed_amount"], rows[("project", "1.3")]["computed_amount"]) == ("", "")
    assert rows[("tactic", "6.1")]["computed_amount"] == "20"


def test_formulas_and_ranges_past_column_z(tmp_path):
    columns = [Column(f"c{i}", f"ค{i}", "amount") for i in range(27)] + [Column("s", "รวม", "sum", of=["c25", "c26"])]
    row = {f"c{i}": Decimal(i) for i in range(27)}
    sheet, cached = _table(tmp_path / "z.xlsx", columns, [row])
    assert sheet["AB2"].value == "=SUM(Z2:AA2)" and cached["AB2"].value == 51  # 25 + 26
    assert sheet.auto_filter.ref == "A1:AB2"
    assert '<ignoredError sqref="A1:AB2" numberStoredAsText="1"/>' in _sheet_xml(tmp_path / "z.xlsx")


# ---- shape.py: what only a package shows ---------------------------------------------------------


def _ingest(folder: Path, table: str, mapping: str, stated: str | None = None) -> Path:
    from coopanalysis.cli import main

    (folder / "t.csv").write_text(table, encoding="utf-8")
    (folder / "m.yaml").write_text(mapping, encoding="utf-8")
    args = ["ingest", str(folder / "t.csv"), "--mapping", str(folder / "m.yaml"), "--out", str(folder / "ds")]
    if stated is not None:
        (folder / "stated.csv").write_text(stated, encoding="utf-8")
        args += ["--stated", str(folder / "stated.csv")]
    assert main(args) == 0
    return folder / "ds"


def _package_rows(source, folder: Path, name: str) -> list[dict]:
    import csv

    from coopanalysis.exports import write_fdp

    write_fdp(source, folder)
    with open(folder / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CATEGORY_MAPPING = """\
name: tiny-category
title: ตารางหมวดงบ
levels:
  - {key: agency, label_th: หน่วยงาน, label_en: agency, columns: [AGENCY]}
  - {key: plan, label_th: แผนงาน, label_en: plan, columns: [PLAN]}
  - {key: category, label_th: งบรายจ่าย, label_en: category, columns: [CAT]}
  - {key: item, label_th: รายการ, label_en: item, columns: [ITEM]}
fiscal_year: {column: YEAR, era: BE}
amount: {column: AMOUNT, unit: thousand_baht}
bill_year: 2567
"""


def test_a_total_printed_for_several_nodes_is_shown_beside_their_sum(tmp_path):
    """The agency prints one งบบุคลากร total; its table has one such category under each of its
    two plans: the package shows the printed total beside their sum, as the check compares them."""
    dataset = _ingest(tmp_path, "AGENCY,PLAN,CAT,ITEM,YEAR,AMOUNT\n"
                                "กรมหนึ่ง,แผน ก,งบบุคลากร,เงินเดือน,2567,100\n"
                                "กรมหนึ่ง,แผน ข,งบบุคลากร,เงินเดือน,2567,50\n"
                                "กรมหนึ่ง,แผน ข,งบดำเนินงาน,ค่าวัสดุ,2567,7\n", CATEGORY_MAPPING,
                      "level,name,fiscal_year,amount,unit,parent\ncategory,งบบุคลากร,2567,0.2,million_baht,กรมหนึ่ง\n")
    rows = _package_rows(dataset, tmp_path / "fdp", "printed_totals.csv")
    # by hand: 100 + 50 thousand baht
    assert rows == [{"level": "category", "id": "1.1.1;1.2.1", "name": "งบบุคลากร", "fiscal_year": "2567",
                     "printed_amount": "0.2", "computed_amount": "0.15"}]


def test_a_table_amount_keeps_every_printed_digit_in_the_package(tmp_path):
    """1.0000000000000001 thousand baht has more digits than a float holds: the package writes
    the million-baht amount to every digit, not the float's 0.001."""
    from helpers import TINY_MAPPING  # tests/helpers.py

    dataset = _ingest(tmp_path, "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
                                "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,1.0000000000000001,no\n", TINY_MAPPING)
    rows = _package_rows(dataset, tmp_path / "fdp", "budget.csv")
    assert [(r["amount"], r["amount_text"], r["status"]) for r in rows] == [
        ("0.0010000000000000001", "1.0000000000000001", "float_noise")]


def test_the_readme_names_each_sheet_as_it_is_named(tmp_path):
    """A level labelled ผลผลิต/โครงการ gets the sheet ผลผลิต-โครงการ ('/' is not allowed): the
    README lists that name, not the label."""
    from helpers import TINY_MAPPING  # tests/helpers.py

    from coopanalysis.exports import write_workbook

    dataset = _ingest(tmp_path, "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
                                "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,5,no\n", TINY_MAPPING)
    book = openpyxl.load_workbook(write_workbook(dataset, tmp_path / "t.xlsx"))
    rows = _readme_rows(book.worksheets[0])
    listed = [name for name, _, _ in rows[rows.index(("แผ่นงาน / sheet", "เนื้อหา", "contents")) + 1:]]
    assert listed == book.sheetnames[1:] == ["หน่วยงาน", "แผนงาน", "ผลผลิต-โครงการ", "รายการ", "งบรายปี (ตารางยาว)",
                                             "ผลการตรวจ"]  # no units, no corrections: not listed either


def test_a_dataset_of_one_level_exports_its_items(tmp_path):
    import coopanalysis as ca

    ds = ca.Dataset(title="รายการเดียว", kind="test", levels=(ca.Level("item", "รายการ", "item"),),
                    nodes=pd.DataFrame({"node_id": ["a", "b"], "level": ["item", "item"], "parent_id": ["", ""],
                                        "name": ["ก", "ข"]}),
                    amounts=pd.DataFrame({"node_id": ["a", "b"], "fiscal_year": [2567, 2567], "amount_mb": [1.5, 2.0],
                                          "source": ["x.csv"] * 2, "source_line": [2, 3]}),
                    stated=pd.DataFrame({"node_id": [], "fiscal_year": [], "amount_mb": []}))
    book = openpyxl.load_workbook(ca.export(ds, tmp_path / "one.xlsx"))
    assert book.sheetnames == ["อ่านก่อน README", "รายการ", "งบรายปี (ตารางยาว)", "ผลการตรวจ"]
    assert [tuple(r)[:6] for r in book["รายการ"].iter_rows(min_row=2, values_only=True)] == [
        ("a", "รายการ", "ก", None, None, 1.5), ("b", "รายการ", "ข", None, None, 2)]
