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
    sums: dict[tuple[tuple, int], Decimal | None] = {}  # None: a nested row without an amount
    for path, year, amount in zip(paths, years, amounts):
        for depth in range(1, len(path)):
            above = (path[:depth], year)
            if path[:depth] in wanted and sums.get(above, 0) is not None:
                sums[above] = None if amount == "" else sums.get(above, Decimal(0)) + Decimal(amount)
    return [i for i in candidates if sums.get((paths[i], years[i])) == Decimal(amounts[i])]


def duplicates(node, years: pd.Series, obliged: pd.Series, amounts: pd.Series, printed: pd.Series) -> dict[int, int]:
    """``{row: first row}`` (positions) for every row repeating an earlier row's node, year,
    obligation flag and amount (*amounts*: exact text, '' when none; then the cell as *printed*
    tells them apart)."""
    amount = amounts.to_numpy()
    rows = pd.DataFrame({"node": node, "year": years.to_numpy(), "obliged": obliged.to_numpy(),
                         "amount": ["raw:" + p if a == "" else a for a, p in zip(amount, printed.to_numpy())]})
    first = rows.groupby(list(rows.columns), sort=False).cumcount()
    repeated = rows[first > 0]
    if not len(repeated):
        return {}
    first_of = rows.reset_index().drop_duplicates(list(rows.columns)).set_index(list(rows.columns))["index"]
    firsts = first_of.reindex(pd.MultiIndex.from_frame(repeated)).tolist()
    return dict(zip(repeated.index.tolist(), firsts))
