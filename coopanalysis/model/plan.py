"""Load the tidy tables of one plan into a read-only :class:`Plan`.

``load(source)`` takes a directory written by ``coopanalysis ingest`` or a plan text file
(ingested on the fly into a temporary directory, so there is one code path).

A :class:`Plan` does not change after it is loaded: its table mapping is read-only and nothing
is cached on it. Figures derived from it (totals, roll-ups) are computed explicitly by
:class:`coopanalysis.model.figures.Figures`; to explore "what if", build a new plan with
:meth:`Plan.replace` (or edit a copy of a table) and compute its figures again.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from coopanalysis.errors import InputError, LimitError
from coopanalysis.io.safeio import DOCUMENT_LIMIT
from coopanalysis.io.schema import (
    INGEST_META,
    INT_COLUMNS,
    KEY_COLUMNS,
    PLAN_JSON,
    REQUIRED,
    REQUIRED_COLUMNS,
    TABLES,
    cell_rule,
    id_sort_key,
    ingest_interrupted,
    read_plan_json,
    unescape_text_columns,
)
from coopanalysis.model.dataset import MAX_EXACT_MB, decimal_mb, inexact, satang

__all__ = ["Plan", "load", "load_dir", "read_table", "id_sort_key", "TABLES", "REQUIRED"]


@dataclass(frozen=True)
class Plan:
    """The tables of one plan. DataFrames follow ``data/README.md``.

    ``*_mb`` columns are float64 million baht (NaN when empty), one column per amount: each cell
    was checked on reading to be a whole number of satang that the float holds exactly, so the
    numbers are what every sum uses (in integer satang, see :mod:`coopanalysis.model.figures`),
    and editing them (in place or through :meth:`replace`) changes the figures built after.
    """

    meta: dict
    tables: MappingProxyType
    source: Path | None = None
    ingest_meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.tables, MappingProxyType):
            object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        if name == "corrections" and "corrections_applied" in tables:
            return tables["corrections_applied"]
        raise AttributeError(name)

    def replace(self, **tables: pd.DataFrame) -> Plan:
        """A new plan with some tables replaced (the others shared), e.g. ``plan.replace(budget=edited)``."""
        unknown = sorted(set(tables) - set(self.tables))
        if unknown:
            raise KeyError(f"unknown tables {unknown}; the plan has {', '.join(self.tables)}")
        merged = dict(self.tables)
        merged.update(tables)
        return Plan(meta=self.meta, tables=merged, source=self.source, ingest_meta=self.ingest_meta)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.meta.get("fiscal_years", [])]

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    def strategy_ids(self) -> list[str]:
        """Strategy ids in numeric order."""
        return sorted(self.strategies["strategy_id"].tolist(), key=id_sort_key)


def _amounts(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """An amount column's text (digits, checked by :func:`cell_rule`) → float64 million baht,
    NaN when empty. A cell the float cannot hold to the satang (finer than a satang, more digits
    than a float holds, or too large to sum exactly) is an :class:`InputError` naming the line
    (and the line of the plan's text it came from)."""
    cells = frame[column]
    numbers = pd.to_numeric(cells.replace("", None), errors="coerce").astype("float64")
    cents = satang(numbers.where(~inexact(numbers)))
    for row, (cell, value) in enumerate(zip(cells, cents)):
        if cell and (pd.isna(value) or Decimal(cell) != decimal_mb(value)):
            printed = frame["source_line"].iloc[row] if "source_line" in frame else ""
            raise InputError(f"{column} holds {cell[:40]!r}{f' (line {printed} of the text)' if printed else ''}, "
                             f"not a whole number of satang (0.00000001 million baht) within "
                             f"±{MAX_EXACT_MB:,.8f}: it cannot be summed exactly", path=path, line=row + 2)
    return numbers


def _typed(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    for column in list(frame.columns):
        if column.endswith("_mb"):
            frame[column] = _amounts(frame, column, path)
        elif column in INT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce").astype(
                "Int64"
            )
    return frame


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """One table, every column as text first (a text cell's spreadsheet guard ``'`` taken off,
    see :mod:`coopanalysis.io.schema`), then typed (see the module docstring).

    A table that is not UTF-8 CSV, or lacks its key column, is an :class:`InputError`.
    """
    path = Path(directory) / f"{name}.csv"
    if path.stat().st_size > DOCUMENT_LIMIT:  # bounded like every input (safeio); tables are far smaller
        raise LimitError(f"larger than {DOCUMENT_LIMIT} bytes; not a table written by 'coopanalysis ingest'", path=path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; tables are written as UTF-8 by 'coopanalysis ingest'", path=path) from None
    except pd.errors.EmptyDataError:
        raise InputError("empty file (no header row); re-run 'coopanalysis ingest'", path=path) from None
    except pd.errors.ParserError as exc:
        raise InputError(f"unreadable CSV: {str(exc).splitlines()[0]}", path=path) from None
    key = KEY_COLUMNS.get(name)
    if key is not None and key not in frame.columns:
        raise InputError(f"no {key} column; not a table written by 'coopanalysis ingest'", path=path, line=1)
    lacking = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in frame.columns]
    if lacking:
        raise InputError(f"no {', '.join(lacking)} column; not a table written by 'coopanalysis ingest'",
                         path=path, line=1)
    for column in frame.columns if len(frame) else ():
        rule = cell_rule(column)
        ok = True if rule is None else (frame[column] == "") | frame[column].str.fullmatch(rule[0])
        if rule is not None and not ok.all():
            row = int((~ok).to_numpy().argmax())  # line = row + 2 (after the header), for one-line records
            raise InputError(f"{column} holds {frame[column].iloc[row][:40]!r}, expected {rule[1]}",
                             path=path, line=row + 2)
    return _typed(unescape_text_columns(frame, path), path)


def load_dir(directory: str | Path) -> Plan:
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("not a directory", path=directory)
    if ingest_interrupted(directory):
        raise InputError("an ingest into this directory is replacing its tables, or was interrupted doing so; "
                         "try again, or re-run 'coopanalysis ingest' (it puts the previous tables back first)",
                         path=directory)
    missing = [n for n in REQUIRED if not (directory / f"{n}.csv").is_file()]
    if not (directory / PLAN_JSON).is_file():
        missing.append(PLAN_JSON)
    if missing:
        names = ", ".join(f"{n}.csv" if n != PLAN_JSON else n for n in missing)
        raise InputError(
            f"not an ingested plan directory (missing {names}); run 'coopanalysis ingest' first",
            path=directory,
        )
    meta = read_plan_json(directory)
    tables = {}
    for name in TABLES:
        if (directory / f"{name}.csv").is_file():
            tables[name] = read_table(directory, name)
        else:
            tables[name] = pd.DataFrame()
    ingest_meta = {}
    if (directory / INGEST_META).is_file():
        try:
            ingest_meta = json.loads((directory / INGEST_META).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise InputError("not valid UTF-8 JSON", path=directory / INGEST_META) from None
        if not isinstance(ingest_meta, dict):
            raise InputError("expected a JSON object", path=directory / INGEST_META)
    return Plan(meta=meta, tables=tables, source=directory, ingest_meta=ingest_meta)


def load(source: str | Path, corrections: str | Path | None = None) -> Plan:
    """Load a plan from an ingested directory or a plan text file.

    A text file is ingested into a temporary directory first (with *corrections* if given).
    """
    source = Path(source)
    if not source.exists():
        raise InputError("no such file or directory", path=source)
    if source.is_dir():
        return load_dir(source)
    from coopanalysis.ingest import ingest_file  # ingest pulls in the parser; it does not import this module

    with tempfile.TemporaryDirectory(prefix="coopanalysis-") as tmp:
        ingest_file(source, tmp, corrections=corrections)
        try:
            plan = load_dir(tmp)
        except InputError as exc:  # a table just ingested from the text: name the text, not the temporary copy
            table = f" (in {Path(exc.path).name} as ingested, line {exc.line})" if exc.path else ""
            raise InputError(exc.message + table, path=source) from None
    return Plan(meta=plan.meta, tables=plan.tables, source=source, ingest_meta=plan.ingest_meta)
