"""Laying out one readable worksheet with xlsxwriter: Thai headers, exact numbers, fitted widths.

A sheet is a list of :class:`Column` and a list of row dicts. Amount columns hold numbers
(million baht, the float of the exact decimal) shown with thousands separators and as many
decimals as the column needs, in Thai digits on request; a ``sum`` column is a live ``SUM``
formula over other columns of its row, with its value cached for viewers that do not
recalculate. Every sheet gets a frozen header row, an autofilter and column widths fitted to
the display width of its Thai text (combining marks take no width).

Text is always written as text: a name that starts with ``=`` stays a name, never a formula.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from coopanalysis.exports.common import exact_float
from coopanalysis.io.safeio import atomic_write_bytes
from coopanalysis.text.fmt import digits
from coopanalysis.text.textwrap_th import display_width

__all__ = [
    "Column", "Formats", "safe_sheet_name", "amount_format", "decimals_of", "new_workbook", "write_table",
    "save_workbook", "write_table_xlsx", "MAX_WIDTH",
]

#: Widest column (characters); longer text wraps.
MAX_WIDTH = 60
#: Excel locale code that shows Thai digits (numeral system D = Thai, locale 041E = th-TH);
#: LibreOffice renders it too.
THAI_DIGITS = "[$-D00041E]"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_KINDS = ("text", "amount", "int", "year", "sum", "count", "percent")


@dataclass
class Column:
    """One column: row key, Thai header, kind (text, amount, int, year, sum, count, percent).

    A ``sum`` column adds the ``of`` columns of its row with a ``SUM`` formula.
    """

    key: str
    header: str
    kind: str = "text"
    of: list[str] = field(default_factory=list)
    wrap: bool = False

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"column kind must be one of {_KINDS}; got {self.kind!r}")


def safe_sheet_name(text: str, used: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no ``[]:*?/\\``, at most 31 characters, not blank.

    >>> safe_sheet_name("ยุทธศาสตร์/กลยุทธ์ [รวม]")
    'ยุทธศาสตร์-กลยุทธ์ -รวม-'
    >>> used = {"โครงการ"}
    >>> safe_sheet_name("โครงการ", used), safe_sheet_name("x" * 40)
    ('โครงการ (2)', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
    """
    name = _FORBIDDEN.sub("-", str(text)).strip().strip("'") or "Sheet"
    name = name[:31]
    if used is None:
        return name
    taken = {u.casefold() for u in used}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def decimals_of(values) -> int:
    """Decimals needed to show every value exactly (at most 8).

    >>> decimals_of([Decimal("5"), Decimal("0.5"), None, Decimal("1.25")]), decimals_of([])
    (2, 0)
    """
    most = 0
    for value in values:
        if value is None:
            continue
        exponent = Decimal(value).normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            most = max(most, -exponent)
    return min(most, 8)


def amount_format(decimals: int, thai_digits: bool = False) -> str:
    """Excel number format: thousands separators, *decimals* places, Thai digits on request.

    >>> amount_format(0), amount_format(2), amount_format(1, thai_digits=True)
    ('#,##0', '#,##0.00', '[$-D00041E]#,##0.0')
    """
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    return (THAI_DIGITS if thai_digits else "") + code


class Formats:
    """The cell formats of one workbook, created once each."""

    def __init__(self, workbook, thai_digits: bool = False):
        self.workbook = workbook
        self.thai_digits = thai_digits
        self._cache: dict = {}
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                           "bg_color": "#DDE6F0", "border": 1})
        self.text = workbook.add_format({"valign": "top"})
        self.wrap = workbook.add_format({"valign": "top", "text_wrap": True})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True, "valign": "top", "text_wrap": True})

    def amount(self, decimals: int, bold: bool = False):
        key = ("amount", decimals, bold)
        if key not in self._cache:
            spec = {"num_format": amount_format(decimals, self.thai_digits), "valign": "top"}
            if bold:
                spec.update({"bold": True, "bg_color": "#F2F2F2"})
            self._cache[key] = self.workbook.add_format(spec)
        return self._cache[key]

    def integer(self, grouped: bool = True):
        key = ("int", grouped)
        if key not in self._cache:
            code = "#,##0" if grouped else "0"
            self._cache[key] = self.workbook.add_format(
                {"num_format": (THAI_DIGITS if self.thai_digits else "") + code, "valign": "top"})
        return self._cache[key]

    def percent(self):
        if "percent" not in self._cache:
            self._cache["percent"] = self.workbook.add_format(
                {"num_format": (THAI_DIGITS if self.thai_digits else "") + "0.0%", "valign": "top"})
        return self._cache["percent"]

    def fill(self, color: str, font: str = "#000000"):
        key = ("fill", color, font)
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format({"bg_color": color, "font_color": font, "bold": True,
                                                         "valign": "top"})
        return self._cache[key]


def new_workbook(buffer: io.BytesIO):
    """An xlsxwriter workbook in memory that never turns text into numbers, formulas or links."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
    })


def save_workbook(workbook, buffer: io.BytesIO, path: str | Path) -> Path:
    """Close *workbook* and write its bytes atomically to *path* (temp file + os.replace)."""
    workbook.close()
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def _col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA.

    >>> _col_letter(0), _col_letter(25), _col_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cells(columns: list[int], row: int) -> str:
    """Cell references of *columns* in 0-based *row*: a range when they are contiguous.

    >>> _cells([5, 6, 7], 1), _cells([1, 3], 0)
    ('F2:H2', 'B1,D1')
    """
    if columns == list(range(columns[0], columns[0] + len(columns))):
        return f"{_col_letter(columns[0])}{row + 1}:{_col_letter(columns[-1])}{row + 1}"
    return ",".join(f"{_col_letter(c)}{row + 1}" for c in columns)


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return None if value != value else Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    return None


def write_table(workbook, formats: Formats, name: str, columns: list[Column], rows: list[dict],
                *, freeze_columns: int = 0, row_formats: dict | None = None):
    """One sheet: header row, *rows*, frozen header, autofilter, fitted widths; returns it.

    Amount and ``sum`` columns share one number of decimals: the most any amount needs.

    *row_formats* maps ``(row index, column key)`` to a cell format (e.g. severity colours).
    """
    sheet = workbook.add_worksheet(name)
    index = {c.key: i for i, c in enumerate(columns)}
    amount_keys = [c.key for c in columns if c.kind == "amount"]
    shared = decimals_of(_decimal(r.get(k)) for r in rows for k in amount_keys)
    decimals = {c.key: shared for c in columns if c.kind in ("amount", "sum")}
    widths = [display_width(c.header) for c in columns]
    for col, c in enumerate(columns):
        sheet.write_string(0, col, c.header, formats.header)
    for r, row in enumerate(rows, start=1):
        for col, c in enumerate(columns):
            fmt = (row_formats or {}).get((r - 1, c.key))
            value = row.get(c.key)
            shown = ""
            if c.kind == "sum":
                parts = [p for p in (_decimal(row.get(k)) for k in c.of) if p is not None]
                if not parts:  # nothing to add up: blank, not a misleading 0
                    sheet.write_blank(r, col, None, fmt or formats.amount(decimals[c.key], bold=True))
                    continue
                total = sum(parts, Decimal(0))
                sheet.write_formula(r, col, f"=SUM({_cells([index[k] for k in c.of], r)})", fmt or formats.amount(decimals[c.key], bold=True),
                                    exact_float(total))
                shown = f"{float(total):,.{decimals[c.key]}f}"
            elif c.kind == "amount":
                number = _decimal(value)
                if number is None:
                    sheet.write_blank(r, col, None, fmt or formats.amount(decimals[c.key]))
                else:
                    sheet.write_number(r, col, exact_float(number), fmt or formats.amount(decimals[c.key]))
                    shown = f"{float(number):,.{decimals[c.key]}f}"
            elif c.kind == "percent":
                number = _decimal(value)
                if number is None:
                    sheet.write_blank(r, col, None, fmt or formats.percent())
                else:
                    sheet.write_number(r, col, float(number), fmt or formats.percent())
                    shown = f"{float(number) * 100:.1f}%"
            elif c.kind in ("int", "year", "count"):
                if value is None or value == "":
                    sheet.write_blank(r, col, None, fmt or formats.integer(c.kind == "count"))
                else:
                    sheet.write_number(r, col, int(value), fmt or formats.integer(c.kind == "count"))
                    shown = str(value)
            else:
                shown = "" if value is None else str(value)
                if shown:
                    sheet.write_string(r, col, shown, fmt or (formats.wrap if c.wrap else formats.text))
            widths[col] = max(widths[col], display_width(shown))
    for col, c in enumerate(columns):
        width = min(MAX_WIDTH, max(6, widths[col] + 2))
        sheet.set_column(col, col, width, formats.wrap if (c.wrap or widths[col] > MAX_WIDTH) and c.kind == "text" else None)
    sheet.freeze_panes(1, freeze_columns)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    # ids such as "5.3" are text on purpose: no "number stored as text" marks in Excel
    sheet.ignore_errors({"number_stored_as_text": f"A1:{_col_letter(len(columns) - 1)}{len(rows) + 1}"})
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # printed: as wide as one page, header row repeated
    sheet.repeat_rows(0)
    return sheet


def _frame_columns(frame, headers: dict | None) -> tuple[list[Column], list[dict]]:
    from coopanalysis.text.labels import COLUMN_TH

    headers = headers or {}
    columns, keys = [], []
    for name in frame.columns:
        key = str(name)
        if key.endswith("_text"):
            continue
        dtype = str(frame[name].dtype)
        if key == "coverage" or key.startswith("share") or key == "difference_share":
            kind = "percent"
        elif key == "fiscal_year":  # before the float test: a year column with a gap is float64
            kind = "year"
        elif key.endswith("_mb") or dtype.startswith("float"):
            kind = "amount"
        elif dtype.startswith(("int", "Int", "uint", "UInt")):
            kind = "int"
        else:
            kind = "text"
        columns.append(Column(key, str(headers.get(key) or COLUMN_TH.get(key) or key), kind))
        keys.append(name)
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for name, column in zip(keys, columns):
            value = record.get(name)
            exact = record.get(f"{name}_text")
            if exact is None and column.key.endswith("_mb"):  # figures' frames: stated_mb beside stated_text
                exact = record.get(f"{column.key[:-3]}_text")
            if column.kind == "amount":
                value = Decimal(str(exact)) if exact not in (None, "") and str(exact).strip() else _decimal(value)
            elif column.kind == "percent":
                value = _decimal(float(value)) if value is not None else None
            elif column.kind in ("int", "year"):
                value = None if value is None or value != value or str(value) in ("<NA>", "nan") else int(value)
            else:
                value = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            row[column.key] = value
        rows.append(row)
    return columns, rows


def write_table_xlsx(frame, path: str | Path, sheet_name: str, headers: dict | None = None,
                     *, thai_digits: bool = False) -> Path:
    """Write one DataFrame as a readable one-sheet workbook (for report downloads); returns *path*.

    Headers come from *headers*, else :data:`coopanalysis.text.labels.COLUMN_TH`, else the column
    name. ``*_mb`` and float columns are amounts in million baht (exact from a ``<col>_text``
    or, for ``x_mb``, an ``x_text`` column when the frame has one; the ``_text`` columns
    themselves are not written); ``coverage`` and ``share*`` columns are percentages.
    """
    columns, rows = _frame_columns(frame, headers)
    if thai_digits:
        for column in columns:
            column.header = digits(column.header, True)
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    formats = Formats(workbook, thai_digits)
    write_table(workbook, formats, safe_sheet_name(sheet_name), columns, rows)
    return save_workbook(workbook, buffer, path)
