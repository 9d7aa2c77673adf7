"""Small pure helpers for Thai text and exact amounts.

Amounts stay :class:`~decimal.Decimal` (or their exact decimal string) until the very end, so a
printed ``๐.๕`` round-trips as ``0.5`` and sums carry no float noise.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext
from functools import lru_cache

from pythainlp.util import normalize as _pythainlp_normalize

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u3000]+")
# a printed amount: digits (Thai or Arabic), optional thousands commas, optional decimals
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")
DASHES = {"-", "–", "—", "−"}


class AmountError(ValueError):
    """A cell that should hold an amount does not."""


def to_arabic(text: str) -> str:
    """Thai digits to Arabic digits; everything else unchanged.

    >>> to_arabic("๒๕๖๐ ปี ๑.๕")
    '2560 ปี 1.5'
    """
    return text.translate(_TO_ARABIC)


def to_thai(text: str) -> str:
    """Arabic digits to Thai digits; everything else unchanged.

    >>> to_thai("2,560.5")
    '๒,๕๖๐.๕'
    """
    return text.translate(_TO_THAI)


# Every pattern that any step of pythainlp.util.normalize rewrites, widened to a superset
# (non-base = above/below vowels, tone marks and signs U+0E31, U+0E34-0E3A, U+0E47-0E4E).
# Text that matches none of them comes out of pythainlp unchanged, so the (slow) call is
# skipped; anything that might change goes through pythainlp itself.
_NON_BASE = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_MAY_CHANGE = re.compile(
    "[\u200b\u200c\n\u0e45\u0e4d]"  # zero-width, newline, lakkhangyao, nikhahit
    "|  |^\\s|\\s$"  # spaces collapsed and stripped
    f"|^[{_NON_BASE}]| [{_NON_BASE}]"  # dangling marks, spaces before marks
    "|\u0e40\u0e40"  # sara e + sara e
    f"|[\u0e48-\u0e4c][{_NON_BASE}]"  # tone mark before a vowel, repeated tone marks
    "|[\u0e30\u0e32\u0e33][\u0e48-\u0e4b]"  # follow vowel before a tone mark
    f"|([\u0e30\u0e32\u0e33\u0e40-\u0e44{_NON_BASE}]) *\\1"  # repeated vowels and signs
)


@lru_cache(maxsize=1 << 16)
def normalize_text(text: str) -> str:
    """Normalise Thai text as printed: mark order and ``ํา``→``ำ`` (pythainlp), spaces collapsed.

    Never NFKC. Leading/trailing spaces removed. Equal to ``pythainlp.util.normalize`` followed
    by collapsing runs of spaces; text that pythainlp would leave alone skips the call.

    >>> normalize_text("  กํากับ   ดูแล ")
    'กำกับ ดูแล'
    >>> normalize_text("เเปลก"), normalize_text("ที่ ยุทธศาสตร์")
    ('แปลก', 'ที่ ยุทธศาสตร์')
    """
    if text and _MAY_CHANGE.search(text):
        text = _pythainlp_normalize(text)
    return _SPACES.sub(" ", text).strip()


def match_key(text: str) -> str:
    """Key for matching names across sections: normalised, digits Arabic, spaces ignored.

    >>> match_key("การพัฒนาระบบ เทคโนโลยี") == match_key("การพัฒนาระบบเทคโนโลยี")
    True
    """
    return re.sub(r"\s+", "", to_arabic(normalize_text(text)))


@lru_cache(maxsize=1 << 14)
def is_amount(cell: str) -> bool:
    """True when *cell* is a printed amount or a dash (no allocation).

    >>> [is_amount(c) for c in ["๑,๒๐๐", "๐.๕", "-", "25", "ล้านบาท", "1o"]]
    [True, True, True, True, False, False]
    """
    cell = to_arabic(cell.strip())
    return cell in DASHES or bool(_AMOUNT.match(cell))


@lru_cache(maxsize=1 << 14)
def parse_amount(cell: str) -> Decimal:
    """A printed amount as an exact Decimal; a dash is 0.

    >>> parse_amount("๑,๒๐๐")
    Decimal('1200')
    >>> parse_amount("๐.๕")
    Decimal('0.5')
    >>> parse_amount("-")
    Decimal('0')
    >>> parse_amount("1o")
    Traceback (most recent call last):
    ...
    coopanalysis.text.thai.AmountError: not an amount: '1o'
    """
    text = to_arabic(cell.strip())
    if text in DASHES:
        return Decimal(0)
    if not _AMOUNT.match(text):
        raise AmountError(f"not an amount: {cell!r}")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise AmountError(f"not an amount: {cell!r}") from exc


def amount_text(value: Decimal | None) -> str:
    """Exact decimal string for a table cell: no exponent, no trailing zeros, '' for None.

    >>> [amount_text(Decimal(x)) for x in ["1.50", "10", "0.5", "1E+1", "0"]]
    ['1.5', '10', '0.5', '10', '0']
    >>> amount_text(None)
    ''
    """
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_number(value, decimals: int | None = None, thai_digits: bool = False) -> str:
    """Format a number with thousands separators; optionally in Thai digits.

    ``decimals=None`` keeps the significant decimals of the value (0.5 stays 0.5, 10 stays 10).

    >>> format_number(1200.5)
    '1,200.5'
    >>> format_number(Decimal("161.5"), thai_digits=True)
    '๑๖๑.๕'
    >>> format_number(25, decimals=1)
    '25.0'
    >>> format_number(Decimal("1" * 30))
    '111,111,111,111,111,111,111,111,111,111'
    >>> format_number(Decimal("9" * 24), decimals=1)
    '999,999,999,999,999,999,999,999.0'
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:
        pass
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    if not dec.is_finite():
        return ""
    if decimals is None:
        with localcontext() as ctx:  # enough precision for any number of digits (no InvalidOperation)
            ctx.prec = max(28, dec.adjusted() + 8)
            text = amount_text(dec.quantize(Decimal("0.0001")).normalize())
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = whole.lstrip("-")
        text = sign + f"{int(whole):,}" + (f".{frac}" if frac else "")
    elif dec.adjusted() < 15:  # a float holds every digit: the historical rounding, unchanged
        text = f"{float(dec):,.{decimals}f}"
    else:  # beyond 15 digits a float invents digits (999...9 as 999...983,222,784): exact Decimal
        text = f"{dec:,.{decimals}f}"  # formatting rescales exactly; the context's precision plays no part
    return to_thai(text) if thai_digits else text

