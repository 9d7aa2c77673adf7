"""The node tree of a budget table: dotted ids in first-seen order, placed a level at a time.

A node is keyed by its parent, its level and its name's match key; the same name under two
parents is two nodes. A row with no name at a level hangs from its nearest named ancestor.
Ids are ordinals among the parent's children in the order they are made: a level at a time,
and within a level in the order the rows first show them (``1``, ``1.2``, ``1.2.3`` …).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Tree"]


class Tree:
    """The nodes, as lists: ``ids``, ``levels`` (level index), ``names``, ``keys``, ``parents`` (index or -1)."""

    def __init__(self, level_keys: list[str]):
        self.level_keys = level_keys
        self.ids: list[str] = []
        self.levels: list[int] = []
        self.names: list[str] = []
        self.keys: list[str] = []
        self.parents: list[int] = []
        self.children: dict[int, int] = {}  # parent index (-1: the top) -> its children so far
        self._lookup: dict[tuple[int, int, str], int] | None = None  # (parent, level, key) -> node, for place_row

    def __len__(self) -> int:
        return len(self.ids)

    def _extend(self, parents: list[int], level: int, names: list[str], keys: list[str]) -> None:
        """New nodes, in order, at *level* under *parents*: each numbered after its parent's children so far."""
        for parent, name, key in zip(parents, names, keys):
            count = self.children[parent] = self.children.get(parent, 0) + 1
            self.ids.append(f"{self.ids[parent]}.{count}" if parent >= 0 else str(count))
            self.levels.append(level)
            self.names.append(name)
            self.keys.append(key)
            self.parents.append(parent)

    def place(self, names: list[pd.Series], keys: list[pd.Series]) -> np.ndarray:
        """The deepest node (an index) of every row, given each level's names and match keys per
        row ('' when the row has none there), placed into an empty tree a level at a time."""
        rows = len(keys[0]) if keys else 0
        parent = np.full(rows, -1, dtype=np.int64)
        for level, (level_names, level_keys) in enumerate(zip(names, keys)):
            at = np.flatnonzero((level_keys != "").to_numpy())
            pairs = pd.DataFrame({"parent": parent[at], "key": level_keys.to_numpy()[at],
                                  "name": level_names.to_numpy()[at]})
            # one node per distinct (parent, key), numbered in first-seen order; the first row names it
            group = pairs.groupby(["parent", "key"], sort=False).ngroup().to_numpy()
            first = pairs.drop_duplicates(["parent", "key"])
            start = len(self.ids)
            self._extend(first["parent"].tolist(), level, first["name"].tolist(), first["key"].tolist())
            parent[at] = start + group
        self._lookup = None
        return parent

    def place_row(self, names: list[str], keys: list[str], upto: int | None) -> int:
        """The deepest node of one row (levels before *upto* only), adding the missing nodes; -1: none."""
        if self._lookup is None:
            self._lookup = {(p, lv, k): i for i, (p, lv, k) in enumerate(zip(self.parents, self.levels, self.keys))}
        lookup, parent = self._lookup, -1
        for level, (name, key) in enumerate(zip(names, keys)):
            if upto is not None and level >= upto:
                break
            if key:
                found = lookup.get((parent, level, key))
                if found is None:
                    self._extend([parent], level, [name], [key])
                    found = lookup[(parent, level, key)] = len(self.ids) - 1
                parent = found
        return parent

    def frame(self) -> pd.DataFrame:
        """``nodes.csv``: node_id, level (key), name, parent_id ('' at the top)."""
        return pd.DataFrame({
            "node_id": self.ids, "level": [self.level_keys[level] for level in self.levels], "name": self.names,
            "parent_id": [self.ids[up] if up >= 0 else "" for up in self.parents]}, dtype="str")
