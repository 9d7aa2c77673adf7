"""Reconciliation checks: printed totals against the figures they should add up from.

One engine for every source: ``run_checks(source)`` runs the rules registered for the source's
kind (:data:`coopanalysis.checks.rules.SOURCES`: a plan's, a budget table's
(:mod:`coopanalysis.checks.table_rules`), a changed dataset's
(:mod:`coopanalysis.checks.changed_rules`)) and returns a sorted list of :class:`Finding`; it is
what :func:`coopanalysis.check` and ``coopanalysis check`` call. On a plan, findings are grouped
by strategy, plan-wide findings first, errors first. Amounts are million baht, compared exactly as Decimals; a
difference counts only when it is larger than ``tolerance`` (default 0.005) **and**, if
``rel_tolerance`` is given, larger than ``rel_tolerance × |stated|`` (the printed amount is the
base, never the computed one; a difference equal to a tolerance is within it). Tolerances must
be finite, non-negative, ``tolerance`` at most 1e12 million baht and ``rel_tolerance`` at most 1
(:class:`ToleranceError` otherwise).

A plan's check codes (stable; ``stated``/``computed`` columns as noted; a budget table's are
listed in :mod:`coopanalysis.checks.table_rules`). Each rule declares its codes,
severity, level and Thai name (:mod:`coopanalysis.checks.rules`); :data:`CHECKS` and
:data:`CHECK_TH` are derived from those declarations, and a test compares this table with them:

========================  ========  ===============  ============================================
code                      severity  level            what
========================  ========  ===============  ============================================
``project_total``         error     project          yearly amounts do not add up to the printed
                                                     total (``stated`` printed, ``computed`` sum
                                                     of years; ``hint`` names a likely cause)
``project_unreconciled``  error     project          the row's values cannot be placed in years
                                                     (e.g. 6 values for 5 years that no repair
                                                     explains); ``computed`` null; the printed
                                                     total is used above
``project_repaired``      warning   project          the ingest dropped a value repeated into a
                                                     spurious column; the row then adds up
``duplicate_listing``     info      project          listed on several table rows with identical
                                                     figures (counted once)
``listing_conflict``      error     project          listed on several rows whose figures disagree
``sheet_vs_table``        error     project          project sheet vs detail table, one fiscal
                                                     year (``stated`` table, ``computed`` sheet)
``tactic_total``          error     tactic           sum of the tactic's projects vs its printed
                                                     budget
``tactic_count``          error     tactic           projects found vs the printed number
``strategy_total``        error     strategy         sum of the strategy's projects vs its printed
                                                     budget
``strategy_count``        error     strategy         projects found vs the printed number
``no_detail``             warning   strategy/tactic  printed budget/count but no project in the
                                                     detail (completeness; no total/count error)
``no_figures``            warning   strategy/tactic  projects found but none has figures
``missing_strategy``      warning   strategy         a number in 1..max strategy that the
                                                     document omits
``plan_total``            error     plan             summary totals vs project detail, over the
                                                     strategies that have both (others named)
``name_mismatch``         warning   any              a name spelled differently between sections
                                                     (after :func:`coopanalysis.text.thai.match_key`)
``correction_applied``    info      project          a reviewed correction changed a printed
                                                     number (``stated`` printed, ``computed``
                                                     corrected)
``unread_text``           info      document         lines / values the ingest could not use
``missing_section``       warning   document         a section every plan has (summary, detail
                                                     table) never appears: a document cut short
========================  ========  ===============  ============================================

A project's amount in tactic/strategy/plan totals is its computed total, or its printed total
when the yearly amounts are unknown (see :mod:`coopanalysis.model.figures`). Every finding carries
the ``name`` of the node it is about ('' when none).

Adding checks: write plain functions taking the context of their source (a plan's
:class:`Context`, a table's :class:`~coopanalysis.checks.table_rules.TableContext`) and
returning findings, pair each with the ``Check(code, severity, levels, label_th)`` it emits in
its module's ``RULES`` tuple (``Rule(function, (Check(...), ...))``), and add that tuple to its
source's rules in :mod:`coopanalysis.checks.rules` (or pass ``rules=`` to :func:`run_checks`).
"""

from __future__ import annotations

from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import Finding, findings_frame, summary_counts
from coopanalysis.checks.registry import Check, Rule, rule, run_rules
from coopanalysis.checks.rules import DECLARED, RULES, SOURCES
from coopanalysis.checks.summary import check_label, findings_pivot, group_findings
from coopanalysis.checks.tolerance import (
    DEFAULT_TOLERANCE,
    MAX_REL_TOLERANCE,
    MAX_TOLERANCE,
    ToleranceError,
    tolerance_value,
)
from coopanalysis.model.dataset import Dataset
from coopanalysis.model.figures import Figures
from coopanalysis.model.plan import Plan

#: Every check code, in the order the rules declare them.
CHECKS: tuple[str, ...] = tuple(c.code for c in DECLARED)
#: Check code -> short Thai name, from the rules' declarations.
CHECK_TH: dict[str, str] = {c.code: c.label_th for c in DECLARED}

__all__ = [
    "CHECKS", "CHECK_TH", "DEFAULT_TOLERANCE", "MAX_REL_TOLERANCE", "MAX_TOLERANCE", "Check", "Context",
    "Finding", "Rule", "RULES", "ToleranceError", "check_label", "findings_frame", "findings_pivot",
    "group_findings", "has_errors", "rule", "run_checks", "run_rules", "source_kind", "summary_counts",
]


def source_kind(source) -> str:
    """The kind of source whose rules check *source* (a key of :data:`~coopanalysis.checks.rules.SOURCES`):
    a :class:`~coopanalysis.model.dataset.Dataset`'s own kind, or ``changed`` when its amounts
    or printed totals differ from its source's; ``plan`` for a Plan or its Figures;
    ``budget_table`` for a :class:`~coopanalysis.budget.BudgetDataset`."""
    if isinstance(source, Dataset):
        return "changed" if source.derived else source.kind
    if isinstance(source, (Plan, Figures)):
        return "plan"
    from coopanalysis.budget.dataset import BudgetDataset

    if isinstance(source, BudgetDataset):
        return "budget_table"
    raise TypeError(f"nothing to check in a {type(source).__name__}: give a Dataset (coopanalysis.load), "
                    "a Plan or a BudgetDataset")


def run_checks(source, tolerance=DEFAULT_TOLERANCE, rel_tolerance=None, rules=None) -> list[Finding]:
    """All findings for *source* (a :class:`~coopanalysis.model.dataset.Dataset`, a Plan or its
    Figures, a BudgetDataset), sorted as its kind sorts them (a plan's by strategy, errors
    first; a table's errors first, then by level and node).

    *tolerance*: absolute, million baht; *rel_tolerance*: fraction of the stated amount; both
    validated (:class:`ToleranceError`, a ``ValueError``). *rules*: the rules to run (default
    the rules registered for the source's kind); each finding must match its rule's declared
    checks.
    """
    tolerance = tolerance_value(tolerance, "tolerance", MAX_TOLERANCE)
    if rel_tolerance is not None:
        rel_tolerance = tolerance_value(rel_tolerance, "rel_tolerance", MAX_REL_TOLERANCE)
    kind = SOURCES[source_kind(source)]
    ctx = kind.context(source, tolerance, rel_tolerance)
    return kind.order(run_rules(kind.rules if rules is None else rules, ctx), ctx)


def has_errors(findings) -> bool:
    """True when any finding is an error (what makes ``coopanalysis check`` exit 1)."""
    return any(f.severity == "error" for f in findings)
