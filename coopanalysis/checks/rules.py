"""The one registry of rules: each kind of source with its rules, in the order their check codes
are listed (:data:`SOURCES`).

Each rule is a :class:`~coopanalysis.checks.registry.Rule` (a function ``rule(ctx) ->
list[Finding]`` declared with :func:`~coopanalysis.checks.registry.rule`); each kind of source a
:class:`~coopanalysis.checks.registry.Source`: a plan's rules (:data:`RULES`, read through a
:class:`~coopanalysis.checks.context.Context`), a budget table's
(:mod:`coopanalysis.checks.table_rules`) and those of a dataset whose amounts were changed since
it was loaded (:mod:`coopanalysis.checks.changed_rules`). ``checks.CHECKS`` and
``checks.CHECK_TH`` are derived from the plan's rules. To add a family of checks, write its
rules in a module of this package and append them to their source's tuple.
"""

from __future__ import annotations

from coopanalysis.checks import changed_rules, table_rules
from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import sort_findings
from coopanalysis.checks.group_rules import check_groups, check_missing_strategies, check_plan_total
from coopanalysis.checks.project_rules import check_listings, check_projects, check_sheet_vs_table
from coopanalysis.checks.registry import Rule, Source, checks_of
from coopanalysis.checks.text_rules import check_corrections, check_missing_sections, check_names, check_unread
from coopanalysis.model.dataset import Dataset

__all__ = ["DECLARED", "RULES", "SOURCES"]

RULES: tuple[Rule, ...] = (
    check_projects,
    check_listings,
    check_sheet_vs_table,
    check_groups,
    check_missing_strategies,
    check_plan_total,
    check_names,
    check_corrections,
    check_unread,
    check_missing_sections,
)

#: Every declared check, in code order (a code declared twice fails at import).
DECLARED = checks_of(RULES)


def _plan_context(source, tolerance, rel_tolerance) -> Context:
    """A plan's context from a Plan, its Figures, or the Dataset of a plan (as loaded)."""
    return Context.build(source.origin if isinstance(source, Dataset) else source, tolerance, rel_tolerance)


#: Each kind of source (``Dataset.kind``; ``changed`` for a dataset whose amounts or printed
#: totals differ from its source's) -> its rules, context and order of findings.
SOURCES: dict[str, Source] = {
    "plan": Source("plan", RULES, _plan_context, lambda findings, ctx: sort_findings(findings)),
    "budget_table": Source("budget_table", table_rules.RULES, table_rules.TableContext.build, table_rules.order),
    "changed": Source("changed", changed_rules.RULES, changed_rules.ChangedContext.build, changed_rules.order),
}
