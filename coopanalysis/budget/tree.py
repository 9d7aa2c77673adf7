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
        self.children: dict[int, int] = {}  # parent index (-1: the top) -> children so far
        self.lookup: dict[tuple[int, int, str], int] = {}  # (parent, level, key) -> node index

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, parent: int, level: int, name: str, key: str) -> int:
        """A new node under *parent*; its index."""
        count = self.children[parent] = self.children.get(parent, 0) + 1
        self.ids.append(f"{self.ids[parent]}.{count}" if parent >= 0 else str(count))
        self.levels.append(level)
        self.names.append(name)
        self.keys.append(key)
        self.parents.append(parent)
        self.lookup[(parent, level, key)] = len(self.ids) - 1
        return len(self.ids) - 1

    def place(self, names: list[pd.Series], keys: list[pd.Series]) -> np.ndarray:
        """The deepest node (an index) of every row, given each level's names and match keys per
        row ('' when the row has none there); nodes are made for the new (parent, key) pairs."""
        rows = len(keys[0]) if keys else 0
        parent = np.full(rows, -1, dtype=np.int64)
        for level, (level_names, level_keys) in enumerate(zip(names, keys)):
            at = np.flatnonzero((level_keys != "").to_numpy())
            pairs = pd.DataFrame({"parent": parent[at], "key": level_keys.to_numpy()[at],
                                  "name": level_names.to_numpy()[at]})
            # each distinct (parent, key), first-seen first; the first row names the node
            first = pairs.drop_duplicates(["parent", "key"])
            nodes = []
            for up, key, name in zip(first["parent"].tolist(), first["key"].tolist(), first["name"].tolist()):
                found = self.lookup.get((up, level, key))
                nodes.append(self.add(up, level, name, key) if found is None else found)
            node_of = pd.Series(nodes, index=pd.MultiIndex.from_frame(first[["parent", "key"]]))
            parent[at] = node_of.reindex(pd.MultiIndex.from_frame(pairs[["parent", "key"]])).to_numpy()
        return parent

    def place_row(self, names: list[str], keys: list[str], upto: int | None) -> int:
        """The deepest node of one row (levels before *upto* only), adding the missing nodes; -1: none."""
        parent = -1
        for level, (name, key) in enumerate(zip(names, keys)):
            if upto is not None and level >= upto:
                break
            if key:
                found = self.lookup.get((parent, level, key))
                parent = self.add(parent, level, name, key) if found is None else found
        return parent

    def frame(self) -> pd.DataFrame:
        """``nodes.csv``: node_id, level (key), name, parent_id ('' at the top)."""
        return pd.DataFrame({
            "node_id": self.ids, "level": [self.level_keys[level] for level in self.levels], "name": self.names,
            "parent_id": [self.ids[up] if up >= 0 else "" for up in self.parents]}, dtype="str")
