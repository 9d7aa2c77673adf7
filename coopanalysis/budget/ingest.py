"""Ingest budget tables through a mapping into a budget dataset directory (all files or none).

Every source row ends up in ``items.csv`` or in ``ingest_report.csv`` (or both, when an item is
flagged). The layout is described in the docstring of :mod:`coopanalysis.budget`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .amounts import FLOAT_NOISE, MALFORMED, MISSING
from .csvout import csv_text
from .flags import duplicates, suspected_subtotals
from .mapping import Mapping, load_mapping
from .names import objects
from .reader import expand_sources, read_table
from .rows import plan_columns, read_frame, row_text
from .tree import Tree

__all__ = ["COLUMNS", "IngestResult", "ingest_tables", "write_dataset", "csv_text"]

APPROPRIATION, OTHER_YEAR = "appropriation", "obligation_other_year"
SUSPECTED_SUBTOTAL, DUPLICATE = "suspected_subtotal", "duplicate"
COLUMNS = {
    "nodes": ["node_id", "level", "name", "parent_id"],
    "stated": ["level", "node_id", "name", "fiscal_year", "amount_mb", "source_file", "line"],
    "ingest_report": ["file", "row", "disposition", "note", "text"],
}
ITEM_HEAD = ["item_id", "source_file", "source_row", "page"]
ITEM_TAIL = ["node_id", "fiscal_year", "amount_mb", "amount_text", "obliged", "kind", "unit", "status"]
_NOTES = {
    MALFORMED: "malformed amount {amount!r}: left empty, never guessed",
    MISSING: "no amount",
    FLOAT_NOISE: "amount {amount!r} is not a whole satang (float noise?); kept as printed",
}


@dataclass
class IngestResult:
    plan: dict
    frames: dict[str, pd.DataFrame]
    columns: dict[str, list[str]]
    files: list[Path] = field(default_factory=list)
    complete: frozenset = frozenset(("items", "nodes"))  # frames built from whole arrays: no missing value

    @property
    def tables(self) -> dict[str, list[dict]]:
        """Each table as a list of row dicts (built on demand from :attr:`frames`)."""
        return {name: frame.to_dict("records") for name, frame in self.frames.items()}

    def accounting_line(self) -> str:
        a = self.plan["accounting"]
        return (f"{a['rows']} rows read from {len(self.plan['sources'])} file(s): {a['items']} items "
                f"({a['reported']} flagged), {a['recognised']} printed subtotals, {a['skipped']} skipped; "
                f"{len(self.frames['nodes'])} nodes")


def _bill_year(rows: dict[str, np.ndarray], mapping: Mapping) -> int | None:
    if mapping.bill_year is not None:
        return mapping.bill_year
    plain = ~rows["obliged"] & ~rows["subtotal"]
    years = rows["year"][plain] if plain.any() else rows["year"]
    if not len(years):
        return None
    values, counts = np.unique(years, return_counts=True)
    return int(values[counts == counts.max()].max())


def _reported(items: dict[str, np.ndarray], statuses: dict[int, list[str]], first_of: dict[int, int],
              cells: list[list[str]]) -> list[dict]:
    out = []
    for i in sorted(statuses):
        item_id = items["item_id_out"][i]
        for flag in statuses[i]:
            if flag == DUPLICATE:
                j = first_of[i]
                note = f"duplicate of row {items['row'][j]} ({items['item_id_out'][j]}): same names, year and amount"
            elif flag == SUSPECTED_SUBTOTAL:
                note = "amount equals the sum of the rows nested under it: a subtotal kept beside its items?"
            else:
                note = _NOTES[flag].format(amount=items["amount_text"][i])
            out.append({"file": items["file"][i], "row": int(items["row"][i]), "disposition": "reported",
                        "note": f"{item_id}: {note}", "text": row_text(cells[items["src"][i]])})
    return out


def _read_sources(sources, mapping: Mapping) -> tuple[list, list[dict]]:
    parts, sources_meta, digests = [], [], []
    names_seen: dict[str, Path] = {}
    # hashlib lets go of the GIL on large data: each file is hashed while the next one is parsed
    with ThreadPoolExecutor(max_workers=1) as hashing:
        for path in expand_sources(sources):
            if path.name in names_seen:
                raise InputError(f"two tables share the file name {path.name!r} ({names_seen[path.name]}); "
                                 "rename one so rows can be traced", path=path)
            names_seen[path.name] = path
            table = read_table(path)
            parts.append((table, plan_columns(table, mapping)))
            digests.append(hashing.submit(_sha256, table.raw))
            sources_meta.append({"file": path.name, "path": str(path), "rows": len(table)})
        for meta, digest in zip(sources_meta, digests):
            meta["sha256"] = digest.result()
    return parts, sources_meta


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _items_frame(items: dict[str, np.ndarray], mapping: Mapping, statuses: dict[int, list[str]],
                 bill_year) -> pd.DataFrame:
    obliged = items["obliged"]
    # picked from two objects (np.where would make 40,000 numpy strings, then as many Python ones)
    kind = objects([APPROPRIATION, OTHER_YEAR])[(obliged & (items["year"] != bill_year)).astype(np.intp)]
    status = items["status"].copy()
    for i, flags in statuses.items():
        status[i] = ";".join(flags)
    columns = {
        "item_id": items["item_id_out"], "source_file": items["file"], "source_row": items["row"],
        "page": items["page"], **{key: items[f"n{i}"] for i, key in enumerate(mapping.keys)},
        "node_id": items["node_id"], "fiscal_year": items["year"], "amount_mb": items["amount_mb"],
        "amount_text": items["amount_text"], "obliged": objects(["false", "true"])[obliged.astype(np.intp)],
        "kind": kind, "unit": items["unit"], "status": status,
    }
    return _text_frame(columns)


def _text_frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A frame of *columns*, the object ones (all str) as pandas' text dtype (as read back from
    the files): converted in one go, several times faster than one column at a time."""
    text = pd.DataFrame({k: v for k, v in columns.items() if v.dtype == object}, dtype="str")
    return pd.DataFrame({k: text[k] if v.dtype == object else v for k, v in columns.items()}, copy=False)


def ingest_tables(sources, mapping: Mapping | str, stated: str | Path | None = None) -> IngestResult:
    """Read *sources* (files or folders) through *mapping*; nothing is written."""
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    subtotal_re = re.compile(mapping.subtotal_pattern) if mapping.subtotal_pattern else None
    parts, sources_meta = _read_sources(sources, mapping)
    levels = len(mapping.levels)
    rows = read_frame(parts, mapping, subtotal_re)
    del parts
    _refuse_wrong_era(rows.columns["file"], rows.skips, sources_meta, mapping)
    bill_year = _bill_year(rows.columns, mapping)
    tree = Tree(mapping.keys)
    items = rows.take(~rows.columns["subtotal"])
    subtotals = rows.take(rows.columns["subtotal"])
    codes = [items[f"c{i}"] for i in range(levels)]
    node = tree.place([items[f"n{i}"] for i in range(levels)], codes, rows.distinct)
    node_ids = objects(tree.ids)
    items["node_id"] = node_ids[node] if len(node) else objects([])
    item_id = items["item_id"]
    missing = np.flatnonzero(item_id == "")
    if len(missing):
        item_id = item_id.copy()
        item_id[missing] = [f"{items['file'][j]}:{items['row'][j]}" for j in missing.tolist()]
    items["item_id_out"] = item_id
    statuses = {i: [items["status"][i]] for i in np.flatnonzero(items["status"] != "ok").tolist()}
    amounts = items["amount_mb"]
    for i in suspected_subtotals(list(zip(codes, rows.distinct)), items["year"], amounts):
        statuses.setdefault(i, []).append(SUSPECTED_SUBTOTAL)
    first_of = duplicates(node, items["year"], items["obliged"], amounts, items["amount_text"])
    for i in sorted(first_of):
        statuses.setdefault(i, []).append(DUPLICATE)
    out = _items_frame(items, mapping, statuses, bill_year)
    report = _reported(items, statuses, first_of, rows.cells)
    stated_rows = []
    upto = _subtotal_upto(mapping)
    for j in range(len(subtotals["row"])):
        found = tree.place_row([subtotals[f"n{i}"][j] for i in range(levels)],
                               [subtotals[f"k{i}"][j] for i in range(levels)], upto)
        file, row, text = subtotals["file"][j], int(subtotals["row"][j]), row_text(rows.cells[subtotals["src"][j]])
        if found < 0 or subtotals["amount_mb"][j] == "":
            report.append({"file": file, "row": row, "disposition": "skipped",
                           "note": "printed subtotal without a node or an amount", "text": text})
            continue
        level, node_id = mapping.keys[tree.levels[found]], tree.ids[found]
        stated_rows.append({"level": level, "node_id": node_id, "name": tree.names[found],
                            "fiscal_year": int(subtotals["year"][j]), "amount_mb": subtotals["amount_mb"][j],
                            "source_file": file, "line": row})
        report.append({"file": file, "row": row, "disposition": "recognised",
                       "note": f"printed subtotal of {level} {node_id}: stored in stated.csv", "text": text})
    for skip in rows.skips:
        report.append({"file": skip.file, "row": skip.row, "disposition": "skipped", "note": skip.note,
                       "text": skip.text})
    report.sort(key=lambda r: (r["file"], r["row"]))
    nodes = tree.frame()
    if stated is not None:
        from .stated import read_stated

        stated_rows.extend(read_stated(stated, mapping.keys, nodes))
    plan = {
        "kind": "budget_table",
        "title": mapping.title or mapping.name,
        "title_en": mapping.title_en,
        "fiscal_years": np.unique(rows.columns["year"]).tolist(),
        "bill_year": bill_year,
        "levels": [level.as_dict() for level in mapping.levels],
        "mapping": mapping.source or mapping.name,
        "phase": mapping.phase,
        "currency_unit": "million_baht",
        "sources": sources_meta,
        "accounting": {"rows": sum(s["rows"] for s in sources_meta), "items": len(out),
                       "reported": len(statuses), "recognised": len(subtotals["row"]),
                       "skipped": len(rows.skips)},
    }
    columns = dict(COLUMNS, items=ITEM_HEAD + mapping.keys + ITEM_TAIL)
    frames_out = {
        "items": out,
        "nodes": nodes,
        "stated": pd.DataFrame(stated_rows, columns=COLUMNS["stated"]),
        "ingest_report": pd.DataFrame(report, columns=COLUMNS["ingest_report"]),
    }
    return IngestResult(plan, frames_out, columns)


def _refuse_wrong_era(files: np.ndarray, skips, sources_meta: list[dict], mapping: Mapping) -> None:
    """A table whose rows are all refused for their fiscal year is a mapping error, not data."""
    used = set(files.tolist())
    for meta in sources_meta:
        if meta["rows"] == 0 or meta["file"] in used:
            continue
        first = next((s for s in skips if s.file == meta["file"] and s.note.startswith("fiscal year")), None)
        if first is not None:
            raise InputError(f"no row has a usable fiscal year ({first.note}); is the mapping's "
                             f"fiscal_year.era ({mapping.era}) or column ({mapping.year_column}) right?",
                             path=meta["path"], line=first.row)


def _subtotal_upto(mapping: Mapping) -> int | None:
    """Levels above the one whose column carries the subtotal marker (None: all levels)."""
    for i, level in enumerate(mapping.levels):
        if mapping.subtotal_column in level.columns:
            return i
    return None


def write_dataset(result: IngestResult, out_dir: str | Path) -> list[Path]:
    """Write the dataset's files into *out_dir*: a temporary folder first, then each file moved in.

    Files in *out_dir* that are not ours stay. A directory holding an ingested *plan* is refused.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("output exists and is not a directory", path=out)
    plan_json = out / "plan.json"
    if plan_json.is_file():
        try:
            kind = json.loads(plan_json.read_text(encoding="utf-8")).get("kind")
        except (ValueError, AttributeError, UnicodeDecodeError):
            kind = None
        if kind != "budget_table":
            raise InputError("holds something other than a budget dataset (an ingested plan?); "
                             "choose another --out", path=out)
    out.mkdir(parents=True, exist_ok=True)
    files = {f"{name}.csv": csv_text(frame, result.columns[name]) for name, frame in result.frames.items()}
    files["plan.json"] = json.dumps(result.plan, ensure_ascii=False, indent=2) + "\n"
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".ingest-"))
    try:
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        # plan.json last: a reader that finds the new plan.json finds the new tables too
        for name in sorted(files, key=lambda n: n == "plan.json"):
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.files = [out / name for name in files]
    return result.files
