"""Allocation tables: pure functions over a :class:`~coopanalysis.model.plan.Plan` or its
:class:`~coopanalysis.model.figures.Figures`.

Every function accepts either (``Figures.of(source)`` is built once per call, nothing is
cached) and returns a new DataFrame; the plan is never modified. Amount columns are million
baht as ``float``; every sum behind them is the model's one exact roll-up (integer satang,
:func:`coopanalysis.model.dataset.sum_satang`), so ``0.5 + 1.5 + ...`` carries no float noise.

Tables meant for reading end with a totals row whose id column (and ``name``) is ``'รวม'``
(:data:`TOTAL`) and carry ``share`` columns (fractions of 1). The data rows come first in
document order, so ``df[df[id] != TOTAL]`` gives the data alone.

Who gets the money of a project with several responsible units is a choice, so
:func:`by_unit` has no default: the caller names a policy (:data:`POLICIES`) and the table
carries it (``df.attrs['policy']`` and a ``policy`` column).

Modules, one job each:

* :mod:`.common` -- exact sums, document order, totals rows, strategy ids;
* :mod:`.strategy` -- totals per strategy, tactic and project, the hierarchy table;
* :mod:`.compare` -- printed against computed totals, coverage;
* :mod:`.years` -- yearly amounts, the projects left out of them;
* :mod:`.allocation` -- amounts per responsible unit under a policy;
* :mod:`.kpis` -- KPI targets.
"""

from __future__ import annotations

from coopanalysis.analysis.allocation import POLICIES, by_unit, unit_policies
from coopanalysis.analysis.common import check_strategy, exact_sum
from coopanalysis.analysis.compare import LEVELS, STATUS_LABELS, coverage, printed_vs_computed
from coopanalysis.analysis.kpis import kpi_table, kpi_targets
from coopanalysis.analysis.strategy import by_project, by_strategy, by_tactic, hierarchy_table
from coopanalysis.analysis.years import by_year, excluded_projects
from coopanalysis.text.labels import NO_TACTIC, NO_UNIT, TOTAL

__all__ = [
    "TOTAL",
    "NO_UNIT",
    "NO_TACTIC",
    "POLICIES",
    "LEVELS",
    "STATUS_LABELS",
    "by_strategy",
    "by_tactic",
    "by_project",
    "by_year",
    "by_unit",
    "printed_vs_computed",
    "coverage",
    "kpi_targets",
    "check_strategy",
    "exact_sum",
    "hierarchy_table",
    "excluded_projects",
    "unit_policies",
    "kpi_table",
]
