"""Likely causes of a printed total that its parts do not add up to: the one hint engine.

A plan's row of yearly values against its printed total, a tactic's projects against the
summary page, a budget table's rows beneath a printed total: each asks which part (or the
total), read differently, makes the sum agree **exactly**. Pure functions on
:class:`~decimal.Decimal`; each returns a :class:`Hint` (or ``None``).

=========================  ===============================================================
code                       what fits
=========================  ===============================================================
``lost_decimal``           dividing one cell, all cells with the same value, any subset of up
                           to 3 cells, or the total, by 10 (``15`` printed for ``1.5``)
``repeated_value``         one value too many, equal to its neighbour; dropping it adds up
``missing_year``           one value fewer than the years, and the values add up to the total
``swapped_digits``         swapping two adjacent digits of one cell or of the total (``52``/``25``)
``malformed_amount``       parts beneath have no amount (unreadable), and the rest add up to less
``subtotal_double_count``  a subtotal kept beside its items: the parts the source flagged as
                           subtotals add up to the gap, or one part equals the gap and the sum
                           of at least two neighbouring parts (just after it, else just before)
``duplicate_rows``         the parts the source flagged as duplicates add up to the gap, or
                           one part repeats an earlier part's name and amount and equals the gap
=========================  ===============================================================

:func:`likely_cause` reads a row of values for the years (a project's row). :func:`gap_cause`
reads the parts beneath any printed total (a tactic's projects, a table's rows) and tries, in
this order, the first that fits winning:

1. ``malformed_amount`` (the parts add up to less, and some have no amount);
2. ``subtotal_double_count``, then ``duplicate_rows``, from the source's own flags;
3. with ``cells=False`` (parts that are sums checked on their own: a plan's projects against
   their printed totals), the printed total read differently: ``lost_decimal``, then
   ``swapped_digits``;
4. ``subtotal_double_count``, then ``duplicate_rows``, from the amounts and names alone;
5. with ``cells=True`` (parts that are lines of their own: a table's rows, extracted from a
   volume whose printed numbers are clean), one part whose decimal point was lost
   (``lost_decimal``), then one part repeating its neighbour (``repeated_value``).

Swapped digits are not tried on a table's rows: over a hundred rows, some swap closes any gap
of the form 9 × 100,000 by chance (volume 3(5) row 155 prints 2,355,000 as the volume does; a
swap to 3,255,000 would have closed the 900,000 missing beneath its output). For the same
reason a table's lost decimal point is one row's, never several rows' together.

So a part equal to the gap that is both the sum of its neighbours and a repeat of an earlier
part is named a subtotal; two equal neighbours of different names (a "subtotal" of one item)
are a repeated value among a table's rows, and no cause among a plan's projects.

>>> D = Decimal
>>> hint = likely_cause([D("0.5"), D(5), D(15), D(15), D(15)], D(10), n_years=5)
>>> hint.code, [(i, str(new)) for i, old, new in hint.cells]
('lost_decimal', [(2, '1.5'), (3, '1.5'), (4, '1.5')])
>>> h = gap_cause([Part(D(2)), Part(D(3)), Part(D(5)), Part(D(4))], D(9))
>>> h.code, h.cells, h.basis
('subtotal_double_count', ((2, Decimal('5'), None),), (0, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from coopanalysis.checks.wording import exact
from coopanalysis.text.thai import amount_text

__all__ = ["CAUSE_EN", "CAUSE_TH", "CODES", "PHRASES", "TOTAL", "Hint", "Part", "describe", "digit_swaps",
           "gap_cause", "likely_cause", "lost_decimal", "missing_year", "repeated_value", "swapped_digits",
           "total_cause"]

TOTAL = "total"
TEN = Decimal(10)
CODES = ("lost_decimal", "repeated_value", "missing_year", "swapped_digits", "malformed_amount",
         "subtotal_double_count", "duplicate_rows")
#: The cause in a few words (Thai, English); a table's printed total that no hint explains gets
#: ``missing_rows``, ``extra_rows`` or ``no_items``.
PHRASES = {
    "malformed_amount": ("แถวที่อยู่ใต้ยอดนี้มีจำนวนเงินผิดรูปแบบ (ไม่ได้นับรวม)",
                         "a row beneath has a malformed amount (not counted)"),
    "subtotal_double_count": ("มีแถวยอดรวมย่อยอยู่คู่กับรายการของมัน จึงนับซ้ำ",
                              "a subtotal row kept beside its items double-counts"),
    "duplicate_rows": ("มีแถวซ้ำกัน จึงนับซ้ำ", "duplicated rows are counted twice"),
    "missing_rows": ("รายการในตารางรวมได้น้อยกว่ายอดที่พิมพ์: อาจมีแถวตกหล่นจากการสกัดข้อมูล",
                     "the items add up to less than printed: rows missing from the extraction?"),
    "extra_rows": ("รายการในตารางรวมได้มากกว่ายอดที่พิมพ์: อาจมีแถวเกินหรือแถวของหน่วยอื่นปนมา",
                   "the items add up to more than printed: extra rows, or rows of another node?"),
    "no_items": ("ไม่มีรายการใต้ยอดนี้ในปีนั้น", "no item rows beneath this total in that year"),
}
#: How every hint sentence begins.
CAUSE_TH, CAUSE_EN = "สาเหตุที่เป็นไปได้: ", "likely cause: "


@dataclass(frozen=True)
class Hint:
    """A likely cause. ``cells``: ``(index, printed, suggested)``; index ``"total"`` for the
    printed total; ``printed`` is ``None`` for a part without an amount, ``suggested`` ``None``
    for a value to drop. ``basis``: the parts a dropped one repeats or sums (source order)."""

    code: str
    cells: tuple[tuple[int | str, Decimal | None, Decimal | None], ...]
    basis: tuple[int, ...] = ()


@dataclass(frozen=True)
class Part:
    """One amount beneath a printed total: *amount* (``None`` when unreadable), the *name*
    that tells duplicates apart (``""``: never a duplicate), and the *flags* the source's
    ingest gave it (``suspected_subtotal``, ``duplicate``, ``missing_amount`` …)."""

    amount: Decimal | None
    name: str = ""
    flags: frozenset[str] = frozenset()


def _sum(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _lost_decimal_cell(values: list[Decimal], total: Decimal) -> Hint | None:
    """The first cell that, divided by 10, makes the values add up to *total*."""
    s = _sum(values)
    for i, v in enumerate(values):
        if v != 0 and s - v + v / TEN == total:
            return Hint("lost_decimal", ((i, v, v / TEN),))
    return None


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
    hint = _lost_decimal_cell(values, total)
    if hint is not None:
        return hint
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

    Returns the index of the spurious (second) copy, and the first as its basis.

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
            return Hint("repeated_value", ((i + 1, values[i + 1], None),), (i,))
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
    """The first cause that fits a row of values for the years, or None.

    With *n_years*: one value too many → :func:`repeated_value`; one too few →
    :func:`missing_year`; as many as years → :func:`lost_decimal`, then :func:`swapped_digits`.
    ``cells=False`` only considers the total (see :func:`total_cause`).

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
    return total_cause(values, total)


def total_cause(values: Sequence[Decimal], total: Decimal) -> Hint | None:
    """The printed total read differently adds up: its decimal point lost, then two digits swapped.

    >>> D = Decimal
    >>> total_cause([D(1), D(2), D("7.5")], D(105)).cells
    (('total', Decimal('105'), Decimal('10.5')),)
    >>> total_cause([D(30)], D(3)) is None   # a cell's lost decimal point is not the total's
    True
    """
    values = list(values)
    if total != 0 and total / TEN == _sum(values):
        return Hint("lost_decimal", ((TOTAL, total, total / TEN),))
    return swapped_digits(values, total, cells=False)


def _subtotal(amounts: list[Decimal | None], gap: Decimal) -> Hint | None:
    """A part equal to *gap* and to the sum of at least two neighbours, just after it or else
    just before it (a subtotal printed above or below its items)."""
    for i, value in enumerate(amounts):
        if value != gap:
            continue
        for run in (range(i + 1, len(amounts)), range(i - 1, -1, -1)):
            acc, taken = Decimal(0), []
            for j in run:
                if amounts[j] is None:
                    break
                acc += amounts[j]
                taken.append(j)
                if len(taken) >= 2 and acc == value:
                    return Hint("subtotal_double_count", ((i, value, None),), tuple(sorted(taken)))
    return None


def _duplicate(parts: list[Part], gap: Decimal) -> Hint | None:
    """A part with the name and amount of an earlier part, equal to *gap*."""
    first: dict[tuple[str, Decimal], int] = {}
    for i, part in enumerate(parts):
        if part.amount is None or not part.name:
            continue
        key = (part.name, part.amount)
        if key in first and part.amount == gap:
            return Hint("duplicate_rows", ((i, part.amount, None),), (first[key],))
        first.setdefault(key, i)
    return None


def gap_cause(parts: Sequence[Part], total: Decimal, cells: bool = True) -> Hint | None:
    """The first cause that fits the *parts* beneath a printed *total*, in the order of the
    module's docstring, or None. Indexes in the hint are positions in *parts*.

    >>> D = Decimal
    >>> gap_cause([Part(D(1)), Part(None, flags=frozenset({"malformed_amount"}))], D(3)).code
    'malformed_amount'
    >>> h = gap_cause([Part(D(4), "a"), Part(D(3), "b"), Part(D(3), "b")], D(7), cells=False)
    >>> h.code, h.cells, h.basis
    ('duplicate_rows', ((2, Decimal('3'), None),), (1,))
    >>> h = gap_cause([Part(D(1)), Part(D(30)), Part(D(2))], D(6))
    >>> h.code, h.cells
    ('lost_decimal', ((1, Decimal('30'), Decimal('3')),))
    >>> gap_cause([Part(D(1)), Part(D(30)), Part(D(2))], D(6), cells=False) is None
    True
    """
    parts = list(parts)
    known = [i for i, p in enumerate(parts) if p.amount is not None]
    values = [parts[i].amount for i in known]
    gap = _sum(values) - total
    if gap == 0:
        return None
    unread = sorted((i for i, p in enumerate(parts) if p.amount is None),
                    key=lambda i: "missing_amount" in parts[i].flags)  # malformed first, then missing
    if gap < 0 and unread:
        return Hint("malformed_amount", tuple((i, None, None) for i in unread))
    for flag, code in (("suspected_subtotal", "subtotal_double_count"), ("duplicate", "duplicate_rows")):
        flagged = [i for i, p in enumerate(parts) if flag in p.flags]
        if flagged and gap > 0 and _sum([parts[i].amount for i in flagged if parts[i].amount is not None]) == gap:
            return Hint(code, tuple((i, parts[i].amount, None) for i in flagged))
    hint = None if cells else total_cause(values, total)
    if hint is None and gap > 0:
        hint = _subtotal([p.amount for p in parts], gap) or _duplicate(parts, gap)
    if hint is None and cells:
        cell = _lost_decimal_cell(values, total) or repeated_value(values, total)
        if cell is not None:  # indexes of the values → indexes of the parts
            hint = Hint(cell.code, tuple((i if i == TOTAL else known[i], old, new) for i, old, new in cell.cells),
                        tuple(known[i] for i in cell.basis))
    return hint


# ---- wording -------------------------------------------------------------------------------


def _n(value: Decimal) -> str:
    return exact(value)


def describe(hint: Hint, total: Decimal, labels_th: Sequence[str] = (), labels_en: Sequence[str] = ()) -> tuple[str, str]:
    """Thai and English sentences for *hint*; ``labels_*[i]`` name cell *i* (e.g. a BE year,
    a project, a table's row).

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

    if hint.code in PHRASES:
        return _dropped(hint, total, lambda i: label(i, labels_th, "ยอดรวม"), lambda i: label(i, labels_en, "total"))
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


def _dropped(hint: Hint, total: Decimal, where_th, where_en) -> tuple[str, str]:
    """The parts' causes: the phrase, then (when the hint says which parts it repeats or sums)
    the part to drop and what it repeats."""
    th, en = PHRASES[hint.code]
    if not hint.basis:
        return CAUSE_TH + th, CAUSE_EN + en
    index, old, _ = hint.cells[0]
    basis_th = ", ".join(where_th(i) for i in hint.basis)
    basis_en = ", ".join(where_en(i) for i in hint.basis)
    if hint.code == "subtotal_double_count":
        what_th = f"{_n(old)} ของ{where_th(index)} เท่ากับผลรวมของ{basis_th}"
        what_en = f"{_n(old)} in {where_en(index)} is the sum of {basis_en}"
    else:
        what_th = f"{where_th(index)} ซ้ำกับ{basis_th} ({_n(old)} ล้านบาท)"
        what_en = f"{where_en(index)} repeats {basis_en} ({_n(old)})"
    return (f"{CAUSE_TH}{th} — {what_th} ตัดออกแล้วรวมได้ {_n(total)} ล้านบาทพอดี",
            f"{CAUSE_EN}{en}: {what_en}; dropping it adds up to exactly {_n(total)}")
