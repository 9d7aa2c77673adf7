"""Small helpers the exports share: the float a spreadsheet cell stores.

What the exports write is shaped once, from a dataset, by :mod:`coopanalysis.exports.shape`.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["exact_float", "is_exact_float"]


def exact_float(value: Decimal) -> float:
    """A Decimal as the float a spreadsheet cell stores: the same decimal when it has at most
    15 significant digits (every printed amount), else the nearest float (amounts with float
    noise in a budget table, e.g. ``2.5084833333333335``; the long table keeps their text).

    >>> exact_float(Decimal("80.5")), exact_float(Decimal("0.12345678"))
    (80.5, 0.12345678)
    >>> is_exact_float(Decimal("0.12345678")), is_exact_float(Decimal("2.5084833333333335"))
    (True, False)
    """
    return float(value)


def is_exact_float(value: Decimal) -> bool:
    """True when the float of *value* prints back as the same decimal (see :func:`exact_float`)."""
    return Decimal(repr(float(value))) == value


