"""Exports for analysts and open-data portals: an Excel workbook and a Fiscal Data Package.

- :func:`write_workbook` (``coopanalysis export SOURCE --format xlsx``): README, roll-ups,
  projects wide by year with live ``SUM`` formulas, findings, a pivot-ready long table;
- :func:`write_fdp` (``--format fdp``): ``datapackage.json`` (Fiscal Data Package profile) plus
  CSV resources;
- :func:`write_table_xlsx`: one DataFrame as a readable one-sheet workbook (report downloads).
"""

from __future__ import annotations

from coopanalysis.exports.fdp import write_fdp
from coopanalysis.exports.sheets import write_table_xlsx
from coopanalysis.exports.workbook import write_workbook

__all__ = ["write_workbook", "write_fdp", "write_table_xlsx"]
