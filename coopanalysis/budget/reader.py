"""Read a budget table (``.csv`` or ``.xlsx``, or a folder of them) as rows of text cells.

Every cell comes back as text exactly as a reader of the file would see it (an Excel number as
its shortest decimal form, a boolean as ``True``/``False``, an empty cell as ``""``), with the row
number a spreadsheet shows (the header is row 1). Nothing is skipped here: blank rows are
returned too, so the ingest can account for every row.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..decode import decode_bytes
from ..errors import InputError, LimitError
from ..safeio import DOCUMENT_LIMIT, check_regular, read_bytes
from .quickcsv import quick_csv

__all__ = ["SUFFIXES", "Table", "expand_sources", "is_table_source", "read_table", "cell_text"]

SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 2_000_000  # besides the file-size bound of safeio (64 MiB)


@dataclass
class Table:
    path: Path
    header: list[str]
    columns: list[np.ndarray]  # one object array of text cells per header column, a cell per data row
    numbers: np.ndarray        # spreadsheet row number of each data row (header = 1)
    raw: bytes                 # the file's bytes (for sha256)

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, j: int) -> list[str]:
        """The cells of data row *j* (0-based), padded to the header's width."""
        return [column[j] for column in self.columns]


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


def _objects(values) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _rows_to_table(path: Path, records, raw: bytes) -> Table:
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(records, 1):
        if header is None:
            header = [c.strip() for c in record]
            if not any(header):
                raise InputError("the first row must be the header (column names); it is empty", path=path, line=1)
            width = len(header)
            continue
        if len(rows) >= MAX_ROWS:
            raise LimitError(f"more than {MAX_ROWS} rows; refusing to read further", path=path, line=number)
        if len(record) != width:
            if len(record) > width and any(c.strip() for c in record[width:]):
                raise InputError(f"row has {len(record)} cells but the header has {width} columns",
                                 path=path, line=number)
            record = list(record[:width]) + [""] * (width - len(record))
        rows.append(record)
        numbers.append(number)
    if header is None:
        raise InputError("empty table: no header row", path=path)
    columns = [_objects(column) for column in zip(*rows)] if rows else [_objects([]) for _ in header]
    return Table(path, header, columns, np.array(numbers, dtype=np.int64), raw)


def _read_csv(path: Path) -> Table:
    raw = read_bytes(path, limit=DOCUMENT_LIMIT)
    fast = quick_csv(raw)
    if fast is not None:
        header, columns = fast
        return Table(path, header, columns, np.arange(2, len(columns[0]) + 2, dtype=np.int64), raw)
    text, _encoding = decode_bytes(raw, path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=path, line=reader.line_num) from None
    return _rows_to_table(path, records, raw)


def _read_xlsx(path: Path) -> Table:
    import zipfile

    import openpyxl

    raw = read_bytes(path, limit=DOCUMENT_LIMIT)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook: {exc}", path=path) from None
    try:
        sheet = book.worksheets[0]
        records = ([cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
        return _rows_to_table(path, records, raw)
    finally:
        book.close()


def read_table(path: str | Path) -> Table:
    """Read one ``.csv`` (UTF-8/UTF-16/TIS-620) or ``.xlsx`` (first sheet) table."""
    path = Path(path)
    check_regular(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)
