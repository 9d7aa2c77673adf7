"""Figures of a :class:`~coopanalysis.model.plan.Plan`: project, tactic, strategy and plan totals, exact.

``Figures.of(plan)`` computes, once and explicitly, the roll-ups that the checks, the analysis
and the charts share. Nothing is cached on the plan or keyed on object identity: a changed
plan (or a table edited in place) gives new figures the next time they are built. Functions
here and in :mod:`coopanalysis.analysis` accept a ``Plan`` (figures built on the spot) or a
``Figures`` (reused), so a notebook that wants speed builds the figures once and passes them.

One exactness mechanism, the model's: the plan's ``*_mb`` columns are numbers (float64 million
baht), each turned into integer satang by :func:`~coopanalysis.model.dataset.satang` and every
total added up by :func:`~coopanalysis.model.dataset.sum_satang`, the sum
:meth:`Dataset.computed <coopanalysis.model.dataset.Dataset.computed>` uses. An amount that is not
a whole number of satang (an edit such as ``1 / 3``) is refused with an :class:`InputError`
naming the table, the row and the value, never rounded. The figures hold each exact value as a
:class:`~decimal.Decimal` (satang / 10^8) for the checks' arithmetic and messages; they also
give the amounts one project counts with as a DataFrame (:attr:`Figures.amounts`), the rows a
plan's dataset is built from.

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

from coopanalysis.errors import InputError
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.dataset import decimal_mb, inexact, satang, sum_satang
from coopanalysis.model.frames import records, text, to_int
from coopanalysis.model.plan import Plan

__all__ = [
    "Figures", "ProjectFigures", "Group", "LEVELS", "BASES", "AMOUNT_COLUMNS", "figures_of",
    "budget_rows", "project_figures", "groups",
]

LEVELS = ("strategy", "tactic", "plan")
BASES = ("yearly", "printed", "none")
#: The columns of :attr:`Figures.amounts`: one row per amount a project counts with.
AMOUNT_COLUMNS = ["project_id", "strategy_id", "tactic_id", "fiscal_year", "amount_mb", "basis", "source",
                  "source_line"]


def _exact(frame: pd.DataFrame | None, column: str, table: str) -> list[Decimal | None]:
    """The amounts of one column of a plan's table, exact (None where empty); an amount that
    is not a whole number of satang is an :class:`InputError` naming the table, row and value."""
    if frame is None or frame.empty:
        return []
    if column not in frame:
        return [None] * len(frame)
    values = pd.to_numeric(frame[column], errors="coerce")
    refused = inexact(values)
    if refused.any():
        row = int(refused.to_numpy().argmax())
        raise InputError(f"the plan's {table} table, row {frame.index[row]!r}: {column} {float(values.iloc[row])!r} is "
                         "not a whole number of satang (0.00000001 million baht) that can be summed exactly; "
                         "round it to the satang first (e.g. round(x, 8))")
    return [decimal_mb(cents) for cents in satang(values)]


def _sums(amounts: pd.DataFrame, key: str) -> dict[str, Decimal | None]:
    """Exact sums of *amounts* (``amount_mb``) per *key*, by the model's one sum."""
    sums = sum_satang(amounts, [key])
    return {k: decimal_mb(v) for k, v in zip(sums[key], sums["computed_satang"])}


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

    Each dict: project_id, fiscal_year (int|None), amount (Decimal|None), source, source_line.
    """
    frame = plan.tables.get("budget")
    rows = []
    for index, (row, amount) in enumerate(zip(records(frame), _exact(frame, "amount_mb", "budget"))):
        rows.append({
            "project_id": text(row.get("project_id")),
            "fiscal_year": to_int(row.get("fiscal_year")),
            "amount": amount,
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


def _project_figures(plan: Plan, rows: list[dict]) -> dict[str, ProjectFigures]:
    """Exact figures of every project, in projects.csv order (then budget-only ids)."""
    by_source: dict[str, dict[str, dict[int, Decimal | None]]] = {}
    for row in rows:
        if row["fiscal_year"] is None:
            continue
        by_source.setdefault(row["project_id"], {}).setdefault(row["source"], {})[row["fiscal_year"]] = row["amount"]
    years = plan.years
    table = plan.tables.get("projects")
    project_rows = list(zip(records(table), _exact(table, "stated_total_mb", "projects")))
    known = {text(r.get("project_id")) for r, _ in project_rows}
    for pid in by_source:
        if pid not in known:  # budget rows for a project the projects table does not name
            project_rows.append(({"project_id": pid, "strategy_id": pid.split(".")[0]}, None))
    counted = []  # the yearly amounts a project's computed total adds up: every year of the plan known
    for pid, sources in by_source.items():
        source = "table" if "table" in sources else "project_sheet"
        yearly = sources.get(source, {})
        wanted = years or sorted(yearly)
        if all(yearly.get(year) is not None for year in wanted):
            counted += [{"project_id": pid, "amount_mb": float(yearly[year])} for year in wanted]
    computed = _sums(pd.DataFrame(counted, columns=["project_id", "amount_mb"]), "project_id")
    out: dict[str, ProjectFigures] = {}
    for row, stated in project_rows:
        pid = text(row.get("project_id"))
        sources = by_source.get(pid, {})
        source = "table" if "table" in sources else ("project_sheet" if "project_sheet" in sources else None)
        out[pid] = ProjectFigures(
            project_id=pid,
            strategy_id=text(row.get("strategy_id")),
            tactic_id=text(row.get("tactic_id")),
            name=text(row.get("name")),
            parse_status=text(row.get("parse_status")),
            stated=stated,
            computed=computed.get(pid),
            source=source,
            yearly=dict(sources.get(source, {})) if source else {},
            source_line=to_int(row.get("source_line")),
            parse_note=text(row.get("parse_note")),
            n_values=to_int(row.get("n_values")),
        )
    return out


def _amounts(projects: dict[str, ProjectFigures], rows: list[dict], years: list[int]) -> pd.DataFrame:
    """One row per amount a project counts with (see :data:`AMOUNT_COLUMNS`): its yearly amounts
    (basis ``yearly``, the plan's years, the line of each budget row) or its printed total (basis
    ``printed``, no fiscal year, source ``project_total``); a project with neither has none."""
    lines = {(r["project_id"], r["fiscal_year"], r["source"]): r["source_line"] for r in rows}
    out = []
    for p in projects.values():
        where = {"project_id": p.project_id, "strategy_id": p.strategy_id, "tactic_id": p.tactic_id}
        if p.basis == "yearly":
            out += [{**where, "fiscal_year": year, "amount_mb": float(p.yearly[year]), "basis": "yearly",
                     "source": p.source, "source_line": lines.get((p.project_id, year, p.source))}
                    for year in years or sorted(p.yearly)]
        elif p.basis == "printed":
            out.append({**where, "fiscal_year": None, "amount_mb": float(p.stated), "basis": "printed",
                        "source": "project_total", "source_line": p.source_line})
    frame = pd.DataFrame(out, columns=AMOUNT_COLUMNS)
    frame["fiscal_year"] = pd.array(frame["fiscal_year"].tolist(), dtype="Int64")
    frame["amount_mb"] = frame["amount_mb"].astype("float64")
    frame["source_line"] = pd.array(frame["source_line"].tolist(), dtype="Int64")
    return frame


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
    computed: Decimal | None = None  # the sum of its projects' amounts (None when none has one)
    yearly_sum: Decimal = Decimal(0)  # the sum of its projects' computed totals (basis yearly)

    @property
    def found_count(self) -> int:
        return len(self.projects)

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


def _groups(plan: Plan, level: str, figures: dict[str, ProjectFigures], amounts: pd.DataFrame) -> list[Group]:
    """Tactic / strategy / plan groups with their projects (exact), sorted by id; their sums
    are the model's one sum of *amounts* (:attr:`Figures.amounts`)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}; got {level!r}")
    key = {"plan": "plan", "strategy": "strategy_id", "tactic": "tactic_id"}[level]
    amounts = amounts.assign(plan="plan")
    computed = _sums(amounts, key)
    yearly = _sums(amounts[amounts["basis"] == "yearly"], key)
    if level == "plan":
        strategies = _groups(plan, "strategy", figures, amounts)
        stated = [g.stated for g in strategies if g.stated is not None]
        counts = [g.stated_count for g in strategies if g.stated_count is not None]
        return [Group(
            level="plan", id="plan", strategy_id="", name=plan.title,
            stated=sum(stated, Decimal(0)) if stated else None,
            stated_count=sum(counts) if counts else None,
            projects=list(figures.values()),
            computed=computed.get("plan"), yearly_sum=yearly.get("plan") or Decimal(0),
        )]
    name = "strategies" if level == "strategy" else "tactics"
    table = plan.tables.get(name)
    id_column = f"{level}_id"
    members: dict[str, list[ProjectFigures]] = {}
    for fig in figures.values():
        key = fig.strategy_id if level == "strategy" else fig.tactic_id
        if key:
            members.setdefault(key, []).append(fig)
    out: dict[str, Group] = {}
    for row, stated in zip(records(table), _exact(table, "stated_total_mb", name)):
        gid = text(row.get(id_column))
        if not gid or gid in out:
            continue
        out[gid] = Group(
            level=level, id=gid,
            strategy_id=text(row.get("strategy_id")) if level == "tactic" else gid,
            name=text(row.get("name")),
            stated=stated,
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
    for gid, group in out.items():
        group.computed, group.yearly_sum = computed.get(gid), yearly.get(gid) or Decimal(0)
    return [out[k] for k in sorted(out, key=id_sort_key)]


# ---- the Figures value -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The exact figures of one plan, computed once when built (``Figures.of(plan)``).

    ``budget_rows``, ``projects`` and ``amounts`` (one row per amount a project counts with,
    :data:`AMOUNT_COLUMNS`) are computed at construction; the groups and DataFrames are derived
    from them on request. Build a new value after changing the plan.
    """

    plan: Plan
    budget_rows: tuple[dict, ...]
    projects: dict[str, ProjectFigures]
    amounts: pd.DataFrame

    @classmethod
    def of(cls, plan: Plan | Figures) -> Figures:
        """The figures of *plan* (a ``Figures`` is returned as it is)."""
        if isinstance(plan, Figures):
            return plan
        if not isinstance(plan, Plan):
            raise TypeError(f"expected a Plan or Figures, got {type(plan).__name__}")
        rows = _budget_rows(plan)
        projects = _project_figures(plan, rows)
        return cls(plan=plan, budget_rows=tuple(rows), projects=projects,
                   amounts=_amounts(projects, rows, plan.years))

    @property
    def years(self) -> list[int]:
        return self.plan.years

    def groups(self, level: str) -> list[Group]:
        """Tactic / strategy / plan groups with their projects, sorted by id."""
        return _groups(self.plan, level, self.projects, self.amounts)




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
