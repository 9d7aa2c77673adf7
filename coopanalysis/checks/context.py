"""What a plan's rules read: the plan's exact figures, its table rows and the tolerances
(validated and compared by :mod:`coopanalysis.checks.tolerance`). A budget table's rules read a
:class:`~coopanalysis.checks.table_rules.TableContext`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopanalysis.checks.tolerance import MAX_REL_TOLERANCE, MAX_TOLERANCE, differs, tolerance_value
from coopanalysis.model.figures import Figures, Group, ProjectFigures
from coopanalysis.model.frames import records, text, to_int
from coopanalysis.model.plan import Plan
from coopanalysis.text.thai import AmountError, parse_amount

__all__ = ["Context", "listings_by_project"]

def _amounts(tokens: list[str]) -> list[Decimal] | None:
    try:
        return [parse_amount(t) for t in tokens]
    except AmountError:
        return None


def listings_by_project(plan: Plan) -> dict[str, list[dict]]:
    """Table rows per project (parsed when the check context is built)."""
    out: dict[str, list[dict]] = {}
    frame = plan.tables.get("listings")
    if frame is None or frame.empty:
        return out
    for index, row in enumerate(records(frame)):
        pid = text(row.get("project_id"))
        tokens = text(row.get("printed_values")).split()
        total_text = text(row.get("printed_total")).strip()
        out.setdefault(pid, []).append({
            "listing": to_int(row.get("listing")) or index + 1,
            "tokens": tokens,
            "values": _amounts(tokens),
            "total_text": total_text,
            "total": (_amounts([total_text]) or [None])[0] if total_text else None,
            "units": text(row.get("units")),
            "source_line": to_int(row.get("source_line")),
            "name": text(row.get("name")),
            "_order": index,
        })
    for rows in out.values():
        rows.sort(key=lambda r: (r["listing"], r["_order"]))
    return out


@dataclass
class Context:
    """The input of every rule: build it with :meth:`build`, ask it :meth:`differs`."""

    plan: Plan
    tolerance: Decimal
    rel_tolerance: Decimal | None
    figures: dict[str, ProjectFigures]
    strategies: list[Group]
    tactics: list[Group]
    budget_rows: tuple[dict, ...]
    listings: dict[str, list[dict]]

    @classmethod
    def build(cls, source: Plan | Figures, tolerance=Decimal("0.005"), rel_tolerance=None) -> Context:
        """The context of *source*; tolerances are validated (:class:`ToleranceError`)."""
        fig = Figures.of(source)
        return cls(
            plan=fig.plan,
            tolerance=tolerance_value(tolerance, "tolerance", MAX_TOLERANCE),
            rel_tolerance=(tolerance_value(rel_tolerance, "rel_tolerance", MAX_REL_TOLERANCE)
                           if rel_tolerance is not None else None),
            figures=fig.projects,
            strategies=fig.groups("strategy"),
            tactics=fig.groups("tactic"),
            budget_rows=fig.budget_rows,
            listings=listings_by_project(fig.plan),
        )

    @property
    def n_years(self) -> int | None:
        return len(self.plan.years) or None

    def differs(self, stated: Decimal, computed: Decimal) -> bool:
        """True when *computed* is off *stated* beyond the tolerance(s) (see :func:`differs`)."""
        return differs(stated, computed, self.tolerance, self.rel_tolerance)

    def strategy(self, strategy_id: str) -> Group | None:
        return next((g for g in self.strategies if g.id == strategy_id), None)

    def strategy_of(self, project_id: str) -> str | None:
        """The strategy a project belongs to (its figures', else the first part of its id)."""
        fig = self.figures.get(project_id)
        return (fig.strategy_id if fig else project_id.split(".")[0]) or None

    def name_of(self, level: str, ident: str) -> str:
        """The name of a strategy, tactic or project as the figures hold it ('' when none)."""
        if level == "project":
            fig = self.figures.get(ident)
            if fig is not None and fig.name:
                return fig.name
            rows = self.listings.get(ident) or []
            return rows[0]["name"] if rows else ""
        groups = self.strategies if level == "strategy" else self.tactics if level == "tactic" else []
        return next((g.name for g in groups if g.id == ident), "") or ""
