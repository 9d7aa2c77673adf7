"""Numbers for readers: the one home of amount, percent, count and year formatting.

Pure functions (no pandas import) used by the checks' messages, the charts, the report tables,
the index and the exports alike, so a figure reads the same everywhere. A missing value reads
:data:`MISSING`; digits are Arabic unless ``thai_digits`` is true.
"""

from __future__ import annotations

import math
from decimal import Decimal

from coopanalysis.text.fiscal import year_text
from coopanalysis.text.thai import format_number, to_arabic, to_thai

__all__ = ["MISSING", "is_missing", "digits", "amount", "percent", "count", "year"]

#: Shown for a missing figure.
MISSING = "–"


def is_missing(value) -> bool:
    """True for None, NaN, pandas' NA/NaT and the empty string.

    >>> [is_missing(v) for v in (None, float("nan"), "", 0, "0", Decimal("1"))]
    [True, True, True, False, False, False]
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    name = type(value).__name__
    return name in ("NAType", "NaTType")


def digits(text, thai_digits: bool = False) -> str:
    """Every digit of *text* in Thai (``thai_digits``) or Arabic digits; '' for None.

    >>> digits("ยุทธศาสตร์ที่ 5", True), digits("๒๕๖๐"), digits(None)
    ('ยุทธศาสตร์ที่ ๕', '2560', '')
    """
    text = "" if text is None else str(text)
    return to_thai(text) if thai_digits else to_arabic(text)


def amount(value, thai_digits: bool = False, sign: bool = False, decimals: int | None = None) -> str:
    """An amount in million baht for reading: ``1,200.5``; :data:`MISSING` when missing;
    ``+33`` with *sign*. Exact up to four decimals (rounded beyond), or *decimals* fixed.

    >>> amount(1200.5), amount(float("nan")), amount(33.0, sign=True), amount(161.5, thai_digits=True)
    ('1,200.5', '–', '+33', '๑๖๑.๕')
    >>> amount(Decimal("0.1") + Decimal("0.2")), amount(-40, sign=True), amount(2.25, decimals=1)
    ('0.3', '-40', '2.2')
    """
    if is_missing(value):
        return MISSING
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return MISSING
    text = format_number(number, decimals=decimals, thai_digits=thai_digits)
    if sign and number > 0:
        text = "+" + text
    return text


def percent(value, thai_digits: bool = False, decimals: int = 1) -> str:
    """A fraction of 1 as a percentage: ``0.255`` -> ``25.5%``.

    >>> percent(0.255), percent(None), percent(1, thai_digits=True)
    ('25.5%', '–', '๑๐๐.๐%')
    """
    if is_missing(value):
        return MISSING
    return format_number(float(value) * 100, decimals=decimals, thai_digits=thai_digits) + "%"


def count(value, thai_digits: bool = False) -> str:
    """A whole number with thousands separators; :data:`MISSING` when missing.

    >>> count(1200), count(float("nan")), count(12, thai_digits=True)
    ('1,200', '–', '๑๒')
    """
    if is_missing(value):
        return MISSING
    return digits(f"{int(value):,}", thai_digits)


def year(value, thai_digits: bool = False) -> str:
    """A Buddhist-era year (validated: a CE year is refused); :data:`MISSING` when missing.

    >>> year(2560), year(2564, thai_digits=True), year(None)
    ('2560', '๒๕๖๔', '–')
    """
    if is_missing(value):
        return MISSING
    return year_text(value, thai_digits)
