"""The node tree of a budget table: dotted ids in first-seen order, placed a level at a time.

A node is keyed by its parent, its level and its name's match key; the same name under two
parents is two nodes. A row with no name at a level hangs from its nearest named ancestor.
Ids are ordinals among the parent's children in the order the rows first show them (``1``,
``1.2``, ``1.2.3`` …), whatever level the children are at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Tree", "first_seen", "key_codes"]


def first_seen(codes: np.ndarray, count: int) -> np.ndarray:
    """Position of the first occurrence of each code ``0..count-1`` in *codes*.

    >>> first_seen(np.array([1, 0, 1, 2, 0]), 3).tolist()
    [1, 0, 3]
    """
    first = np.empty(count, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


def key_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per key ('' → -1) and the distinct keys, in first-seen order.

    >>> codes, uniques = key_codes(np.array(["b", "", "a", "b"], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    """
    codes, uniques = pd.factorize(keys)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        codes = np.where(codes == empty[0], -1, codes - (codes > empty[0]))
        uniques = np.delete(uniques, empty[0])
    return codes, np.asarray(uniques, dtype=object)


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """Each element's rank among the equal ones before it (0 for the first).

    >>> _rank_within(np.array([5, 3, 5, 5, 3])).tolist()
    [0, 0, 1, 2, 1]
    """
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(groups) else np.empty(0, dtype=np.int64)
    position = np.arange(len(groups))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = position - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    return rank


class Tree:
    """The nodes, as columns: ``ids``, ``levels`` (level index), ``names``, ``parents`` (index or -1)."""

    def __init__(self, level_keys: list[str]):
        self.level_keys = level_keys
        self.ids: list[str] = []
        self.levels: list[int] = []
        self.names: list[str] = []
        self.keys: list[str] = []
        self.parents: list[int] = []
        self._children = np.zeros(1, dtype=np.int64)  # children so far, by node index + 1 (0: the top)
        self._lookup: dict[tuple[int, int, str], int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def _counts(self, size: int) -> np.ndarray:
        """The children counts, long enough for *size* nodes."""
        if len(self._children) < size + 1:
            grown = np.zeros(max(size + 1, 2 * len(self._children)), dtype=np.int64)
            grown[: len(self._children)] = self._children
            self._children = grown
        return self._children

    def _add(self, parent: int, level: int, name: str, key: str) -> int:
        counts = self._counts(len(self.ids) + 1)
        counts[parent + 1] += 1
        count = int(counts[parent + 1])
        self.ids.append(f"{self.ids[parent]}.{count}" if parent >= 0 else str(count))
        self.levels.append(level)
        self.names.append(name)
        self.keys.append(key)
        self.parents.append(parent)
        return len(self.ids) - 1

    def place(self, names: list[np.ndarray], codes: list[np.ndarray], distinct: list[np.ndarray]) -> np.ndarray:
        """The deepest node (an index) of every row, given each level's names per row, key codes
        per row (-1: no key at that level) and the distinct keys the codes stand for."""
        rows = len(codes[0]) if codes else 0
        parent = np.full(rows, -1, dtype=np.int64)
        for level, (level_names, level_codes, uniques) in enumerate(zip(names, codes, distinct)):
            at = np.flatnonzero(level_codes >= 0)
            if not len(at):
                continue
            pair_codes, pairs = pd.factorize((parent[at] + 1) * len(uniques) + level_codes[at])
            first = at[first_seen(pair_codes, len(pairs))]
            ups = parent[first]
            counts = self._counts(len(self.ids) + len(pairs))
            ordinal = _rank_within(ups) + 1 + counts[ups + 1]
            np.maximum.at(counts, ups + 1, ordinal)
            up_list, ordinals = ups.tolist(), ordinal.tolist()
            start = len(self.ids)
            ids = self.ids
            ids.extend([f"{ids[up]}.{o}" if up >= 0 else str(o) for up, o in zip(up_list, ordinals)])
            self.levels.extend([level] * len(up_list))
            self.names.extend(level_names[first].tolist())
            self.keys.extend(uniques[level_codes[first]].tolist())
            self.parents.extend(up_list)
            parent[at] = start + pair_codes
        self._lookup = None
        return parent

    def place_row(self, names: list[str], keys: list[str], upto: int | None) -> int:
        """The deepest node of one row (levels before *upto* only), adding the missing nodes; -1: none."""
        if self._lookup is None:
            self._lookup = {(p, lv, k): i for i, (p, lv, k) in enumerate(zip(self.parents, self.levels, self.keys))}
        parent = -1
        for level, (name, key) in enumerate(zip(names, keys)):
            if upto is not None and level >= upto:
                break
            if key:
                found = self._lookup.get((parent, level, key))
                if found is None:
                    found = self._lookup[(parent, level, key)] = self._add(parent, level, name, key)
                parent = found
        return parent

    def frame(self) -> pd.DataFrame:
        """``nodes.csv``: node_id, level (key), name, parent_id ('' at the top)."""
        ids = self.ids
        keys = np.array(self.level_keys, dtype=object)
        parent_ids = np.array(ids + [""], dtype=object)  # index -1: no parent
        return pd.DataFrame({  # text dtype in one go, as the files are read back
            "node_id": np.array(ids, dtype=object), "level": keys[np.array(self.levels, dtype=np.int64)],
            "name": np.array(self.names, dtype=object),
            "parent_id": parent_ids[np.array(self.parents, dtype=np.int64)]}, dtype="str")
