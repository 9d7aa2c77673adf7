"""Rows a budget table repeats: duplicates, and amounts equal to the sum of the rows nested under them."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

__all__ = ["suspected_subtotals", "duplicates"]

_SEP = "\x1f"  # between the keys of a path; match keys hold no whitespace, and this is whitespace


def suspected_subtotals(keys: list[pd.Series], years: pd.Series, amounts: pd.Series) -> list[int]:
    """Rows (positions, ascending) whose amount equals the sum of the rows nested under them in
    the same year: rows whose key path (their non-empty match keys in order, whatever the level)
    starts with theirs and goes deeper. A nested row without an amount spoils that year's sum; a
    zero amount is never a subtotal.

    *keys*: per level, a match key per row ('' when none); *amounts*: exact text in million
    baht ('' when none).
    """
    if not len(years):
        return []
    years, amounts = years.reset_index(drop=True), amounts.reset_index(drop=True)
    # the path so far after each level, and each row's proper prefixes (its path before the last key)
    path = pd.Series("", index=years.index)
    prefixes = []
    for level_keys in keys:
        level_keys = level_keys.reset_index(drop=True)
        has_key = level_keys != ""
        prefixes.append(pd.DataFrame({"row": years.index[has_key], "prefix": path[has_key]}))
        path = path.where(~has_key, path + _SEP + level_keys)
    nested = pd.concat(prefixes, ignore_index=True)
    nested = nested[nested["prefix"] != ""]  # before the first key: no prefix
    candidates = [i for i in path.index[(amounts != "") & (amounts != "0") & path.isin(set(nested["prefix"]))]]
    if not candidates:
        return []
    nested = nested[nested["prefix"].isin(set(path[candidates]))]
    nested = nested.assign(year=years[nested["row"]].to_numpy(), amount=amounts[nested["row"]].to_numpy())
    sums: dict[tuple[str, int], Decimal | None] = {}
    for prefix, year, amount in zip(nested["prefix"], nested["year"].tolist(), nested["amount"]):
        total = sums.get((prefix, year), Decimal(0))
        sums[(prefix, year)] = None if total is None or amount == "" else total + Decimal(amount)
    return [i for i in candidates if sums.get((path[i], int(years[i]))) == Decimal(amounts[i])]


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
