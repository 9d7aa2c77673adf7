"""The tables both exports share, shaped once from a plan's exact figures.

The workbook (:mod:`coopanalysis.exports.workbook`) and the Fiscal Data Package
(:mod:`coopanalysis.exports.fdp`) write the same content: the hierarchy levels of the plan, one
row per item (project) with its yearly amounts, the roll-ups per level, and a long table with
one row per item and fiscal year. Everything here is plain Python (Decimal amounts in million
baht, BE years); the writers only lay it out.

An action plan's levels are ``strategy`` > ``tactic`` > ``project``; a dataset whose
``plan.json`` declares ``levels`` (a budget table ingested through a mapping) names its own.
:func:`shape_plan` shapes a plan into one :class:`Shaped` value; a budget dataset is shaped by
:mod:`coopanalysis.exports.budgetshape`, and :func:`coopanalysis.exports.source.shape` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.figures import Figures
from coopanalysis.model.frames import records, text, to_decimal, to_int
from coopanalysis.model.plan import Plan
from coopanalysis.text.labels import LEVEL_EN, LEVEL_TH

__all__ = [
    "Level", "Item", "GroupRow", "Shaped", "PLAN_LEVELS", "as_figures", "levels_of", "phase_of",
    "shape_plan", "items", "group_rows", "long_rows", "unit_rows", "source_info", "printed_totals", "be_date",
    "exact_float", "is_exact_float",
]

#: Thai month names for dates in the Buddhist era.
_MONTHS_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
              "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy: its key, Thai and English label."""

    key: str
    th: str
    en: str


#: An action plan's hierarchy. Labels are the nouns (no ``ที่``) for headings.
PLAN_LEVELS = (
    Level("strategy", "ยุทธศาสตร์", "strategy"),
    Level("tactic", "กลยุทธ์", "tactic"),
    Level("project", "โครงการ", "project"),
)


@dataclass
class Item:
    """One leaf of the hierarchy (a project) with its exact figures.

    ``path`` holds ``(level key, id, name)`` from the top level down to the item itself.
    """

    path: list[tuple[str, str, str]]
    yearly: dict[int, Decimal]
    stated: Decimal | None
    amount: Decimal | None
    computed: Decimal | None
    basis: str
    status: str = ""
    units: list[str] = field(default_factory=list)
    source_line: int | None = None

    @property
    def id(self) -> str:
        return self.path[-1][1]

    @property
    def name(self) -> str:
        return self.path[-1][2]


@dataclass
class GroupRow:
    """A node above the items (a strategy, a tactic) with its roll-up, exact."""

    level: str
    id: str
    name: str
    parents: list[tuple[str, str]]
    yearly: dict[int, Decimal]
    stated: Decimal | None
    computed: Decimal | None
    stated_count: int | None = None
    found_count: int | None = None
    n_printed_basis: int | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.computed is None:
            return None
        return self.computed - self.stated


@dataclass
class Shaped:
    """Everything an export writes, from a plan or a budget dataset alike.

    ``groups`` pairs each level above the items with its rows; ``totals_year`` is None when a
    printed total covers the whole plan period, else the (bill) year it is printed for.
    ``long_extra`` names extra columns of ``long`` as ``(key, Thai, English)``.
    """

    kind: str
    title: str
    levels: tuple[Level, ...]
    years: list[int]
    phase: str
    info: dict
    items: list[Item]
    groups: list[tuple[Level, list[GroupRow]]]
    long: list[dict]
    units: list[dict]
    findings: list
    tolerance: Decimal
    totals: list[dict]
    totals_year: int | None = None
    long_extra: list[tuple[str, str, str]] = field(default_factory=list)


def shape_plan(source, tolerance: Decimal) -> Shaped:
    """An action plan shaped for export: strategy and tactic roll-ups, projects as items."""
    from coopanalysis.checks import run_checks

    fig = Figures.of(source)
    plan = fig.plan
    levels = levels_of(plan)
    by_key = {level.key: level for level in levels}
    groups = [(by_key.get(key, Level(key, key, key)), group_rows(fig, key)) for key in ("strategy", "tactic")]
    return Shaped(kind="plan", title=plan.title, levels=levels, years=plan.years, phase=phase_of(plan),
                  info=source_info(plan), items=items(fig), groups=groups, long=long_rows(fig),
                  units=unit_rows(fig), findings=run_checks(plan, tolerance=tolerance), tolerance=tolerance,
                  totals=printed_totals(fig))


def printed_totals(source) -> list[dict]:
    """Every printed total beside the computed one: ``level, id, name, fiscal_year, printed, computed``
    (``fiscal_year`` None: the total covers the plan's whole period)."""
    fig = Figures.of(source)
    out = []
    for level in ("strategy", "tactic"):
        for g in group_rows(fig, level):
            out.append({"level": level, "id": g.id, "name": g.name, "fiscal_year": None,
                        "printed": g.stated, "computed": g.computed})
    for item in items(fig):
        out.append({"level": item.path[-1][0], "id": item.id, "name": item.name, "fiscal_year": None,
                    "printed": item.stated, "computed": item.amount})
    return out


def as_figures(source) -> Figures:
    """The figures of a Plan, a Figures, or a path (an ingested directory or a plan text file).

    >>> as_figures(42)
    Traceback (most recent call last):
    ...
    TypeError: expected a Plan, Figures or a path, got int
    """
    if isinstance(source, (Plan, Figures)):
        return Figures.of(source)
    if isinstance(source, (str, Path)):
        from coopanalysis.model.plan import load

        path = Path(source)
        if not path.exists():
            raise InputError("no such file or directory", path=path)
        return Figures.of(load(path))
    raise TypeError(f"expected a Plan, Figures or a path, got {type(source).__name__}")


def levels_of(plan: Plan) -> tuple[Level, ...]:
    """The hierarchy levels: ``plan.json`` ``levels`` when declared, else an action plan's.

    Declared levels are dicts with ``key`` and optional ``label_th``/``th`` and ``label_en``/``en``.
    """
    declared = plan.meta.get("levels")
    if not isinstance(declared, list) or not declared:
        return PLAN_LEVELS
    out = []
    for entry in declared:
        if isinstance(entry, str):
            entry = {"key": entry}
        if not isinstance(entry, dict) or not entry.get("key"):
            continue
        key = str(entry["key"])
        th = entry.get("label_th") or entry.get("th") or LEVEL_TH.get(key, key)
        en = entry.get("label_en") or entry.get("en") or LEVEL_EN.get(key, key)
        out.append(Level(key, str(th), str(en)))
    return tuple(out) or PLAN_LEVELS


def phase_of(plan: Plan) -> str:
    """The budget phase of the amounts: ``plan.json`` ``phase``, else ``planned`` (an action plan).

    >>> from types import MappingProxyType
    >>> phase_of(Plan(meta={}, tables=MappingProxyType({}))), phase_of(Plan(meta={"phase": "approved"}, tables=MappingProxyType({})))
    ('planned', 'approved')
    """
    phase = plan.meta.get("phase")
    return str(phase) if isinstance(phase, str) and phase.strip() else "planned"


def exact_float(value: Decimal) -> float:
    """A Decimal as the float a spreadsheet cell stores: the same decimal when it has at most
    15 significant digits (every printed amount), else the nearest float (amounts with float
    noise in a budget table, e.g. ``2.5084833333333335``; the long table keeps their text).

    >>> exact_float(Decimal("80.5")), exact_float(Decimal("0.12345678"))
    (80.5, 0.12345678)
    >>> is_exact_float(Decimal("0.12345678")), is_exact_float(Decimal("2.5084833333333335"))
    (True, False)
    """
    return float(value)


def is_exact_float(value: Decimal) -> bool:
    """True when the float of *value* prints back as the same decimal (see :func:`exact_float`)."""
    return Decimal(repr(float(value))) == value


def _units(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in records(plan.tables.get("project_units")):
        unit = text(row.get("unit")).strip()
        if unit:
            out.setdefault(text(row.get("project_id")), []).append(unit)
    return out


def _names(plan: Plan, table: str, key: str) -> dict[str, str]:
    return {text(r.get(key)): text(r.get("name")) for r in records(plan.tables.get(table)) if text(r.get(key))}


def items(source) -> list[Item]:
    """One :class:`Item` per project, in projects.csv order (then budget-only ids)."""
    fig = Figures.of(source)
    plan = fig.plan
    strategies = _names(plan, "strategies", "strategy_id")
    tactics = _names(plan, "tactics", "tactic_id")
    units = _units(plan)
    out = []
    for p in fig.projects.values():
        path = [("strategy", p.strategy_id, strategies.get(p.strategy_id, ""))]
        path.append(("tactic", p.tactic_id, tactics.get(p.tactic_id, "")))
        path.append(("project", p.project_id, p.name))
        yearly = {y: v for y, v in p.yearly.items() if v is not None}
        out.append(Item(path=path, yearly=yearly, stated=p.stated, amount=p.amount, computed=p.computed,
                        basis=p.basis, status=p.parse_status, units=units.get(p.project_id, []),
                        source_line=p.source_line))
    return out


def group_rows(source, level: str) -> list[GroupRow]:
    """Roll-ups of *level* (``strategy`` or ``tactic``) sorted by id.

    ``yearly`` sums the yearly amounts of the projects counted from their years (basis
    ``yearly``); ``computed`` also counts the projects known only by their printed total, as
    the checks do, so ``computed`` may exceed the sum of ``yearly``.
    """
    fig = Figures.of(source)
    out = []
    for group in fig.groups(level):
        yearly: dict[int, Decimal] = {}
        for project in group.projects:
            if project.computed is None:
                continue
            for year, value in project.yearly.items():
                if value is not None:
                    yearly[year] = yearly.get(year, Decimal(0)) + value
        parents = [("strategy", group.strategy_id)] if level == "tactic" else []
        out.append(GroupRow(level=level, id=group.id, name=group.name, parents=parents, yearly=yearly,
                            stated=group.stated, computed=group.computed, stated_count=group.stated_count,
                            found_count=group.found_count, n_printed_basis=group.n_printed_basis))
    return out


def long_rows(source) -> list[dict]:
    """One row per project and fiscal year with an amount (the rows every total is built from).

    Keys: the path's ``<level>_id`` / ``<level>_name``, ``units`` (joined with ``; ``),
    ``fiscal_year``, ``amount`` (Decimal), ``source`` and ``source_line``.
    """
    fig = Figures.of(source)
    by_id = {item.id: item for item in items(fig)}
    out = []
    for row in fig.budget_rows:
        item = by_id.get(row["project_id"])
        project = fig.projects.get(row["project_id"])
        if row["amount"] is None or row["fiscal_year"] is None or item is None:
            continue
        if project is not None and project.source is not None and row["source"] != project.source:
            continue
        entry = {}
        for level, ident, name in item.path:
            entry[f"{level}_id"] = ident
            entry[f"{level}_name"] = name
        entry.update({"units": "; ".join(item.units), "fiscal_year": row["fiscal_year"], "amount": row["amount"],
                      "source": row["source"], "source_line": row["source_line"]})
        out.append(entry)
    return out


def unit_rows(source) -> list[dict]:
    """Responsible units: ``unit``, ``name`` (full name when printed) and their projects, sorted."""
    fig = Figures.of(source)
    plan = fig.plan
    names = {text(r.get("unit")): text(r.get("name")) for r in records(plan.tables.get("units"))}
    projects: dict[str, list[str]] = {}
    for pid, units in _units(plan).items():
        for unit in units:
            projects.setdefault(unit, []).append(pid)
    out = []
    for unit in sorted(set(names) | set(projects)):
        if not unit:
            continue
        ids = sorted(set(projects.get(unit, [])), key=id_sort_key)
        out.append({"unit": unit, "name": names.get(unit, ""), "projects": ids})
    return out


def be_date(day: date | None = None, thai_digits: bool = False) -> str:
    """A date in the Buddhist era, Thai month name: ``26 พฤศจิกายน 2569``.

    >>> be_date(date(2026, 11, 26)), be_date(date(2017, 1, 5), thai_digits=True)
    ('26 พฤศจิกายน 2569', '๕ มกราคม ๒๕๖๐')
    """
    from coopanalysis.text.fmt import digits

    day = day or date.today()
    return digits(f"{day.day} {_MONTHS_TH[day.month - 1]} {day.year + 543}", thai_digits)


def source_info(plan: Plan) -> dict:
    """Provenance for the README sheet and the package: source file, sha256, corrections.

    Keys: ``source_file``, ``sha256``, ``sources`` (``file``, ``sha256`` each), ``mapping`` (''),
    ``corrections_file``, ``corrections`` (rows of
    ``corrections_applied``: project_id, field, fiscal_year, printed, corrected, reason, source_line).
    """
    meta = plan.ingest_meta or {}
    corrections = []
    for row in records(plan.tables.get("corrections_applied")):
        corrections.append({
            "project_id": text(row.get("project_id")), "field": text(row.get("field")),
            "fiscal_year": to_int(row.get("fiscal_year")),
            "printed": to_decimal(row.get("printed_mb_text", row.get("printed"))),
            "corrected": to_decimal(row.get("corrected_mb_text", row.get("corrected"))),
            "reason": text(row.get("reason")), "source_line": to_int(row.get("source_line")),
        })
    source_file = text(meta.get("source_file")) or (plan.source.name if plan.source is not None else "")
    sha = text(meta.get("sha256"))
    return {"source_file": source_file, "sha256": sha,
            "sources": [{"file": source_file, "sha256": sha}] if source_file else [],
            "corrections_file": text(meta.get("corrections_file")), "corrections": corrections, "mapping": ""}
