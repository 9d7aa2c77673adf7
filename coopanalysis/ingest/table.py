"""Detail tables: rows of strategy/tactic, KPI, unit, targets, project, budget and units.

Cells are read in order, not by column position: extracted PDF text shifts columns, so a
row is understood as ``[strategy/tactic] [KPI] [unit] [targets…] [project] [amounts… total]
[responsible units]``, any part of which may be missing. A row with values but no text
continues the row above (a merged cell spanning two printed rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coopanalysis.errors import InputError
from coopanalysis.ingest import cells as C
from coopanalysis.ingest.model import KpiRow, Listing
from coopanalysis.text.thai import amount_text, is_amount, parse_amount


@dataclass
class Row:
    line: int
    strategy: dict | None = None
    tactics: list[tuple[str, str]] = field(default_factory=list)
    kpis: list[tuple[str, str]] = field(default_factory=list)
    uom: str = ""
    projects: list[tuple[str, str]] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # values before the project cell
    after: list[str] = field(default_factory=list)  # values after it
    units: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    inline_header: bool = False


def tokenize(line_no: int, cells: list[str], years: list[int], path: str) -> Row:
    """Split a table row (its cleaned cells) into its parts (see module docstring)."""
    row = Row(line=line_no)
    year_set = set(years)
    seen_project = False
    i = 0
    while i < len(cells):
        cell = cells[i]
        if not cell:
            i += 1
            continue
        # a run of this table's years (optionally ending in รวม) is a header repeated inline
        if C.be_year(cell) in year_set:
            j = i
            run = []
            while j < len(cells) and (not cells[j] or C.be_year(cells[j]) in year_set):
                if cells[j]:
                    run.append(cells[j])
                j += 1
            if len(run) >= 2:
                if j < len(cells) and cells[j] == "รวม":
                    j += 1
                row.inline_header = True
                i = j
                continue
        if cell == "รวม":
            row.inline_header = True
            i += 1
            continue
        if is_amount(cell):
            (row.after if seen_project else row.before).append(cell)
            i += 1
            continue
        bad = C.looks_like_bad_amount(cell)
        if bad:
            raise InputError(bad, path=path, line=line_no)
        strategy = C.split_strategy_cell(cell)
        if strategy:
            row.strategy = strategy
            row.tactics.extend(strategy["tactics"])
        elif C.is_project_cell(cell):
            row.projects.extend(C.split_projects(cell))
            seen_project = True
        elif C.is_tactic_cell(cell, i):
            row.tactics.extend(C.split_tactics(cell))
        elif C.is_units_cell(cell):
            row.units.extend(u for u in C.units_of(cell) if u not in row.units)
        elif C.is_kpi_cell(cell) and not row.kpis:
            row.kpis = C.split_kpis(cell)
        elif not row.uom and not any(ch.isdigit() for ch in cell) and len(cell) <= 30:
            row.uom = cell
        else:
            row.other.append(cell)
        i += 1
    return row


@dataclass
class TableState:
    """What a detail table carries from one row to the next."""

    strategy_id: str = ""
    tactic_id: str = ""
    tactic_note: str = ""
    kpi_group: list[KpiRow] = field(default_factory=list)
    kpi_cursor: int = 0
    pending: list[Listing] = field(default_factory=list)  # named projects awaiting amounts


def split_targets(values: list[str], n_years: int) -> tuple[list[str], list[str]]:
    return values[:n_years], values[n_years:]


def amounts_text(values: list[str]) -> list[str]:
    return ["-" if v in ("-", "–", "—", "−") else amount_text(parse_amount(v)) for v in values]
