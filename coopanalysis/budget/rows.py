"""The rows of budget tables → one frame of records (names per level, year, exact amount) or reasons.

Every column is worked out once per distinct cell value (names through
:mod:`coopanalysis.budget.names`, amounts through :mod:`coopanalysis.budget.amounts`); only the
rows that are not items are looked at one by one, to say why. Reviewed corrections of a row's
amount or fiscal year apply to the frame (:func:`correct_rows`). The hierarchy, duplicates and
subtotals are decided over all rows in :mod:`coopanalysis.budget.ingest`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coopanalysis.budget.amounts import CORRECTED, OK, amount_column, parse_amount_cell, same_amount
from coopanalysis.budget.mapping import Mapping
from coopanalysis.budget.names import fold, per_distinct
from coopanalysis.budget.reader import Table
from coopanalysis.errors import InputError
from coopanalysis.text.thai import amount_text, match_key, to_arabic

__all__ = ["Skip", "ColumnPlan", "Rows", "plan_columns", "read_rows", "correct_rows", "row_text", "fold"]


@dataclass
class Skip:
    file: str
    row: int
    note: str
    text: str


@dataclass
class ColumnPlan:
    """Where each column the mapping reads sits in a table's header (None: not mapped)."""

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
    """Column positions for *mapping* in *table*; InputError naming the file and the column when
    a column is missing, or named twice in the header (which of the two would be meant?)."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(table.header):
        if name:
            positions.setdefault(name, []).append(i)

    def at(column: str) -> int:
        found = positions[column]
        if len(found) > 1:
            raise InputError(f"column {column!r} appears {len(found)} times in the header (columns "
                             f"{', '.join(str(i + 1) for i in found)}); which one the mapping {mapping.name} "
                             "means is ambiguous: rename or remove the others", path=table.path, line=1)
        return found[0]

    def need(column: str | None, what: str) -> int | None:
        if column is None:
            return None
        if column not in positions:
            raise InputError(f"column {column!r} ({what} in mapping {mapping.name}) is not in the header",
                             path=table.path, line=1)
        return at(column)

    levels = []
    for level in mapping.levels:
        present = [at(c) for c in level.columns if c in positions]
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
    """The item rows of all tables and what became of the others.

    ``frame``: one row per source row kept: ``file``, ``row``, ``src`` (index of the row across
    all tables, for :meth:`source_row`), ``item_id`` (the mapping's id column, else ``FILE:ROW``), ``page``, ``n0``… (names per level, ''
    when none), ``k0``… (their match keys), ``year`` (BE), ``amount_mb`` (exact text, '' when
    none), ``amount_text`` (as printed), ``status``, ``obliged``, ``unit``, ``subtotal``.
    ``skips``: the rows left out, with why. ``tables``: every table as read.
    """

    frame: pd.DataFrame
    skips: list[Skip]
    tables: list[Table]

    def source_row(self, src: int) -> list[str]:
        """The cells of source row *src* (counted across all tables)."""
        for table in self.tables:
            if src < len(table):
                return table.row(src)
            src -= len(table)
        raise IndexError(src)


def _column(parts: list[tuple[Table, ColumnPlan]], positions: list[int | None]) -> pd.Series:
    """One column across all tables, given its position in each (None: the table lacks it, all '')."""
    pieces = [table.cells[at] if at is not None else pd.Series("", index=range(len(table)), dtype="str")
              for (table, _cols), at in zip(parts, positions)]
    return pd.concat(pieces, ignore_index=True).astype("str") if pieces else pd.Series([], dtype="str")


def _names(parts, i: int) -> pd.Series:
    """Level *i* per row: the first of its columns whose folded name is not empty."""
    width = max(len(cols.levels[i]) for _, cols in parts)
    names = None
    for rank in range(width):
        raw = _column(parts, [cols.levels[i][rank] if rank < len(cols.levels[i]) else None for _, cols in parts])
        folded = per_distinct(raw, fold)
        names = folded if names is None else names.where(names != "", folded)
    return names


def read_rows(parts: list[tuple[Table, ColumnPlan]], mapping: Mapping, subtotal_re: re.Pattern | None) -> Rows:
    """Classify every data row of the tables: the rows kept (a frame) and the skipped (reasons)."""
    tables = [table for table, _ in parts]

    def role(name: str) -> pd.Series:
        return _column(parts, [getattr(cols, name) for _, cols in parts])

    frame = pd.DataFrame({  # typed: tables holding a header only make an empty frame
        "file": pd.Series([table.path.name for table in tables for _ in range(len(table))], dtype="str"),
        "row": pd.Series([number for table in tables for number in table.numbers], dtype="int64"),
    })
    frame["src"] = range(len(frame))
    keep = pd.Series(True, index=frame.index)
    if mapping.filter_column is not None:
        filter_cells = role("filter")
        keep &= per_distinct(filter_cells, lambda v: v.strip() in mapping.filter_values).astype(bool)
    named = pd.Series(False, index=frame.index)
    for i in range(len(mapping.levels)):
        frame[f"n{i}"] = _names(parts, i) if parts else pd.Series([], dtype="str")
        frame[f"k{i}"] = per_distinct(frame[f"n{i}"], match_key)
        named |= frame[f"n{i}"] != ""
    year_cells = role("year")
    frame["year"] = per_distinct(year_cells, lambda v: _year(v, mapping)).astype("int64")
    keep &= named & (frame["year"] > 0)
    rows = Rows(frame, [], tables)
    for j in keep.index[~keep]:
        cells, file, number = rows.source_row(j), frame.at[j, "file"], int(frame.at[j, "row"])
        if not "".join(cells).strip():
            note = "blank row"
        elif mapping.filter_column is not None and filter_cells[j].strip() not in mapping.filter_values:
            note = (f"row filter: {mapping.filter_column}={filter_cells[j].strip()!r} "
                    f"not in {list(mapping.filter_values)}")
        elif not named[j]:
            note = "no name at any level of the mapping"
        else:
            note = f"fiscal year {year_cells[j].strip()!r} is not a {mapping.era} year"
        rows.skips.append(Skip(file, number, note, row_text(cells)))

    def kept(name: str, strip: bool = True) -> pd.Series:
        column = role(name)[keep]
        return column.str.strip() if strip else column

    frame = frame[keep].copy()
    frame["amount_text"] = kept("amount")
    frame["amount_mb"], frame["status"] = amount_column(frame["amount_text"], mapping.unit)
    frame["obliged"] = per_distinct(kept("obligation"), lambda v: v in mapping.obligation_true).astype(bool)
    if subtotal_re is not None and mapping.subtotal_column is not None:
        marked = per_distinct(kept("subtotal", strip=False), lambda v: bool(subtotal_re.search(fold(v))))
    else:
        marked = pd.Series(False, index=frame.index)
    frame["subtotal"] = marked.astype(bool)
    frame["item_id"] = kept("item_id")
    frame["item_id"] = frame["item_id"].where(frame["item_id"] != "", frame["file"] + ":" + frame["row"].astype(str))
    frame["page"] = per_distinct(kept("page"), to_arabic)
    frame["unit"] = per_distinct(kept("unit", strip=False), fold)
    rows.frame = frame.reset_index(drop=True)
    return rows


def correct_rows(rows: Rows, corrections, mapping: Mapping) -> tuple[list[dict], list[dict]]:
    """Apply the reviewed corrections of table rows (:mod:`coopanalysis.ingest.corrections`) to
    ``rows.frame``: ``(corrections applied, one ingest report row each)``.

    A row is named by its file and id; its ``amount`` (the table's unit, as printed) or
    ``fiscal_year`` (the table's era) must still print the correction's printed value. The
    amount becomes the corrected one and the status ``corrected`` (a year correction keeps a
    flag the amount already has); ``amount_text`` keeps what the table prints. Every failure is
    a :class:`~coopanalysis.errors.CorrectionError` naming the corrections file and the entry's line.
    """
    frame = rows.frame
    files = [table.path.name for table in rows.tables]
    done: dict[tuple[str, str, str], int] = {}
    applied, report = [], []
    for c in corrections:
        if not c.on_table:
            raise c.error("names a plan's project; budget tables are corrected by source_file and item_id")
        if c.source_file not in files:
            raise c.error(f"points at no row: no table {c.source_file!r} among the tables read "
                          f"({', '.join(files)})")
        at = frame.index[(frame["file"] == c.source_file) & (frame["item_id"] == c.item_id)]
        if len(at) == 0:
            raise c.error(f"points at no row: {c.source_file} has no item or subtotal row with the id {c.item_id!r}")
        if len(at) > 1:
            raise c.error(f"is ambiguous: rows {', '.join(str(frame.at[i, 'row']) for i in at)} of {c.source_file} "
                          f"share the id {c.item_id!r}")
        key = (c.source_file, c.item_id, c.field)
        if key in done:
            raise c.error(f"corrects the same cell as correction #{done[key]}")
        done[key] = c.entry
        i = at[0]
        if c.field == "amount":
            printed = frame.at[i, "amount_text"]
            if not same_amount(c.printed_text, printed, mapping.unit):
                raise c.error(f"is stale: the table prints {printed!r}, the correction expects {c.printed_text!r}")
            value, status = parse_amount_cell(c.corrected_text, mapping.unit)
            if value is None or status != OK:
                raise c.error(f"corrects to {c.corrected_text!r}, which is not a well-formed amount of whole satang in "
                              f"{mapping.unit} (the table's unit)")
            frame.at[i, "amount_mb"], frame.at[i, "status"] = amount_text(value), CORRECTED
        else:
            printed, year = frame.at[i, "year"], _year(c.printed_text, mapping)
            if year != printed:
                raise c.error(f"is stale: the row's fiscal year is {printed} (BE), the correction expects "
                              f"{c.printed_text!r} ({mapping.era})")
            corrected = _year(c.corrected_text, mapping)
            if corrected < 0:
                raise c.error(f"corrects to {c.corrected_text!r}, which is not a {mapping.era} year")
            frame.at[i, "year"] = corrected
            if frame.at[i, "status"] == OK:
                frame.at[i, "status"] = CORRECTED
            printed = c.printed_text
        number = int(frame.at[i, "row"])
        applied.append({"source_file": c.source_file, "item_id": c.item_id, "source_row": number,
                        "fiscal_year": int(frame.at[i, "year"]), "field": c.field, "printed": printed,
                        "corrected": c.corrected_text, "reason": c.reason})
        report.append({"file": c.source_file, "row": number, "disposition": CORRECTED,
                       "note": f"{c.item_id}: {c.field} corrected from {printed!r} to {c.corrected_text!r} "
                               f"(correction #{c.entry} of {Path(c.path).name}): {c.reason}",
                       "text": row_text(rows.source_row(int(frame.at[i, "src"])))})
    return applied, report
