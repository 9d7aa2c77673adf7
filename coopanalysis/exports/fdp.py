"""Fiscal Data Package export: ``datapackage.json`` plus CSVs.

``write_fdp(source, out_dir)`` writes into *out_dir*:

- ``budget.csv``: the facts, one row per item (project) and fiscal year: the id and name of every
  hierarchy level, the responsible units, the fiscal year (Buddhist era) with its period (the
  Thai fiscal year, 1 October - 30 September, as ISO dates) and the amount in million baht
  (the exact printed decimal);
- ``printed_totals.csv``: every printed total beside the sum the toolkit computed;
- ``datapackage.json``: the Tabular Data Package descriptor (typed fields, primary key) and the
  Fiscal Data Package model: one measure ``amount`` (currency THB, factor 1,000,000: the amounts
  are million baht; direction expenditure; phase ``proposed`` for an action plan, or the
  ``phase`` of ``plan.json`` for a budget bill: ``proposed`` for a bill, ``approved`` once
  enacted), the hierarchy levels as classification dimensions, the responsible units as the
  administrative classification and the fiscal year as the datetime dimension.

The descriptor's ``profile`` is ``tabular-data-package``: the Fiscal Data Package profile (v1,
``schemas/fiscal-data-package.json``) is a Tabular Data Package with a ``model`` and requires that
value; ``frictionless validate`` then checks the tables offline, with no profile to fetch.

Text cells that begin like a spreadsheet formula (``= + - @``, tab, CR) get a leading ``'``
(:func:`coopanalysis.io.safeio.spreadsheet_text`); numbers are written as they are.

The files are written as one transaction of :func:`coopanalysis.ingest.output.replace_files`:
staged inside *out_dir* (so a folder on another file system works), recorded in
``.coopanalysis-fdp-manifest.json``, moved in with the descriptor last. A file of one of these
names that no earlier export wrote (the user's own ``budget.csv``) is refused, never overwritten;
files in *out_dir* that this export does not write are left alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.exports.shape import shape
from coopanalysis.ingest.output import replace_files
from coopanalysis.io.safeio import spreadsheet_text
from coopanalysis.text.fiscal import fiscal_year_span
from coopanalysis.text.thai import amount_text

__all__ = ["write_fdp", "package_name", "FACTOR", "CURRENCY", "FILES", "PROFILE", "PHASES", "MANIFEST"]

#: Amounts are million baht: multiply by this to get baht.
FACTOR = 1_000_000
CURRENCY = "THB"
#: The files one export writes (the descriptor last).
FILES = ("budget.csv", "printed_totals.csv", "datapackage.json")
#: The descriptor's profile (what the Fiscal Data Package v1 schema requires).
PROFILE = "tabular-data-package"
#: The budget phases of the Fiscal Data Package; an action plan's amounts are ``proposed``.
PHASES = ("proposed", "approved", "adjusted", "executed")
_PHASE_ALIASES = {"planned": "proposed"}
#: What the export wrote into its folder (and may therefore replace next time).
MANIFEST = ".coopanalysis-fdp-manifest.json"


def package_name(text: str) -> str:
    """A Data Package name (lower-case ``a-z0-9._-``) from a source file name.

    >>> package_name("cpd_action_plan_2560_2564.txt"), package_name("แผน.txt")
    ('cpd_action_plan_2560_2564', 'coopanalysis-plan')
    """
    stem = Path(text).stem if text else ""
    name = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")
    return name or "coopanalysis-plan"


def _csv(fields: list[dict], rows: list[list]) -> str:
    """The table as CSV; a text cell that a spreadsheet would run as a formula is made text."""
    text_columns = [i for i, field in enumerate(fields) if field["type"] == "string"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([field["name"] for field in fields])
    for row in rows:
        row = list(row)
        for i in text_columns:
            row[i] = spreadsheet_text(row[i])
        writer.writerow(row)
    return buffer.getvalue()


def fdp_phase(phase: str) -> str:
    """The Fiscal Data Package phase of the amounts (``planned``, an action plan's, is ``proposed``).

    >>> fdp_phase("planned"), fdp_phase("approved")
    ('proposed', 'approved')
    """
    phase = _PHASE_ALIASES.get(phase, phase)
    if phase not in PHASES:
        raise InputError(f"plan.json: phase {phase!r} is not one of {', '.join(PHASES)}")
    return phase


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_text(value)
    return str(value)


def _budget_table(shaped) -> tuple[list[dict], list[str], list[list], bool]:
    levels = shaped.levels
    fields = []
    for level in levels:
        fields.append({"name": f"{level.key}_id", "type": "string", "title": f"{level.label_th} ({level.label_en})"})
        fields.append({"name": f"{level.key}_name", "type": "string", "title": f"ชื่อ{level.label_th} ({level.label_en} name)"})
    fields += [
        {"name": "units", "type": "string", "title": "หน่วยงานรับผิดชอบ (responsible units, '; '-separated)"},
        {"name": "fiscal_year", "type": "integer", "title": "ปีงบประมาณ พ.ศ. (fiscal year, Buddhist era)"},
        {"name": "fiscal_period_start", "type": "date", "title": "first day of the fiscal year"},
        {"name": "fiscal_period_end", "type": "date", "title": "last day of the fiscal year"},
        {"name": "amount", "type": "number", "title": "จำนวนเงิน ล้านบาท (amount, million baht)",
         "constraints": {"required": True}},
        {"name": "source", "type": "string", "title": "แหล่ง (where the amount is printed: section or file)"},
        {"name": "source_line", "type": "integer", "title": "บรรทัด/แถว (line of the text, or row of the table)"},
    ]
    fields += [{"name": key, "type": "string", "title": f"{th} ({en})"} for key, th, en in shaped.long_extra]
    header = [f["name"] for f in fields]
    if len(set(header)) != len(header):
        clash = sorted({h for h in header if header.count(h) > 1})
        raise InputError(f"level keys clash with the package's own columns: {', '.join(clash)}; "
                         "rename the level in the mapping")
    rows, keys = [], set()
    for row in shaped.long:
        start, end = fiscal_year_span(row["fiscal_year"])
        values = [row.get(f"{level.key}_{part}", "") for level in levels for part in ("id", "name")]
        values += [row["units"], row["fiscal_year"], start.isoformat(), end.isoformat(), row["amount"],
                   row.get("source", ""), row.get("source_line")]
        values += [row.get(key, "") for key, _, _ in shaped.long_extra]
        rows.append([_cell(v) for v in values])
        keys.add((row.get(f"{levels[-1].key}_id"), row["fiscal_year"]))
    unique = len(keys) == len(rows) and all(row.get(f"{levels[-1].key}_id") for row in shaped.long)
    return fields, header, rows, unique


def _totals_table(shaped) -> tuple[list[dict], list[str], list[list]]:
    fields = [
        {"name": "level", "type": "string", "title": "ระดับ (level)"},
        {"name": "id", "type": "string", "title": "รหัส (id)"},
        {"name": "name", "type": "string", "title": "ชื่อ (name)"},
        {"name": "fiscal_year", "type": "integer",
         "title": "ปีงบประมาณ พ.ศ. (fiscal year; empty: the whole period of the plan)"},
        {"name": "printed_amount", "type": "number", "title": "ยอดรวมตามเอกสาร ล้านบาท (printed total, million baht)"},
        {"name": "computed_amount", "type": "number", "title": "ยอดรวมที่คำนวณ ล้านบาท (computed total, million baht)"},
    ]
    rows = [[_cell(t["level"]), _cell(t["id"]), _cell(t["name"]), _cell(t["fiscal_year"]), _cell(t["printed"]),
             _cell(t["computed"])] for t in shaped.totals]
    return fields, [f["name"] for f in fields], rows


def _model(levels, phase: str, has_units: bool) -> dict:
    dimensions = {}
    for level in levels:
        dimensions[level.key] = {
            "dimensionType": "classification",
            "primaryKey": [f"{level.key}_id"],
            "attributes": {
                f"{level.key}_id": {"source": f"{level.key}_id", "resource": "budget"},
                f"{level.key}_name": {"source": f"{level.key}_name", "resource": "budget",
                                      "labelfor": f"{level.key}_id"},
            },
        }
    if has_units:
        dimensions["administrative"] = {
            "dimensionType": "classification", "classificationType": "administrative",
            "primaryKey": ["units"], "attributes": {"units": {"source": "units", "resource": "budget"}},
        }
    dimensions["date"] = {
        "dimensionType": "datetime", "primaryKey": ["fiscal_year"],
        "attributes": {name: {"source": name, "resource": "budget"}
                       for name in ("fiscal_year", "fiscal_period_start", "fiscal_period_end")},
    }
    measures = {"amount": {"source": "amount", "resource": "budget", "currency": CURRENCY, "factor": FACTOR,
                           "direction": "expenditure", "phase": fdp_phase(phase)}}
    return {"measures": measures, "dimensions": dimensions}


def _descriptor(shaped, budget, totals) -> dict:
    levels, info = shaped.levels, shaped.info
    fields, _, _, unique = budget
    schema = {"fields": fields, "missingValues": [""]}
    if unique:
        schema["primaryKey"] = [f"{levels[-1].key}_id", "fiscal_year"]
    years = shaped.years
    descriptor = {
        "profile": PROFILE,
        "name": package_name(info["sources"][0]["file"] if len(info["sources"]) == 1 else info["mapping"]),
        "title": shaped.title or info["source_file"] or "plan",
        "description": ("Yearly amounts of each item, in million baht (factor 1,000,000 to baht); fiscal years "
                        "are Thai fiscal years in the Buddhist era (1 October - 30 September). "
                        "printed_totals.csv holds the totals printed in the source beside the computed sums. "
                        "Written by coopanalysis."),
        "countryCode": "TH",
        "granularity": "aggregated" if shaped.kind == "plan" else "transactional",
        "resources": [
            {"name": "budget", "path": "budget.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": schema},
            {"name": "printed_totals", "path": "printed_totals.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": totals[0], "missingValues": [""]}},
        ],
        "model": _model(levels, shaped.phase, any(row.get("units") for row in shaped.long)),
    }
    if years:
        descriptor["fiscalPeriod"] = {"start": fiscal_year_span(min(years))[0].isoformat(),
                                      "end": fiscal_year_span(max(years))[1].isoformat()}
    sources = []
    for source in info["sources"]:
        entry = {"title": source["file"]}
        if source.get("sha256"):
            entry["title"] += f" (sha256 {source['sha256']})"
        sources.append(entry)
    if sources:
        descriptor["sources"] = sources
    if info["corrections"]:
        descriptor["x-corrections-applied"] = len(info["corrections"])
    return descriptor


def write_fdp(source, out_dir) -> Path:
    """Write the Fiscal Data Package of *source* into *out_dir*.

    *source*: a Plan, Figures, a budget dataset, or a path (an ingested plan directory, a plan
    text file, a budget dataset directory).

    Returns the path of ``datapackage.json``. *out_dir* is created when missing (its parent
    must exist); only the files in :data:`FILES` are replaced.
    """
    shaped = shape(source)
    budget = _budget_table(shaped)
    totals = _totals_table(shaped)
    descriptor = _descriptor(shaped, budget, totals)
    contents = {
        "budget.csv": _csv(budget[0], budget[2]),
        "printed_totals.csv": _csv(totals[0], totals[2]),
        "datapackage.json": json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
    }
    replace_files(out_dir, {name: contents[name].encode("utf-8") for name in FILES},
                  manifest=MANIFEST, written_by="coopanalysis export --format fdp")
    return Path(out_dir) / "datapackage.json"  # as the caller named the folder (a symlink not resolved)
