"""Rows a budget table repeats: duplicates, and amounts equal to the sum of the rows nested under them."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

__all__ = ["suspected_subtotals", "duplicates"]

def suspected_subtotals(keys: list[pd.Series], years: pd.Series, amounts: pd.Series) -> list[int]:
    """Rows (positions, ascending) whose amount equals the sum of the rows nested under them in
    the same year: rows whose key path (their non-empty match keys in order, whatever the level)
    starts with theirs and goes deeper. A nested row without an amount spoils that year's sum; a
    zero amount is never a subtotal.

    *keys*: per level, a match key per row ('' when none); *amounts*: exact text in million
    baht ('' when none).

    >>> keys = [pd.Series(["A", "A", "A"]), pd.Series(["", "x", "y"])]
    >>> suspected_subtotals(keys, pd.Series([2565] * 3), pd.Series(["3", "1", "2"]))
    [0]
    """
    paths = [tuple(key for key in row if key) for row in zip(*(level.tolist() for level in keys))]
    years, amounts = years.tolist(), amounts.tolist()
    has_nested = {path[:depth] for path in paths for depth in range(1, len(path))}
    candidates = [i for i, (path, amount) in enumerate(zip(paths, amounts))
                  if amount not in ("", "0") and path in has_nested]
    if not candidates:
        return []
    wanted = {paths[i] for i in candidates}
    sums: dict[tuple[tuple, int], Decimal] = {}
    spoiled = set()  # (path, year) with a nested row without an amount
    for path, year, amount in zip(paths, years, amounts):
        for depth in range(1, len(path)):
            above = (path[:depth], year)
            if path[:depth] not in wanted:
                continue
            if amount == "":
                spoiled.add(above)
            else:
                sums[above] = sums.get(above, Decimal(0)) + Decimal(amount)
    return [i for i in candidates
            if (paths[i], years[i]) not in spoiled and sums.get((paths[i], years[i])) == Decimal(amounts[i])]


def duplicates(node, years: pd.Series, obliged: pd.Series, amounts: pd.Series, printed: pd.Series) -> dict[int, int]:
    """``{row: first row}`` (positions) for every row repeating an earlier row's node, year,
    obligation flag and amount (*amounts*: exact text, '' when none; then the cell as *printed*
    tells them apart)."""
    first: dict[tuple, int] = {}
    repeats = {}
    rows = zip(node.tolist(), years.tolist(), obliged.tolist(), amounts.tolist(), printed.tolist())
    for i, (at, year, flag, amount, cell) in enumerate(rows):
        key = (at, year, flag, amount) if amount else (at, year, flag, amount, cell)
        if first.setdefault(key, i) != i:
            repeats[i] = first[key]
    return repeats
