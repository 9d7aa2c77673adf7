"""Reconciliation checks: printed totals against the figures they should add up from.

``run_checks(plan)`` returns a list of :class:`Finding` (sorted: grouped by strategy, plan-wide
findings first, errors first). Amounts are million baht, compared exactly as Decimals; a
difference counts only when it is larger than ``tolerance`` (default 0.005) **and**, if
``rel_tolerance`` is given, larger than ``rel_tolerance × |stated|`` (the printed amount is the
base, never the computed one; a difference equal to a tolerance is within it). Tolerances must
be finite, non-negative, ``tolerance`` at most 1e12 million baht and ``rel_tolerance`` at most 1
(:class:`ToleranceError` otherwise).

Check codes (stable; ``stated``/``computed`` columns as noted). Each rule declares its codes,
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

Adding checks: write ``@rule(Check(code, severity, levels, label_th))`` functions taking a
:class:`Context` and returning findings, and list them in :data:`coopanalysis.checks.rules.RULES`
(or pass ``rules=`` to :func:`run_checks`). Rules over another kind of input (a budget table)
take their own context object and run through :func:`run_rules`.
"""

from __future__ import annotations

from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import Finding, findings_frame, sort_findings, summary_counts
from coopanalysis.checks.registry import Check, Rule, rule, run_rules
from coopanalysis.checks.rules import DECLARED, RULES
from coopanalysis.checks.summary import check_label, findings_pivot, group_findings
from coopanalysis.checks.tolerance import DEFAULT_TOLERANCE, MAX_REL_TOLERANCE, MAX_TOLERANCE, ToleranceError
from coopanalysis.model.plan import Plan

#: Every check code, in the order the rules declare them.
CHECKS: tuple[str, ...] = tuple(c.code for c in DECLARED)
#: Check code -> short Thai name, from the rules' declarations.
CHECK_TH: dict[str, str] = {c.code: c.label_th for c in DECLARED}

__all__ = [
    "CHECKS", "CHECK_TH", "DEFAULT_TOLERANCE", "MAX_REL_TOLERANCE", "MAX_TOLERANCE", "Check", "Context",
    "Finding", "Rule", "RULES", "ToleranceError", "check_label", "findings_frame", "findings_pivot",
    "group_findings", "has_errors", "rule", "run_checks", "run_rules", "summary_counts",
]


def run_checks(plan: Plan, tolerance=DEFAULT_TOLERANCE, rel_tolerance=None, rules=RULES) -> list[Finding]:
    """All findings for *plan* (a Plan or its Figures), sorted (by strategy, errors first).

    *tolerance*: absolute, million baht; *rel_tolerance*: fraction of the stated amount; both
    validated (:class:`ToleranceError`, a ``ValueError``). *rules*: the rules to run (default
    every registered rule); each finding must match its rule's declared checks.
    """
    return sort_findings(run_rules(rules, Context.build(plan, tolerance, rel_tolerance)))


def has_errors(findings) -> bool:
    """True when any finding is an error (what makes ``coopanalysis check`` exit 1)."""
    return any(f.severity == "error" for f in findings)
