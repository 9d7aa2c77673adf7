"""Read a budget table (``.csv`` or ``.xlsx``, or a folder of them) as a frame of text cells.

Every cell comes back as text exactly as a reader of the file would see it (an Excel number as
its shortest decimal form, a boolean as ``True``/``False``, an empty cell as ``""``), with the row
number a spreadsheet shows (the header is row 1). Nothing is skipped here: blank rows are
returned too, so the ingest can account for every row.

A CSV is decoded by :func:`~coopanalysis.io.decode.decode_bytes` (UTF-8, UTF-16, TIS-620) and read
by ``pandas.read_csv`` with every cell as text; an ``.xlsx`` by openpyxl (first sheet).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coopanalysis.errors import InputError, LimitError
from coopanalysis.io.decode import decode_bytes
from coopanalysis.io.safeio import DOCUMENT_LIMIT, check_regular, read_bytes

__all__ = ["SUFFIXES", "Table", "expand_sources", "is_table_source", "read_table", "cell_text"]

SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 2_000_000  # besides the file-size bound of safeio (64 MiB)


@dataclass
class Table:
    path: Path
    header: list[str]   # the column names, stripped, in file order
    cells: pd.DataFrame  # one row per data row, one column per header position (0, 1, …), all text
    raw: bytes          # the file's bytes (for sha256)
    notes: list[str] = field(default_factory=list)  # how it was read (an xlsx: the sheet, merged cells)

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def numbers(self) -> range:
        """The spreadsheet row number of each data row (the header is row 1)."""
        return range(2, len(self.cells) + 2)

    def row(self, j: int) -> list[str]:
        """The cells of data row *j* (0-based), padded to the header's width."""
        return self.cells.iloc[j].tolist()


def is_table_source(path: str | Path) -> bool:
    """True for a ``.csv``/``.xlsx`` file, or a folder holding at least one.

    >>> is_table_source("bill.csv"), is_table_source("plan.txt")
    (True, False)
    """
    path = Path(path)
    if path.suffix.lower() in SUFFIXES:
        return True
    return path.is_dir() and any(p.suffix.lower() in SUFFIXES for p in path.iterdir())


def expand_sources(sources) -> list[Path]:
    """Files to read, in order: each file as given, each folder's tables sorted by name."""
    out: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir() and (path / "plan.json").exists():
            raise InputError("is an ingested directory (it has plan.json), not a folder of tables; "
                             "give the tables, or check the directory itself", path=path)
        if path.is_dir():
            found = sorted((p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")),
                           key=lambda p: p.name)
            if not found:
                raise InputError("folder holds no .csv or .xlsx table", path=path)
            out.extend(found)
        elif not path.exists():
            raise InputError("no such file or directory", path=path)
        elif path.suffix.lower() not in SUFFIXES:
            raise InputError("a budget table must be a .csv or .xlsx file (or a folder of them)", path=path)
        else:
            out.append(path)
    seen, unique = set(), []
    for path in out:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def cell_text(value) -> str:
    """An Excel cell's value as the text a CSV of it would hold.

    >>> [cell_text(v) for v in [None, 78459000, 1.5, 2.0, True, " a "]]
    ['', '78459000', '1.5', '2', 'True', ' a ']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def _table(path: Path, grid: pd.DataFrame, raw: bytes) -> Table:
    """A table from the grid of every row of the file (the header first), cells as text."""
    if not len(grid):
        raise InputError("empty table: no header row", path=path)
    grid = grid.fillna("")
    header = [str(cell).strip() for cell in grid.iloc[0]]
    if not any(header):
        raise InputError("the first row must be the header (column names); it is empty", path=path, line=1)
    width = len(header)
    cells = grid.iloc[1:].reset_index(drop=True)
    if len(cells) > MAX_ROWS:
        raise LimitError(f"more than {MAX_ROWS} rows; refusing to read further", path=path, line=MAX_ROWS + 2)
    extra = cells.iloc[:, width:]
    if extra.shape[1]:
        filled = (extra.apply(lambda column: column.str.strip()) != "").any(axis=1)
        if filled.any():
            j = int(filled.to_numpy().argmax())
            cells_in_row = width + int((extra.iloc[j] != "").to_numpy().nonzero()[0].max()) + 1
            raise InputError(f"row has {cells_in_row} cells but the header has {width} columns", path=path, line=j + 2)
    cells = cells.iloc[:, :width]
    cells.columns = range(width)
    return Table(path, header, cells, raw)


_TOO_MANY = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")  # the row counted from 0


#: Most rows read in one run (all tables together): the whole budget bill is about 38,000 rows;
#: a million rows of text cells would take gigabytes of memory.
MAX_RUN_ROWS = 500_000
#: Most bytes of tables read in one run (each file is bounded by DOCUMENT_LIMIT too).
MAX_RUN_BYTES = 2 * DOCUMENT_LIMIT


def check_run_size(paths: list[Path]) -> None:
    """Refuse, before reading, tables that together exceed :data:`MAX_RUN_BYTES` (memory is
    bounded per run, not only per file)."""
    total = 0
    for path in paths:
        total += path.stat().st_size
        if total > MAX_RUN_BYTES:
            raise LimitError(f"the tables up to this one hold more than {MAX_RUN_BYTES // 2**20} MiB; "
                             "read them in smaller groups", path=path)


def _read_csv(path: Path) -> Table:
    raw = read_bytes(path, limit=DOCUMENT_LIMIT)
    if raw.count(b"\n") > MAX_RUN_ROWS:  # counted on the bytes, before any cell is made
        raise LimitError(f"more than {MAX_RUN_ROWS:,} lines; split the table", path=path)
    text, _encoding = decode_bytes(raw, path)
    try:
        grid = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                           skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        wider = _TOO_MANY.search(str(exc))
        if wider:
            width, line, cells = wider.groups()
            raise InputError(f"row has {cells} cells but the header has {width} columns",
                             path=path, line=int(line)) from None
        open_quote = _OPEN_QUOTE.search(str(exc))
        if open_quote:
            raise InputError("a quoted cell is never closed (a missing \")", path=path,
                             line=int(open_quote.group(1)) + 1) from None
        raise InputError(f"not a readable CSV: {str(exc).strip().splitlines()[-1]}", path=path) from None
    except pd.errors.EmptyDataError:
        raise InputError("empty table: no header row", path=path) from None
    return _table(path, grid, raw)


#: Largest sheet read (rows x columns as the workbook declares them): far above any budget
#: volume (the whole bill is about 38,000 rows of 21 columns), far below what exhausts memory.
MAX_SHEET_CELLS = 5_000_000


def _read_xlsx(path: Path) -> Table:
    """The first *visible* sheet (a hidden sheet is never read), with vertically merged cells
    filled down from their top cell (so rows stay under their parent); the sheet's name and the
    merged ranges filled are in ``Table.notes``."""
    import zipfile

    import openpyxl

    raw = read_bytes(path, limit=DOCUMENT_LIMIT)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook: {exc}", path=path) from None
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise InputError("the workbook has no visible sheet", path=path)
    sheet = visible[0]
    if sheet.max_row * sheet.max_column > MAX_SHEET_CELLS:
        raise LimitError(f"sheet {sheet.title!r} spans {sheet.max_row:,} rows x {sheet.max_column:,} columns, more "
                         f"than {MAX_SHEET_CELLS:,} cells; save only the table's range", path=path)
    filled = []
    for merged in list(sheet.merged_cells.ranges):
        top = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, column).value = top
        if merged.max_row > merged.min_row:
            filled.append(str(merged))
    rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    notes = [f"sheet {sheet.title!r} read" + (f" (hidden sheets skipped: {', '.join(repr(s.title) for s in book.worksheets if s not in visible)})"
                                              if len(visible) < len(book.worksheets) else "")]
    if filled:
        notes.append(f"merged cells filled down from their top cell: {', '.join(filled[:20])}"
                     + (f" and {len(filled) - 20} more" if len(filled) > 20 else ""))
    table = _table(path, pd.DataFrame(rows, dtype=object), raw)
    table.notes = notes
    return table


def read_table(path: str | Path) -> Table:
    """Read one ``.csv`` (UTF-8/UTF-16/TIS-620) or ``.xlsx`` (first sheet) table."""
    path = Path(path)
    check_regular(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)
