"""Amount cells of a budget table: exact, never guessed.

A cell is well formed when it is digits with correctly placed thousands commas and an optional
decimal part (Thai digits accepted, a leading minus allowed, a dash meaning zero). Anything else
(``"528,000,00"``, ``"20,0"``) is *malformed*: no amount, the row is reported. An amount that is
not a whole number of satang (``"151,650,316.66666666"`` baht: float noise from an extractor's
division) is kept exactly as printed and flagged.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import numpy as np
import pandas as pd

from ..thai import DASHES, amount_text, to_arabic

__all__ = ["OK", "MALFORMED", "FLOAT_NOISE", "MISSING", "EXPONENT", "parse_amount_cell", "to_million",
           "amount_texts", "plain_integers", "shifted"]

OK, MALFORMED, FLOAT_NOISE, MISSING = "ok", "malformed_amount", "float_noise", "missing_amount"
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


_WIDTH = 24  # the plain-integer shortcut looks at cells up to this many characters


def plain_integers(cells: list[str]) -> np.ndarray:
    """True for cells that are ``0`` or ASCII digits with correctly placed thousands commas and
    no leading zero (``1,234,500``): the common case, whose exact value is a shift of the point."""
    n = len(cells)
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=n)
    # as wide as the longest cell looked at (longer ones are cut here and refused below)
    width = int(min(lengths.max(initial=1), _WIDTH)) or 1
    chars = np.array(cells, dtype=f"U{width}").view(np.uint32).reshape(n, width)
    position = np.arange(width)[None, :]
    inside = position < lengths[:, None]
    comma_here = inside & ((lengths[:, None] - 1 - position) % 4 == 3)
    digit = (chars >= 48) & (chars <= 57)
    good = np.where(comma_here, chars == 44, ~inside | digit).all(axis=1)
    return good & (lengths > 0) & (lengths <= _WIDTH) & (lengths % 4 != 0) & ((chars[:, 0] != 48) | (lengths == 1))


def shifted(cells: np.ndarray, shift: int) -> np.ndarray:
    """Plain integer cells (a str array) divided by 10**shift, as exact text without trailing zeros.

    >>> shifted(np.array(["78,459,000", "500", "0", "1,000,000"]), 6).tolist()
    ['78.459', '0.0005', '0', '1']
    """
    digits = np.strings.replace(cells, ",", "")
    if not shift:
        return digits
    length = np.strings.str_len(digits)
    cut = np.maximum(length - shift, 0)
    whole = np.strings.slice(digits, 0, cut)
    whole = np.where(whole == "", "0", whole)
    fraction = np.strings.rstrip(np.strings.zfill(np.strings.slice(digits, cut, length), shift), "0")
    return np.where(fraction == "", whole, np.strings.add(np.strings.add(whole, "."), fraction))


def amount_texts(cells, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """``amount_text`` of the amount in million baht ('' when none) and the status, per stripped
    cell (object arrays): what :func:`parse_amount_cell` gives, with plain integers worked out
    as text.

    >>> texts, status = amount_texts(["78,459,000", "500", "0", "20,0", "1,5", "๑,๐๐๐"], "baht")
    >>> texts.tolist(), status.tolist()
    (['78.459', '0.0005', '0', '', '', '0.001'], ['ok', 'ok', 'ok', 'malformed_amount', 'malformed_amount', 'ok'])
    >>> amount_texts(["1,000", "12"], "thousand_baht")[0].tolist(), amount_texts(["1,000"], "million_baht")[0].tolist()
    (['1', '0.012'], ['1000'])
    """
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
    distinct = uniques.tolist()
    texts = np.empty(len(distinct), dtype=object)
    status = np.full(len(distinct), OK, dtype=object)
    if distinct:
        plain = plain_integers(distinct)
        shift = -EXPONENT[unit]
        if plain.any():
            texts[plain] = shifted(np.asarray(distinct, dtype=np.str_)[plain], shift).tolist()
        for k in np.flatnonzero(~plain).tolist():
            amount, status[k] = parse_amount_cell(distinct[k], unit)
            texts[k] = amount_text(amount)
    return texts[codes], status[codes]
