"""One source row of a budget table → a record (names per level, year, exact amount) or a reason.

Pure per-row work; the hierarchy, duplicates and subtotals are decided over all rows in
:mod:`coopanalysis.budget.ingest`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..thai import match_key, normalize_text, to_arabic
from .amounts import parse_amount_cell
from .mapping import Mapping
from .reader import Table

__all__ = ["Record", "Skip", "ColumnPlan", "plan_columns", "read_row", "fold"]

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """A name as stored: Thai-normalised, every run of whitespace one space.

    >>> fold("  กรม\\nส่งเสริม   สหกรณ์ ")
    'กรม ส่งเสริม สหกรณ์'
    """
    return normalize_text(_SPACE.sub(" ", text))


@dataclass
class Record:
    file: str
    row: int
    item_id: str
    page: str
    names: list[str]          # one per level, '' when the row has none at that level
    keys: tuple[str, ...]     # match keys of the non-empty names, top first
    year: int                 # BE
    amount: Decimal | None    # million baht
    amount_text: str
    status: str
    obliged: bool
    unit: str
    subtotal: bool
    text: str


@dataclass
class Skip:
    file: str
    row: int
    note: str
    text: str


@dataclass
class ColumnPlan:
    levels: list[list[int]]
    year: int
    amount: int
    item_id: int | None
    page: int | None
    unit: int | None
    obligation: int | None
    filter: int | None
    subtotal: int | None
    subtotal_level: int | None  # index of the level whose column holds the subtotal marker


def plan_columns(table: Table, mapping: Mapping) -> ColumnPlan:
    """Column positions for *mapping* in *table*; InputError naming the file and the column."""
    index = {name: i for i, name in enumerate(table.header) if name}

    def need(column: str | None, what: str) -> int | None:
        if column is None:
            return None
        if column not in index:
            raise InputError(f"column {column!r} ({what} in mapping {mapping.name}) is not in the header",
                             path=table.path, line=1)
        return index[column]

    levels = []
    for level in mapping.levels:
        present = [index[c] for c in level.columns if c in index]
        if not present:
            raise InputError(f"none of the columns {list(level.columns)} (level {level.key} in mapping "
                             f"{mapping.name}) is in the header", path=table.path, line=1)
        levels.append(present)
    sub_level = None
    if mapping.subtotal_column is not None:
        for i, level in enumerate(mapping.levels):
            if mapping.subtotal_column in level.columns:
                sub_level = i
    return ColumnPlan(
        levels=levels,
        year=need(mapping.year_column, "fiscal year"),
        amount=need(mapping.amount_column, "amount"),
        item_id=need(mapping.item_id, "row id"),
        page=need(mapping.page, "page"),
        unit=need(mapping.unit_column, "responsible unit"),
        obligation=need(mapping.obligation_column, "obligation flag"),
        filter=need(mapping.filter_column, "row filter"),
        subtotal=need(mapping.subtotal_column, "subtotal"),
        subtotal_level=sub_level,
    )


def _year(cell: str, mapping: Mapping) -> int | None:
    text = to_arabic(cell.strip())
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) != 4:
        return None
    year = mapping.to_year_be(int(text))
    return year if 2400 <= year <= 2700 else None


def read_row(cells: list[str], number: int, file: str, cols: ColumnPlan, mapping: Mapping,
             subtotal_re: re.Pattern | None) -> Record | Skip:
    """Classify one data row."""
    text = " | ".join(c.strip() for c in cells if c.strip())[:200]
    if not text:
        return Skip(file, number, "blank row", "")
    if cols.filter is not None and cells[cols.filter].strip() not in mapping.filter_values:
        return Skip(file, number, f"row filter: {mapping.filter_column}={cells[cols.filter].strip()!r} "
                                  f"not in {list(mapping.filter_values)}", text)
    names = []
    for positions in cols.levels:
        name = ""
        for i in positions:
            name = fold(cells[i])
            if name:
                break
        names.append(name)
    if not any(names):
        return Skip(file, number, "no name at any level of the mapping", text)
    year = _year(cells[cols.year], mapping)
    if year is None:
        return Skip(file, number, f"fiscal year {cells[cols.year].strip()!r} is not a {mapping.era} year", text)
    raw_amount = cells[cols.amount].strip()
    amount, status = parse_amount_cell(raw_amount, mapping.unit)
    obliged = cols.obligation is not None and cells[cols.obligation].strip() in mapping.obligation_true
    subtotal = bool(subtotal_re is not None and subtotal_re.search(fold(cells[cols.subtotal])))
    return Record(
        file=file, row=number,
        item_id=cells[cols.item_id].strip() if cols.item_id is not None else "",
        page=to_arabic(cells[cols.page].strip()) if cols.page is not None else "",
        names=names, keys=tuple(match_key(n) for n in names if n),
        year=year, amount=amount, amount_text=raw_amount, status=status, obliged=obliged,
        unit=fold(cells[cols.unit]) if cols.unit is not None else "",
        subtotal=subtotal, text=text,
    )
