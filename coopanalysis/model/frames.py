"""Plain Python values from the cells of a plan's DataFrames (no pandas types leak out).

Pure functions shared by :mod:`coopanalysis.model.figures` and :mod:`coopanalysis.checks`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

__all__ = ["to_decimal", "to_int", "text", "records"]


def to_decimal(value) -> Decimal | None:
    """Exact Decimal of a table cell's text; None for empty / missing / not a finite number.

    >>> to_decimal("0.5"), to_decimal(""), to_decimal(None), to_decimal("inf")
    (Decimal('0.5'), None, None, None)
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    value = str(value).strip()
    if not value or value.lower() == "nan":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_int(value) -> int | None:
    """int of a nullable cell; None for NA / empty / not an integer.

    >>> to_int("2560"), to_int(""), to_int(None), to_int("x"), to_int(2565.0), to_int(2565.5)
    (2560, None, None, None, 2565, None)
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # a column an edit made float64 (2565.0)
        return int(value) if value.is_integer() else None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def text(value) -> str:
    """A cell as text; '' for missing.

    >>> text(None), text(float("nan")), text("5.1")
    ('', '', '5.1')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def records(frame: pd.DataFrame | None) -> list[dict]:
    """Rows as dicts of plain Python values (None for missing); much faster than to_dict()."""
    if frame is None or frame.empty:
        return []
    columns = [
        frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns
    ]
    keys = list(frame.columns)
    return [dict(zip(keys, values)) for values in zip(*columns)]
