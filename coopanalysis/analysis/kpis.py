"""KPI targets as printed: long (one row per KPI, target row and year) and wide (one column per
year, the target text as printed)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

from coopanalysis.analysis.common import check_strategy, for_strategy
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.figures import Figures
from coopanalysis.text.thai import to_arabic

__all__ = ["kpi_targets", "kpi_table"]

KPI_COLUMNS = ["strategy_id", "kpi_id", "name", "unit", "fiscal_year", "target", "target_text", "series", "source_line"]


def target_number(text) -> float:
    """A printed target as a number: '80' -> 80.0, '1,200' -> 1200.0, '' or '-' -> NaN.

    >>> target_number("80"), target_number("๑,200"), target_number("-"), target_number("")
    (80.0, 1200.0, nan, nan)
    """
    text = to_arabic(str(text or "")).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return float("nan")
    return float(number) if number.is_finite() else float("nan")


def kpi_targets(source, strategy_id=None) -> pd.DataFrame:
    """KPI targets, one row per (strategy, KPI, target row, year).

    Columns: ``strategy_id, kpi_id, name, unit, fiscal_year`` (Int64), ``target`` (float,
    NaN where the document prints ``-`` or nothing), ``target_text`` (as in kpis.csv),
    ``series`` (1, 2, ...: a KPI printed with several target rows has one series per row, in
    printed order), ``source_line``. KPIs printed without targets keep one row with an empty
    year. Sorted by strategy, KPI, series, year.
    """
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    kpis = figures.plan.kpis
    if kpis is None or kpis.empty:
        return pd.DataFrame(columns=KPI_COLUMNS)
    frame = for_strategy(kpis, sid).copy()
    frame["target_text"] = frame["target"].astype(str)
    frame["target"] = [target_number(t) for t in frame["target_text"]]
    series = []  # several target rows of one KPI: each printed row (source_line) is one series
    seen: dict[tuple[str, str], list] = {}
    for strat, kpi, line in zip(frame["strategy_id"], frame["kpi_id"], frame["source_line"]):
        lines = seen.setdefault((strat, kpi), [])
        if line not in lines:
            lines.append(line)
        series.append(lines.index(line) + 1)
    frame["series"] = series
    frame["fiscal_year"] = pd.to_numeric(frame["fiscal_year"], errors="coerce").astype("Int64")
    order = sorted(
        range(len(frame)),
        key=lambda i: (
            id_sort_key(frame["strategy_id"].iloc[i]),
            id_sort_key(frame["kpi_id"].iloc[i]),
            frame["series"].iloc[i],
            -1 if pd.isna(frame["fiscal_year"].iloc[i]) else int(frame["fiscal_year"].iloc[i]),
        ),
    )
    frame = frame.iloc[order].reset_index(drop=True)
    return frame[[c for c in KPI_COLUMNS if c in frame.columns]]


def kpi_table(source, strategy_id) -> pd.DataFrame:
    """KPI targets of a strategy as printed, wide: one row per KPI target row.

    Columns: ``kpi_id`` (``'1'``; ``'1 (2)'`` for a KPI's second target row), ``name``,
    ``unit``, then one column per plan year (``int``) holding the target text as printed
    (``''`` where the document prints nothing or ``-``). Formatting (digits, a dash for the
    empty cells) is the caller's.
    """
    figures = Figures.of(source)
    frame = kpi_targets(figures, strategy_id)
    years = list(figures.years)
    rows = []
    if not frame.empty:
        for (kpi, series), group in frame.groupby(["kpi_id", "series"], sort=False):
            first = group.iloc[0]
            row = {"kpi_id": kpi if series == 1 else f"{kpi} ({series})", "name": first["name"], "unit": first["unit"]}
            targets = {int(y): t for y, t in zip(group["fiscal_year"], group["target_text"]) if not pd.isna(y)}
            for year in years:
                text = str(targets.get(year, "") or "").strip()
                row[year] = text if text != "-" else ""
            rows.append(row)
    return pd.DataFrame(rows, columns=["kpi_id", "name", "unit", *years])
