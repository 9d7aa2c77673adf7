"""Ingest budget tables through a mapping into a budget dataset directory (all files or none).

Every source row ends up in ``items.csv`` or in ``ingest_report.csv`` (or both, when an item is
flagged). The layout is described in the docstring of :mod:`coopanalysis.budget`.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..thai import amount_text
from .amounts import FLOAT_NOISE, MALFORMED, MISSING
from .mapping import Mapping, load_mapping
from .reader import expand_sources, read_table
from .rows import plan_columns, read_frame, row_text

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

    @property
    def tables(self) -> dict[str, list[dict]]:
        """Each table as a list of row dicts (built on demand from :attr:`frames`)."""
        return {name: frame.to_dict("records") for name, frame in self.frames.items()}

    def accounting_line(self) -> str:
        a = self.plan["accounting"]
        return (f"{a['rows']} rows read from {len(self.plan['sources'])} file(s): {a['items']} items "
                f"({a['reported']} flagged), {a['recognised']} printed subtotals, {a['skipped']} skipped; "
                f"{len(self.frames['nodes'])} nodes")


def csv_text(rows, columns: list[str]) -> str:
    """CSV text (header, ``\\n`` line ends) of a DataFrame or a list of row dicts."""
    if isinstance(rows, pd.DataFrame):
        return rows.to_csv(index=False, columns=columns, lineterminator="\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if (v := row.get(c)) is None else v for c in columns] for row in rows])
    return buffer.getvalue()


class _Tree:
    """Nodes keyed by (parent, level, match key); dotted ids in first-seen order per parent."""

    def __init__(self, mapping: Mapping):
        self.keys = mapping.keys
        self.ids: dict[tuple, str] = {}
        self.children: Counter = Counter()
        self.rows: list[dict] = []

    def node(self, parent: str, level: int, name: str, key: str) -> str:
        ident = (parent, level, key)
        node_id = self.ids.get(ident)
        if node_id is None:
            self.children[parent] += 1
            node_id = f"{parent}.{self.children[parent]}" if parent else str(self.children[parent])
            self.ids[ident] = node_id
            self.rows.append({"node_id": node_id, "level": self.keys[level], "name": name, "parent_id": parent})
        return node_id

    def place_frame(self, frame: pd.DataFrame, levels: int) -> list[str]:
        """The deepest node of every row of *frame* (columns n0…, k0…), level by level."""
        parent = [""] * len(frame)
        for i in range(levels):
            names, keys = frame[f"n{i}"].tolist(), frame[f"k{i}"].tolist()
            seen: dict[tuple[str, str], str] = {}
            for j, key in enumerate(keys):
                if key:
                    pair = (parent[j], key)
                    node_id = seen.get(pair)
                    if node_id is None:
                        node_id = seen[pair] = self.node(parent[j], i, names[j], key)
                    parent[j] = node_id
        return parent

    def place_row(self, names: list[str], keys: list[str], upto: int | None) -> str:
        parent = ""
        for i, (name, key) in enumerate(zip(names, keys)):
            if upto is not None and i >= upto:
                break
            if key:
                parent = self.node(parent, i, name, key)
        return parent


def _bill_year(frame: pd.DataFrame, mapping: Mapping) -> int | None:
    if mapping.bill_year is not None:
        return mapping.bill_year
    plain = frame[~frame["obliged"].astype(bool) & ~frame["subtotal"].astype(bool)]
    counts = Counter((plain if len(plain) else frame)["year"].tolist())
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


def _suspected_subtotals(paths: list[str], years: list[int], amounts: list) -> set[int]:
    """Rows equal to the sum of the rows nested under them (same names above, same year).

    *paths* are the rows' match keys joined with ``\\x1f``; a row is nested under another when
    its path starts with the other's path and goes deeper. Sorted paths put the nested ones right
    after their parent, so only candidates are summed.
    """
    sep = "\x1f"
    ordered = sorted(set(paths))
    by_path: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        by_path.setdefault(path, []).append(i)
    found = set()
    for pos, path in enumerate(ordered[:-1]):
        if not ordered[pos + 1].startswith(path + sep):
            continue
        end = bisect.bisect_left(ordered, path + sep + "\U0010ffff", lo=pos + 1)
        sums: dict[int, Decimal] = {}
        broken: set[int] = set()
        for nested in ordered[pos + 1:end]:
            for j in by_path[nested]:
                if amounts[j] is None:
                    broken.add(years[j])
                else:
                    sums[years[j]] = sums.get(years[j], Decimal(0)) + amounts[j]
        for i in by_path[path]:
            if amounts[i] and years[i] not in broken and sums.get(years[i]) == amounts[i]:
                found.add(i)
    return found


def _reported(frame: pd.DataFrame, flags: list[list[str]], first_of: dict[int, int]) -> list[dict]:
    out = []
    for i in (i for i, f in enumerate(flags) if f):
        item_id = frame.at[i, "item_id_out"]
        for flag in flags[i]:
            if flag == DUPLICATE:
                j = first_of[i]
                note = (f"duplicate of row {frame.at[j, 'row']} ({frame.at[j, 'item_id_out']}): "
                        "same names, year and amount")
            elif flag == SUSPECTED_SUBTOTAL:
                note = "amount equals the sum of the rows nested under it: a subtotal kept beside its items?"
            else:
                note = _NOTES[flag].format(amount=frame.at[i, "amount_text"])
            out.append({"file": frame.at[i, "file"], "row": int(frame.at[i, "row"]), "disposition": "reported",
                        "note": f"{item_id}: {note}", "text": row_text(frame.at[i, "cells"])})
    return out


def ingest_tables(sources, mapping: Mapping | str, stated: str | Path | None = None) -> IngestResult:
    """Read *sources* (files or folders) through *mapping*; nothing is written."""
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    subtotal_re = re.compile(mapping.subtotal_pattern) if mapping.subtotal_pattern else None
    parts, sources_meta = [], []
    names_seen: dict[str, Path] = {}
    for path in expand_sources(sources):
        if path.name in names_seen:
            raise InputError(f"two tables share the file name {path.name!r} ({names_seen[path.name]}); "
                             "rename one so rows can be traced", path=path)
        names_seen[path.name] = path
        table = read_table(path)
        parts.append((table, plan_columns(table, mapping)))
        sources_meta.append({"file": path.name, "path": str(path), "rows": len(table.rows),
                             "sha256": hashlib.sha256(table.raw).hexdigest()})
    levels = len(mapping.levels)
    allrows, skips = read_frame(parts, mapping, subtotal_re)
    del parts
    _refuse_wrong_era(allrows, skips, sources_meta, mapping)
    bill_year = _bill_year(allrows, mapping)
    tree = _Tree(mapping)
    is_sub = allrows["subtotal"].astype(bool)
    items = allrows[~is_sub].reset_index(drop=True)
    subtotals = allrows[is_sub].reset_index(drop=True)
    items["node_id"] = tree.place_frame(items, levels)
    items["item_id_out"] = [i or f"{f}:{r}" for i, f, r in
                            zip(items["item_id"].tolist(), items["file"].tolist(), items["row"].tolist())]
    amounts, years = items["amount"].tolist(), items["year"].tolist()
    flags = [[] if s == "ok" else [s] for s in items["status"].tolist()]
    key_cols = [f"k{i}" for i in range(levels)]
    paths = ["\x1f".join(k for k in ks if k) for ks in zip(*(items[c].tolist() for c in key_cols))] if len(items) else []
    for i in sorted(_suspected_subtotals(paths, years, amounts)):
        flags[i].append(SUSPECTED_SUBTOTAL)
    dup_key = pd.DataFrame({"n": items["node_id"], "y": items["year"], "o": items["obliged"],
                            "a": [amount_text(a) if a is not None else "raw:" + t
                                  for a, t in zip(amounts, items["amount_text"].tolist())]})
    first_of: dict[int, int] = {}
    if len(items):
        dups = dup_key.duplicated(keep="first")
        firsts = dup_key.reset_index().drop_duplicates(subset=["n", "y", "o", "a"]).set_index(["n", "y", "o", "a"])
        for i in dups[dups].index:
            first_of[i] = int(firsts.loc[tuple(dup_key.loc[i])]["index"])
            flags[i].append(DUPLICATE)
    obliged = items["obliged"].astype(bool).tolist()
    out = pd.DataFrame({
        "item_id": items["item_id_out"], "source_file": items["file"], "source_row": items["row"],
        "page": items["page"],
        **{key: items[f"n{i}"] for i, key in enumerate(mapping.keys)},
        "node_id": items["node_id"], "fiscal_year": items["year"],
        "amount_mb": [amount_text(a) for a in amounts], "amount_text": items["amount_text"],
        "obliged": ["true" if o else "false" for o in obliged],
        "kind": [OTHER_YEAR if o and y != bill_year else APPROPRIATION for o, y in zip(obliged, years)],
        "unit": items["unit"], "status": [";".join(f) or "ok" for f in flags],
    })
    report = _reported(items, flags, first_of)
    stated_rows = []
    upto = _subtotal_upto(mapping)
    for rec in subtotals.to_dict("records"):
        names = [rec[f"n{i}"] for i in range(levels)]
        node_id = tree.place_row(names, [rec[f"k{i}"] for i in range(levels)], upto)
        if not node_id or rec["amount"] is None:
            report.append({"file": rec["file"], "row": int(rec["row"]), "disposition": "skipped",
                           "note": "printed subtotal without a node or an amount", "text": row_text(rec["cells"])})
            continue
        node = next(r for r in tree.rows if r["node_id"] == node_id)
        stated_rows.append({"level": node["level"], "node_id": node_id, "name": node["name"],
                            "fiscal_year": int(rec["year"]), "amount_mb": amount_text(rec["amount"]),
                            "source_file": rec["file"], "line": int(rec["row"])})
        report.append({"file": rec["file"], "row": int(rec["row"]), "disposition": "recognised",
                       "note": f"printed subtotal of {node['level']} {node_id}: stored in stated.csv",
                       "text": row_text(rec["cells"])})
    for skip in skips:
        report.append({"file": skip.file, "row": skip.row, "disposition": "skipped", "note": skip.note,
                       "text": skip.text})
    report.sort(key=lambda r: (r["file"], r["row"]))
    if stated is not None:
        from .stated import read_stated

        stated_rows.extend(read_stated(stated, mapping.keys, tree.rows))
    plan = {
        "kind": "budget_table",
        "title": mapping.title or mapping.name,
        "title_en": mapping.title_en,
        "fiscal_years": sorted({int(y) for y in allrows["year"]}),
        "bill_year": bill_year,
        "levels": [level.as_dict() for level in mapping.levels],
        "mapping": mapping.source or mapping.name,
        "phase": mapping.phase,
        "currency_unit": "million_baht",
        "sources": sources_meta,
        "accounting": {"rows": sum(s["rows"] for s in sources_meta), "items": len(out),
                       "reported": sum(1 for f in flags if f), "recognised": len(subtotals), "skipped": len(skips)},
    }
    columns = dict(COLUMNS, items=ITEM_HEAD + mapping.keys + ITEM_TAIL)
    frames_out = {
        "items": out,
        "nodes": pd.DataFrame(tree.rows, columns=COLUMNS["nodes"]),
        "stated": pd.DataFrame(stated_rows, columns=COLUMNS["stated"]),
        "ingest_report": pd.DataFrame(report, columns=COLUMNS["ingest_report"]),
    }
    return IngestResult(plan, frames_out, columns)


def _refuse_wrong_era(rows: pd.DataFrame, skips, sources_meta: list[dict], mapping: Mapping) -> None:
    """A table whose rows are all refused for their fiscal year is a mapping error, not data."""
    used = set(rows["file"].tolist()) if len(rows) else set()
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
