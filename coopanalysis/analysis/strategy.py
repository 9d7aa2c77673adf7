"""Totals per strategy, tactic and project, and the strategy -> tactic -> project hierarchy.

Amounts are exact: every sum is a :class:`~decimal.Decimal` sum of the figures' ``*_text``
columns (:mod:`coopanalysis.model.figures`); floats appear only in the returned tables.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from coopanalysis.analysis.common import (
    basis_sums,
    check_strategy,
    decimal_sum,
    exact_column,
    for_strategy,
    ratio,
    sort_by_id,
    tactic_keys,
    to_float,
    with_total,
    year_list,
)
from coopanalysis.model import rollups
from coopanalysis.model.figures import Figures
from coopanalysis.text.labels import NO_TACTIC, TOTAL

__all__ = ["by_strategy", "by_tactic", "by_project", "hierarchy_table"]

_GROUP_COLUMNS = [
    "stated_mb", "computed_mb", "difference_mb", "stated_count", "found_count", "n_printed_basis", "coverage",
]


def _shares_and_total(frame: pd.DataFrame, id_column: str, exact: dict[str, dict]) -> pd.DataFrame:
    """Share columns and the totals row, from the exact figures of each row (keyed by id)."""
    rows = [exact[gid] for gid in frame[id_column]]
    stated = [r["stated"] for r in rows]
    computed = [r["computed"] for r in rows]
    detailed = [r["detailed"] for r in rows]
    stated_total = decimal_sum(stated)
    computed_total = decimal_sum(computed)
    frame["share_stated"] = [ratio(v, stated_total) for v in stated]
    frame["share_computed"] = [ratio(v, computed_total) for v in computed]
    printed = [i for i, value in enumerate(stated) if value is not None]
    total = {
        "stated_mb": to_float(stated_total),
        "computed_mb": to_float(computed_total),
        "difference_mb": to_float(decimal_sum(r["difference"] for r in rows)),
        "share_stated": 1.0 if stated_total is not None else np.nan,
        "share_computed": 1.0 if computed_total is not None else np.nan,
        "coverage": ratio(decimal_sum(detailed[i] for i in printed), decimal_sum(stated[i] for i in printed)),
        "detailed_mb": to_float(decimal_sum(detailed)),
    }
    for column in ("stated_count", "found_count", "n_printed_basis"):
        if column in frame.columns:
            total[column] = pd.to_numeric(frame[column], errors="coerce").sum()
    return with_total(frame, id_column, total)


def _exact_groups(rolled: pd.DataFrame, id_column: str, detailed: dict[str, Decimal]) -> dict[str, dict]:
    """id -> exact stated, computed, difference and detailed amounts of a roll-up's rows."""
    out = {}
    for gid, stated, computed in zip(rolled[id_column], exact_column(rolled, "stated_text"),
                                     exact_column(rolled, "computed_text")):
        out[gid] = {
            "stated": stated,
            "computed": computed,
            "difference": computed - stated if stated is not None and computed is not None else None,
            "detailed": detailed.get(gid, Decimal(0)),
        }
    return out


def by_strategy(source) -> pd.DataFrame:
    """One row per strategy: printed and computed five-year totals, counts, shares.

    *source* is a Plan or a :class:`~coopanalysis.model.figures.Figures` (as every function here).
    Columns: ``strategy_id, name, stated_mb, computed_mb`` (sum of the project amounts, see
    :func:`coopanalysis.model.rollups.rollup`), ``detailed_mb`` (the part with yearly figures),
    ``difference_mb, stated_count, found_count, n_printed_basis, coverage`` (detailed /
    printed, as in ``rollup``), ``share_stated, share_computed`` (the strategy's part of the
    column total). The ``'รวม'`` row sums the strategies (``stated_mb`` over the strategies
    with a printed total; its ``coverage`` = detailed / printed over those same strategies).
    """
    figures = Figures.of(source)
    rolled = sort_by_id(rollups.rollup(figures, "strategy"), "strategy_id")
    detailed, _ = basis_sums(rollups.project_totals(figures), "strategy_id")
    exact = _exact_groups(rolled, "strategy_id", detailed)
    columns = ["strategy_id", "name", *_GROUP_COLUMNS]
    frame = rolled[[c for c in columns if c in rolled.columns]].copy()
    frame.insert(frame.columns.get_loc("computed_mb") + 1, "detailed_mb",
                 [to_float(exact[sid]["detailed"]) for sid in frame["strategy_id"]])
    return _shares_and_total(frame, "strategy_id", exact)


def by_tactic(source, strategy_id=None) -> pd.DataFrame:
    """One row per tactic (of one strategy, or all): printed and computed totals, shares.

    Projects the document places under no tactic are gathered per strategy in a row whose
    ``tactic_id`` is ``'<strategy>.-'`` and ``name`` ``'ไม่ระบุกลยุทธ์'``. Columns as
    :func:`by_strategy` plus ``tactic_id`` first; a ``'รวม'`` row ends the table.
    """
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    rolled = rollups.rollup(figures, "tactic")
    projects = rollups.project_totals(figures)
    detailed, _ = basis_sums(projects, "tactic_key")
    exact = _exact_groups(rolled, "tactic_id", detailed)
    loose = projects[projects["tactic_id"].fillna("") == ""]
    rows = []
    for strat, group in loose.groupby("strategy_id", sort=False):
        key = f"{strat}.-"
        computed = decimal_sum(exact_column(group, "amount_text"))
        exact[key] = {"stated": None, "computed": computed, "difference": None,
                      "detailed": detailed.get(key, Decimal(0))}
        rows.append({
            "tactic_id": key, "strategy_id": strat, "name": NO_TACTIC, "stated_mb": np.nan,
            "computed_mb": to_float(computed), "difference_mb": np.nan, "stated_count": pd.NA,
            "found_count": len(group), "n_printed_basis": int((group["basis"] == "printed").sum()),
            "coverage": np.nan,
        })
    frame = rolled
    if rows:
        extra = pd.DataFrame(rows)
        frame = pd.concat([frame, extra[[c for c in extra.columns if c in frame.columns]]], ignore_index=True)
    frame = sort_by_id(for_strategy(frame, sid), "tactic_id")
    columns = ["tactic_id", "strategy_id", "name", *_GROUP_COLUMNS]
    frame = frame[[c for c in columns if c in frame.columns]].copy()
    for column in ("stated_mb", "computed_mb", "difference_mb", "coverage"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame.insert(frame.columns.get_loc("computed_mb") + 1, "detailed_mb",
                 [to_float(exact[t]["detailed"]) for t in frame["tactic_id"]])
    out = _shares_and_total(frame, "tactic_id", exact)
    out.loc[out["tactic_id"] == TOTAL, "strategy_id"] = sid or ""
    return out


def by_project(source, strategy_id=None) -> pd.DataFrame:
    """One row per project: its yearly amounts (one column per BE year, ``int`` labels),
    the sum of those (``computed_mb``, NaN unless every year is known), the printed total
    (``stated_mb``), the amount used for totals (``amount_mb``, with its ``basis``),
    ``parse_status`` and ``share`` (of the ``amount_mb`` total). A ``'รวม'`` row ends it.
    ``attrs['years']`` lists the year columns.
    """
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    projects = sort_by_id(for_strategy(rollups.project_totals(figures), sid), "project_id")
    yearly = rollups.yearly_amounts(figures)
    years = year_list(figures.years, yearly["fiscal_year"])
    frame = projects[["project_id", "strategy_id", "tactic_id", "name"]].copy()
    cells: dict[tuple[str, int], Decimal] = {}
    for pid, year, amount in zip(yearly["project_id"], yearly["fiscal_year"], exact_column(yearly, "amount_text")):
        if amount is not None:
            cells[(pid, int(year))] = cells.get((pid, int(year)), Decimal(0)) + amount
    exact_years = {year: [cells.get((pid, year)) for pid in frame["project_id"]] for year in years}
    for year in years:
        frame[year] = [to_float(v) for v in exact_years[year]]
    for column in ("computed_mb", "stated_mb", "amount_mb"):
        frame[column] = projects[column].astype("float64").to_numpy()
    frame["basis"] = projects["basis"].to_numpy()
    frame["parse_status"] = projects["parse_status"].to_numpy()
    amounts = exact_column(projects, "amount_text")
    amount_total = decimal_sum(amounts)
    frame["share"] = [ratio(v, amount_total) for v in amounts]
    total = {year: to_float(decimal_sum(exact_years[year])) for year in years}
    total.update({
        "computed_mb": to_float(decimal_sum(exact_column(projects, "computed_text"))),
        "stated_mb": to_float(decimal_sum(exact_column(projects, "stated_text"))),
        "amount_mb": to_float(amount_total),
        "share": 1.0 if amount_total is not None else np.nan,
        "strategy_id": sid or "",
    })
    out = with_total(frame, "project_id", total)
    out.attrs["years"] = years
    return out


HIERARCHY_COLUMNS = [
    "strategy_id", "tactic_id", "tactic_key", "project_id", "name", "amount_mb", "amount_text", "basis",
]


def hierarchy_table(source, strategy_id=None) -> pd.DataFrame:
    """Strategy -> tactic -> project, one row per project that has an amount (for a treemap).

    Columns: ``strategy_id, tactic_id`` (``''`` for a project under no tactic), ``tactic_key``
    (the tactic id, or ``'<strategy>.-'`` for projects under no tactic), ``project_id, name,
    amount_mb`` (float), ``amount_text`` (exact), ``basis`` (``'yearly'``: sum of the yearly
    amounts; ``'printed'``: the printed total, the years being unknown). Projects without any
    amount are left out (``attrs['without_amount']`` lists them); an amount of 0 is kept (a
    chart drops what it cannot draw). Rows in document order of the project ids; no totals row.
    """
    figures = Figures.of(source)
    sid = check_strategy(figures, strategy_id)
    projects = sort_by_id(for_strategy(rollups.project_totals(figures), sid), "project_id")
    has_amount = [v is not None for v in exact_column(projects, "amount_text")]
    shown = projects[pd.Series(has_amount, index=projects.index, dtype=bool)].copy()  # [] would select columns
    shown["tactic_id"] = shown["tactic_id"].fillna("")
    shown["tactic_key"] = tactic_keys(shown)
    out = shown[HIERARCHY_COLUMNS].reset_index(drop=True)
    out["amount_mb"] = out["amount_mb"].astype("float64")
    out.attrs.update({
        "strategy_id": sid,
        "without_amount": [p for p, ok in zip(projects["project_id"], has_amount) if not ok],
    })
    return out
