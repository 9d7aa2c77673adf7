"""Likely causes of a row of printed values that does not add up to its printed total.

Pure functions on :class:`~decimal.Decimal`. Each returns a :class:`Hint` (or ``None``) saying
which printed cell, read differently, makes the row add up **exactly**:

=================  =====================================================================
code               what fits
=================  =====================================================================
``lost_decimal``   dividing one cell, all cells with the same value, any subset of up to
                   3 cells, or the total, by 10 (``15`` printed for ``1.5``)
``repeated_value`` one value too many, equal to its neighbour; dropping it adds up
``missing_year``   one value fewer than the years, and the values add up to the total
``swapped_digits`` swapping two adjacent digits of one cell or of the total (``52``/``25``)
=================  =====================================================================

>>> D = Decimal
>>> hint = likely_cause([D("0.5"), D(5), D(15), D(15), D(15)], D(10), n_years=5)
>>> hint.code, [(i, str(new)) for i, old, new in hint.cells]
('lost_decimal', [(2, '1.5'), (3, '1.5'), (4, '1.5')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from coopanalysis.text.thai import amount_text, format_number

TOTAL = "total"
TEN = Decimal(10)
CODES = ("lost_decimal", "repeated_value", "missing_year", "swapped_digits")


@dataclass(frozen=True)
class Hint:
    """A likely cause. ``cells``: ``(index, printed, suggested)``; index ``"total"`` for the
    printed total; ``suggested`` is ``None`` for a value to drop."""

    code: str
    cells: tuple[tuple[int | str, Decimal, Decimal | None], ...]


def _sum(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def lost_decimal(values: Sequence[Decimal], total: Decimal) -> Hint | None:
    """Dividing a cell (or the same-valued cells, or up to 3 cells, or the total) by 10 adds up.

    >>> D = Decimal
    >>> h = lost_decimal([D(1), D(2), D(30), D(3), D(3)], D(12))
    >>> [(i, str(old), str(new)) for i, old, new in h.cells]
    [(2, '30', '3')]
    >>> h = lost_decimal([D("0.5"), D(5), D(15), D(15), D(15)], D(10))
    >>> [i for i, old, new in h.cells]
    [2, 3, 4]
    >>> h = lost_decimal([D(1), D(20), D(30), D(4)], D(10))   # two different cells
    >>> [(i, str(new)) for i, old, new in h.cells]
    [(1, '2'), (2, '3')]
    >>> lost_decimal([D(1), D(2), D("7.5")], D(105)).cells
    (('total', Decimal('105'), Decimal('10.5')),)
    >>> lost_decimal([D(1), D(2)], D(4)) is None
    True
    """
    values = list(values)
    s = _sum(values)
    if s == total:
        return None
    # one cell
    for i, v in enumerate(values):
        if v != 0 and s - v + v / TEN == total:
            return Hint("lost_decimal", ((i, v, v / TEN),))
    # all cells with the same value
    for v in dict.fromkeys(values):
        idx = [i for i, x in enumerate(values) if x == v]
        if v != 0 and len(idx) > 1 and s - len(idx) * v + len(idx) * (v / TEN) == total:
            return Hint("lost_decimal", tuple((i, v, v / TEN) for i in idx))
    # any subset of 2 or 3 cells
    nonzero = [i for i, v in enumerate(values) if v != 0]
    for k in (2, 3):
        for combo in combinations(nonzero, k):
            part = _sum([values[i] for i in combo])
            if s - part + part / TEN == total:
                return Hint("lost_decimal", tuple((i, values[i], values[i] / TEN) for i in combo))
    # the total
    if total != 0 and total / TEN == s:
        return Hint("lost_decimal", ((TOTAL, total, total / TEN),))
    return None


def repeated_value(values: Sequence[Decimal], total: Decimal, n_years: int | None = None) -> Hint | None:
    """One extra value equal to its neighbour; dropping it makes the row add up.

    Returns the index of the spurious (second) copy.

    >>> D = Decimal
    >>> h = repeated_value([D(2), D(2), D(3), D(3), D(3), D(3)], D(13), n_years=5)
    >>> h.cells
    ((3, Decimal('3'), None),)
    >>> repeated_value([D(1), D(10), D(10), D(10), D(10), D(10)], D(60), n_years=5) is None
    True
    """
    values = list(values)
    if n_years is not None and len(values) != n_years + 1:
        return None
    s = _sum(values)
    for i in range(len(values) - 1):
        if values[i] == values[i + 1] and s - values[i] == total:
            return Hint("repeated_value", ((i + 1, values[i + 1], None),))
    return None


def missing_year(values: Sequence[Decimal], total: Decimal, n_years: int) -> Hint | None:
    """One value fewer than the years, and the values add up to the total.

    >>> D = Decimal
    >>> missing_year([D(5), D(5), D(5), D(5)], D(20), n_years=5).code
    'missing_year'
    >>> missing_year([D(5), D(5), D(5), D(5)], D(25), n_years=5) is None
    True
    """
    values = list(values)
    if n_years is None or len(values) != n_years - 1 or _sum(values) != total:
        return None
    return Hint("missing_year", ())


def digit_swaps(value: Decimal) -> list[Decimal]:
    """Values obtained by swapping two adjacent (different) digits; the decimal point stays.

    A result with a leading zero (``08``) is not a printed number and is skipped.

    >>> [str(v) for v in digit_swaps(Decimal(52))]
    ['25']
    >>> [str(v) for v in digit_swaps(Decimal("5.4"))]
    ['4.5']
    >>> [str(v) for v in digit_swaps(Decimal("80.5"))]
    ['85.0']
    """
    text = amount_text(value).lstrip("-")
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    out = []
    for a, b in zip(positions, positions[1:]):
        if text[a] == text[b]:
            continue
        chars = list(text)
        chars[a], chars[b] = chars[b], chars[a]
        swapped = "".join(chars)
        if len(swapped) > 1 and swapped[0] == "0" and swapped[1] != ".":
            continue
        out.append(Decimal(swapped) * (-1 if value < 0 else 1))
    return out


def swapped_digits(values: Sequence[Decimal], total: Decimal, cells: bool = True) -> Hint | None:
    """Swapping two adjacent digits of one cell (or of the total) makes the row add up.

    >>> D = Decimal
    >>> swapped_digits([D(10), D(52)], D(35)).cells
    ((1, Decimal('52'), Decimal('25')),)
    >>> swapped_digits([D(10), D(15)], D(52)).cells
    (('total', Decimal('52'), Decimal('25')),)
    >>> swapped_digits([D(1), D(1)], D(3)) is None
    True
    """
    values = list(values)
    s = _sum(values)
    if s == total:
        return None
    if cells:
        for i, v in enumerate(values):
            for new in digit_swaps(v):
                if s - v + new == total:
                    return Hint("swapped_digits", ((i, v, new),))
    for new in digit_swaps(total):
        if new == s:
            return Hint("swapped_digits", ((TOTAL, total, new),))
    return None


def likely_cause(values: Sequence[Decimal], total: Decimal, n_years: int | None = None,
                 cells: bool = True) -> Hint | None:
    """The first cause that fits, or None.

    With *n_years*: one value too many → :func:`repeated_value`; one too few →
    :func:`missing_year`; as many as years → :func:`lost_decimal`, then :func:`swapped_digits`.
    ``cells=False`` only considers the total (for sums of projects whose own figures are
    checked separately).

    >>> D = Decimal
    >>> likely_cause([D(5)] * 4, D(20), n_years=5).code
    'missing_year'
    >>> likely_cause([D("4.5")], D("5.4"), cells=False).cells
    (('total', Decimal('5.4'), Decimal('4.5')),)
    >>> likely_cause([D(1), D(10), D(10), D(10), D(10), D(10)], D(60), n_years=5) is None
    True
    """
    values = list(values)
    if n_years is not None and len(values) == n_years + 1:
        return repeated_value(values, total, n_years)
    if n_years is not None and len(values) == n_years - 1:
        return missing_year(values, total, n_years)
    if (n_years is not None and len(values) != n_years) or _sum(values) == total:
        return None
    if cells:
        return lost_decimal(values, total) or swapped_digits(values, total)
    if total != 0 and total / TEN == _sum(values):
        return Hint("lost_decimal", ((TOTAL, total, total / TEN),))
    return swapped_digits(values, total, cells=False)


# ---- wording -------------------------------------------------------------------------------


def _n(value: Decimal) -> str:
    return format_number(value)


def describe(hint: Hint, total: Decimal, labels_th: Sequence[str] = (), labels_en: Sequence[str] = ()) -> tuple[str, str]:
    """Thai and English sentences for *hint*; ``labels_*[i]`` name cell *i* (e.g. a BE year).

    >>> D = Decimal
    >>> h = lost_decimal([D("0.5"), D(5), D(15), D(15), D(15)], D(10))
    >>> th, en = describe(h, D(10), [f"ปี {y}" for y in range(2560, 2565)], [str(y) for y in range(2560, 2565)])
    >>> th
    'สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า 15 ของปี 2562, ปี 2563, ปี 2564 เป็น 1.5 จะรวมได้ 10 ล้านบาทพอดี'
    >>> en
    'likely cause: lost decimal point: reading 15 in 2562, 2563, 2564 as 1.5 adds up to exactly 10'
    """

    def label(index, labels, fallback):
        if index == TOTAL:
            return fallback
        return labels[index] if isinstance(index, int) and index < len(labels) else f"#{int(index) + 1}"

    def cell_phrase(labels, total_word):
        # group cells that change the same way: "15 in 2562, 2563 → 1.5"
        parts = []
        grouped: dict[tuple, list] = {}
        for index, old, new in hint.cells:
            grouped.setdefault((old, new), []).append(index)
        for (old, new), indexes in grouped.items():
            where = ", ".join(label(i, labels, total_word) for i in indexes)
            parts.append((old, new, where))
        return parts

    if hint.code == "missing_year":
        return ("สาเหตุที่เป็นไปได้: ตัวเลขปีหนึ่งหายไป — ค่าที่พิมพ์มีน้อยกว่าจำนวนปีหนึ่งค่า แต่รวมได้เท่ายอดรวมพอดี",
                "likely cause: a missing year: one value fewer than the years, and they add up to the total")
    if hint.code == "repeated_value":
        index, old, _ = hint.cells[0]
        where_th = label(index, labels_th, "ยอดรวม")
        where_en = label(index, labels_en, "total")
        return (f"สาเหตุที่เป็นไปได้: ค่า {_n(old)} ถูกพิมพ์ซ้ำลงช่องถัดไป ({where_th}) — ตัดออกแล้วรวมได้ {_n(total)} ล้านบาทพอดี",
                f"likely cause: value {_n(old)} repeated into the next cell ({where_en}); dropping it adds up to exactly {_n(total)}")
    th_parts = cell_phrase(labels_th, "ยอดรวมที่พิมพ์")
    en_parts = cell_phrase(labels_en, "the printed total")
    target_th = target_en = _n(total)
    if any(i == TOTAL for i, _, _ in hint.cells):
        target_th = target_en = None
    th = "; ".join(f"{w} {_n(o)} เป็น {_n(n)}" if w == "ยอดรวมที่พิมพ์" else f"{_n(o)} ของ{w} เป็น {_n(n)}"
                   for o, n, w in th_parts)
    en = "; ".join(f"{w} {_n(o)} as {_n(n)}" if w == "the printed total" else f"{_n(o)} in {w} as {_n(n)}"
                   for o, n, w in en_parts)
    if hint.code == "lost_decimal":
        head_th, head_en = "สาเหตุที่เป็นไปได้: จุดทศนิยมหายไป — ถ้า ", "likely cause: lost decimal point: reading "
    else:
        head_th, head_en = "สาเหตุที่เป็นไปได้: ตัวเลขสลับหลัก — ถ้า ", "likely cause: two digits swapped: reading "
    if target_th is None:
        return (f"{head_th}{th} จะตรงกับผลรวมพอดี", f"{head_en}{en} makes them agree exactly")
    return (f"{head_th}{th} จะรวมได้ {target_th} ล้านบาทพอดี", f"{head_en}{en} adds up to exactly {target_en}")
