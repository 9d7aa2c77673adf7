"""The rows of a budget table → columns of records (names per level, year, exact amount) or reasons.

Work is done a column at a time, once per distinct cell value (names through
:mod:`coopanalysis.budget.names`, amounts through :func:`~coopanalysis.budget.amounts.amount_texts`);
only the rows that are not items are looked at one by one, to say why. The hierarchy,
duplicates and subtotals are decided over all rows in :mod:`coopanalysis.budget.ingest`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..thai import to_arabic
from .amounts import amount_texts
from .mapping import Mapping
from .names import fold, fold_all, keys_all, per_distinct
from .reader import Table

__all__ = ["Skip", "ColumnPlan", "Rows", "plan_columns", "read_frame", "row_text", "fold"]


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


@dataclass
class Rows:
    """The item rows of all tables, column by column, and what became of the others.

    ``columns``: numpy arrays, one entry per kept row: ``file``, ``row``, ``src`` (index into
    ``cells``), ``item_id``, ``page``, ``n0``… (names per level, '' when none), ``k0``… (their
    match keys), ``year`` (BE), ``amount_mb`` (exact text, '' when none), ``amount_text``,
    ``status``, ``obliged``, ``unit``, ``subtotal``. ``cells``: every source row, as read.
    """

    columns: dict[str, np.ndarray]
    skips: list[Skip]
    cells: list[list[str]]

    def __len__(self) -> int:
        return len(self.columns["row"])

    def take(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        return {name: values[mask] for name, values in self.columns.items()}


def _gather(parts: list[tuple[Table, ColumnPlan]], positions: list[int | None]) -> list[str]:
    """One column across all tables (position per table; None: the table lacks it, all '')."""
    out: list[str] = []
    for (table, _cols), position in zip(parts, positions):
        if position is None:
            out.extend(itertools.repeat("", len(table.rows)))
        else:
            out.extend(table.columns[position])
    return out


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _names(parts, i: int) -> list[str]:
    """Level *i*'s name per row: the first non-empty of its columns, folded."""
    width = max(len(cols.levels[i]) for _, cols in parts)
    names = None
    for rank in range(width):
        folded = fold_all(_gather(parts, [cols.levels[i][rank] if rank < len(cols.levels[i]) else None
                                          for _, cols in parts]))
        names = folded if names is None else [a or b for a, b in zip(names, folded)]
    return names


def read_frame(parts: list[tuple[Table, ColumnPlan]], mapping: Mapping, subtotal_re: re.Pattern | None) -> Rows:
    """Classify every data row of the tables: the rows kept (columns) and the skipped (reasons)."""
    cells: list[list[str]] = []
    for table, _cols in parts:
        cells.extend(table.rows)
    n = len(cells)

    def role(name: str) -> list[str]:
        return _gather(parts, [getattr(cols, name) for _, cols in parts])

    files = _objects([table.path.name for table, _ in parts for _row in table.rows])
    numbers = np.fromiter(itertools.chain.from_iterable(t.numbers for t, _ in parts), dtype=np.int64, count=n)
    keep = np.ones(n, dtype=bool)
    filter_values = None
    if mapping.filter_column is not None:
        filter_values = role("filter")
        keep &= np.array(per_distinct(filter_values, lambda v: v.strip() in mapping.filter_values), dtype=bool)
    columns: dict[str, np.ndarray] = {}
    any_name = np.zeros(n, dtype=bool)
    for i in range(len(mapping.levels)):
        names = _names(parts, i) if parts else []
        columns[f"n{i}"] = _objects(names)
        columns[f"k{i}"] = _objects(keys_all(names))
        any_name |= columns[f"n{i}"] != ""
    year_cells = role("year")
    years = np.array(per_distinct(year_cells, lambda v: _year(v, mapping)), dtype=np.int64)
    keep &= any_name & (years > 0)
    skips = []
    for j in np.flatnonzero(~keep).tolist():
        if not "".join(cells[j]).strip():
            note = "blank row"
        elif filter_values is not None and filter_values[j].strip() not in mapping.filter_values:
            note = f"row filter: {mapping.filter_column}={filter_values[j].strip()!r} not in {list(mapping.filter_values)}"
        elif not any_name[j]:
            note = "no name at any level of the mapping"
        else:
            note = f"fiscal year {year_cells[j].strip()!r} is not a {mapping.era} year"
        skips.append(Skip(files[j], int(numbers[j]), note, row_text(cells[j])))
    index = np.flatnonzero(keep)
    out = {"file": files[index], "row": numbers[index], "src": index, "year": years[index]}
    out.update({name: values[index] for name, values in columns.items()})

    def kept(name: str) -> list[str]:
        values = role(name)
        return values if len(index) == n else [values[j] for j in index.tolist()]

    raw_amount = per_distinct(kept("amount"), str.strip)
    texts, statuses = amount_texts(raw_amount, mapping.unit)
    out["amount_mb"], out["status"], out["amount_text"] = _objects(texts), _objects(statuses), _objects(raw_amount)
    out["obliged"] = np.array(per_distinct(kept("obligation"), lambda v: v.strip() in mapping.obligation_true),
                              dtype=bool)
    if subtotal_re is not None and mapping.subtotal_column is not None:
        out["subtotal"] = np.array(per_distinct(kept("subtotal"), lambda v: bool(subtotal_re.search(fold(v)))),
                                   dtype=bool)
    else:
        out["subtotal"] = np.zeros(len(index), dtype=bool)
    out["item_id"] = _objects(list(map(str.strip, kept("item_id"))))
    out["page"] = _objects(per_distinct(kept("page"), lambda v: to_arabic(v.strip())))
    out["unit"] = _objects(fold_all(kept("unit")))
    return Rows(out, skips, cells)
