"""Printed totals against computed totals at every level, and how much of the printed budget
the project detail accounts for (coverage). Sums are exact (Decimal, from the figures'
``*_text`` columns)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from coopanalysis.analysis.common import basis_sums, decimal_sum, exact_column, ratio, sort_by_id, to_float, with_total
from coopanalysis.model import rollups
from coopanalysis.model.figures import Figures

__all__ = ["LEVELS", "STATUS_LABELS", "printed_vs_computed", "coverage"]

#: Levels understood by :func:`printed_vs_computed`.
LEVELS = ("project", "tactic", "strategy", "plan")

#: ``status`` codes of :func:`printed_vs_computed` -> Thai labels.
STATUS_LABELS: dict[str, str] = {
    "match": "ตรงกัน",
    "differ": "ไม่ตรงกัน",
    "no_printed": "ไม่มียอดตามเอกสาร",
    "not_computed": "คำนวณไม่ได้",
    "neither": "ไม่มีตัวเลข",
}


def _status(stated: Decimal | None, computed: Decimal | None) -> str:
    """Compare a printed and a computed amount.

    >>> _status(Decimal("5"), Decimal("5.0")), _status(Decimal("5"), Decimal("6")), _status(None, Decimal("1"))
    ('match', 'differ', 'no_printed')
    >>> _status(Decimal("1"), None), _status(None, None)
    ('not_computed', 'neither')
    """
    if stated is not None and computed is not None:
        return "match" if stated == computed else "differ"
    if computed is not None:
        return "no_printed"
    if stated is not None:
        return "not_computed"
    return "neither"


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a - b if a is not None and b is not None else None


def printed_vs_computed(source, level: str) -> pd.DataFrame:
    """Printed totals against totals computed from the figures, at one *level*.

    ``level``: ``'project'`` (computed = sum of the project's yearly amounts),
    ``'tactic'``, ``'strategy'`` (computed = sum of its projects' amounts, see
    :func:`coopanalysis.model.rollups.rollup`) or ``'plan'`` (one row: the whole plan).

    Columns: ``<level>_id, strategy_id, name, stated_mb, computed_mb, difference_mb``
    (computed - printed), ``difference_share`` (difference / printed), ``status``
    (``match | differ | no_printed | not_computed | neither``, Thai in :data:`STATUS_LABELS`),
    ``status_th``; at project level also ``tactic_id, parse_status, basis``, at the other
    levels ``found_count, stated_count, n_printed_basis``. No totals row: ``level='plan'``
    is the total.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}; got {level!r}")
    figures = Figures.of(source)
    if level == "project":
        table = sort_by_id(rollups.project_totals(figures), "project_id")
        frame = table[["project_id", "strategy_id", "tactic_id", "name", "stated_mb", "computed_mb"]].copy()
        stated, computed = exact_column(table, "stated_text"), exact_column(table, "computed_text")
        frame["difference_mb"] = [to_float(_minus(c, s)) for c, s in zip(computed, stated)]
        for column in ("parse_status", "basis"):
            frame[column] = table[column].to_numpy()
    else:
        key = f"{level}_id"
        table = rollups.rollup(figures, level)
        if level == "plan" and key not in table.columns:
            table = table.rename(columns={"plan": key})
        if level != "plan":
            table = sort_by_id(table, key)
        columns = list(dict.fromkeys([key, "strategy_id", "name", "stated_mb", "computed_mb", "difference_mb",
                                      "found_count", "stated_count", "n_printed_basis"]))
        frame = table[[c for c in columns if c in table.columns]].copy().reset_index(drop=True)
        stated, computed = exact_column(table, "stated_text"), exact_column(table, "computed_text")
    frame["stated_mb"] = frame["stated_mb"].astype("float64")
    frame["computed_mb"] = frame["computed_mb"].astype("float64")
    frame["difference_mb"] = pd.to_numeric(frame["difference_mb"], errors="coerce").astype("float64")
    frame["difference_share"] = [ratio(_minus(c, s), s) for c, s in zip(computed, stated)]
    frame["status"] = [_status(s, c) for s, c in zip(stated, computed)]
    frame["status_th"] = frame["status"].map(STATUS_LABELS)
    frame.attrs["level"] = level
    return frame


def coverage(source) -> pd.DataFrame:
    """How much of the printed budget the project detail accounts for, per strategy and overall.

    As in :func:`coopanalysis.model.rollups.rollup`, a project accounts for its amount when its yearly
    figures are known (basis ``yearly``). Columns: ``strategy_id, name, stated_mb`` (printed
    five-year total), ``detailed_mb`` (sum of the strategy's projects with yearly figures),
    ``printed_basis_mb`` (projects counted at their printed total only), ``computed_mb`` (all
    project amounts, = detailed + printed basis), ``coverage`` (detailed / printed, as in
    ``rollup``; NaN without a printed total; 0 when no project has yearly figures),
    ``gap_mb`` (printed - detailed), ``found_count, stated_count, n_printed_basis``.
    The ``'รวม'`` row is over the strategies **with** a printed total (the others cannot be
    compared); ``attrs['overall']`` holds its coverage.
    """
    figures = Figures.of(source)
    table = sort_by_id(rollups.rollup(figures, "strategy"), "strategy_id")
    detailed, printed_basis = basis_sums(rollups.project_totals(figures), "strategy_id")
    stated = exact_column(table, "stated_text")
    computed = exact_column(table, "computed_text")
    ids = list(table["strategy_id"])
    exact_detailed = [detailed.get(sid, Decimal(0)) for sid in ids]
    exact_printed_basis = [printed_basis.get(sid, Decimal(0)) for sid in ids]
    frame = table[["strategy_id", "name", "stated_mb"]].copy()
    frame["stated_mb"] = frame["stated_mb"].astype("float64")
    frame["detailed_mb"] = [to_float(v) for v in exact_detailed]
    frame["printed_basis_mb"] = [to_float(v) for v in exact_printed_basis]
    frame["computed_mb"] = table["computed_mb"].astype("float64").to_numpy()
    frame["coverage"] = table["coverage"].astype("float64").to_numpy()
    frame["gap_mb"] = [to_float(_minus(s, d)) for s, d in zip(stated, exact_detailed)]
    for column in ("found_count", "stated_count", "n_printed_basis"):
        if column in table.columns:
            frame[column] = table[column].to_numpy()
    printed = [i for i, value in enumerate(stated) if value is not None]
    stated_total = decimal_sum(stated[i] for i in printed)
    detailed_total = decimal_sum(exact_detailed[i] for i in printed)
    total = {
        "stated_mb": to_float(stated_total),
        "detailed_mb": to_float(detailed_total),
        "printed_basis_mb": to_float(decimal_sum(exact_printed_basis[i] for i in printed)),
        "computed_mb": to_float(decimal_sum(computed[i] for i in printed)),
        "coverage": ratio(detailed_total, stated_total),
        "gap_mb": to_float(_minus(stated_total, detailed_total)),
    }
    for column in ("found_count", "stated_count", "n_printed_basis"):
        if column in frame.columns:
            total[column] = pd.to_numeric(frame[column][frame["stated_mb"].notna()], errors="coerce").sum()
    out = with_total(frame, "strategy_id", total)
    out.attrs["overall"] = total["coverage"]
    return out
