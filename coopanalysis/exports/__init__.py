"""Exports for analysts and open-data portals: an Excel workbook and a Fiscal Data Package.

- :func:`export` (``ca.export(ds, path)``): any dataset, as loaded or changed, to either;
- :func:`write_workbook` (``coopanalysis export SOURCE --format xlsx``): README, roll-ups,
  items wide by year with live ``SUM`` formulas, findings, a pivot-ready long table;
- :func:`write_fdp` (``--format fdp``): ``datapackage.json`` (Fiscal Data Package profile) plus
  CSV resources;
- :func:`write_table_xlsx`: one DataFrame as a readable one-sheet workbook (report downloads).

Both writers lay out what :func:`coopanalysis.exports.shape.shape` makes of a dataset.
"""

from __future__ import annotations

from pathlib import Path

from coopanalysis.exports.fdp import write_fdp
from coopanalysis.exports.sheets import write_table_xlsx
from coopanalysis.exports.workbook import write_workbook

__all__ = ["export", "write_workbook", "write_fdp", "write_table_xlsx"]


def export(dataset, path: str | Path, *, thai_digits: bool = False) -> Path:
    """Write *dataset* for others: ``.xlsx`` → an Excel workbook (roll-ups, yearly amounts with
    live ``SUM`` formulas, findings, a long table); any other path → a folder holding a Fiscal
    Data Package (``datapackage.json`` and CSVs). Returns the file or folder written.

    A changed dataset (``ds.scale(1.1, within="5")``, ``ds.replace(...)``) exports its own
    amounts and roll-ups; its findings compare the printed totals with them.
    """
    from coopanalysis.errors import InputError
    from coopanalysis.model.dataset import Dataset

    if not isinstance(dataset, Dataset):
        raise TypeError(f"export() takes a Dataset (from coopanalysis.load), not {type(dataset).__name__}")
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return write_workbook(dataset, path, thai_digits=thai_digits)
    if path.suffix:
        raise InputError("export to a .xlsx file, or to a folder (Fiscal Data Package)", path=path)
    write_fdp(dataset, path)
    return path
