"""Rows a budget table repeats: duplicates, and amounts equal to the sum of the rows nested under them.

Both are found with integer codes over whole columns; only the few candidate rows are looked
at one by one, with exact Decimal sums.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from .tree import first_seen

__all__ = ["suspected_subtotals", "duplicates"]


def _paths(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's path (its non-empty keys in order, whatever their level) as a trie node, and
    the trie's parent array (-1 at the top). Equal key sequences are one trie node."""
    rows = len(keys[0]) if keys else 0
    codes_of: dict[str, int] = {}
    node_of: dict[tuple[int, int], int] = {}
    parents: list[int] = []
    path = np.full(rows, -1, dtype=np.int64)
    for level_keys in keys:
        local, uniques = pd.factorize(level_keys)
        glob = np.array([codes_of.setdefault(k, len(codes_of)) if k else -1 for k in uniques.tolist()],
                        dtype=np.int64)
        key = glob[local] if len(local) else local
        at = np.flatnonzero(key >= 0)
        if not len(at):
            continue
        pair_codes, pairs = pd.factorize((path[at] + 1) * (1 << 32) + key[at])
        ups = path[at[first_seen(pair_codes, len(pairs))]]
        trie = []
        for pair, up in zip(pairs.tolist(), ups.tolist()):
            pair_key = (up, pair & 0xFFFFFFFF)
            found = node_of.get(pair_key)
            if found is None:
                found = node_of[pair_key] = len(parents)
                parents.append(up)
            trie.append(found)
        path[at] = np.array(trie, dtype=np.int64)[pair_codes]
    return path, np.array(parents, dtype=np.int64)


def suspected_subtotals(keys: list[np.ndarray], years: np.ndarray, amounts: np.ndarray) -> list[int]:
    """Rows (indexes, ascending) whose amount equals the sum of the rows nested under them in
    the same year: rows whose key path starts with theirs and goes deeper. A nested row without
    an amount spoils that year's sum; a zero amount is never a subtotal.

    *keys* per level (match keys, '' when none); *amounts* exact text in million baht ('' = none).
    """
    path, parents = _paths(keys)
    if not len(parents):
        return []
    has_nested = np.zeros(len(parents), dtype=bool)
    step = parents[np.unique(path)]
    while len(step := step[step >= 0]):
        has_nested[step] = True
        step = np.unique(parents[step])
    with_amount = np.array([a not in ("", "0") for a in amounts.tolist()], dtype=bool)
    candidates = np.flatnonzero(has_nested[path] & with_amount)
    if not len(candidates):
        return []
    wanted = np.zeros(len(parents), dtype=bool)
    wanted[path[candidates]] = True
    sums: dict[tuple[int, int], Decimal] = {}
    broken: set[tuple[int, int]] = set()
    rows = np.arange(len(path))
    up = parents[path]
    while len(rows):
        live = up >= 0
        rows, up = rows[live], up[live]
        hit = wanted[up]
        for node, j in zip(up[hit].tolist(), rows[hit].tolist()):
            key = (node, int(years[j]))
            if amounts[j] == "":
                broken.add(key)
            else:
                sums[key] = sums.get(key, Decimal(0)) + Decimal(amounts[j])
        up = parents[up]
    found = []
    for i in candidates.tolist():
        key = (int(path[i]), int(years[i]))
        if key not in broken and sums.get(key) == Decimal(amounts[i]):
            found.append(i)
    return found


def duplicates(node: np.ndarray, years: np.ndarray, obliged: np.ndarray, amount_key: np.ndarray) -> dict[int, int]:
    """``{row: first row}`` for every row repeating an earlier row's node, year, obligation flag
    and amount (*amount_key*: the exact amount, or the cell as printed when it has none)."""
    if not len(node):
        return {}
    coarse = pd.DataFrame({"n": node, "y": years, "o": obliged})
    candidates = np.flatnonzero(coarse.duplicated(keep=False).to_numpy())
    if not len(candidates):
        return {}
    fine = coarse.iloc[candidates].assign(a=amount_key[candidates])
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(fine))
    first = candidates[first_seen(codes, len(uniques))]
    return {int(i): int(first[c]) for i, c in zip(candidates.tolist(), codes.tolist()) if first[c] != i}
