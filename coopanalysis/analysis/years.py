"""Yearly amounts per strategy, tactic or project, and the projects left out of them.

Only yearly figures count here: a project whose years could not be read (``parse_status``
``unreconciled``) or that has no figures at all (``listed_only``) is in no year; such projects
are named by :func:`excluded_projects`. Sums are exact (Decimal, from the figures' text).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from coopanalysis.analysis.common import (
    check_strategy,
    decimal_sum,
    exact_column,
    for_strategy,
    ratio,
    sort_by_id,
    to_float,
    year_list,
)
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model import rollups
from coopanalysis.model.figures import Figures
from coopanalysis.text.labels import TOTAL

__all__ = ["by_year", "excluded_projects"]

_YEAR_BY = ("strategy", "tactic", "project")

EXCLUDED_COLUMNS = ["project_id", "strategy_id", "name", "basis", "amount_mb", "amount_text"]


def by_year(source, by: str = "strategy", strategy_id=None) -> pd.DataFrame:
    """Yearly amounts: one row per BE year (column ``fiscal_year``), one column per
    strategy (or tactic / project with ``by=``), then ``'รวม'`` (the year's total) and
    ``share`` (the year's part of the plan's yearly total). A ``'รวม'`` row ends it.

    Only yearly figures count: projects without them (``parse_status`` unreconciled or
    listed_only) are left out and listed in ``attrs['excluded']`` (see
    :func:`excluded_projects`); ``attrs['columns']`` lists the group ids in document order
    (for ``by='tactic'``, ``''`` last: projects under no tactic).
    """
    if by not in _YEAR_BY:
        raise ValueError(f"by must be one of {', '.join(map(repr, _YEAR_BY))}; got {by!r}")
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    yearly = for_strategy(rollups.yearly_amounts(figures), sid)
    keys = [str(g) for g in yearly[f"{by}_id"].fillna("")]
    groups = sorted(set(keys), key=id_sort_key)
    if by == "tactic" and "" in groups:
        groups = [g for g in groups if g != ""] + [""]
    years = year_list(figures.years, yearly["fiscal_year"])
    cells: dict[tuple[int, str], Decimal] = {}
    for year, key, amount in zip(yearly["fiscal_year"], keys, exact_column(yearly, "amount_text")):
        if amount is not None:
            cells[(int(year), key)] = cells.get((int(year), key), Decimal(0)) + amount
    exact_rows = []
    rows = []
    for year in years:
        values = {g: cells.get((year, g), Decimal(0)) for g in groups}
        year_total = sum(values.values(), Decimal(0))
        exact_rows.append((values, year_total))
        rows.append({"fiscal_year": year, **{g: to_float(v) for g, v in values.items()}, TOTAL: to_float(year_total)})
    frame = pd.DataFrame(rows, columns=["fiscal_year", *groups, TOTAL])
    grand = decimal_sum(t for _, t in exact_rows)
    frame["share"] = [ratio(t, grand) for _, t in exact_rows]
    total = {
        "fiscal_year": TOTAL,
        **{g: to_float(decimal_sum(values[g] for values, _ in exact_rows)) for g in groups},
        TOTAL: to_float(grand),
        "share": 1.0 if grand is None or grand != 0 else np.nan,  # as before: NaN only for a zero total
    }
    out = pd.concat([frame.astype({"fiscal_year": object}), pd.DataFrame([total])], ignore_index=True)
    out.attrs.update({
        "by": by,
        "strategy_id": sid,
        "columns": groups,
        "years": years,
        "excluded": list(excluded_projects(figures, sid)["project_id"]),
    })
    return out


def excluded_projects(source, strategy_id=None) -> pd.DataFrame:
    """The projects left out of the yearly tables and charts: those without yearly figures.

    Columns: ``project_id, strategy_id, name, basis`` (``'printed'``: the printed total is
    known but not its years; ``'none'``: the document gives no figure), ``amount_mb`` (float)
    and ``amount_text`` (exact) = the printed total when ``basis`` is ``'printed'``, else NaN
    and ``''``. Rows in document order of the project ids.
    """
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    projects = sort_by_id(for_strategy(rollups.project_totals(figures), sid), "project_id")
    with_years = set(rollups.yearly_amounts(figures)["project_id"])
    out = projects[~projects["project_id"].isin(with_years)][EXCLUDED_COLUMNS].reset_index(drop=True)
    out["amount_mb"] = out["amount_mb"].astype("float64")
    return out
