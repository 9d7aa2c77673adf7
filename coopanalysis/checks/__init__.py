"""Reconciliation checks: printed totals against the figures they should add up from.

``run_checks(plan)`` returns a list of :class:`Finding` (sorted: grouped by strategy, plan-wide
findings first, errors first). Amounts are million baht, compared exactly as Decimals; a
difference counts only when it is larger than ``tolerance`` (default 0.005) **and**, if
``rel_tolerance`` is given, larger than ``rel_tolerance × |stated|``.

Check codes (stable; ``stated``/``computed`` columns as noted):

========================  ========  ========  ====================================================
code                      severity  level     what
========================  ========  ========  ====================================================
``project_total``         error     project   yearly amounts do not add up to the printed total
                                              (``stated`` printed, ``computed`` sum of years;
                                              ``hint`` names a likely cause)
``project_unreconciled``  error     project   the row's values cannot be placed in years (e.g. 6
                                              values for 5 years that no repair explains);
                                              ``computed`` null; the printed total is used above
``project_repaired``      warning   project   the ingest dropped a value repeated into a spurious
                                              column; the row then adds up (no error)
``duplicate_listing``     info      project   listed on several table rows with identical figures
                                              (counted once)
``listing_conflict``      error     project   listed on several rows whose figures disagree
``sheet_vs_table``        error     project   project sheet vs detail table, one fiscal year
                                              (``stated`` table, ``computed`` sheet)
``tactic_total``          error     tactic    sum of the tactic's projects vs its printed budget
``tactic_count``          error     tactic    projects found vs the printed number of projects
``strategy_total``        error     strategy  sum of the strategy's projects vs its printed budget
``strategy_count``        error     strategy  projects found vs the printed number of projects
``no_detail``             warning   strategy  printed budget/count but no project in the detail
                                    /tactic   (completeness; no total/count error for it)
``no_figures``            warning   strategy  projects found but none has figures
                                    /tactic
``missing_strategy``      warning   strategy  a number in 1..max strategy that the document omits
``plan_total``            error     plan      summary totals vs project detail, over the
                                              strategies that have both (others named)
``name_mismatch``         warning   any       a name spelled differently between sections
                                              (after :func:`coopanalysis.thai.match_key`)
``correction_applied``    info      project   a reviewed correction changed a printed number
                                              (``stated`` printed, ``computed`` corrected)
``unread_text``           info      document  lines / values the ingest could not use
========================  ========  ========  ====================================================

A project's amount in tactic/strategy/plan totals is its computed total, or its printed total
when the yearly amounts are unknown (see :mod:`coopanalysis.totals`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..plan import Plan
from .findings import Finding, findings_frame, sort_findings, summary_counts
from .rules import RULES, Context

DEFAULT_TOLERANCE = Decimal("0.005")

CHECKS = (
    "project_total", "project_unreconciled", "project_repaired", "duplicate_listing", "listing_conflict",
    "sheet_vs_table", "tactic_total", "tactic_count", "strategy_total", "strategy_count", "no_detail",
    "no_figures", "missing_strategy", "plan_total", "name_mismatch", "correction_applied", "unread_text",
)

__all__ = [
    "CHECKS", "DEFAULT_TOLERANCE", "Finding", "findings_frame", "has_errors", "run_checks", "summary_counts",
]


def _decimal(value, name: str) -> Decimal:
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not result.is_finite() or result < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return result


def run_checks(plan: Plan, tolerance=DEFAULT_TOLERANCE, rel_tolerance=None) -> list[Finding]:
    """All findings for *plan*, sorted (by strategy, errors first).

    *tolerance*: absolute, million baht; *rel_tolerance*: fraction of the stated amount.
    """
    tolerance = _decimal(tolerance, "tolerance")
    rel_tolerance = _decimal(rel_tolerance, "rel_tolerance") if rel_tolerance is not None else None
    ctx = Context.build(plan, tolerance, rel_tolerance)
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(ctx))
    return sort_findings(findings)


def has_errors(findings) -> bool:
    return any(f.severity == "error" for f in findings)
