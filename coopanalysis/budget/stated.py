"""Printed totals typed from the PDF (``--stated FILE``), matched to the nodes of a dataset.

The file is CSV with the header ``level,name,fiscal_year,amount,unit`` and an optional ``parent``
column: ``level`` a level key of the mapping, ``fiscal_year`` Buddhist era, ``unit`` baht |
thousand_baht | million_baht. Names (and the parent's) match after Thai normalisation and
whitespace folding; ``parent`` may name any ancestor. A row that matches no node, or more than
one, is an :class:`~coopanalysis.errors.InputError` naming the file and the line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..decode import decode_bytes
from ..errors import InputError
from ..safeio import DOCUMENT_LIMIT, check_regular, read_bytes
from ..thai import amount_text, match_key, to_arabic
from .amounts import FLOAT_NOISE, OK, parse_amount_cell
from .mapping import UNITS
from .names import fold, keys_distinct

__all__ = ["HEADER", "read_stated", "match_node"]

HEADER = ("level", "name", "fiscal_year", "amount", "unit")


class _Index:
    """Nodes (a ``nodes.csv`` frame) by id, and by (level, match key) built per level on first use."""

    def __init__(self, nodes: pd.DataFrame):
        self.nodes = nodes
        self._by_id: dict[str, dict] | None = None
        self._by_level: dict[str, dict[str, list[dict]]] = {}
        self._levels: np.ndarray | None = None

    @property
    def by_id(self) -> dict[str, dict]:
        if self._by_id is None:
            self._by_id = {n["node_id"]: n for n in self.nodes.to_dict("records")}
        return self._by_id

    def named(self, level: str, key: str) -> list[dict]:
        if level not in self._by_level:
            if self._levels is None:
                self._levels = self.nodes["level"].to_numpy(dtype=object)
            chosen = self.nodes.iloc[np.flatnonzero(self._levels == level)]
            columns = list(chosen.columns)
            table: dict[str, list[dict]] = {}
            records = [dict(zip(columns, values)) for values in zip(*(chosen[c].tolist() for c in columns))]
            for node, node_key in zip(records, keys_distinct([node["name"] for node in records])):
                table.setdefault(node_key, []).append(node)
            self._by_level[level] = table
        return self._by_level[level].get(key, [])


def _ancestor_keys(node: dict, by_id: dict) -> set[str]:
    keys, parent = set(), node.get("parent_id") or ""
    while parent:
        up = by_id[parent]
        keys.add(match_key(up["name"]))
        parent = up.get("parent_id") or ""
    return keys


def match_node(level: str, name: str, parent: str, index: _Index) -> list[dict]:
    """Nodes of *level* named *name* (under an ancestor named *parent*, when given)."""
    found = index.named(level, match_key(fold(name)))
    if parent.strip():
        want = match_key(fold(parent))
        found = [n for n in found if want in _ancestor_keys(n, index.by_id)]
    return found


def read_stated(path: str | Path, level_keys: list[str], nodes: pd.DataFrame) -> list[dict]:
    """Rows for ``stated.csv`` (amounts in million baht, exact) from a stated-totals CSV."""
    path = Path(path)
    if not path.exists():
        raise InputError("stated-totals file not found", path=path)
    check_regular(path)
    text, _enc = decode_bytes(read_bytes(path, limit=DOCUMENT_LIMIT), path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("empty file; expected the header level,name,fiscal_year,amount,unit", path=path) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=path, line=1) from None
    missing = [h for h in HEADER if h not in header]
    if missing:
        raise InputError(f"header lacks {', '.join(missing)}; expected level,name,fiscal_year,amount,unit[,parent]",
                         path=path, line=1)
    col = {h: header.index(h) for h in header}
    index = _Index(nodes)
    out, seen = [], {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))

            def get(name: str, cells=cells) -> str:
                return cells[col[name]].strip() if name in col else ""

            level = get("level")
            if level not in level_keys:
                raise InputError(f"level {level!r} is not a level of the mapping ({', '.join(level_keys)})",
                                 path=path, line=line)
            year_text = to_arabic(get("fiscal_year"))
            if not (year_text.isdigit() and 2400 <= int(year_text) <= 2700):
                raise InputError(f"fiscal_year {get('fiscal_year')!r} is not a Buddhist-era year (e.g. 2565)",
                                 path=path, line=line)
            unit = get("unit")
            if unit not in UNITS:
                raise InputError(f"unit {unit!r} must be one of {', '.join(UNITS)}", path=path, line=line)
            amount, status = parse_amount_cell(get("amount"), unit)
            if amount is None or status not in (OK, FLOAT_NOISE):
                raise InputError(f"amount {get('amount')!r} is not a number", path=path, line=line)
            name, parent = get("name"), get("parent")
            found = match_node(level, name, parent, index)
            where = f" under {parent!r}" if parent else ""
            if not found:
                raise InputError(f"no {level} named {name!r}{where} in the tables", path=path, line=line)
            if len(found) > 1:
                ids = ", ".join(n["node_id"] for n in found[:5])
                raise InputError(f"{len(found)} nodes of level {level} are named {name!r}{where} ({ids}); "
                                 "add a 'parent' column to tell them apart", path=path, line=line)
            node = found[0]
            key = (node["node_id"], int(year_text))
            if key in seen:
                raise InputError(f"a second total for {level} {name!r} in {year_text} (first on line {seen[key]})",
                                 path=path, line=line)
            seen[key] = line
            out.append({"level": level, "node_id": node["node_id"], "name": node["name"],
                        "fiscal_year": int(year_text), "amount_mb": amount_text(amount),
                        "source_file": path.name, "line": line})
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=path, line=reader.line_num) from None
    return out
