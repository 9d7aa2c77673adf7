"""Roll item amounts up a budget dataset's hierarchy, exactly, a column at a time.

Node ids are dotted paths (``1.2.3``), so a node's ancestors are the prefixes of its id. The
amounts (exact decimal text, million baht) become integers at one common scale, so the sums
are integer sums (exact), grouped by prefix and year with numpy; each sum comes back as the
:class:`~decimal.Decimal` that adding the amounts one by one gives (same value, same exponent).
Amounts too long for 64-bit integers take the one-by-one path.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

__all__ = ["ancestors", "rollup", "rollup_present", "prefixes"]

_MAX_DIGITS = 18  # an amount's digits at the common scale that surely fit in an int64


def ancestors(node_id: str) -> list[str]:
    """The node and every node above it, top first.

    >>> ancestors("1.2.3")
    ['1', '1.2', '1.2.3']
    """
    parts = node_id.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _text(values) -> np.ndarray:
    return np.asarray(values, dtype=np.str_)  # pragma: no mutate


def _ints(values) -> np.ndarray:
    """Integers of a column of few distinct values (years), each converted once."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))  # pragma: no mutate
    return np.array([int(u) for u in uniques], dtype=np.int64)[codes]


def prefixes(ids: np.ndarray, depths=None):
    """``(depth, rows, prefix)`` for each depth: the rows whose node is that deep or deeper and
    the id of their ancestor at that depth (*ids*: a numpy str array; *depths* None: all).

    >>> [(d, r.tolist(), p.tolist()) for d, r, p in prefixes(np.array(["1.2.3", "4"]))]
    [(1, [0, 1], ['1', '4']), (2, [0], ['1.2']), (3, [0], ['1.2.3'])]
    """
    if not len(ids):
        return []
    depth_of = np.strings.count(ids, ".") + 1
    deepest = int(depth_of.max())
    wanted = set(range(1, deepest + 1)) if depths is None else {int(d) for d in depths if 1 <= int(d) <= deepest}
    length = np.strings.str_len(ids)
    out, after = [], np.zeros(len(ids), dtype=np.int64)  # where the next search starts
    for depth in range(1, max(wanted, default=0) + 1):
        dot = np.strings.find(ids, ".", after)
        if depth in wanted:
            rows = np.flatnonzero(depth_of >= depth)
            end = np.where(dot[rows] >= 0, dot[rows], length[rows])
            out.append((depth, rows, np.strings.slice(ids[rows], 0, end)))
        after = np.where(dot >= 0, dot + 1, length)
    return out


def _scaled(amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """The amounts with at most 6 decimals and 12 integer digits as integers at one scale (the
    largest of their decimals), their decimals, the rows of the others, and the scale; None if
    an amount is not a plain decimal or the integers could overflow."""
    if not len(amounts):
        return None  # nothing to add: the one-by-one path returns {}
    whole, _dot, fraction = np.strings.partition(amounts, ".")
    decimals = np.strings.str_len(fraction)
    # which amounts take the integer path (a choice of path, not of result)
    plain = (decimals <= 6) & (np.strings.str_len(whole) <= 12)  # pragma: no mutate
    scale = int(decimals[plain].max()) if plain.any() else 0  # pragma: no mutate
    try:
        values = np.strings.add(whole[plain], np.strings.ljust(fraction[plain], scale, "0")).astype(np.int64)
    except (ValueError, OverflowError):
        return None
    if len(values) and float(np.abs(values).astype(np.float64).sum()) >= 2.0 ** 62:
        return None
    return values, decimals[plain], np.flatnonzero(~plain), scale


def _items(dataset, years):
    """Node ids, years and amounts ('' when none) of the item rows in *years* (None: all)."""
    items = dataset.items
    amount = _text(items["amount_mb"].tolist())
    year = _ints(items["fiscal_year"].tolist())
    ids = _text(items["node_id"].tolist())
    if years is None:
        return ids, year, amount
    keep = np.isin(year, sorted({int(y) for y in years}))
    return ids[keep], year[keep], amount[keep]


def _slow(dataset, years, depths) -> dict[tuple[str, int], Decimal]:
    """One amount at a time (amounts with more digits than 64-bit integers hold)."""
    wanted = None if years is None else {int(y) for y in years}
    depths = None if depths is None else sorted({int(d) for d in depths})
    sums: dict[tuple[str, int], Decimal] = {}
    items = dataset.items
    for node_id, year, amount in zip(items["node_id"].tolist(), items["fiscal_year"].tolist(),
                                     items["amount_mb"].tolist()):
        year = int(year)
        if not amount or (wanted is not None and year not in wanted):
            continue
        value = Decimal(amount)
        if depths is None:
            nodes = ancestors(node_id)
        else:
            parts = node_id.split(".")
            nodes = [".".join(parts[:d]) for d in depths if d <= len(parts)]
        for node in nodes:
            key = (node, year)
            sums[key] = sums.get(key, Decimal(0)) + value
    return sums


def rollup(dataset, years=None, depths=None) -> dict[tuple[str, int], Decimal]:
    """``{(node_id, fiscal_year): sum of the item amounts beneath}`` (million baht, exact).

    Every row counts for its own year: the bill year's sums are its appropriation (obligation
    rows of that year included); another year's sums are the commitments for that year.
    Rows without an amount (malformed) add nothing. *depths* (the number of parts of a node id,
    ``1.2`` is depth 2) limits the sums to nodes at those depths.
    """
    return rollup_present(dataset, years, depths)[0]


def rollup_present(dataset, years=None, depths=None) -> tuple[dict[tuple[str, int], Decimal], set[tuple[str, int]]]:
    """:func:`rollup`, and the ``(node_id, fiscal_year)`` of every node at *depths* with at least
    one item row in that year, an amount or not (one pass for both)."""
    ids, year, amount = _items(dataset, years)
    has_amount = amount != ""
    scaled = _scaled(np.where(has_amount, amount, "0"))  # None: the one-by-one path, same sums  # pragma: no mutate
    if scaled is None:
        present = set()
        for _depth, rows, prefix in prefixes(ids, depths):
            present.update(zip(prefix.tolist(), year[rows].tolist()))
        return _slow(dataset, years, depths), present
    values, decimals, others, scale = scaled
    plain = np.ones(len(ids), dtype=bool)
    plain[others] = False  # pragma: no mutate
    where = np.cumsum(plain) - 1  # a plain row's place in values and decimals
    sums: dict[tuple[str, int], Decimal] = {}
    present: set[tuple[str, int]] = set()
    for _depth, rows, prefix in prefixes(ids, depths):
        take = plain[rows]
        chosen = rows[take]
        frame = pd.DataFrame({"p": prefix[take].astype(object), "y": year[chosen], "v": values[where[chosen]],
                              "d": decimals[where[chosen]], "n": has_amount[chosen]})
        grouped = frame.groupby(["p", "y"], sort=False).agg(  # pragma: no mutate
            v=("v", "sum"), d=("d", "max"), n=("n", "any"))
        for key, total, places, counted in zip(grouped.index.tolist(), grouped["v"].tolist(),
                                               grouped["d"].tolist(), grouped["n"].tolist()):
            present.add(key)
            if counted:  # rows without an amount add nothing, nor make a sum of zero
                sums[key] = Decimal(total // 10 ** (scale - places)).scaleb(-places)
        for node, j in zip(prefix[~take].tolist(), rows[~take].tolist()):  # the few long amounts
            key = (node, int(year[j]))
            present.add(key)
            sums[key] = sums.get(key, Decimal(0)) + Decimal(str(amount[j]))
    return sums, present
