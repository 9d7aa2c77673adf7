"""The one registry of rules: each kind of source with its rules, in the order their check codes
are listed (:data:`SOURCES`).

Each rule is a :class:`~coopanalysis.checks.registry.Rule`: a plain function ``f(ctx) ->
list[Finding]`` paired with the checks it declares in the ``RULES`` tuple its module ends with.
Each kind of source is a :class:`~coopanalysis.checks.registry.Source`: a plan's rules
(:data:`RULES`, those of :mod:`~coopanalysis.checks.project_rules`,
:mod:`~coopanalysis.checks.group_rules` and :mod:`~coopanalysis.checks.text_rules` in that order,
read through a :class:`~coopanalysis.checks.context.Context`), a budget table's
(:mod:`coopanalysis.checks.table_rules`) and those of a dataset whose amounts were changed since
it was loaded (:mod:`coopanalysis.checks.changed_rules`). ``checks.CHECKS`` and
``checks.CHECK_TH`` are derived from the plan's rules. To add a family of checks, write its
rule functions in a module of this package, end it with their ``RULES`` tuple and add that
tuple to its source's rules.
"""

from __future__ import annotations

from coopanalysis.checks import changed_rules, group_rules, project_rules, table_rules, text_rules
from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import sort_findings
from coopanalysis.checks.registry import Rule, Source, checks_of
from coopanalysis.model.dataset import Dataset

__all__ = ["DECLARED", "RULES", "SOURCES"]

#: A plan's rules, in the order their check codes are listed: projects, listings, sheet vs table;
#: groups, missing strategies, plan total; names, corrections, unread text, missing sections.
RULES: tuple[Rule, ...] = project_rules.RULES + group_rules.RULES + text_rules.RULES

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
