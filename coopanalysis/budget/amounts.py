"""Amount cells of a budget table: exact, never guessed.

A cell is well formed when it is digits with correctly placed thousands commas and an optional
decimal part (Thai digits accepted, a leading minus allowed, a dash meaning zero). Anything else
(``"528,000,00"``, ``"20,0"``) is *malformed*: no amount, the row is reported. An amount that is
not a whole number of satang (``"151,650,316.66666666"`` baht: float noise from an extractor's
division) is kept exactly as printed and flagged. A row a reviewed correction changed has the
status ``corrected`` (:func:`coopanalysis.budget.rows.correct_rows`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pandas as pd

from coopanalysis.text.thai import DASHES, amount_text, to_arabic

__all__ = ["OK", "MALFORMED", "FLOAT_NOISE", "MISSING", "CORRECTED", "EXPONENT", "parse_amount_cell", "to_million",
           "amount_column", "same_amount"]

OK, MALFORMED, FLOAT_NOISE, MISSING = "ok", "malformed_amount", "float_noise", "missing_amount"
CORRECTED = "corrected"
_WELL_FORMED = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
EXPONENT = {"baht": -6, "thousand_baht": -3, "million_baht": 0}
_MAX_DIGITS = 30


def to_million(value: Decimal, unit: str) -> Decimal:
    """Exact conversion to million baht (a shift of the decimal point, no rounding).

    >>> to_million(Decimal("78459000"), "baht"), to_million(Decimal("1.5"), "thousand_baht")
    (Decimal('78.459000'), Decimal('0.0015'))
    """
    return value.scaleb(EXPONENT[unit])


@lru_cache(maxsize=1 << 16)
def parse_amount_cell(cell: str, unit: str = "baht") -> tuple[Decimal | None, str]:
    """``(amount in million baht or None, status)`` for one cell.

    >>> parse_amount_cell("78,459,000")
    (Decimal('78.459000'), 'ok')
    >>> parse_amount_cell("528,000,00"), parse_amount_cell("20,0"), parse_amount_cell("")
    ((None, 'malformed_amount'), (None, 'malformed_amount'), (None, 'missing_amount'))
    >>> parse_amount_cell("151,650,316.66666666")
    (Decimal('151.65031666666666'), 'float_noise')
    >>> parse_amount_cell("28,643,300.0"), parse_amount_cell("-")
    ((Decimal('28.6433000'), 'ok'), (Decimal('0'), 'ok'))
    >>> parse_amount_cell("1.5", "million_baht"), parse_amount_cell("1.000000001", "million_baht")
    ((Decimal('1.5'), 'ok'), (Decimal('1.000000001'), 'float_noise'))
    """
    text = to_arabic(cell.strip())
    if not text:
        return None, MISSING
    if text in DASHES:
        return Decimal(0), OK
    if len(text) > _MAX_DIGITS + 10 or not _WELL_FORMED.match(text):
        return None, MALFORMED
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        return None, MALFORMED
    baht = value.scaleb(EXPONENT[unit] + 6)
    status = OK if baht.scaleb(2) == baht.scaleb(2).to_integral_value() else FLOAT_NOISE
    return to_million(value, unit), status


def amount_column(cells: pd.Series, unit: str) -> tuple[pd.Series, pd.Series]:
    """The exact text of each cell's amount in million baht ('' when none) and its status.

    >>> texts, status = amount_column(pd.Series(["78,459,000", "500", "20,0", "๑,๐๐๐", "500"]), "baht")
    >>> texts.tolist(), status.tolist()
    (['78.459', '0.0005', '', '0.001', '0.0005'], ['ok', 'ok', 'malformed_amount', 'ok', 'ok'])
    """
    distinct = cells.unique().tolist()
    parsed = [parse_amount_cell(cell, unit) for cell in distinct]
    texts = dict(zip(distinct, [amount_text(amount) for amount, _status in parsed]))
    statuses = dict(zip(distinct, [status for _amount, status in parsed]))
    return cells.map(texts), cells.map(statuses)


def same_amount(written: str, cell: str, unit: str) -> bool:
    """True when *written* (e.g. the printed value of a correction) is what *cell* prints: the same
    text, or the same amount however its thousands are written.

    >>> same_amount("78459000", "78,459,000", "baht"), same_amount("20,0", "20,0", "baht")
    (True, True)
    >>> same_amount("7,845,900", "78,459,000", "baht"), same_amount("20", "20,0", "baht")
    (False, False)
    """
    if to_arabic(written.strip()) == to_arabic(cell.strip()):
        return True
    a, b = parse_amount_cell(written, unit)[0], parse_amount_cell(cell, unit)[0]
    return a is not None and b is not None and a == b
