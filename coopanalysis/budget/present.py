"""What ``notebooks/group_report.ipynb`` shows for one node: heading, tables and findings, ready to display.

Every name from the tables is HTML-escaped where it enters Markdown; amounts are million baht with
thousands separators; years BE (Thai digits on request).
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import fmt
from ..errors import InputError
from ..safeio import atomic_write_text
from .analysis import allocation, by_year, node_title
from .checks import run_checks
from .dataset import BudgetDataset, ancestors, rollup

__all__ = ["child_level", "heading", "allocation_display", "years_display", "node_findings", "findings_display",
           "write_downloads"]


PHASE_TH = {"proposed": "งบประมาณที่เสนอ (proposed)", "approved": "งบประมาณที่อนุมัติ (approved)"}


def _esc(text) -> str:
    return html.escape(str(text), quote=False).replace("|", "&#124;").replace("*", "&#42;").replace("_", "&#95;")


def child_level(ds: BudgetDataset, node: str) -> str | None:
    """The first level below *node*'s with at least two nodes under it (a split worth showing),
    else the first level with any; None for a leaf. Levels may be skipped."""
    records = ds.node_records()
    if node not in records:
        raise InputError(f"no node {node!r} in this dataset")
    keys = ds.level_keys
    below = keys[keys.index(records[node]["level"]) + 1:]
    counts: dict[str, int] = {}
    for r in records.values():
        if r["node_id"].startswith(node + "."):
            counts[r["level"]] = counts.get(r["level"], 0) + 1
    return next((k for k in below if counts.get(k, 0) >= 2), next((k for k in below if k in counts), None))


def heading(ds: BudgetDataset, node: str, thai_digits: bool = False) -> str:
    """Markdown: the node's title with its level label, where it sits, and its bill-year total."""
    records = ds.node_records()
    path = [records[a] for a in ancestors(node)[:-1]]
    year = ds.bill_year
    total = rollup(ds, [year]).get((node, year), Decimal(0)) if year else Decimal(0)
    lines = [f"# {_esc(node_title(ds, node))}", ""]
    if path:
        lines.append(" › ".join(f"{_esc(ds.level(p['level'])['label_th'])} {_esc(p['name'])}" for p in path))
        lines.append("")
    lines.append(f"**งบประมาณปี พ.ศ. {fmt.year(year, thai_digits)}: {fmt.amount(total, thai_digits=thai_digits)} "
                 f"ล้านบาท** ({PHASE_TH.get(ds.plan.get('phase'), _esc(ds.plan.get('phase', '')))}; "
                 f"ที่มา: {_esc(ds.title)})")
    return "\n".join(lines)


def allocation_display(ds: BudgetDataset, level: str, node: str, fiscal_year=None, top: int | None = 15,
                       thai_digits: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table to show with Thai headings and formatted numbers, the exact table for download)."""
    exact = allocation(ds, level, fiscal_year, top=top, within=node)
    label = ds.level(level)["label_th"]
    shown = pd.DataFrame({
        label: [str(n) for n in exact["name"]],
        "ล้านบาท": [fmt.amount(v, thai_digits=thai_digits) for v in exact["amount_mb"]],
        "สัดส่วน": [fmt.percent(s, thai_digits=thai_digits) for s in exact["share"]],
    })
    return shown, exact


def years_display(ds: BudgetDataset, node: str, thai_digits: bool = False) -> pd.DataFrame:
    """The node's amounts per fiscal year (its own year's appropriation and multi-year commitments)."""
    record = ds.node_records()[node]
    wide = by_year(ds, record["level"], within=node)
    row = wide[wide["node_id"] == node]
    years = [y for y in wide.columns[2:] if not row.empty and row[y].iloc[0] != 0]
    return pd.DataFrame({
        "ปีงบประมาณ": [fmt.year(y, thai_digits) for y in years],
        "ล้านบาท": [fmt.amount(row[y].iloc[0], thai_digits=thai_digits) for y in years],
        "ชนิด": ["งบประมาณปีนี้" if y == ds.bill_year else "ผูกพันข้ามปี" for y in years],
    })


def node_findings(ds: BudgetDataset, node: str) -> list:
    """Findings about *node* or anything beneath it."""
    return [f for f in run_checks(ds) if f.id == node or str(f.id).startswith(node + ".")]


def findings_display(findings) -> pd.DataFrame:
    return pd.DataFrame({
        "ระดับ": [f.severity for f in findings],
        "รหัสตรวจ": [f.check for f in findings],
        "รายละเอียด": [f.message for f in findings],
    })


def write_downloads(output_dir: str | Path | None, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8 with BOM, exact amounts) into *output_dir* atomically."""
    if not output_dir:
        return []
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        frame = frame.copy()
        for column in frame.columns:
            frame[column] = [fmt_cell(v) for v in frame[column]]
        path = out / f"{name}.csv"
        atomic_write_text(path, "\ufeff" + frame.to_csv(index=False))
        written.append(path)
    return written


def fmt_cell(value) -> str:
    """Exact text for a download cell (Decimal without exponent).

    >>> fmt_cell(Decimal("1E+1")), fmt_cell(0.5), fmt_cell("อื่น ๆ")
    ('10', '0.5', 'อื่น ๆ')
    """
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
