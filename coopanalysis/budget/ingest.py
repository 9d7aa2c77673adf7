"""Ingest budget tables through a mapping into a budget dataset directory (all files or none).

Every source row ends up in ``items.csv`` or in ``ingest_report.csv`` (or both, when an item is
flagged). The layout is described in the docstring of :mod:`coopanalysis.budget`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coopanalysis.budget.amounts import CORRECTED, FLOAT_NOISE, MALFORMED, MISSING, OK
from coopanalysis.budget.flags import duplicates, suspected_subtotals
from coopanalysis.budget.mapping import Mapping, load_mapping
from coopanalysis.budget.reader import MAX_RUN_ROWS, check_run_size, expand_sources, read_table
from coopanalysis.budget.rows import Rows, correct_rows, plan_columns, read_rows, row_text
from coopanalysis.budget.tree import Tree
from coopanalysis.budget.volumes import Parts, merge_names, part_entries, volume_cells
from coopanalysis.errors import InputError, LimitError
from coopanalysis.ingest.corrections import TABLE_APPLIED_COLUMNS, load_corrections
from coopanalysis.ingest.output import replace_files
from coopanalysis.io.schema import escape_text_columns

__all__ = ["COLUMNS", "IngestResult", "ingest_tables", "write_dataset"]

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
                f"{len(self.frames['nodes'])} nodes" + _merged_line(self.plan.get("parts", []))
                + (f"; {a['corrected']} reviewed corrections applied" if "corrected" in a else ""))


def _bill_year(rows: pd.DataFrame, mapping: Mapping) -> int | None:
    """The mapping's bill year, else the most common year of the rows that are neither
    obligations nor subtotals (the latest of equally common ones)."""
    if mapping.bill_year is not None:
        return mapping.bill_year
    plain = rows[~rows["obliged"] & ~rows["subtotal"]]
    years = (plain if len(plain) else rows)["year"]
    if not len(years):
        return None
    counts = years.value_counts()
    return int(counts[counts == counts.max()].index.max())


def _read_sources(sources, mapping: Mapping) -> tuple[list, list[dict]]:
    parts, sources_meta = [], []
    names_seen: dict[str, Path] = {}
    paths = expand_sources(sources)
    check_run_size(paths)
    rows = 0
    for path in paths:
        if path.name in names_seen:
            raise InputError(f"two tables share the file name {path.name!r} ({names_seen[path.name]}); "
                             "rename one so rows can be traced", path=path)
        names_seen[path.name] = path
        table = read_table(path)
        rows += len(table)
        if rows > MAX_RUN_ROWS:
            raise LimitError(f"the tables up to this one hold more than {MAX_RUN_ROWS:,} rows; "
                             "read them in smaller groups", path=path)
        parts.append((table, plan_columns(table, mapping)))
        sources_meta.append({"file": path.name, "path": str(path), "rows": len(table),
                             "sha256": hashlib.sha256(table.raw).hexdigest(),
                             **({"notes": table.notes} if table.notes else {})})
    return parts, sources_meta


def _flags(items: pd.DataFrame, keys: list[pd.Series], node) -> tuple[dict[int, list[str]], dict[int, int]]:
    """Each flagged item's flags (its amount's status, then suspected subtotal, then duplicate) and
    the first row each duplicate repeats."""
    statuses = {i: [status] for i, status in enumerate(items["status"].tolist()) if status not in (OK, CORRECTED)}
    for i in suspected_subtotals(keys, items["year"], items["amount_mb"]):
        statuses.setdefault(i, []).append(SUSPECTED_SUBTOTAL)
    first_of = duplicates(node, items["year"], items["obliged"], items["amount_mb"], items["amount_text"])
    for i in sorted(first_of):
        statuses.setdefault(i, []).append(DUPLICATE)
    return statuses, first_of


def _reported(items: pd.DataFrame, statuses: dict[int, list[str]], first_of: dict[int, int], rows: Rows) -> list[dict]:
    out = []
    for i in sorted(statuses):
        item = items.loc[i]
        for flag in statuses[i]:
            if flag == DUPLICATE:
                first = items.loc[first_of[i]]
                note = f"duplicate of row {first['row']} ({first['item_id']}): same names, year and amount"
            elif flag == SUSPECTED_SUBTOTAL:
                note = "amount equals the sum of the rows nested under it: a subtotal kept beside its items?"
            else:
                note = _NOTES[flag].format(amount=item["amount_text"])
            out.append({"file": item["file"], "row": int(item["row"]), "disposition": "reported",
                        "note": f"{item['item_id']}: {note}", "text": row_text(rows.source_row(item["src"]))})
    return out


def _items_frame(items: pd.DataFrame, mapping: Mapping, statuses: dict[int, list[str]], bill_year) -> pd.DataFrame:
    status = items["status"].copy()
    for i, flags in statuses.items():
        status[i] = ";".join(([CORRECTED] if status[i] == CORRECTED else []) + flags)
    other_year = items["obliged"] & (items["year"] != bill_year)
    text = pd.DataFrame({
        "item_id": items["item_id"], "source_file": items["file"], "page": items["page"],
        **{key: items["printed0" if i == 0 else f"n{i}"] for i, key in enumerate(mapping.keys)},  # as printed
        "node_id": items["node_id"], "amount_mb": items["amount_mb"], "amount_text": items["amount_text"],
        "obliged": items["obliged"].map({False: "false", True: "true"}),
        "kind": other_year.map({False: APPROPRIATION, True: OTHER_YEAR}), "unit": items["unit"], "status": status,
    }).astype("str")  # pandas' text dtype, as the files are read back
    text["source_row"], text["fiscal_year"] = items["row"], items["year"]
    return text[ITEM_HEAD + mapping.keys + ITEM_TAIL].reset_index(drop=True)


def _stated_rows(subtotals: pd.DataFrame, tree: Tree, mapping: Mapping, rows: Rows,
                 split: Parts) -> tuple[list[dict], list[dict]]:
    """Printed subtotal rows the mapping recognises → stated totals, and a report line for each
    (a part's subtotal of a ministry merged across volumes: that part's rows, see :mod:`.volumes`)."""
    stated, report = [], []
    upto = _subtotal_upto(mapping)
    levels = range(len(mapping.levels))
    for row in subtotals.to_dict("records"):
        found = tree.place_row([row[f"n{i}"] for i in levels], [row[f"k{i}"] for i in levels], upto)
        file, number, text = row["file"], int(row["row"]), row_text(rows.source_row(row["src"]))
        if found < 0 or row["amount_mb"] == "":
            report.append({"file": file, "row": number, "disposition": "skipped",
                           "note": "printed subtotal without a node or an amount", "text": text})
            continue
        level, node_id = mapping.keys[tree.levels[found]], tree.ids[found]
        if tree.levels[found] == 0 and row["printed0"] != row["n0"]:
            node_id = split.target(row["printed0"]) or ""
        stated.append({"level": level, "node_id": node_id, "name": tree.names[found], "fiscal_year": int(row["year"]),
                       "amount_mb": row["amount_mb"], "source_file": file, "line": number})
        report.append({"file": file, "row": number, "disposition": "recognised",
                       "note": f"printed subtotal of {level} {node_id}: stored in stated.csv", "text": text})
    return stated, report


def ingest_tables(sources, mapping: Mapping | str, stated: str | Path | None = None,
                  corrections: str | Path | None = None) -> IngestResult:
    """Read *sources* (files or folders) through *mapping*, applying the reviewed *corrections*
    (a corrections file of table rows) if given; nothing is written."""
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    entries = load_corrections(corrections) if corrections is not None else None
    subtotal_re = re.compile(mapping.subtotal_pattern) if mapping.subtotal_pattern else None
    parts, sources_meta = _read_sources(sources, mapping)
    rows = read_rows(parts, mapping, subtotal_re)
    applied, corrected = correct_rows(rows, entries, mapping) if entries is not None else ([], [])
    every = rows.frame
    _refuse_wrong_era(set(every["file"]), rows.skips, sources_meta, mapping)
    every["printed0"] = every["n0"]  # a ministry's parts across volumes: one node (see .volumes)
    every["n0"], every["k0"] = merge_names(every["n0"], every["k0"])
    bill_year = _bill_year(every, mapping)
    levels = range(len(mapping.levels))
    items = every[~every["subtotal"]].reset_index(drop=True)
    subtotals = every[every["subtotal"]]
    tree = Tree(mapping.keys)
    keys = [items[f"k{i}"] for i in levels]
    node = tree.place([items[f"n{i}"] for i in levels], keys)
    items["node_id"] = [tree.ids[n] for n in node.tolist()]
    volumes = part_entries(items, items["printed0"], volume_cells(rows.tables, mapping.volume).iloc[items["src"]]
                           .reset_index(drop=True), tree)
    statuses, first_of = _flags(items, keys, node)
    out = _items_frame(items, mapping, statuses, bill_year)
    report = _reported(items, statuses, first_of, rows)
    stated_rows, subtotal_report = _stated_rows(subtotals, tree, mapping, rows, Parts(volumes, mapping.keys[0]))
    report += subtotal_report + corrected
    report += [{"file": s.file, "row": s.row, "disposition": "skipped", "note": s.note, "text": s.text}
               for s in rows.skips]
    report.sort(key=lambda r: (r["file"], r["row"]))
    nodes = tree.frame()
    if stated is not None:
        from coopanalysis.budget.stated import read_stated

        stated_rows.extend(read_stated(stated, mapping.keys, nodes, parts=volumes))
    plan = {
        "kind": "budget_table",
        "title": mapping.title or mapping.name,
        "title_en": mapping.title_en,
        "fiscal_years": sorted(int(year) for year in every["year"].unique()),
        "bill_year": bill_year,
        "levels": [level.as_dict() for level in mapping.levels],
        "mapping": mapping.source or mapping.name,
        "phase": mapping.phase,
        "currency_unit": "million_baht",
        "sources": sources_meta,
        "accounting": {"rows": sum(s["rows"] for s in sources_meta), "items": len(out),
                       "reported": len(statuses), "recognised": len(subtotals), "skipped": len(rows.skips)},
    }
    if volumes:
        plan["parts"] = volumes
    frames = {
        "items": out,
        "nodes": nodes,
        "stated": pd.DataFrame(stated_rows, columns=COLUMNS["stated"]),
        "ingest_report": pd.DataFrame(report, columns=COLUMNS["ingest_report"]),
    }
    columns = dict(COLUMNS, items=ITEM_HEAD + mapping.keys + ITEM_TAIL)
    if entries is not None:  # recorded with their reasons: corrections_applied.csv, plan.json
        plan["corrections_file"] = Path(corrections).name
        plan["accounting"]["corrected"] = len(applied)
        frames["corrections_applied"] = pd.DataFrame(applied, columns=TABLE_APPLIED_COLUMNS)
        columns["corrections_applied"] = TABLE_APPLIED_COLUMNS
    return IngestResult(plan, frames, columns)


def _merged_line(parts: list[dict]) -> str:
    """What the ingest report says of a ministry merged from parts printed in several volumes."""
    merged: dict[tuple[str, str], list[str]] = {}
    for entry in parts:
        if "units" in entry:  # a part of a merged top-level node
            merged.setdefault((entry["node_id"], entry["name"]), []).append(
                f"{entry['printed_name']} ({entry['source_file']})")
    return "".join(f"; {name!r} (node {node}) is one node from its parts {', '.join(shown)}"
                   for (node, name), shown in merged.items())


def _refuse_wrong_era(used: set[str], skips, sources_meta: list[dict], mapping: Mapping) -> None:
    """A table whose rows are all refused for their fiscal year is a mapping error, not data."""
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
    """Write the dataset's files into *out_dir*, all of them or none (:func:`~coopanalysis.ingest.output.replace_files`:
    other files stay, a manifest lists what ingest wrote). A directory holding an ingested *plan* is refused."""
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
    files = {f"{name}.csv": escape_text_columns(frame).to_csv(index=False, columns=result.columns[name],
                                                              lineterminator="\n").encode("utf-8")
             for name, frame in result.frames.items()}  # a name like '=1+2' as text (io.schema)
    # plan.json last: a reader that finds the new plan.json finds the new tables too
    files["plan.json"] = (json.dumps(result.plan, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    result.files = replace_files(out, files)
    return result.files
