"""What every rule reads: the plan's exact figures, its table rows and the tolerances.

A difference counts only when it is **larger** than the absolute tolerance (million baht) and,
when a relative tolerance is given, **larger** than ``rel_tolerance × |stated|``: the base of
the relative tolerance is always the printed (stated) amount, never the computed one. Equal to a
tolerance is within it. Tolerances are bounded (:data:`MAX_TOLERANCE`, :data:`MAX_REL_TOLERANCE`)
so that no comparison can overflow, with at most :data:`TOLERANCE_PLACES` decimal places (so
that printing one cannot exhaust memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import LimitError
from ..figures import Figures, Group, ProjectFigures
from ..frames import records, text, to_int
from ..plan import Plan
from ..thai import AmountError, parse_amount

__all__ = [
    "Context", "MAX_REL_TOLERANCE", "MAX_TOLERANCE", "TOLERANCE_PLACES", "ToleranceError", "differs", "listings_by_project",
    "tolerance_value",
]

#: Largest absolute tolerance accepted, million baht (a million million: more than any budget).
MAX_TOLERANCE = Decimal("1e12")
#: Largest relative tolerance accepted: 1 (= 100% of the stated amount).
MAX_REL_TOLERANCE = Decimal(1)
#: Most decimal places a tolerance may have (a finer one could not be printed or compared sanely).
TOLERANCE_PLACES = 12


class ToleranceError(LimitError, ValueError):
    """A tolerance that is not a finite number in its allowed range (exit 2 on the command line)."""


def tolerance_value(value, name: str, maximum: Decimal) -> Decimal:
    """*value* as a Decimal in ``[0, maximum]``, or :class:`ToleranceError` naming *name*.

    >>> tolerance_value("0.005", "tolerance", MAX_TOLERANCE)
    Decimal('0.005')
    >>> tolerance_value(Decimal("1e999999999"), "tolerance", MAX_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.context.ToleranceError: tolerance must be at most 1E+12, got 1E+999999999
    >>> tolerance_value("nan", "rel_tolerance", MAX_REL_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.context.ToleranceError: rel_tolerance must be a finite number, got 'nan'
    >>> tolerance_value("1e-13", "tolerance", MAX_TOLERANCE)
    Traceback (most recent call last):
    ...
    coopanalysis.checks.context.ToleranceError: tolerance must have at most 12 decimal places, got '1e-13'
    >>> tolerance_value("0.000000000001", "tolerance", MAX_TOLERANCE), tolerance_value("1.50", "r", MAX_TOLERANCE)
    (Decimal('1E-12'), Decimal('1.50'))
    """
    shown = str(value) if isinstance(value, Decimal) else repr(value)
    if isinstance(value, bool) or value is None:
        raise ToleranceError(f"{name} must be a number, got {shown}")
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ToleranceError(f"{name} must be a number, got {shown}") from None
    if not result.is_finite():
        raise ToleranceError(f"{name} must be a finite number, got {shown}")
    if result < 0:
        raise ToleranceError(f"{name} must not be negative, got {shown}")
    if result > maximum:  # a comparison: no arithmetic on a value like 1e999999999
        raise ToleranceError(f"{name} must be at most {maximum}, got {shown}")
    if not result.is_zero():
        _, digits, exponent = result.as_tuple()
        places = -exponent - (len(digits) - len("".join(map(str, digits)).rstrip("0")))
        if result.adjusted() < -TOLERANCE_PLACES or places > TOLERANCE_PLACES:
            raise ToleranceError(f"{name} must have at most {TOLERANCE_PLACES} decimal places, got {shown}")
    return result


def differs(stated: Decimal, computed: Decimal, tolerance: Decimal, rel_tolerance: Decimal | None = None) -> bool:
    """True when |computed - stated| is larger than *tolerance* and, when *rel_tolerance* is
    given, larger than ``rel_tolerance × |stated|`` (the printed amount is the base).

    >>> D = Decimal
    >>> differs(D(5), D("5.005"), D("0.005")), differs(D(5), D("5.0051"), D("0.005"))
    (False, True)
    >>> differs(D(100), D("101.5"), D(0), D("0.015")), differs(D(100), D("101.5"), D(0), D("0.0149"))
    (False, True)
    """
    diff = abs(computed - stated)
    if diff <= tolerance:
        return False
    if rel_tolerance is not None and diff <= rel_tolerance * abs(stated):
        return False
    return True


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
