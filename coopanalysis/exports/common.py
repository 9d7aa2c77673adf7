"""Small helpers both exports share: the float a spreadsheet cell stores, dates in the Buddhist era.

What the exports write is shaped once, from a dataset, by :mod:`coopanalysis.exports.shape`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

__all__ = ["be_date", "exact_float", "is_exact_float"]

#: Thai month names for dates in the Buddhist era.
_MONTHS_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
              "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


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


def be_date(day: date | None = None, thai_digits: bool = False) -> str:
    """A date in the Buddhist era, Thai month name: ``26 พฤศจิกายน 2569``.

    >>> be_date(date(2026, 11, 26)), be_date(date(2017, 1, 5), thai_digits=True)
    ('26 พฤศจิกายน 2569', '๕ มกราคม ๒๕๖๐')
    """
    from coopanalysis.text.fmt import digits

    day = day or date.today()
    return digits(f"{day.day} {_MONTHS_TH[day.month - 1]} {day.year + 543}", thai_digits)
