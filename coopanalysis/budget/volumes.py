"""A ministry printed across volumes (``… (1)`` … ``… (n)``): one node, its parts kept as provenance.

The Budget Bureau prints a large ministry over several volumes and names it in each with the
part the volume holds (``กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม (2)``). When tables are
read through a mapping, the names of the mapping's first level that end in such a marker
(:func:`~coopanalysis.budget.names.part_marker`: Arabic or Thai digits, stray spaces) are merged
into one node named without the marker **when two or more parts of one name are read together**
(the name printed without a marker counts as a part of its own). A single part keeps its name as
printed, so one volume keeps its node ids, names and figures. Only the ``(N)`` marker is taken
off: two different names are never merged. An agency whose rows come from two parts is one node
under the merged ministry (an agency printed in two volumes is one agency).

``items.csv`` keeps each row's name as printed (with its marker). ``plan.json`` ``parts`` lists
(only when a name carries a marker) one entry per top-level node, part and source file, and one
per second-level node (an agency) whose rows come from several parts: ``level``, ``node_id``,
``name`` (the node's), ``printed_name``, ``part`` (N; null for the name printed without a
marker), ``merged``, ``source_file``, ``volume`` (the mapping's ``volume`` column, e.g.
``REF_DOC``), ``rows`` (item rows), ``pages`` (first-last page, when the mapping has pages)
and, for a part of a merged ministry, ``units``: the agencies its rows fall under (null when
one of them also holds rows of another part, or a row hangs from the ministry itself).

Printed totals of a split ministry (:meth:`Parts.target`): the whole ministry's total (its name
without a marker) is compared only when parts 1…n (n ≥ 2, no gap) were all read (the highest
part read is taken as the last); otherwise it is not compared and a finding says which parts the
tables hold. A part's own total (``… (2)``) is compared with the rows of that part: the sum of
its ``units``; when they are null, it is not compared either (an info finding, never dropped).
"""

from __future__ import annotations

import pandas as pd

from coopanalysis.budget.names import part_marker, per_distinct
from coopanalysis.budget.tree import Tree
from coopanalysis.io.schema import id_sort_key
from coopanalysis.text.thai import match_key

__all__ = ["PART_COLUMNS", "Parts", "merge_names", "part_entries", "volume_cells"]

#: The keys of an entry of plan.json ``parts`` (``units`` only on a part of a merged node).
PART_COLUMNS = ["level", "node_id", "name", "printed_name", "part", "merged", "source_file", "volume", "rows",
                "pages", "units"]


def merge_names(names: pd.Series, keys: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The top level's *names* and match *keys* with every name read in two or more parts
    replaced by the name without its part marker (unchanged when nothing is merged)."""
    split = {name: part_marker(name) for name in names.unique().tolist() if name}
    numbers: dict[str, set] = {}
    for base, number in split.values():
        numbers.setdefault(match_key(base), set()).add(number)
    rename = {name: base for name, (base, number) in split.items()
              if number is not None and len(numbers[match_key(base)]) > 1}
    if not rename:
        return names, keys
    hit = names.isin(list(rename))
    merged = names.where(~hit, names.map(rename))
    return merged, keys.where(~hit, per_distinct(merged, match_key))


def volume_cells(tables, column: str | None) -> pd.Series:
    """The mapping's ``volume`` column of every source row across *tables* ('' where a table
    lacks it: it is provenance only, never a figure)."""
    pieces = []
    for table in tables:
        if column is None or column not in table.header:
            pieces.append(pd.Series("", index=range(len(table)), dtype="str"))
        else:
            pieces.append(table.cells[table.header.index(column)].str.strip())
    return pd.concat(pieces, ignore_index=True).astype("str") if pieces else pd.Series([], dtype="str")


def _pages(pages: pd.Series) -> str:
    numbers = pd.to_numeric(pages, errors="coerce").dropna()
    if numbers.empty:
        return ""
    low, high = int(numbers.min()), int(numbers.max())
    return str(low) if low == high else f"{low}-{high}"


def _entry(level: str, node: str, name: str, rows: pd.DataFrame, merged: bool) -> dict:
    first = rows.iloc[0]
    return {"level": level, "node_id": node, "name": name, "printed_name": first["printed"],
            "part": None if pd.isna(first["part"]) else int(first["part"]), "merged": merged,
            "source_file": first["file"], "volume": ", ".join(v for v in rows["volume"].unique() if v),
            "rows": len(rows), "pages": _pages(rows["page"])}


def part_entries(items: pd.DataFrame, printed: pd.Series, volume: pd.Series, tree: Tree) -> list[dict]:
    """plan.json ``parts`` (see the module) from ingest's item rows (``node_id``, ``file``, ``page``,
    ``k1``), each row's top-level name as *printed* and its *volume* cell."""
    number = per_distinct(printed, lambda name: part_marker(name)[1] if name else None)
    if not number.notna().any():
        return []  # no name carries a marker (most tables): nothing more to work out
    top = items["node_id"].str.split(".", n=1).str[0]
    named = printed != ""
    with_parts = set(top[named & number.notna()])
    keep = named & top.isin(with_parts)
    has_unit = items["k1"] != "" if "k1" in items else pd.Series(False, index=items.index)
    unit = items["node_id"].str.split(".").str[:2].str.join(".").where(has_unit, "")
    rows = pd.DataFrame({"node": top, "printed": printed, "part": number.astype("object"), "file": items["file"],
                         "page": items["page"], "volume": volume, "unit": unit})[keep]
    names = dict(zip(tree.ids, tree.names))
    top_key, unit_key = tree.level_keys[0], tree.level_keys[1] if len(tree.level_keys) > 1 else None
    out = []
    for node, of_node in rows.groupby("node", sort=False):
        merged = of_node["printed"].nunique() > 1
        parts_of_unit = of_node[of_node["unit"] != ""].groupby("unit", sort=False)["printed"].nunique()
        spanning = set(parts_of_unit.index[parts_of_unit > 1])
        for _printed, of_part in of_node.groupby("printed", sort=False):
            units = sorted(set(of_part["unit"]), key=id_sort_key)
            separable = merged and "" not in units and not spanning & set(units)
            for _file, of_file in of_part.groupby("file", sort=False):
                entry = _entry(top_key, node, names[node], of_file, merged)
                if merged:
                    entry["units"] = units if separable else None
                out.append(entry)
        for unit_id in sorted(spanning, key=id_sort_key):
            of_unit = of_node[of_node["unit"] == unit_id]
            for _key, of_file in of_unit.groupby(["printed", "file"], sort=False):
                out.append(_entry(unit_key, unit_id, names[unit_id], of_file, merged))
    return out


class Parts:
    """The parts of the top level's nodes (plan.json ``parts``), for printed totals naming them."""

    def __init__(self, entries: list[dict] | None, top_level: str):
        self.level = top_level
        self.entries = [e for e in entries or [] if e.get("level") == top_level]

    def _of(self, name: str) -> tuple[int | None, list[dict]]:
        base, number = part_marker(name)
        key = match_key(base)
        return number, [e for e in self.entries if match_key(part_marker(e["printed_name"])[0]) == key]

    def target(self, name: str) -> str | None:
        """The node id(s) a top-level printed total *name* is compared with: ``a;b`` a sum; ''
        not comparable (the whole of a ministry the tables hold only parts of, or a part whose
        rows cannot be told apart); None: no part of this name was read, match it as usual."""
        number, entries = self._of(name)
        if not entries:
            return None
        if number is None:
            nodes = {e["node_id"] for e in entries}
            numbers = {e["part"] for e in entries}
            last = max((n for n in numbers if n is not None), default=0)
            whole = len(nodes) == 1 and last >= 2 and numbers == set(range(1, last + 1))
            return entries[0]["node_id"] if whole else ""
        mine = [e for e in entries if e["part"] == number]
        if not mine or not mine[0]["merged"]:
            return None  # not read, or a node of its own named as printed
        if any(e.get("units") is None for e in mine):
            return ""
        return ";".join(sorted({unit for e in mine for unit in e["units"]}, key=id_sort_key))

    def not_compared(self, level: str, name: str, names: list[str]) -> tuple[str, str] | None:
        """Why a printed total *name* of *level* that was not compared is a matter of parts
        (Thai, English), or None. *names*: the level's node names (a dataset ingested before
        parts were kept: a node named *name* with a marker is a part)."""
        if level != self.level:
            return None
        number, entries = self._of(name)
        held = list(dict.fromkeys(e["printed_name"] for e in entries))
        if not entries:
            key = match_key(part_marker(name)[0])
            held = [n for n in names if part_marker(n)[1] is not None and match_key(part_marker(n)[0]) == key]
        if not held:
            return None
        shown = ", ".join(held)
        if number is None:
            return (f"เป็นยอดทั้งกระทรวง แต่ตารางมีเพียงบางส่วน ({shown})",
                    f"is the whole ministry's, the tables hold only part(s) of it ({shown})")
        if not any(e["part"] == number for e in entries):
            return (f"เป็นยอดของส่วนที่ {number} ซึ่งไม่มีในตาราง (ตารางมี {shown})",
                    f"is part {number}'s, which the tables do not hold (they hold {shown})")
        return (f"เป็นยอดของส่วนที่ {number} แต่หน่วยรับงบประมาณบางหน่วยมีรายการจากหลายส่วน ({shown}) จึงแยกไม่ได้",
                f"is part {number}'s, but some agencies hold rows of several parts ({shown}): it cannot be told apart")
