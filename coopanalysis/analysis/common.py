"""Shared pieces of the analysis tables: exact sums, document order, totals rows, strategy ids.

Pure functions. Amounts arrive here as :class:`~decimal.Decimal` (from
:class:`coopanalysis.model.figures.Figures`) wherever the analysis has them; :func:`exact_sum` and
:func:`as_decimal` also accept the float columns of a table (a float is read back through its
shortest ``repr``, which is the printed decimal) for callers that only have those.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd

from coopanalysis.errors import UnknownStrategyError
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.figures import Figures
from coopanalysis.model.frames import to_decimal
from coopanalysis.model.plan import Plan
from coopanalysis.text.labels import TOTAL
from coopanalysis.text.thai import to_arabic

__all__ = [
    "as_decimal", "to_float", "exact_sum", "decimal_sum", "difference", "ratio", "sort_by_id",
    "check_strategy", "for_strategy", "with_total", "year_list", "exact_column", "tactic_keys", "basis_sums",
]


def as_decimal(value) -> Decimal | None:
    """A Decimal, float, int or text as the Decimal it was printed as; None when missing.

    >>> as_decimal(0.1), as_decimal(float("nan")), as_decimal("๑.5"), as_decimal(2), as_decimal(Decimal("3.10"))
    (Decimal('0.1'), None, Decimal('1.5'), Decimal('2'), Decimal('3.10'))
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        text = to_arabic(value.strip())
        return Decimal(text) if text else None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Decimal(int(value))
    value = float(value)
    if math.isnan(value):
        return None
    return Decimal(repr(value))


def to_float(value: Decimal | None) -> float:
    """The float of an exact amount; NaN when missing.

    >>> to_float(Decimal("0.3")), to_float(None)
    (0.3, nan)
    """
    return float(value) if value is not None else math.nan


def decimal_sum(values) -> Decimal | None:
    """Exact Decimal sum of the non-missing values; None when every value is missing.

    >>> decimal_sum([Decimal("0.1"), None, 0.2]), decimal_sum([None])
    (Decimal('0.3'), None)
    """
    decimals = [d for d in (as_decimal(v) for v in values) if d is not None]
    return sum(decimals, Decimal(0)) if decimals else None


def exact_sum(values) -> float:
    """Exact sum of the non-missing values (Decimals, floats or text), as float; NaN when every
    value is missing.

    >>> exact_sum([0.1, 0.2, float("nan")]), exact_sum([float("nan")]), exact_sum([])
    (0.3, nan, nan)
    >>> exact_sum([Decimal("0.1"), Decimal("0.2")]) == 0.3
    True
    """
    return to_float(decimal_sum(values))


def difference(a, b) -> float:
    """Exact ``a - b`` as float; NaN when either is missing.

    >>> difference(0.3, 0.1), difference(None, 1)
    (0.2, nan)
    """
    da, db = as_decimal(a), as_decimal(b)
    return float(da - db) if da is not None and db is not None else math.nan


def ratio(a, b) -> float:
    """``a / b`` as float; NaN when either is missing or *b* is 0.

    >>> ratio(1, 4), ratio(1, 0), ratio(None, 2)
    (0.25, nan, nan)
    """
    da, db = as_decimal(a), as_decimal(b)
    if da is None or db is None or db == 0:
        return math.nan
    return float(da / db)


def sort_by_id(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows in document order of their dotted ids (``5.2`` before ``5.10``), index reset."""
    if frame.empty:
        return frame.reset_index(drop=True)
    order = sorted(range(len(frame)), key=lambda i: id_sort_key(frame[column].iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def check_strategy(source, strategy_id) -> str | None:
    """The strategy id as the plan writes it (Thai digits read as Arabic); None passes through.

    *source* is a Plan or a :class:`~coopanalysis.model.figures.Figures`. An id the plan does not
    have raises :class:`~coopanalysis.errors.UnknownStrategyError` listing the valid ids.
    """
    if strategy_id is None:
        return None
    plan = source.plan if isinstance(source, Figures) else source  # no figures needed for the ids
    if not isinstance(plan, Plan):
        raise TypeError(f"expected a Plan or Figures, got {type(source).__name__}")
    sid = to_arabic(str(strategy_id)).strip()
    known = [str(s) for s in plan.strategies["strategy_id"].tolist()]
    if sid not in known:
        raise UnknownStrategyError(
            f"unknown strategy_id {strategy_id!r}; the plan has {', '.join(sorted(known, key=id_sort_key))}"
        )
    return sid


def for_strategy(frame: pd.DataFrame, strategy_id: str | None) -> pd.DataFrame:
    """The rows of one strategy (all rows when *strategy_id* is None)."""
    if strategy_id is None:
        return frame
    return frame[frame["strategy_id"] == strategy_id]


def with_total(frame: pd.DataFrame, id_column: str, total: dict) -> pd.DataFrame:
    """*frame* with a totals row appended: id (and ``name``) ``'รวม'``, other columns empty
    unless given in *total*; numeric columns stay numeric."""
    row = {column: (np.nan if frame[column].dtype.kind in "fiu" else "") for column in frame.columns}
    row.update({id_column: TOTAL})
    if "name" in frame.columns:
        row["name"] = TOTAL
    row.update(total)
    out = pd.concat([frame, pd.DataFrame([row], columns=frame.columns)], ignore_index=True)
    for column in frame.columns:
        if frame[column].dtype.kind in "fiu":
            out[column] = pd.to_numeric(out[column], errors="coerce")
    return out


def year_list(plan_years, found_years) -> list[int]:
    """The plan's fiscal years, then any other year found in the figures, sorted.

    >>> year_list([2560, 2561], [2561, 2565, None])
    [2560, 2561, 2565]
    """
    years = [int(y) for y in plan_years]
    extra = sorted({int(y) for y in found_years if y is not None and not pd.isna(y)} - set(years))
    return years + extra


def exact_column(frame: pd.DataFrame, column: str) -> list[Decimal | None]:
    """The exact amounts of a ``*_text`` column of :mod:`coopanalysis.model.figures` (None when empty)."""
    return [to_decimal(v) for v in frame[column]]


def tactic_keys(frame: pd.DataFrame) -> list[str]:
    """Each row's tactic id, or ``'<strategy>.-'`` for a project the document places under no
    tactic (the key of the ``'ไม่ระบุกลยุทธ์'`` rows)."""
    return [t if t else f"{s}.-" for s, t in zip(frame["strategy_id"], frame["tactic_id"].fillna(""))]


def basis_sums(projects: pd.DataFrame, key: str) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per group id: exact sums of the project amounts on the yearly basis and on the printed
    basis. *projects* is :func:`coopanalysis.model.rollups.project_totals`; *key* ``'strategy_id'`` or
    ``'tactic_key'`` (see :func:`tactic_keys`)."""
    keys = tactic_keys(projects) if key == "tactic_key" else [str(k) for k in projects[key].fillna("")]
    yearly: dict[str, Decimal] = {}
    printed: dict[str, Decimal] = {}
    for gid, basis, amount in zip(keys, projects["basis"], exact_column(projects, "amount_text")):
        if amount is None:
            continue
        if basis == "yearly":
            yearly[gid] = yearly.get(gid, Decimal(0)) + amount
        elif basis == "printed":
            printed[gid] = printed.get(gid, Decimal(0)) + amount
    return yearly, printed
