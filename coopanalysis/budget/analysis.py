"""Allocation of a budget dataset by any level and year: tables (top-N, the rest grouped) and a treemap.

Amounts are million baht, exact (Decimal) in the tables; the bill's year by default. A year's
allocation counts every item row of that year (for the bill's year: its appropriation, the
obligation row for that year included; for another year: the multi-year commitments for it).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from coopanalysis.budget.dataset import BudgetDataset, rollup
from coopanalysis.errors import InputError
from coopanalysis.io.schema import id_sort_key
from coopanalysis.text import fmt

__all__ = ["OTHER", "allocation", "by_year", "node_title", "treemap"]

OTHER = "อื่น ๆ"


def _year(ds: BudgetDataset, fiscal_year) -> int:
    if fiscal_year is None:
        if ds.bill_year is None:
            raise InputError("the dataset has no bill year; give fiscal_year")
        return int(ds.bill_year)
    year = int(fiscal_year)
    if year not in ds.plan.get("fiscal_years", []):
        raise InputError(f"no item rows for fiscal year {year} (years: {ds.plan.get('fiscal_years')})")
    return year


def _within(ds: BudgetDataset, within: str | None) -> str | None:
    if within is None or within == "":
        return None
    if within not in set(ds.nodes["node_id"]):
        raise InputError(f"no node {within!r} in this dataset")
    return str(within)


def node_title(ds: BudgetDataset, node_id: str) -> str:
    """``หน่วยรับงบประมาณ กรมส่งเสริมสหกรณ์``: the node's level label and its name."""
    node = ds.node_records().get(str(node_id))
    if node is None:
        raise InputError(f"no node {node_id!r} in this dataset")
    return f"{ds.level(node['level'])['label_th']} {node['name']}"


def allocation(ds: BudgetDataset, level: str, fiscal_year=None, top: int | None = None,
               within: str | None = None) -> pd.DataFrame:
    """One row per node of *level* (under node *within*, if given) with its amount in *fiscal_year*.

    Columns: ``node_id``, ``name``, ``parent`` (the parent's name), ``amount_mb`` (Decimal),
    ``share`` (of the total shown, float). Largest first; with *top*, the first *top* nodes and
    one row ``อื่น ๆ`` (node_id empty) for the rest. Nodes with nothing that year are left out.
    """
    ds.level(level)
    year = _year(ds, fiscal_year)
    scope = _within(ds, within)
    if top is not None and int(top) < 1:
        raise InputError(f"top must be at least 1, got {top}")
    sums = rollup(ds, [year])
    nodes = ds.node_records()
    rows = []
    for node in nodes.values():
        if node["level"] != level:
            continue
        if scope is not None and not (node["node_id"] == scope or node["node_id"].startswith(scope + ".")):
            continue
        amount = sums.get((node["node_id"], year))
        if amount is None:
            continue
        parent = nodes.get(node["parent_id"])
        rows.append({"node_id": node["node_id"], "name": node["name"], "parent": parent["name"] if parent else "",
                     "amount_mb": amount})
    rows.sort(key=lambda r: (-r["amount_mb"], id_sort_key(r["node_id"])))
    if top is not None and len(rows) > int(top):
        rest = rows[int(top):]
        rows = rows[: int(top)] + [{"node_id": "", "name": f"{OTHER} ({len(rest)})", "parent": "",
                                    "amount_mb": sum((r["amount_mb"] for r in rest), Decimal(0))}]
    total = sum((r["amount_mb"] for r in rows), Decimal(0))
    for r in rows:
        r["share"] = float(r["amount_mb"] / total) if total else 0.0
    return pd.DataFrame(rows, columns=["node_id", "name", "parent", "amount_mb", "share"])


def by_year(ds: BudgetDataset, level: str, within: str | None = None) -> pd.DataFrame:
    """Nodes of *level* × fiscal years (BE): amounts in million baht (Decimal; 0 where none)."""
    ds.level(level)
    scope = _within(ds, within)
    years = list(ds.plan.get("fiscal_years", []))
    sums = rollup(ds)
    rows = []
    for node in ds.node_records().values():
        if node["level"] != level:
            continue
        if scope is not None and not (node["node_id"] == scope or node["node_id"].startswith(scope + ".")):
            continue
        row = {"node_id": node["node_id"], "name": node["name"]}
        row.update({y: sums.get((node["node_id"], y), Decimal(0)) for y in years})
        rows.append(row)
    return pd.DataFrame(rows, columns=["node_id", "name"] + years)


def treemap(ds: BudgetDataset, level: str, fiscal_year=None, top: int | None = 12, within: str | None = None,
            thai_digits: bool = False):
    """A treemap of :func:`allocation` (any level, any depth); a matplotlib Figure (not pyplot)."""
    import squarify
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from coopanalysis.charts.style import OKABE_ITO, ink_on, style_context
    from coopanalysis.text.textwrap_th import fill

    year = _year(ds, fiscal_year)
    table = allocation(ds, level, year, top=top, within=within)
    table = table[table["amount_mb"] > 0]
    label = ds.level(level)
    scope = f" ใน{node_title(ds, within)}" if within else ""
    title = f"งบประมาณตาม{label['label_th']}{scope} ปีงบประมาณ พ.ศ. {fmt.year(year, thai_digits)}"
    with style_context():
        # 8 x 6 inches and 10 pt labels: legible at the page's width and, scrolled, on a phone
        fig = Figure(figsize=(8, 6))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.07, 0.96, 0.8))
        ax.set_axis_off()
        fig.suptitle(fill(title, 62, max_lines=2), x=0.02, y=0.98, ha="left", va="top", fontsize=12)
        if table.empty:
            ax.text(0.5, 0.5, "ไม่มีรายการในปีนี้", ha="center", va="center")
            return fig
        values = [float(v) for v in table["amount_mb"]]
        rects = squarify.squarify(squarify.normalize_sizes(values, 100, 100), 0, 0, 100, 100)
        total = sum(values)
        for i, (rect, (_, row)) in enumerate(zip(rects, table.iterrows())):
            color = "#BBBBBB" if not row["node_id"] else OKABE_ITO[i % (len(OKABE_ITO) - 1)]
            ax.add_patch(_rect(rect, color))
            # a label only where it fits (about one character per unit across and 3.5 units a
            # line at 10 pt in these axes); the table beside the chart names every part
            lines_fit = int((rect["dy"] - 1) / 3.5)
            if rect["dx"] < 17 or lines_fit < 3:
                continue
            width = max(8, int((rect["dx"] - 2) * 0.95))
            name = fill(str(row["name"]), width, max_lines=max(1, min(3, lines_fit - 2)))
            share = fmt.percent(row["amount_mb"] / Decimal(str(total)) if total else 0, thai_digits=thai_digits)
            text = (name + "\n" + fmt.amount(round(float(row["amount_mb"]), 1), thai_digits=thai_digits)
                    + " ล้านบาท\n" + share)
            ax.text(rect["x"] + 1, rect["y"] + rect["dy"] - 1, text, ha="left", va="top", fontsize=10,
                    color=ink_on(color), clip_on=True)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        fig.text(0.02, 0.01, f"หน่วย: ล้านบาท · รวม {fmt.amount(round(total, 1), thai_digits=thai_digits)} ล้านบาท · "
                             f"ที่มา: {ds.title}", fontsize=8, color="#666666")
    return fig


def _rect(rect: dict, color):
    from matplotlib.patches import Rectangle

    return Rectangle((rect["x"], rect["y"]), rect["dx"], rect["dy"], facecolor=color, edgecolor="white", linewidth=1.5)
