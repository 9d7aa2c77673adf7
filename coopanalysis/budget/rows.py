"""The rows of a budget table → columns of records (names per level, year, exact amount) or reasons.

Work is done a column at a time, once per distinct cell value (names through
:mod:`coopanalysis.budget.names`, amounts through :func:`~coopanalysis.budget.amounts.amount_texts`);
only the rows that are not items are looked at one by one, to say why. The hierarchy,
duplicates and subtotals are decided over all rows in :mod:`coopanalysis.budget.ingest`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..thai import to_arabic
from .amounts import amount_texts
from .mapping import Mapping
from .names import distinct_objects, factorize, fold, fold_all, fold_and_key, keys_distinct, objects, per_distinct
from .reader import Table
from .tree import key_codes

__all__ = ["Skip", "ColumnPlan", "Cells", "Rows", "plan_columns", "read_frame", "row_text", "fold"]


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
    )


def _year(cell: str, mapping: Mapping) -> int:
    """The BE year of a cell, or -1."""
    text = to_arabic(cell.strip())
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) != 4:
        return -1
    year = mapping.to_year_be(int(text))
    return year if 2400 <= year <= 2700 else -1


def row_text(cells: list[str]) -> str:
    """A row's non-empty cells joined, for a report (at most 200 characters).

    >>> row_text([" a ", "", "b"])
    'a | b'
    """
    return " | ".join(c.strip() for c in cells if c.strip())[:200]


class Cells:
    """Every source row of the tables, by its index across them (for reports of single rows)."""

    def __init__(self, tables: list[Table]):
        self.tables = tables
        self.starts = list(itertools.accumulate((len(t) for t in tables), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, j: int) -> list[str]:
        k = bisect.bisect_right(self.starts, j) - 1
        return self.tables[k].row(j - self.starts[k])


@dataclass
class Rows:
    """The item rows of all tables, column by column, and what became of the others.

    ``columns``: numpy arrays, one entry per kept row: ``file``, ``row``, ``src`` (index into
    ``cells``), ``item_id``, ``page``, ``n0``… (names per level, '' when none), ``k0``… (their
    match keys), ``c0``… (integer codes of the keys, -1 when none), ``year`` (BE), ``amount_mb``
    (exact text, '' when none), ``amount_text``, ``status``, ``obliged``, ``unit``,
    ``subtotal``. ``distinct``: per level, the keys the codes stand for. ``cells``: every
    source row, as read.
    """

    columns: dict[str, np.ndarray]
    distinct: list[np.ndarray]
    skips: list[Skip]
    cells: Cells

    def __len__(self) -> int:
        return len(self.columns["row"])

    def take(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        if mask.all():
            return dict(self.columns)
        return {name: values[mask] for name, values in self.columns.items()}


def _gather(parts: list[tuple[Table, ColumnPlan]], positions: list[int | None]) -> np.ndarray:
    """One column across all tables (position per table; None: the table lacks it, all '')."""
    arrays = [table.columns[position] if position is not None else np.full(len(table), "", dtype=object)
              for (table, _cols), position in zip(parts, positions)]
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=object)


def _level(parts, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Level *i* per row: names (the first non-empty of its columns, folded), match keys,
    key codes (-1: none), whether the row has a name there, and the distinct keys the codes
    stand for."""
    width = max(len(cols.levels[i]) for _, cols in parts)
    columns = [_gather(parts, [cols.levels[i][rank] if rank < len(cols.levels[i]) else None for _, cols in parts])
               for rank in range(width)]
    if width == 1:  # names and keys worked out per distinct cell object; key_codes merges equal keys
        codes, uniques = distinct_objects(columns[0])
        folded, key_list = fold_and_key(uniques.tolist())
        distinct_names = objects(folded)
        names = distinct_names[codes]
    else:
        names = None
        for raw in columns:
            folded = fold_all(raw)
            names = folded if names is None else np.where(names != "", names, folded)
        codes, distinct_names = factorize(names)
        key_list = keys_distinct(distinct_names.tolist())
    keys = objects(key_list)
    key_code, distinct = key_codes(keys)
    return names, keys[codes], key_code[codes], (distinct_names != "")[codes], distinct


def read_frame(parts: list[tuple[Table, ColumnPlan]], mapping: Mapping, subtotal_re: re.Pattern | None) -> Rows:
    """Classify every data row of the tables: the rows kept (columns) and the skipped (reasons)."""
    cells = Cells([table for table, _ in parts])
    n = len(cells)

    def role(name: str) -> np.ndarray:
        return _gather(parts, [getattr(cols, name) for _, cols in parts])

    files = objects([table.path.name for table, _ in parts]).repeat([len(table) for table, _ in parts])
    numbers = np.concatenate([table.numbers for table, _ in parts]) if parts else np.empty(0, dtype=np.int64)
    keep = np.ones(n, dtype=bool)
    filter_values = None
    if mapping.filter_column is not None:
        filter_values = role("filter")
        keep &= per_distinct(filter_values, lambda v: v.strip() in mapping.filter_values).astype(bool)
    columns: dict[str, np.ndarray] = {}
    distinct = []
    any_name = np.zeros(n, dtype=bool)
    for i in range(len(mapping.levels)):
        if parts:
            names, keys, codes, named, uniques = _level(parts, i)
        else:
            names = keys = objects([])
            codes, named, uniques = np.empty(0, dtype=np.int64), np.zeros(0, dtype=bool), objects([])
        columns[f"n{i}"], columns[f"k{i}"], columns[f"c{i}"] = names, keys, codes
        distinct.append(uniques)
        any_name |= named
    year_cells = role("year")
    years = per_distinct(year_cells, lambda v: _year(v, mapping)).astype(np.int64)
    keep &= any_name & (years > 0)
    skips = []
    for j in np.flatnonzero(~keep).tolist():
        row = cells[j]
        if not "".join(row).strip():
            note = "blank row"
        elif filter_values is not None and filter_values[j].strip() not in mapping.filter_values:
            note = f"row filter: {mapping.filter_column}={filter_values[j].strip()!r} not in {list(mapping.filter_values)}"
        elif not any_name[j]:
            note = "no name at any level of the mapping"
        else:
            note = f"fiscal year {year_cells[j].strip()!r} is not a {mapping.era} year"
        skips.append(Skip(files[j], int(numbers[j]), note, row_text(row)))
    index = np.flatnonzero(keep)
    everything = len(index) == n
    out = {"file": files[index], "row": numbers[index], "src": index, "year": years[index]}
    out.update({name: values if everything else values[index] for name, values in columns.items()})

    def kept(name: str) -> np.ndarray:
        values = role(name)
        return values if everything else values[index]

    codes, uniques = factorize(kept("amount"))
    stripped = objects([cell.strip() for cell in uniques.tolist()])
    texts, statuses = amount_texts(stripped, mapping.unit)
    raw_amount, texts, statuses = stripped[codes], texts[codes], statuses[codes]
    out["amount_mb"], out["status"], out["amount_text"] = texts, statuses, raw_amount
    out["obliged"] = per_distinct(kept("obligation"), lambda v: v.strip() in mapping.obligation_true).astype(bool)
    if subtotal_re is not None and mapping.subtotal_column is not None:
        out["subtotal"] = per_distinct(kept("subtotal"), lambda v: bool(subtotal_re.search(fold(v)))).astype(bool)
    else:
        out["subtotal"] = np.zeros(len(index), dtype=bool)
    out["item_id"] = objects(list(map(str.strip, kept("item_id"))))
    out["page"] = per_distinct(kept("page"), lambda v: to_arabic(v.strip()))
    out["unit"] = fold_all(kept("unit"))
    return Rows(out, distinct, skips, cells)
