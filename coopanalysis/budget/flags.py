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


def _paths(level_codes: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's path (its non-empty keys in order, whatever their level) as a trie node, and
    the trie's parent array (-1 at the top). Equal key sequences are one trie node.

    *level_codes*: per level, an integer code per row (-1: no key) and the distinct keys.
    Only a key that occurs at two levels can meet an earlier level's trie node; those pairs
    are looked up one by one, all others are new nodes.
    """
    if not level_codes:  # a mapping has at least one level  # pragma: no mutate
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)  # pragma: no mutate
    rows = len(level_codes[0][0])
    everything = np.concatenate([np.asarray(u, dtype=object) for _c, u in level_codes])
    glob, distinct = pd.factorize(everything)
    to_global = np.split(glob, np.cumsum([len(u) for _c, u in level_codes])[:-1])
    # a level's keys are distinct, so a key counted twice sits at two levels
    shared = np.bincount(glob, minlength=len(distinct)) >= 2
    node_of: dict[tuple[int, int], int] = {}
    parents = np.empty(0, dtype=np.int64)  # pragma: no mutate
    path = np.full(rows, -1)
    for (codes, _uniques), mapped in zip(level_codes, to_global):
        at = np.flatnonzero(codes >= 0)
        if not len(at):
            continue
        key = mapped[codes[at]]
        # any one-to-one code of (parent, key) gives the same pairs
        pair_codes, pairs = pd.factorize((path[at] + 1) * (1 << 32) + key)  # pragma: no mutate
        first = first_seen(pair_codes, len(pairs))
        ups, pair_keys = path[at[first]], key[first]
        trie = np.full(len(pairs), -1)
        looked = np.flatnonzero(shared[pair_keys]).tolist()
        for i in looked:
            trie[i] = node_of.get((int(ups[i]), int(pair_keys[i])), -1)
        fresh = trie < 0
        trie[fresh] = np.arange(len(parents), len(parents) + int(fresh.sum()))
        parents = np.concatenate((parents, ups[fresh]))
        for i in looked:
            node_of[(int(ups[i]), int(pair_keys[i]))] = int(trie[i])
        path[at] = trie[pair_codes]
    return path, parents


def suspected_subtotals(level_codes: list[tuple[np.ndarray, np.ndarray]], years: np.ndarray,
                        amounts: np.ndarray) -> list[int]:
    """Rows (indexes, ascending) whose amount equals the sum of the rows nested under them in
    the same year: rows whose key path starts with theirs and goes deeper. A nested row without
    an amount spoils that year's sum; a zero amount is never a subtotal.

    *level_codes*: per level, key codes per row and the distinct keys (:func:`~.tree.key_codes`);
    *amounts*: exact text in million baht ('' = none).
    """
    path, parents = _paths(level_codes)
    if not len(parents):
        return []
    # every trie node lies on some row's path, so a node with a child has a row nested under it
    has_nested = np.zeros(len(parents), dtype=bool)
    has_nested[parents[parents >= 0]] = True
    with_amount = (amounts != "") & (amounts != "0")
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


def duplicates(node: np.ndarray, years: np.ndarray, obliged: np.ndarray, amounts: np.ndarray,
               printed: np.ndarray) -> dict[int, int]:
    """``{row: first row}`` for every row repeating an earlier row's node, year, obligation flag
    and amount (*amounts*: exact text, '' when none, then the cell as *printed* tells them apart)."""
    if not len(node):
        return {}
    coarse = pd.DataFrame({"n": node, "y": years, "o": obliged})
    candidates = np.flatnonzero(coarse.duplicated(keep=False).to_numpy())
    if not len(candidates):
        return {}
    exact = amounts[candidates]
    fine = coarse.iloc[candidates].assign(a=np.where(exact != "", exact, "raw:" + printed[candidates]))
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(fine))
    first = candidates[first_seen(codes, len(uniques))]
    return {int(i): int(first[c]) for i, c in zip(candidates.tolist(), codes.tolist()) if first[c] != i}
