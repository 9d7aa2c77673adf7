"""From parsed records to the tidy tables of ``data/README.md``, and writing them atomically."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from coopanalysis.ingest.model import Document
from coopanalysis.ingest.output import replace_files
from coopanalysis.ingest.reconcile import place
from coopanalysis.io.schema import id_sort_key, table_cell
from coopanalysis.text.thai import amount_text

SOURCE_ORDER = ("summary", "detail", "list", "sheet")


def reconcile(doc: Document) -> None:
    """Place every project's first listing into fiscal years and set its parse_status."""
    n = len(doc.years)
    for p in doc.projects.values():
        listings = [x for x in p.listings if x.values]
        if listings:
            first = listings[0]
            placement = place(first.values, n)
            p.status, p.yearly, p.total = placement.status, placement.yearly, placement.total
            if placement.note:
                p.notes.insert(0, placement.note)
            for other in listings[1:]:
                same = other.values == first.values
                p.notes.append(
                    f"listed again on line {other.line} ({'identical figures, counted once' if same else 'with different figures'})"
                )
        elif p.listings:
            p.status = "unreconciled"
            p.notes.insert(0, "named in a table but no budget values could be read")
        elif p.sheet_budget:
            p.status = "sheet_only"
            p.notes.insert(0, "yearly amounts from the project sheet, which prints no total")
        else:
            p.status = "listed_only"
            p.notes.insert(0, "only named in a list; the document gives no figures")
        for listing in p.listings:
            for unit in listing.units:
                if unit not in p.units:
                    p.units.append(unit)


def restatus_after_corrections(doc: Document) -> None:
    for p in doc.projects.values():
        if (p.corrected_from or p.total_corrected_from) and p.yearly is not None and p.total is not None:
            adds_up = sum(p.yearly, Decimal(0)) == p.total
            if p.status == "mismatch" and adds_up:
                p.status = "exact"
            elif p.status in ("exact", "repaired") and not adds_up:
                p.status = "mismatch"


def best_name(names: dict[str, tuple[str, int]], order=SOURCE_ORDER) -> str:
    for source in order:
        if source in names and names[source][0]:
            return names[source][0]
    return ""


def _lines(value: int | None) -> str:
    return "" if value is None else str(value)


def build_tables(doc: Document) -> dict[str, list[dict]]:
    t: dict[str, list[dict]] = {}
    strategies = sorted(doc.strategies.values(), key=lambda s: id_sort_key(s.strategy_id))
    t["strategies"] = [
        {
            "strategy_id": s.strategy_id,
            "name": best_name(s.names),
            "goal": s.goal,
            "stated_total_mb": amount_text(s.stated_total),
            "stated_project_count": "" if s.stated_count is None else s.stated_count,
            "source_line": s.first_line,
            "stated_total_line": _lines(s.stated_total_line),
            "stated_count_line": _lines(s.stated_count_line),
            "present_in": ";".join(x for x in SOURCE_ORDER if x in s.present_in),
        }
        for s in strategies
    ]
    tactics = sorted(doc.tactics.values(), key=lambda x: id_sort_key(x.tactic_id))
    t["tactics"] = [
        {
            "tactic_id": x.tactic_id,
            "strategy_id": x.strategy_id,
            "name": best_name(x.names),
            "stated_total_mb": amount_text(x.stated_total),
            "stated_project_count": "" if x.stated_count is None else x.stated_count,
            "source_line": x.first_line,
            "stated_total_line": _lines(x.stated_total_line),
            "stated_count_line": _lines(x.stated_count_line),
            "present_in": ";".join(s for s in SOURCE_ORDER if s in x.present_in),
        }
        for x in tactics
    ]
    projects = sorted(doc.projects.values(), key=lambda p: id_sort_key(p.project_id))
    t["projects"], t["project_units"], t["budget"], t["listings"] = [], [], [], []
    for p in projects:
        with_values = [x for x in p.listings if x.values]
        line = with_values[0].values_line if with_values else p.first_line
        t["projects"].append(
            {
                "project_id": p.project_id,
                "strategy_id": p.strategy_id,
                "tactic_id": p.tactic_id,
                "name": best_name(p.names, ("detail", "list", "sheet")),
                "stated_total_mb": amount_text(p.total),
                "parse_status": p.status,
                "parse_note": "; ".join(p.notes),
                "source_line": line,
                "n_values": len(with_values[0].values) - 1 if with_values else "",
                "n_listings": len(p.listings),
                "corrected_from": p.total_corrected_from,
            }
        )
        t["project_units"] += [{"project_id": p.project_id, "unit": u} for u in p.units]
        if with_values:
            yearly = p.yearly if p.yearly is not None else [None] * len(doc.years)
            for year, amount in zip(doc.years, yearly):
                t["budget"].append(
                    {
                        "project_id": p.project_id,
                        "fiscal_year": year,
                        "amount_mb": amount_text(amount),
                        "source": "table",
                        "source_line": with_values[0].values_line,
                        "corrected_from": p.corrected_from.get(year, ""),
                    }
                )
        for year, amount, sline in p.sheet_budget:
            t["budget"].append(
                {"project_id": p.project_id, "fiscal_year": year, "amount_mb": amount, "source": "project_sheet",
                 "source_line": sline, "corrected_from": ""}
            )
        for i, listing in enumerate(p.listings, 1):
            t["listings"].append(
                {
                    "project_id": p.project_id,
                    "listing": i,
                    "name": listing.name,
                    "printed_values": " ".join(listing.values[:-1]),
                    "printed_total": listing.values[-1] if listing.values else "",
                    "units": " ".join(listing.units),
                    "source_line": listing.values_line or listing.line,
                }
            )
    t["kpis"] = []
    for k in doc.kpis:
        if not k.targets:
            t["kpis"].append({"strategy_id": k.strategy_id, "kpi_id": k.kpi_id, "name": k.name, "unit": k.unit,
                              "fiscal_year": "", "target": "", "source_line": k.line,
                              "parse_note": "no targets printed on its row"})
        for year, target, line in k.targets:
            t["kpis"].append({"strategy_id": k.strategy_id, "kpi_id": k.kpi_id, "name": k.name, "unit": k.unit,
                              "fiscal_year": year, "target": target, "source_line": line,
                              "parse_note": k.notes.get(line, "")})
    units: list[str] = []
    for p in projects:
        units += [u for u in p.units if u not in units]
    t["units"] = [{"unit": u, "name": doc.unit_names.get(u, "")} for u in sorted(units)]
    t["activities"] = doc.activities
    t["project_sheets"] = doc.sheets
    t["names"] = []
    for level, records, key in (("strategy", strategies, "strategy_id"), ("tactic", tactics, "tactic_id"),
                                ("project", projects, "project_id")):
        for r in records:
            for source in SOURCE_ORDER:
                if source in r.names and r.names[source][0]:
                    name, line = r.names[source]
                    t["names"].append({"level": level, "id": getattr(r, key), "source": source,
                                       "name": name, "source_line": line})
    t["corrections_applied"] = doc.corrections
    t["ingest_report"] = sorted(doc.report, key=lambda r: (r["line"], r["disposition"]))
    return t


COLUMNS = {
    "strategies": ["strategy_id", "name", "goal", "stated_total_mb", "stated_project_count", "source_line",
                   "stated_total_line", "stated_count_line", "present_in"],
    "tactics": ["tactic_id", "strategy_id", "name", "stated_total_mb", "stated_project_count", "source_line",
                "stated_total_line", "stated_count_line", "present_in"],
    "projects": ["project_id", "strategy_id", "tactic_id", "name", "stated_total_mb", "parse_status", "parse_note",
                 "source_line", "n_values", "n_listings", "corrected_from"],
    "project_units": ["project_id", "unit"],
    "budget": ["project_id", "fiscal_year", "amount_mb", "source", "source_line", "corrected_from"],
    "kpis": ["strategy_id", "kpi_id", "name", "unit", "fiscal_year", "target", "source_line", "parse_note"],
    "units": ["unit", "name"],
    "activities": ["project_id", "activity_id", "name", "fiscal_year", "target", "active", "source_line"],
    "project_sheets": ["project_id", "section", "item_id", "text", "source_line"],
    "names": ["level", "id", "source", "name", "source_line"],
    "listings": ["project_id", "listing", "name", "printed_values", "printed_total", "units", "source_line"],
    "corrections_applied": ["project_id", "field", "fiscal_year", "printed", "corrected", "reason", "source_line"],
    "ingest_report": ["line", "disposition", "text", "note"],
}


def plan_json(doc: Document) -> dict:
    return {
        "title": doc.title,
        "organisation": doc.organisation,
        "first_fiscal_year": doc.years[0],
        "last_fiscal_year": doc.years[-1],
        "fiscal_years": doc.years,
        "vision": doc.vision,
        "missions": doc.missions,
        "strategic_goal": doc.strategic_goal,
    }


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else table_cell(c, row.get(c))) for c in columns})
    return buffer.getvalue()


def write_tables(out_dir: str | Path, tables: dict[str, list[dict]], plan: dict, meta: dict) -> list[Path]:
    """Write the whole set of tables into *out_dir* at once: all or nothing.

    Only the files ingest writes are touched; see :mod:`coopanalysis.ingest.output` for how a
    failure or a crash at any point leaves either the previous complete set or the new one.
    """
    files = {f"{name}.csv": csv_text(rows, COLUMNS[name]).encode("utf-8") for name, rows in tables.items()}
    files["plan.json"] = (json.dumps(plan, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["ingest_meta.json"] = (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return replace_files(out_dir, files)
