"""What ``notebooks/node_report.ipynb`` shows for one node of a budget table, as figures: where
the node sits, its totals, its budget by expenditure category, by the level below and by year, its findings.

Exact amounts (Decimal, million baht) only; the page is laid out by
:mod:`coopanalysis.present.budget`, which escapes every name from the tables (the one escaping
path, :mod:`coopanalysis.present.escape`), so a name never becomes markup.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from coopanalysis.budget.dataset import BudgetDataset
from coopanalysis.errors import InputError
from coopanalysis.io.safeio import atomic_write_text, spreadsheet_text

__all__ = ["CATEGORIES", "PHASE_TH", "child_level", "node_facts", "volume_label", "by_category", "years_frame",
           "node_findings", "write_downloads"]


PHASE_TH = {"proposed": "วงเงินที่เสนอในร่างพระราชบัญญัติ", "approved": "วงเงินที่อนุมัติตามพระราชบัญญัติ"}
#: The expenditure categories (งบรายจ่าย) of the Budget Bureau's classification, in its order.
CATEGORIES = ("งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น")
_VOLUME = re.compile(r"^(?:\d{4})-(\d+)-(\d+(?:\(\d+\))?)\.(?:csv|xlsx)$", re.I)


def node_title(ds: BudgetDataset, node_id: str) -> str:
    """``หน่วยรับงบประมาณ กรมส่งเสริมสหกรณ์``: the node's level label and its name."""
    node = ds.node_records().get(str(node_id))
    if node is None:
        raise InputError(f"no node {node_id!r} in this dataset")
    return f"{ds.level(node['level'])['label_th']} {node['name']}"


def volume_label(ds: BudgetDataset) -> str:
    """``เอกสารงบประมาณ ฉบับที่ 3 เล่มที่ 4`` when the source files are named as the Budget
    Bureau's volumes are (``2022-3-4.csv``); '' otherwise (nothing guessed).

    >>> volume_label(BudgetDataset({"sources": [{"file": "2022-3-3(2).csv"}]}, None, None, None, None))
    'เอกสารงบประมาณ ฉบับที่ 3 เล่มที่ 3(2)'
    """
    found = []
    for source in ds.plan.get("sources", []) or []:
        match = _VOLUME.match(str(source.get("file", "")))
        if not match:
            return ""
        found.append((match.group(1), match.group(2)))
    if not found or len({f[0] for f in found}) != 1:
        return ""
    return f"เอกสารงบประมาณ ฉบับที่ {found[0][0]} เล่มที่ {', '.join(dict.fromkeys(f[1] for f in found))}"


def _beneath(ds: BudgetDataset, node: str) -> pd.DataFrame:
    ids = ds.items["node_id"].astype(str)
    return ds.items[(ids == node) | ids.str.startswith(node + ".")]


def _decimal(text) -> Decimal | None:
    text = "" if text is None else str(text)
    return Decimal(text) if text and text != "nan" else None


def node_facts(ds: BudgetDataset, node: str) -> dict:
    """Where *node* sits and its totals: ``title``, ``name``, ``level_th``, ``path`` ([(label,
    name)] from the top), ``year`` (the bill's), ``total_mb`` (that year, its own obligation rows
    included), ``other_years_mb`` (commitments of other years, apart), ``phase_th``, ``source``
    (the dataset's title), ``volume`` (:func:`volume_label`), ``stated`` (how many printed totals
    the dataset holds) and ``stated_here`` (how many are of this node or beneath)."""
    records = ds.node_records()
    record = records[node]
    year = ds.bill_year
    items = _beneath(ds, node)
    years = items["fiscal_year"].astype(str)
    amounts = [_decimal(a) for a in items["amount_mb"]]
    own = [a for a, y in zip(amounts, years) if a is not None and year is not None and y == str(year)]
    other = [a for a, y in zip(amounts, years) if a is not None and (year is None or y != str(year))]
    stated_ids = ds.stated["node_id"].astype(str) if len(ds.stated) else pd.Series([], dtype=str)
    return {
        "title": node_title(ds, node), "name": str(record["name"]), "level_th": ds.level(record["level"])["label_th"],
        "path": [(ds.level(records[a]["level"])["label_th"], str(records[a]["name"])) for a in _above(records, node)],
        "year": year, "total_mb": sum(own, Decimal(0)), "other_years_mb": sum(other, Decimal(0)),
        "phase_th": PHASE_TH.get(ds.plan.get("phase"), ""), "source": ds.title, "volume": volume_label(ds),
        "stated": int(len(ds.stated)),
        "stated_here": int(((stated_ids == node) | stated_ids.str.startswith(node + ".")).sum()),
    }


def _above(records: dict[str, dict], node: str) -> list[str]:
    """The ids of the nodes above *node*, top first (its parents in turn)."""
    out: list[str] = []
    parent = str(records[node].get("parent_id") or "")
    while parent and parent in records and parent not in out:
        out.insert(0, parent)
        parent = str(records[parent].get("parent_id") or "")
    return out


def _category_level(ds: BudgetDataset) -> str | None:
    for level in ds.levels:
        if level.get("label_th") == "งบรายจ่าย":
            return level["key"]
    return "category_lv1" if "category_lv1" in ds.level_keys else None


def by_category(ds: BudgetDataset, node: str) -> pd.DataFrame | None:
    """The bill year's amounts of *node* by expenditure category (งบรายจ่าย), in the Budget
    Bureau's order (others after): ``category``, ``amount_mb`` (Decimal), ``share``. None when
    the dataset has no such level."""
    level = _category_level(ds)
    if level is None or level not in ds.items.columns or ds.bill_year is None:
        return None
    items = _beneath(ds, node)
    items = items[items["fiscal_year"].astype(str) == str(ds.bill_year)]
    sums: dict[str, Decimal] = {}
    for name, text in zip(items[level].astype(str), items["amount_mb"]):
        value = _decimal(text)
        if value is not None:
            key = name if name and name != "nan" else "ไม่ระบุงบรายจ่าย"
            sums[key] = sums.get(key, Decimal(0)) + value
    order = [c for c in CATEGORIES if c in sums] + sorted(c for c in sums if c not in CATEGORIES)
    total = sum(sums.values(), Decimal(0))
    return pd.DataFrame({"category": order, "amount_mb": [sums[c] for c in order],
                         "share": [float(sums[c] / total) if total else 0.0 for c in order]})


def years_frame(ds: BudgetDataset, node: str) -> pd.DataFrame:
    """*node*'s amounts per fiscal year: ``fiscal_year``, ``amount_mb`` (Decimal), ``bill_year``
    (True for the bill's own year; the others are commitments of other years)."""
    sums: dict[int, Decimal] = {}
    items = _beneath(ds, node)
    for year, text in zip(items["fiscal_year"].astype(str), items["amount_mb"]):
        value = _decimal(text)
        if value is not None and year.isdigit():
            sums[int(year)] = sums.get(int(year), Decimal(0)) + value
    years = sorted(sums)
    return pd.DataFrame({"fiscal_year": years, "amount_mb": [sums[y] for y in years],
                         "bill_year": [y == ds.bill_year for y in years]})


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


def node_findings(ds: BudgetDataset, node: str) -> list:
    """Findings about *node* or anything beneath it (the one checks engine's, on the whole dataset)."""
    from coopanalysis.checks import run_checks

    return [f for f in run_checks(ds) if f.id == node or str(f.id).startswith(node + ".")]


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
            text = all(isinstance(v, str) or v is None for v in frame[column])
            # amounts become exact text here; only names (text columns) need guarding
            frame[column] = [spreadsheet_text(fmt_cell(v)) if text else fmt_cell(v) for v in frame[column]]
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
