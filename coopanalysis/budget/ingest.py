"""Ingest budget tables through a mapping into a budget dataset directory (all files or none).

Every source row ends up in ``items.csv`` or in ``ingest_report.csv`` (or both, when an item is
flagged). The layout is described in the docstring of :mod:`coopanalysis.budget`.
"""

from __future__ import annotations

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

from ..errors import InputError
from ..thai import amount_text
from .amounts import FLOAT_NOISE, MALFORMED, MISSING
from .mapping import Mapping, load_mapping
from .reader import expand_sources, read_table
from .rows import Record, Skip, plan_columns, read_row

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
    tables: dict[str, list[dict]]
    columns: dict[str, list[str]]
    files: list[Path] = field(default_factory=list)

    def accounting_line(self) -> str:
        a = self.plan["accounting"]
        return (f"{a['rows']} rows read from {len(self.plan['sources'])} file(s): {a['items']} items "
                f"({a['reported']} flagged), {a['recognised']} printed subtotals, {a['skipped']} skipped; "
                f"{len(self.tables['nodes'])} nodes")


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
    return buffer.getvalue()


class _Tree:
    """Nodes keyed by (parent, level, match key); dotted ids in first-seen order."""

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

    def place(self, rec: Record, upto: int | None = None) -> tuple[str, list[str]]:
        """The deepest node of *rec* (levels before *upto* only) and the ids along its path."""
        parent, along, k = "", [], 0
        for i, name in enumerate(rec.names):
            if upto is not None and i >= upto:
                break
            if name:
                parent = self.node(parent, i, name, rec.keys[k])
                along.append(parent)
                k += 1
        return parent, along


def _bill_year(records: list[Record], mapping: Mapping) -> int | None:
    if mapping.bill_year is not None:
        return mapping.bill_year
    counts = Counter(r.year for r in records if not r.obliged and not r.subtotal)
    if not counts:
        counts = Counter(r.year for r in records)
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


def _flag_suspected_subtotals(records: list[Record], statuses: list[list[str]]) -> None:
    """A row equal to the sum of the rows nested under it (same parent, same year)."""
    sums: dict[tuple, Decimal] = {}
    broken: set[tuple] = set()
    for rec in records:
        for k in range(1, len(rec.keys)):
            key = (rec.keys[:k], rec.year)
            if rec.amount is None:
                broken.add(key)
            else:
                sums[key] = sums.get(key, Decimal(0)) + rec.amount
    for i, rec in enumerate(records):
        key = (rec.keys, rec.year)
        if rec.amount is not None and rec.amount != 0 and key in sums and key not in broken \
                and sums[key] == rec.amount:
            statuses[i].append(SUSPECTED_SUBTOTAL)


def ingest_tables(sources, mapping: Mapping | str, stated: str | Path | None = None) -> IngestResult:
    """Read *sources* (files or folders) through *mapping*; nothing is written."""
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    subtotal_re = re.compile(mapping.subtotal_pattern) if mapping.subtotal_pattern else None
    records: list[Record] = []
    skips: list[Skip] = []
    sources_meta = []
    names_seen: dict[str, Path] = {}
    for path in expand_sources(sources):
        if path.name in names_seen:
            raise InputError(f"two tables share the file name {path.name!r} ({names_seen[path.name]}); "
                             "rename one so rows can be traced", path=path)
        names_seen[path.name] = path
        table = read_table(path)
        cols = plan_columns(table, mapping)
        for cells, number in zip(table.rows, table.numbers):
            out = read_row(cells, number, path.name, cols, mapping, subtotal_re)
            (skips if isinstance(out, Skip) else records).append(out)
        sources_meta.append({"file": path.name, "path": str(path), "rows": len(table.rows),
                             "sha256": hashlib.sha256(table.raw).hexdigest()})
    bill_year = _bill_year(records, mapping)
    tree = _Tree(mapping)
    items, report, stated_rows = [], [], []
    kept = [r for r in records if not r.subtotal]
    statuses = [[r.status] if r.status != "ok" else [] for r in kept]
    _flag_suspected_subtotals(kept, statuses)
    first_seen: dict[tuple, Record] = {}
    for rec, flags in zip(kept, statuses):
        node_id, _along = tree.place(rec)
        dup_key = (node_id, rec.year, rec.amount if rec.amount is not None else rec.amount_text, rec.obliged)
        if dup_key in first_seen:
            flags.append(DUPLICATE)
        else:
            first_seen[dup_key] = rec
        kind = OTHER_YEAR if rec.obliged and rec.year != bill_year else APPROPRIATION
        row = {"item_id": rec.item_id or f"{rec.file}:{rec.row}", "source_file": rec.file,
               "source_row": rec.row, "page": rec.page, "node_id": node_id, "fiscal_year": rec.year,
               "amount_mb": amount_text(rec.amount), "amount_text": rec.amount_text,
               "obliged": "true" if rec.obliged else "false", "kind": kind, "unit": rec.unit,
               "status": ";".join(flags) or "ok"}
        row.update(zip(mapping.keys, rec.names))
        items.append(row)
        for flag in flags:
            if flag == DUPLICATE:
                first = first_seen[dup_key]
                note = f"duplicate of row {first.row} ({first.item_id or first.file}): same names, year and amount"
            elif flag == SUSPECTED_SUBTOTAL:
                note = "amount equals the sum of the rows nested under it: a subtotal kept beside its items?"
            else:
                note = _NOTES[flag].format(amount=rec.amount_text)
            report.append({"file": rec.file, "row": rec.row, "disposition": "reported",
                           "note": f"{row['item_id']}: {note}", "text": rec.text})
    for rec in records:
        if not rec.subtotal:
            continue
        node_id, _along = tree.place(rec, upto=_subtotal_upto(mapping))
        if not node_id or rec.amount is None:
            report.append({"file": rec.file, "row": rec.row, "disposition": "skipped",
                           "note": "printed subtotal without a node or an amount", "text": rec.text})
            continue
        node = next(r for r in tree.rows if r["node_id"] == node_id)
        level, name = node["level"], node["name"]
        stated_rows.append({"level": level, "node_id": node_id, "name": name, "fiscal_year": rec.year,
                            "amount_mb": amount_text(rec.amount), "source_file": rec.file, "line": rec.row})
        report.append({"file": rec.file, "row": rec.row, "disposition": "recognised",
                       "note": f"printed subtotal of {level} {node_id}: stored in stated.csv", "text": rec.text})
    for skip in skips:
        report.append({"file": skip.file, "row": skip.row, "disposition": "skipped", "note": skip.note,
                       "text": skip.text})
    report.sort(key=lambda r: (r["file"], r["row"]))
    if stated is not None:
        from .stated import read_stated

        stated_rows.extend(read_stated(stated, mapping.keys, tree.rows))
    years = sorted({r.year for r in records})
    plan = {
        "kind": "budget_table",
        "title": mapping.title or mapping.name,
        "title_en": mapping.title_en,
        "fiscal_years": years,
        "bill_year": bill_year,
        "levels": [level.as_dict() for level in mapping.levels],
        "mapping": mapping.source or mapping.name,
        "phase": mapping.phase,
        "currency_unit": "million_baht",
        "sources": sources_meta,
        "accounting": {"rows": sum(s["rows"] for s in sources_meta), "items": len(items),
                       "reported": sum(1 for s in statuses if s),
                       "recognised": sum(1 for r in records if r.subtotal), "skipped": len(skips)},
    }
    columns = dict(COLUMNS, items=ITEM_HEAD + mapping.keys + ITEM_TAIL)
    tables = {"items": items, "nodes": tree.rows, "stated": stated_rows, "ingest_report": report}
    return IngestResult(plan, tables, columns)


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
    files = {f"{name}.csv": csv_text(rows, result.columns[name]) for name, rows in result.tables.items()}
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
