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


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "t.xlsx"
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
