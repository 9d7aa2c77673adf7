"""Any export source -> one :class:`~coopanalysis.exports.common.Shaped` value.

A source is a Plan, a Figures, a budget dataset (``coopanalysis.budget.BudgetDataset``), or a
path: an ingested plan directory, a plan text file (ingested on the fly), or a budget dataset
directory (its ``plan.json`` says ``"kind": "budget_table"``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from coopanalysis.exports.budgetshape import shape_budget
from coopanalysis.exports.common import Shaped, as_figures, shape_plan

__all__ = ["shape"]


def shape(source, tolerance=None) -> Shaped:
    """The :class:`Shaped` value of *source*; *tolerance* (million baht, default 0.005) is the
    checks' tolerance for the findings.

    >>> shape(3.5)
    Traceback (most recent call last):
    ...
    TypeError: expected a Plan, Figures or a path, got float
    """
    from coopanalysis.budget import BudgetDataset, is_budget_dataset, load_dataset
    from coopanalysis.checks import DEFAULT_TOLERANCE

    tolerance = DEFAULT_TOLERANCE if tolerance is None else Decimal(str(tolerance))
    if isinstance(source, (str, Path)) and is_budget_dataset(source):
        source = load_dataset(source)
    if isinstance(source, BudgetDataset):
        return shape_budget(source, tolerance)
    return shape_plan(as_figures(source), tolerance)
