"""Figures of a :class:`~coopanalysis.model.plan.Plan`: project, tactic, strategy and plan totals, exact.

``Figures.of(plan)`` computes, once and explicitly, the roll-ups that the checks, the analysis
and the charts share. Nothing is cached on the plan or keyed on object identity: a changed
plan (or a table edited in place) gives new figures the next time they are built. Functions
here and in :mod:`coopanalysis.analysis` accept a ``Plan`` (figures built on the spot) or a
``Figures`` (reused), so a notebook that wants speed builds the figures once and passes them.

One exactness mechanism: every sum is a :class:`~decimal.Decimal` sum of the exact printed
text (the ``*_mb_text`` columns of the plan); floats appear only in the DataFrames handed to
readers, each beside its exact text.

Definitions (one place, so checks and charts agree):

- A project's **computed** total is the sum of its yearly amounts from budget source
  ``table`` (or ``project_sheet`` when the project has no table row); it is unknown (None)
  when any fiscal year of the plan is missing or empty, or when there are no rows.
  When a project has several table rows for one year (listings that disagree), the first in
  document order counts.
- A project's **amount** is the computed total when known (basis ``yearly``), else its printed
  total (basis ``printed``), else unknown (basis ``none``).
- A tactic's / strategy's **computed** total is the sum of its projects' amounts (None when no
  project has an amount); ``coverage`` is the part of the printed total accounted for by
  projects on the ``yearly`` basis.
- The **plan** row sums the strategies' printed totals (``stated``) and all projects' amounts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.frames import records, text, to_decimal, to_int
from coopanalysis.model.plan import Plan

__all__ = [
    "Figures", "ProjectFigures", "Group", "LEVELS", "BASES", "figures_of",
    "budget_rows", "project_figures", "groups",
]

LEVELS = ("strategy", "tactic", "plan")
BASES = ("yearly", "printed", "none")

# ---- projects ------------------------------------------------------------------------------


@dataclass
class ProjectFigures:
    """One project's figures, exact."""

    project_id: str
    strategy_id: str
    tactic_id: str
    name: str
    parse_status: str
    stated: Decimal | None
    computed: Decimal | None
    source: str | None  # budget source used for computed: 'table' | 'project_sheet' | None
    yearly: dict[int, Decimal | None] = field(default_factory=dict)  # from `source`
    source_line: int | None = None
    parse_note: str = ""
    n_values: int | None = None

    @property
    def amount(self) -> Decimal | None:
        return self.computed if self.computed is not None else self.stated

    @property
    def basis(self) -> str:
        if self.computed is not None:
            return "yearly"
        return "printed" if self.stated is not None else "none"


def _budget_rows(plan: Plan) -> list[dict]:
    """Budget rows with exact amounts, first row per (project, year, source) in document order.

    Each dict: project_id, fiscal_year (int|None), amount (Decimal|None), text, source, source_line.
    """
    rows = []
    for index, row in enumerate(records(plan.tables.get("budget"))):
        cell = text(row.get("amount_mb_text", row.get("amount_mb", "")))
        amount = to_decimal(cell)
        rows.append({
            "project_id": text(row.get("project_id")),
            "fiscal_year": to_int(row.get("fiscal_year")),
            "amount": amount,
            "text": cell if amount is not None else "",
            "source": text(row.get("source")) or "table",
            "source_line": to_int(row.get("source_line")),
            "_order": index,
        })
    rows.sort(key=lambda r: (r["source_line"] if r["source_line"] is not None else 10**9, r["_order"]))
    seen, out = set(), []
    for row in rows:
        key = (row["project_id"], row["fiscal_year"], row["source"])
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    out.sort(key=lambda r: r["_order"])
    for row in out:
        del row["_order"]
    return out


def _sum_years(yearly: dict[int, Decimal | None], years: list[int]) -> Decimal | None:
    if not yearly:
        return None
    wanted = years or sorted(yearly)
    total = Decimal(0)
    for year in wanted:
        value = yearly.get(year)
        if value is None:
            return None
        total += value
    return total


def _project_figures(plan: Plan, rows: list[dict]) -> dict[str, ProjectFigures]:
    """Exact figures of every project, in projects.csv order (then budget-only ids)."""
    by_source: dict[str, dict[str, dict[int, Decimal | None]]] = {}
    for row in rows:
        if row["fiscal_year"] is None:
            continue
        by_source.setdefault(row["project_id"], {}).setdefault(row["source"], {})[row["fiscal_year"]] = row["amount"]
    years = plan.years
    out: dict[str, ProjectFigures] = {}
    project_rows = records(plan.tables.get("projects"))
    known = {text(r.get("project_id")) for r in project_rows}
    for pid in by_source:
        if pid not in known:  # budget rows for a project the projects table does not name
            project_rows.append({"project_id": pid, "strategy_id": pid.split(".")[0]})
    for row in project_rows:
        pid = text(row.get("project_id"))
        sources = by_source.get(pid, {})
        source = "table" if "table" in sources else ("project_sheet" if "project_sheet" in sources else None)
        yearly = dict(sources.get(source, {})) if source else {}
        stated_text = text(row.get("stated_total_mb_text", row.get("stated_total_mb", "")))
        out[pid] = ProjectFigures(
            project_id=pid,
            strategy_id=text(row.get("strategy_id")),
            tactic_id=text(row.get("tactic_id")),
            name=text(row.get("name")),
            parse_status=text(row.get("parse_status")),
            stated=to_decimal(stated_text),
            computed=_sum_years(yearly, years),
            source=source,
            yearly=yearly,
            source_line=to_int(row.get("source_line")),
            parse_note=text(row.get("parse_note")),
            n_values=to_int(row.get("n_values")),
        )
    return out


# ---- tactics, strategies, plan -------------------------------------------------------------


@dataclass
class Group:
    """A tactic, strategy or the whole plan with its projects, exact."""

    level: str
    id: str
    strategy_id: str
    name: str
    stated: Decimal | None
    stated_count: int | None
    projects: list[ProjectFigures]
    source_line: int | None = None
    stated_total_line: int | None = None
    stated_count_line: int | None = None
    present_in: str = ""

    @property
    def found_count(self) -> int:
        return len(self.projects)

    @property
    def computed(self) -> Decimal | None:
        amounts = [p.amount for p in self.projects if p.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    @property
    def yearly_sum(self) -> Decimal:
        return sum((p.computed for p in self.projects if p.computed is not None), Decimal(0))

    @property
    def n_printed_basis(self) -> int:
        return sum(1 for p in self.projects if p.basis == "printed")

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.computed is None:
            return None
        return self.computed - self.stated

    @property
    def coverage(self) -> float:
        if self.stated is None or self.stated == 0:
            return math.nan
        return float(self.yearly_sum / self.stated)


def _group_rows(frame: pd.DataFrame | None, id_column: str) -> list[dict]:
    rows = records(frame)
    return [r for r in rows if text(r.get(id_column))]


def _groups(plan: Plan, level: str, figures: dict[str, ProjectFigures]) -> list[Group]:
    """Tactic / strategy / plan groups with their projects (exact), sorted by id."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}; got {level!r}")
    if level == "plan":
        strategies = _groups(plan, "strategy", figures)
        stated = [g.stated for g in strategies if g.stated is not None]
        counts = [g.stated_count for g in strategies if g.stated_count is not None]
        return [Group(
            level="plan", id="plan", strategy_id="", name=plan.title,
            stated=sum(stated, Decimal(0)) if stated else None,
            stated_count=sum(counts) if counts else None,
            projects=list(figures.values()),
        )]
    table = plan.tables.get("strategies" if level == "strategy" else "tactics")
    id_column = f"{level}_id"
    members: dict[str, list[ProjectFigures]] = {}
    for fig in figures.values():
        key = fig.strategy_id if level == "strategy" else fig.tactic_id
        if key:
            members.setdefault(key, []).append(fig)
    out: dict[str, Group] = {}
    for row in _group_rows(table, id_column):
        gid = text(row.get(id_column))
        if gid in out:
            continue
        out[gid] = Group(
            level=level, id=gid,
            strategy_id=text(row.get("strategy_id")) if level == "tactic" else gid,
            name=text(row.get("name")),
            stated=to_decimal(row.get("stated_total_mb_text", row.get("stated_total_mb", ""))),
            stated_count=to_int(row.get("stated_project_count")),
            projects=members.get(gid, []),
            source_line=to_int(row.get("source_line")),
            stated_total_line=to_int(row.get("stated_total_line")),
            stated_count_line=to_int(row.get("stated_count_line")),
            present_in=text(row.get("present_in")),
        )
    for gid, projects in members.items():  # ids used by projects but absent from the table
        if gid not in out:
            strategy_id = projects[0].strategy_id if level == "tactic" else gid
            out[gid] = Group(level=level, id=gid, strategy_id=strategy_id, name="", stated=None,
                             stated_count=None, projects=projects)
    return [out[k] for k in sorted(out, key=id_sort_key)]


# ---- the Figures value -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The exact figures of one plan, computed once when built (``Figures.of(plan)``).

    ``budget_rows`` and ``projects`` are computed at construction; the groups and DataFrames
    are derived from them on request. Build a new value after changing the plan.
    """

    plan: Plan
    budget_rows: tuple[dict, ...]
    projects: dict[str, ProjectFigures]

    @classmethod
    def of(cls, plan: Plan | Figures) -> Figures:
        """The figures of *plan* (a ``Figures`` is returned as it is)."""
        if isinstance(plan, Figures):
            return plan
        if not isinstance(plan, Plan):
            raise TypeError(f"expected a Plan or Figures, got {type(plan).__name__}")
        rows = _budget_rows(plan)
        return cls(plan=plan, budget_rows=tuple(rows), projects=_project_figures(plan, rows))

    @property
    def years(self) -> list[int]:
        return self.plan.years

    def groups(self, level: str) -> list[Group]:
        """Tactic / strategy / plan groups with their projects, sorted by id."""
        return _groups(self.plan, level, self.projects)





def figures_of(source: Plan | Figures) -> Figures:
    """``Figures.of(source)``: built from a Plan, or the Figures given."""
    return Figures.of(source)


def budget_rows(source: Plan | Figures) -> list[dict]:
    """Budget rows with exact amounts, first row per (project, year, source) in document order."""
    return list(Figures.of(source).budget_rows)


def project_figures(source: Plan | Figures) -> dict[str, ProjectFigures]:
    """Exact figures of every project, in projects.csv order (then budget-only ids)."""
    return Figures.of(source).projects


def groups(source: Plan | Figures, level: str) -> list[Group]:
    """Tactic / strategy / plan groups with their projects (exact), sorted by id."""
    return Figures.of(source).groups(level)
