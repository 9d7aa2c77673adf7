"""The rows of a budget table → a frame of records (names per level, year, exact amount) or reasons.

Per-row work, done once per distinct cell value; the hierarchy, duplicates and subtotals are
decided over all rows in :mod:`coopanalysis.budget.ingest`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..errors import InputError
from ..thai import match_key, normalize_text, to_arabic
from .amounts import parse_amount_cell
from .mapping import Mapping
from .reader import Table

__all__ = ["Skip", "ColumnPlan", "plan_columns", "read_frame", "row_text", "fold"]

_match_key = lru_cache(maxsize=1 << 17)(match_key)

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """A name as stored: Thai-normalised, every run of whitespace one space.

    >>> fold("  กรม\\nส่งเสริม   สหกรณ์ ")
    'กรม ส่งเสริม สหกรณ์'
    """
    return normalize_text(_SPACE.sub(" ", text))


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


def _year(cell: str, mapping: Mapping) -> int | None:
    text = to_arabic(cell.strip())
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) != 4:
        return None
    year = mapping.to_year_be(int(text))
    return year if 2400 <= year <= 2700 else None


def _mapped(values: list, func) -> list:
    """*func* applied once per distinct value (tables repeat names, years and flags a lot)."""
    memo: dict = {}
    out = []
    for value in values:
        try:
            out.append(memo[value])
        except KeyError:
            out.append(memo.setdefault(value, func(value)))
    return out


def row_text(cells: list[str]) -> str:
    """A row's non-empty cells joined, for a report (at most 200 characters).

    >>> row_text([" a ", "", "b"])
    'a | b'
    """
    return " | ".join(c.strip() for c in cells if c.strip())[:200]


def read_frame(parts: list[tuple[Table, ColumnPlan]], mapping: Mapping, subtotal_re: re.Pattern | None
               ) -> tuple[pd.DataFrame, list[Skip]]:
    """Classify every data row of the tables: the rows kept (one DataFrame row each) and the skipped.

    Columns of the frame: ``file``, ``row``, ``item_id``, ``page``, ``n0``… (names per level, ''
    when none), ``k0``… (their match keys), ``year`` (BE), ``amount`` (Decimal or None, million
    baht), ``amount_text``, ``status``, ``obliged``, ``unit``, ``subtotal``, ``cells``.
    """
    rows: list[list[str]] = []
    files: list[str] = []
    numbers: list[int] = []
    role: dict[str, list[str]] = {}
    levels = len(mapping.levels)
    level_cells: list[list[list[str]]] = [[] for _ in range(levels)]  # per level, per column rank
    width = [max(len(c.levels[i]) for _, c in parts) for i in range(levels)] if parts else [0] * levels
    for i in range(levels):
        level_cells[i] = [[] for _ in range(width[i])]
    for table, cols in parts:
        rows.extend(table.rows)
        files.extend([table.path.name] * len(table.rows))
        numbers.extend(table.numbers)
        for name in ("year", "amount", "item_id", "page", "unit", "obligation", "filter", "subtotal"):
            position = getattr(cols, name)
            role.setdefault(name, []).extend([r[position] for r in table.rows] if position is not None
                                             else [""] * len(table.rows))
        for i, positions in enumerate(cols.levels):
            for rank in range(width[i]):
                if rank < len(positions):
                    level_cells[i][rank].extend([r[positions[rank]] for r in table.rows])
                else:
                    level_cells[i][rank].extend([""] * len(table.rows))
    n = len(rows)
    reason = ["blank row" if not "".join(r).strip() else "" for r in rows]
    if mapping.filter_column is not None:
        kept = _mapped(role["filter"], lambda v: v.strip() in mapping.filter_values)
        for j in range(n):
            if not kept[j] and not reason[j]:
                reason[j] = (f"row filter: {mapping.filter_column}={role['filter'][j].strip()!r} "
                             f"not in {list(mapping.filter_values)}")
    out: dict[str, list] = {"file": files, "row": numbers}
    any_name = [False] * n
    for i in range(levels):
        names = _mapped(level_cells[i][0], fold)
        for extra in level_cells[i][1:]:
            folded = _mapped(extra, fold)
            names = [a or b for a, b in zip(names, folded)]
        out[f"n{i}"] = names
        out[f"k{i}"] = _mapped(names, lambda v: _match_key(v) if v else "")
        any_name = [a or bool(b) for a, b in zip(any_name, names)]
    years = _mapped(role["year"], lambda v: _year(v, mapping))
    for j in range(n):
        if reason[j]:
            continue
        if not any_name[j]:
            reason[j] = "no name at any level of the mapping"
        elif years[j] is None:
            reason[j] = f"fiscal year {role['year'][j].strip()!r} is not a {mapping.era} year"
    out["year"] = years
    raw_amount = _mapped(role["amount"], str.strip)
    parsed = _mapped(raw_amount, lambda v: parse_amount_cell(v, mapping.unit))
    out["amount"] = [p[0] for p in parsed]
    out["status"] = [p[1] for p in parsed]
    out["amount_text"] = raw_amount
    out["obliged"] = _mapped(role["obligation"], lambda v: v.strip() in mapping.obligation_true)
    out["subtotal"] = (_mapped(role["subtotal"], lambda v: bool(subtotal_re.search(fold(v))))
                       if subtotal_re is not None and mapping.subtotal_column is not None else [False] * n)
    out["item_id"] = _mapped(role["item_id"], str.strip)
    out["page"] = _mapped(role["page"], lambda v: to_arabic(v.strip()))
    out["unit"] = _mapped(role["unit"], fold)
    out["cells"] = rows
    skips = [Skip(files[j], numbers[j], reason[j], row_text(rows[j])) for j in range(n) if reason[j]]
    keep = [j for j in range(n) if not reason[j]]
    if len(keep) < n:
        out = {k: [v[j] for j in keep] for k, v in out.items()}
    frame = pd.DataFrame(out)
    if "year" in frame and len(frame):
        frame["year"] = frame["year"].astype(int)
    return frame, skips
