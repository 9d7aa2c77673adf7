"""Shared roll-ups of a :class:`~coopanalysis.plan.Plan`: project, tactic, strategy and plan totals.

Used by the checks and by the analysis/charts. Sums are done in :class:`~decimal.Decimal` from
the exact ``*_mb_text`` columns; the frames expose floats plus exact text columns.

Definitions (one place, so checks and charts agree):

- A project's **computed** total is the sum of its yearly amounts from budget source
  ``table`` (or ``project_sheet`` when the project has no table row); it is unknown (NaN)
  when any fiscal year of the plan is missing or empty, or when there are no rows.
  When a project has several table rows for one year (listings that disagree), the first in
  document order counts.
- A project's **amount** is the computed total when known (basis ``yearly``), else its printed
  total (basis ``printed``), else unknown (basis ``none``).
- A tactic's / strategy's **computed** total is the sum of its projects' amounts (NaN when no
  project has an amount); ``coverage`` is the part of the printed total accounted for by
  projects on the ``yearly`` basis.
- The **plan** row sums the strategies' printed totals (``stated``) and all projects' amounts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from .plan import Plan, id_sort_key
from .thai import amount_text

LEVELS = ("strategy", "tactic", "plan")
BASES = ("yearly", "printed", "none")

PROJECT_COLUMNS = [
    "project_id", "strategy_id", "tactic_id", "name", "parse_status", "stated_mb", "stated_text",
    "computed_mb", "computed_text", "amount_mb", "basis", "source_line",
]
YEARLY_COLUMNS = ["project_id", "strategy_id", "tactic_id", "fiscal_year", "amount_mb", "amount_text", "source"]


# ---- small conversions ---------------------------------------------------------------------


def to_decimal(text) -> Decimal | None:
    """Exact Decimal of a table cell's text; None for empty / missing.

    >>> to_decimal("0.5"), to_decimal(""), to_decimal(None)
    (Decimal('0.5'), None, None)
    """
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return None
    text = str(text).strip()
    if not text or text.lower() == "nan":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def to_int(value) -> int | None:
    """int of a nullable cell; None for NA / empty."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else math.nan


def _text(value: Decimal | None) -> str:
    return amount_text(value) if value is not None else ""


def _str(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _records(frame: pd.DataFrame | None) -> list[dict]:
    """Rows as dicts of plain Python values (None for missing); much faster than to_dict()."""
    if frame is None or frame.empty:
        return []
    columns = [
        frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns
    ]
    keys = list(frame.columns)
    return [dict(zip(keys, values)) for values in zip(*columns)]


def _cached(plan: Plan, name: str, table: str, compute):
    """Memoise a derived structure on the plan, keyed by the identity of the table it reads."""
    cache = plan.__dict__.setdefault("_totals_cache", {})
    key = (name, id(plan.tables.get(table)), id(plan.tables.get("budget")))
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _col(row: dict, name: str, default=""):
    return row.get(name, default)


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


def budget_rows(plan: Plan) -> list[dict]:
    """Budget rows with exact amounts, first row per (project, year, source) in document order.

    Each dict: project_id, fiscal_year (int|None), amount (Decimal|None), text, source, source_line.
    Computed once per plan (callers must not mutate the result).
    """
    return _cached(plan, "budget_rows", "budget", lambda: _budget_rows(plan))


def _budget_rows(plan: Plan) -> list[dict]:
    rows = []
    for index, row in enumerate(_records(plan.tables.get("budget"))):
        text = _str(_col(row, "amount_mb_text", _col(row, "amount_mb", "")))
        rows.append({
            "project_id": _str(row.get("project_id")),
            "fiscal_year": to_int(row.get("fiscal_year")),
            "amount": to_decimal(text),
            "text": text if to_decimal(text) is not None else "",
            "source": _str(row.get("source")) or "table",
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


def project_figures(plan: Plan) -> dict[str, ProjectFigures]:
    """Exact figures of every project, in projects.csv order (then budget-only ids).

    Computed once per plan (callers must not mutate the result).
    """
    return _cached(plan, "project_figures", "projects", lambda: _project_figures(plan))


def _project_figures(plan: Plan) -> dict[str, ProjectFigures]:
    by_source: dict[str, dict[str, dict[int, Decimal | None]]] = {}
    for row in budget_rows(plan):
        if row["fiscal_year"] is None:
            continue
        by_source.setdefault(row["project_id"], {}).setdefault(row["source"], {})[row["fiscal_year"]] = row["amount"]
    years = plan.years
    out: dict[str, ProjectFigures] = {}
    project_rows = _records(plan.tables.get("projects"))
    known = {_str(r.get("project_id")) for r in project_rows}
    for pid in by_source:
        if pid not in known:  # budget rows for a project the projects table does not name
            project_rows.append({"project_id": pid, "strategy_id": pid.split(".")[0]})
    for row in project_rows:
        pid = _str(row.get("project_id"))
        sources = by_source.get(pid, {})
        source = "table" if "table" in sources else ("project_sheet" if "project_sheet" in sources else None)
        yearly = dict(sources.get(source, {})) if source else {}
        stated_text = _str(_col(row, "stated_total_mb_text", _col(row, "stated_total_mb", "")))
        out[pid] = ProjectFigures(
            project_id=pid,
            strategy_id=_str(row.get("strategy_id")),
            tactic_id=_str(row.get("tactic_id")),
            name=_str(row.get("name")),
            parse_status=_str(row.get("parse_status")),
            stated=to_decimal(stated_text),
            computed=_sum_years(yearly, years),
            source=source,
            yearly=yearly,
            source_line=to_int(row.get("source_line")),
            parse_note=_str(row.get("parse_note")),
            n_values=to_int(row.get("n_values")),
        )
    return out


def project_totals(plan: Plan) -> pd.DataFrame:
    """One row per project: printed total, computed total (from yearly amounts) and the amount used.

    Columns: ``project_id, strategy_id, tactic_id, name, parse_status, stated_mb, stated_text,
    computed_mb, computed_text, amount_mb, basis, source_line`` (see the module docstring).
    """
    rows = []
    for fig in project_figures(plan).values():
        rows.append({
            "project_id": fig.project_id,
            "strategy_id": fig.strategy_id,
            "tactic_id": fig.tactic_id,
            "name": fig.name,
            "parse_status": fig.parse_status,
            "stated_mb": _float(fig.stated),
            "stated_text": _text(fig.stated),
            "computed_mb": _float(fig.computed),
            "computed_text": _text(fig.computed),
            "amount_mb": _float(fig.amount),
            "basis": fig.basis,
            "source_line": fig.source_line,
        })
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    for column in ("stated_mb", "computed_mb", "amount_mb"):
        frame[column] = frame[column].astype("float64")
    frame["source_line"] = pd.array(frame["source_line"].tolist(), dtype="Int64")
    return frame


def yearly_amounts(plan: Plan) -> pd.DataFrame:
    """Yearly amounts, one row per project and fiscal year (empty amounts dropped).

    Table rows, plus project-sheet rows only for projects that have no table rows.
    Columns: ``project_id, strategy_id, tactic_id, fiscal_year, amount_mb, amount_text, source``.
    """
    figures = project_figures(plan)
    rows = []
    for row in budget_rows(plan):
        fig = figures.get(row["project_id"])
        if row["amount"] is None or row["fiscal_year"] is None:
            continue
        if fig is not None and fig.source is not None and row["source"] != fig.source:
            continue
        rows.append({
            "project_id": row["project_id"],
            "strategy_id": fig.strategy_id if fig else "",
            "tactic_id": fig.tactic_id if fig else "",
            "fiscal_year": row["fiscal_year"],
            "amount_mb": float(row["amount"]),
            "amount_text": amount_text(row["amount"]),
            "source": row["source"],
        })
    frame = pd.DataFrame(rows, columns=YEARLY_COLUMNS)
    frame["fiscal_year"] = pd.array(frame["fiscal_year"].tolist(), dtype="Int64")
    frame["amount_mb"] = frame["amount_mb"].astype("float64")
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
    rows = _records(frame)
    return [r for r in rows if _str(r.get(id_column))]


def groups(plan: Plan, level: str, figures: dict[str, ProjectFigures] | None = None) -> list[Group]:
    """Tactic / strategy / plan groups with their projects (exact), sorted by id."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}; got {level!r}")
    figures = project_figures(plan) if figures is None else figures
    if level == "plan":
        strategies = groups(plan, "strategy", figures)
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
        gid = _str(row.get(id_column))
        if gid in out:
            continue
        out[gid] = Group(
            level=level, id=gid,
            strategy_id=_str(row.get("strategy_id")) if level == "tactic" else gid,
            name=_str(row.get("name")),
            stated=to_decimal(_col(row, "stated_total_mb_text", _col(row, "stated_total_mb", ""))),
            stated_count=to_int(row.get("stated_project_count")),
            projects=members.get(gid, []),
            source_line=to_int(row.get("source_line")),
            stated_total_line=to_int(row.get("stated_total_line")),
            stated_count_line=to_int(row.get("stated_count_line")),
            present_in=_str(row.get("present_in")),
        )
    for gid, projects in members.items():  # ids used by projects but absent from the table
        if gid not in out:
            strategy_id = projects[0].strategy_id if level == "tactic" else gid
            out[gid] = Group(level=level, id=gid, strategy_id=strategy_id, name="", stated=None,
                             stated_count=None, projects=projects)
    return [out[k] for k in sorted(out, key=id_sort_key)]


def rollup(plan: Plan, level: str) -> pd.DataFrame:
    """Printed vs computed totals per strategy, per tactic, or for the whole plan.

    Columns: the id (``strategy_id`` / ``tactic_id`` / ``plan``), ``strategy_id``, ``name``,
    ``stated_mb``, ``stated_text``, ``computed_mb`` (sum of the projects' ``amount_mb``),
    ``computed_text``, ``difference_mb`` (computed - stated), ``stated_count``, ``found_count``,
    ``n_printed_basis`` (projects counted at their printed total) and ``coverage`` (sum of the
    yearly-basis amounts / stated). Projects without a tactic are in no tactic row.
    """
    rows = []
    for group in groups(plan, level):
        row = {}
        if level == "plan":
            row["plan"] = group.id
        elif level == "tactic":
            row["tactic_id"] = group.id
        row.update({
            "strategy_id": group.strategy_id,
            "name": group.name,
            "stated_mb": _float(group.stated),
            "stated_text": _text(group.stated),
            "computed_mb": _float(group.computed),
            "computed_text": _text(group.computed),
            "difference_mb": _float(group.difference),
            "stated_count": group.stated_count,
            "found_count": group.found_count,
            "n_printed_basis": group.n_printed_basis,
            "coverage": group.coverage,
        })
        rows.append(row)
    id_columns = {"plan": ["plan"], "tactic": ["tactic_id"], "strategy": []}[level]
    columns = id_columns + [
        "strategy_id", "name", "stated_mb", "stated_text", "computed_mb", "computed_text", "difference_mb",
        "stated_count", "found_count", "n_printed_basis", "coverage",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("stated_mb", "computed_mb", "difference_mb", "coverage"):
        frame[column] = frame[column].astype("float64")
    frame["stated_count"] = pd.array(frame["stated_count"].tolist(), dtype="Int64")
    frame["found_count"] = frame["found_count"].astype("int64")
    frame["n_printed_basis"] = frame["n_printed_basis"].astype("int64")
    return frame
