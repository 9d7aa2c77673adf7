"""What ``notebooks/node_report.ipynb`` needs of a budget table that only the table knows: the
level below a node worth showing, the node's findings (the one checks engine's, on the table)
and the downloads beside the page.

The page's figures (totals, categories, years) are the model's: :mod:`coopanalysis.present.budget`
reads them from the :class:`~coopanalysis.model.Dataset` (its one roll-up); this package does
not import the model.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from coopanalysis.budget.dataset import BudgetDataset
from coopanalysis.errors import InputError
from coopanalysis.io.safeio import atomic_write_text, spreadsheet_text

__all__ = ["child_level", "fmt_cell", "node_findings", "write_downloads"]


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
