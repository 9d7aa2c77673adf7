"""The rules, in the order their check codes are listed: the one registry of check codes.

Each entry is a :class:`~coopanalysis.checks.registry.Rule` (a function ``rule(ctx) ->
list[Finding]`` declared with :func:`~coopanalysis.checks.registry.rule`). ``checks.CHECKS``
and ``checks.CHECK_TH`` are derived from this tuple. To add a family of checks, write its rules
in a module of this package and append them here.
"""

from __future__ import annotations

from coopanalysis.checks.group_rules import check_groups, check_missing_strategies, check_plan_total
from coopanalysis.checks.project_rules import check_listings, check_projects, check_sheet_vs_table
from coopanalysis.checks.registry import Rule, checks_of
from coopanalysis.checks.text_rules import check_corrections, check_missing_sections, check_names, check_unread

__all__ = ["RULES", "DECLARED"]

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
