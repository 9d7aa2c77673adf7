"""The policy charts. Each function returns a :class:`matplotlib.figure.Figure`.

Figures are built inside :func:`coopanalysis.charts.style.style_context` (Noto Sans Thai, house
style) and are not registered with pyplot, so nothing global is left behind: no
``plt.show()``, nothing to close. Every chart

- has a title saying what and when (``งบประมาณตามยุทธศาสตร์ พ.ศ. 2560-2564``, the plan's years),
- writes amounts in million baht with thousands separators,
- takes ``thai_digits=True`` to write every number, year and id in Thai digits (one digit
  system per chart),
- gives each strategy its colour from :func:`coopanalysis.charts.style.strategy_color`, the same in
  every chart, and writes labels on fills in the colour that reads there
  (:func:`coopanalysis.charts.style.ink_on`),
- says in a note what it leaves out and why (a strategy printed without project detail, a
  strategy whose printed total differs from its projects),
- takes ``strategy_id`` where a per-strategy view makes sense.

Modules: :mod:`.base` (scaffolding), :mod:`.budget`, :mod:`.units`, :mod:`.gaps`,
:mod:`.hierarchy`, :mod:`.kpis`, :mod:`.findings`, :mod:`.save`; :mod:`.gallery` writes the
six plan charts to ``docs/figures`` (``make figures``).
"""

from __future__ import annotations

from coopanalysis.charts.budget import budget_by_year, strategy_budget
from coopanalysis.charts.findings import findings_chart
from coopanalysis.charts.gaps import gaps
from coopanalysis.charts.hierarchy import hierarchy
from coopanalysis.charts.kpis import kpi_targets
from coopanalysis.charts.save import save
from coopanalysis.charts.units import unit_heatmap

__all__ = [
    "strategy_budget",
    "budget_by_year",
    "unit_heatmap",
    "gaps",
    "hierarchy",
    "kpi_targets",
    "findings_chart",
    "save",
    "CHARTS",
]

#: The six plan charts by name (used by the gallery).
CHARTS = {
    "strategy_budget": strategy_budget,
    "budget_by_year": budget_by_year,
    "unit_heatmap": unit_heatmap,
    "gaps": gaps,
    "hierarchy": hierarchy,
    "kpi_targets": kpi_targets,
}
