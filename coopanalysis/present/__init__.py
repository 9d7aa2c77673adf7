"""The presentation layer: what a reader of the reports sees, built from the figures.

Notebooks call these short functions, so they hold narrative and calls only:

* :mod:`.escape` -- every text from data escaped on its way into HTML or Markdown;
* :mod:`.table` -- :class:`ReadingTable`: Thai headings with units, numbers right with
  thousands separators, text left and wrapped (never cut), totals rows set apart;
* :mod:`.plan_tables` -- the plan's tables (strategies, years, coverage, projects, KPIs, units);
* :mod:`.findings` -- the checks report: counts, groups, every finding in full with an anchor,
  corrections with their reasons in Thai;
* :mod:`.page` -- headings, notes, the navigation header, the "about this report" footer;
* :mod:`.summary` -- what each report tells the index;
* :mod:`.display` -- charts as embedded images, table downloads (CSV, xlsx);
* :mod:`.text` -- report titles, Buddhist-era dates, correction reasons in Thai;
* :mod:`.font`, :mod:`.css` -- the embedded Thai font subset and the page stylesheet.

Numbers come formatted from :mod:`coopanalysis.text.fmt`, labels from :mod:`coopanalysis.text.labels`.
"""

from __future__ import annotations

from coopanalysis.present.display import downloads, show, show_kpis, show_projects, show_strategy_charts, write_table
from coopanalysis.present.escape import html_attr, html_text, md_text, slug
from coopanalysis.present.findings import (
    corrections_table,
    counts_block,
    findings_overview,
    findings_tables,
    pivot_table,
    strategy_findings_table,
)
from coopanalysis.present.page import (
    Block,
    about,
    findings_anchor,
    heading,
    nav_html,
    note,
    report_heading,
    section,
    strategy_anchor,
    strategy_heading,
)
from coopanalysis.present.plan_tables import (
    POLICY_TH,
    comparable_block,
    comparable_totals,
    coverage_table,
    kpi_table,
    projects_table,
    strategy_key_figures,
    strategy_name,
    strategy_totals_table,
    unit_policy_table,
    unit_table,
    yearly_table,
)
from coopanalysis.present.summary import checks_summary, plan_summary, strategy_summary, units_summary
from coopanalysis.present.table import Column, ReadingTable, table
from coopanalysis.present.text import reason_th, report_title
from coopanalysis.text.fiscal import be_date

__all__ = [
    "Block", "Column", "ReadingTable", "POLICY_TH",
    "about", "be_date", "comparable_block", "checks_summary", "comparable_totals", "corrections_table", "counts_block",
    "coverage_table", "downloads", "findings_anchor", "findings_overview", "findings_tables", "html_attr",
    "heading", "html_text", "kpi_table", "md_text", "nav_html", "note", "pivot_table", "plan_summary", "projects_table",
    "reason_th", "report_heading", "report_title", "section", "show", "show_kpis", "show_projects", "show_strategy_charts", "slug",
    "strategy_anchor", "strategy_findings_table", "strategy_heading", "strategy_key_figures", "strategy_name",
    "strategy_summary", "strategy_totals_table", "table", "unit_policy_table", "unit_table", "units_summary",
    "write_table", "yearly_table",
]
