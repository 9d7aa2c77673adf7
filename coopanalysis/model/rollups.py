"""The figures of a plan as DataFrames for readers: per project, per year, per group.

Built from :class:`coopanalysis.model.figures.Figures` (a Plan is accepted and its figures built on
the spot), whose every sum is exact (integer satang, the model's one sum). Each ``*_mb`` float is
the float nearest that exact figure; the ``*_text`` column beside it writes the figure out
exactly for readers (no exponent, no trailing zeros: ``"2.5"`` whatever the cell printed).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from coopanalysis.model.figures import Figures
from coopanalysis.model.plan import Plan
from coopanalysis.text.thai import amount_text

__all__ = ["PROJECT_COLUMNS", "YEARLY_COLUMNS", "project_totals", "yearly_amounts", "rollup"]

PROJECT_COLUMNS = [
    "project_id", "strategy_id", "tactic_id", "name", "parse_status", "stated_mb", "stated_text",
    "computed_mb", "computed_text", "amount_mb", "amount_text", "basis", "source_line",
]


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else math.nan


def _text(value: Decimal | None) -> str:
    return amount_text(value) if value is not None else ""
YEARLY_COLUMNS = ["project_id", "strategy_id", "tactic_id", "fiscal_year", "amount_mb", "amount_text", "source"]


def _project_totals(fig_set: Figures) -> pd.DataFrame:
    """See the public function of the same name."""
    rows = []
    for fig in fig_set.projects.values():
        rows.append({
            "project_id": fig.project_id,
            "strategy_id": fig.strategy_id,
            "tactic_id": fig.tactic_id,
            "name": fig.name,
            "parse_status": fig.parse_status,
            "stated_mb": _float(fig.stated),
            "stated_text": _text(fig.stated),
            "computed_mb": _float(fig.computed),
            "computed_text": _text(fig.computed),
            "amount_mb": _float(fig.amount),
            "amount_text": _text(fig.amount),
            "basis": fig.basis,
            "source_line": fig.source_line,
        })
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    for column in ("stated_mb", "computed_mb", "amount_mb"):
        frame[column] = frame[column].astype("float64")
    frame["source_line"] = pd.array(frame["source_line"].tolist(), dtype="Int64")
    return frame


def _yearly_amounts(fig_set: Figures) -> pd.DataFrame:
    """See the public function of the same name."""
    figures = fig_set.projects
    rows = []
    for row in fig_set.budget_rows:
        fig = figures.get(row["project_id"])
        if row["amount"] is None or row["fiscal_year"] is None:
            continue
        if fig is not None and fig.source is not None and row["source"] != fig.source:
            continue
        rows.append({
            "project_id": row["project_id"],
            "strategy_id": fig.strategy_id if fig else "",
            "tactic_id": fig.tactic_id if fig else "",
            "fiscal_year": row["fiscal_year"],
            "amount_mb": float(row["amount"]),
            "amount_text": amount_text(row["amount"]),
            "source": row["source"],
        })
    frame = pd.DataFrame(rows, columns=YEARLY_COLUMNS)
    frame["fiscal_year"] = pd.array(frame["fiscal_year"].tolist(), dtype="Int64")
    frame["amount_mb"] = frame["amount_mb"].astype("float64")
    return frame


def _rollup(fig_set: Figures, level: str) -> pd.DataFrame:
    """See the public function of the same name."""
    rows = []
    for group in fig_set.groups(level):
        row = {}
        if level == "plan":
            row["plan"] = group.id
        elif level == "tactic":
            row["tactic_id"] = group.id
        row.update({
            "strategy_id": group.strategy_id,
            "name": group.name,
            "stated_mb": _float(group.stated),
            "stated_text": _text(group.stated),
            "computed_mb": _float(group.computed),
            "computed_text": _text(group.computed),
            "difference_mb": _float(group.difference),
            "stated_count": group.stated_count,
            "found_count": group.found_count,
            "n_printed_basis": group.n_printed_basis,
            "coverage": group.coverage,
        })
        rows.append(row)
    id_columns = {"plan": ["plan"], "tactic": ["tactic_id"], "strategy": []}[level]
    columns = id_columns + [
        "strategy_id", "name", "stated_mb", "stated_text", "computed_mb", "computed_text", "difference_mb",
        "stated_count", "found_count", "n_printed_basis", "coverage",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("stated_mb", "computed_mb", "difference_mb", "coverage"):
        frame[column] = frame[column].astype("float64")
    frame["stated_count"] = pd.array(frame["stated_count"].tolist(), dtype="Int64")
    frame["found_count"] = frame["found_count"].astype("int64")
    frame["n_printed_basis"] = frame["n_printed_basis"].astype("int64")
    return frame


def project_totals(source: Plan | Figures) -> pd.DataFrame:
    """One row per project: printed total, computed total (from yearly amounts) and the amount used.

    Columns: ``project_id, strategy_id, tactic_id, name, parse_status, stated_mb, stated_text,
    computed_mb, computed_text, amount_mb, amount_text, basis, source_line`` (see the module
    docstring).
    """
    return _project_totals(Figures.of(source))


def yearly_amounts(source: Plan | Figures) -> pd.DataFrame:
    """Yearly amounts, one row per project and fiscal year (empty amounts dropped).

    Table rows, plus project-sheet rows only for projects that have no table rows.
    Columns: ``project_id, strategy_id, tactic_id, fiscal_year, amount_mb, amount_text, source``.
    """
    return _yearly_amounts(Figures.of(source))


def rollup(source: Plan | Figures, level: str) -> pd.DataFrame:
    """Printed vs computed totals per strategy, per tactic, or for the whole plan.

    Columns: the id (``strategy_id`` / ``tactic_id`` / ``plan``), ``strategy_id``, ``name``,
    ``stated_mb``, ``stated_text``, ``computed_mb`` (sum of the projects' ``amount_mb``),
    ``computed_text``, ``difference_mb`` (computed - stated), ``stated_count``, ``found_count``,
    ``n_printed_basis`` (projects counted at their printed total) and ``coverage`` (sum of the
    yearly-basis amounts / stated). Projects without a tactic are in no tactic row.
    """
    return _rollup(Figures.of(source), level)
