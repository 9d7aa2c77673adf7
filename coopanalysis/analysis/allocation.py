"""Who gets the money: amounts per responsible unit (หน่วยงานรับผิดชอบ) under a named policy.

Who is credited for a project with several responsible units is a choice, so :func:`by_unit`
has no default: the caller names a policy (:data:`POLICIES`) and the table carries it. Every
credit and sum is exact (Decimal, from the figures' text); a third of 5 is summed as a Decimal
third, so an ``'equal'`` table adds up to the plan's total.

Units are named through the units glossary (:mod:`coopanalysis.sources.units`, ``data/units.yaml``):
a unit written in full on one row and by its abbreviation on another is one unit, shown by its
abbreviation, and ``unit_name`` is filled from the glossary where ``units.csv`` has no name.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from pythainlp.util import collate

from coopanalysis.analysis.common import check_strategy, exact_column, for_strategy, year_list
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model import rollups
from coopanalysis.model.figures import Figures
from coopanalysis.sources.units import Glossary
from coopanalysis.sources.units import load as load_glossary
from coopanalysis.text.labels import NO_UNIT, TOTAL
from coopanalysis.text.thai import format_number

__all__ = ["POLICIES", "by_unit", "unit_policies", "unit_lists", "unit_names", "credits"]

#: Unit allocation policies: name -> Thai description (used in chart subtitles).
POLICIES: dict[str, str] = {
    "equal": "แบ่งงบประมาณของโครงการเท่า ๆ กันให้ทุกหน่วยงานที่รับผิดชอบร่วมกัน",
    "lead": "นับงบประมาณทั้งหมดของโครงการให้หน่วยงานแรกที่ระบุ (หน่วยงานหลัก)",
    "full": "นับงบประมาณเต็มจำนวนให้ทุกหน่วยงานที่รับผิดชอบ (นับซ้ำ ยอดรวมจึงสูงกว่างบประมาณของแผน)",
}

_UNIT_BY = ("strategy", "year")


def _glossary(glossary) -> Glossary:
    """A Glossary as given, read from a path, or the bundled one (None)."""
    return glossary if isinstance(glossary, Glossary) else load_glossary(glossary)


def unit_lists(plan, glossary: Glossary | None = None) -> dict[str, list[str]]:
    """project id -> its responsible units, in the order printed on its row, each by its
    canonical name in *glossary* (no glossary: as printed); a unit named twice counts once."""
    units: dict[str, list[str]] = {}
    table = plan.project_units
    if table is None or table.empty:
        return units
    for pid, unit in zip(table["project_id"], table["unit"]):
        unit = str(unit).strip()
        if glossary is not None:
            unit = glossary.canonical(unit)
        if unit and unit not in units.setdefault(pid, []):
            units[pid].append(unit)
    return units


def unit_names(plan, glossary: Glossary) -> dict[str, str]:
    """canonical unit -> full name: ``units.csv`` where it gives one, else the glossary."""
    names: dict[str, str] = {}
    table = plan.units
    if table is not None and not table.empty and "name" in table.columns:
        for unit, name in zip(table["unit"], table["name"]):
            key = glossary.canonical(str(unit))
            name = "" if name is None or name != name else str(name).strip()
            if name and not names.get(key):
                names[key] = name
    for key, entry in glossary.units.items():
        if entry.name and not names.get(key):
            names[key] = entry.name
    return names


def credits(units: list[str], amount: Decimal, policy: str) -> list[tuple[str, Decimal]]:
    """How one project's *amount* is credited to its *units* (in printed order) under *policy*.

    >>> credits(["ข.", "ก."], Decimal(6), "lead")
    [('ข.', Decimal('6'))]
    >>> credits(["ข.", "ก."], Decimal(6), "equal")
    [('ข.', Decimal('3')), ('ก.', Decimal('3'))]
    >>> credits(["ข.", "ก."], Decimal(6), "full")
    [('ข.', Decimal('6')), ('ก.', Decimal('6'))]
    >>> credits([], Decimal(6), "lead")
    [('ไม่ระบุหน่วยงาน', Decimal('6'))]
    """
    if not units:
        return [(NO_UNIT, amount)]
    if policy == "lead":
        return [(units[0], amount)]
    if policy == "full":
        return [(unit, amount) for unit in units]
    share = amount / len(units)
    return [(unit, share) for unit in units]


def _check_policy(policy) -> str:
    valid = ", ".join(repr(p) for p in POLICIES)
    if policy is None:
        raise ValueError(f"policy is required (no default): one of {valid}")
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; valid policies: {valid}")
    return policy


def _amounts(figures: Figures, by: str, sid: str | None) -> tuple[list[tuple[str, object, Decimal]], list]:
    """(project, column, exact amount) to allocate, and the columns in order."""
    amounts: list[tuple[str, object, Decimal]] = []
    if by == "strategy":
        projects = for_strategy(rollups.project_totals(figures), sid)
        for pid, strat, amount in zip(projects["project_id"], projects["strategy_id"],
                                      exact_column(projects, "amount_text")):
            if amount is not None:
                amounts.append((pid, str(strat), amount))
        return amounts, sorted({c for _, c, _ in amounts}, key=id_sort_key)
    yearly = for_strategy(rollups.yearly_amounts(figures), sid)
    for pid, year, amount in zip(yearly["project_id"], yearly["fiscal_year"], exact_column(yearly, "amount_text")):
        if amount is not None:
            amounts.append((pid, int(year), amount))
    return amounts, year_list(figures.years, yearly["fiscal_year"])


def by_unit(source, policy: str | None = None, by: str = "strategy", strategy_id=None, *,
            glossary=None) -> pd.DataFrame:
    """Amounts per responsible unit (หน่วยงานรับผิดชอบ), one column per strategy or per year.

    *policy* says who is credited for a project with several units (required; see
    :data:`POLICIES`): ``'equal'`` splits the amount evenly among the project's units,
    ``'lead'`` gives it all to the first unit printed on the project's row (not the
    alphabetically first), ``'full'`` credits every unit in full, so the table's total exceeds
    the plan's whenever a project has several units. Projects with no unit go to the row
    ``'ไม่ระบุหน่วยงาน'``.

    ``by='strategy'`` uses each project's five-year amount (``amount_mb`` of
    :func:`coopanalysis.model.rollups.project_totals`, printed total when the years are unknown);
    ``by='year'`` uses the yearly figures only.

    *glossary*: a :class:`~coopanalysis.sources.units.Glossary`, a path to one, or None for the
    bundled ``data/units.yaml``; spellings of one unit are merged under its abbreviation.

    Columns: ``unit, unit_name`` (full name from ``units.csv`` or the glossary, '' when neither
    gives one), one column per
    strategy id (``str``) or BE year (``int``), ``'รวม'``, ``share`` (of the plan's amount, so
    the shares of a ``'full'`` table add up to more than 1), ``policy``. Rows: units by
    decreasing total, ``'ไม่ระบุหน่วยงาน'`` last, then ``'รวม'``.

    ``attrs``: ``policy``, ``policy_label`` (Thai), ``by``, ``columns``, ``plan_total_mb``
    (the amount being allocated), ``credited_total_mb`` (the table's total),
    ``exceeds_plan_total`` (bool) and ``note`` (Thai, non-empty when the total exceeds the plan).
    """
    policy = _check_policy(policy)
    if by not in _UNIT_BY:
        raise ValueError(f"by must be one of {', '.join(map(repr, _UNIT_BY))}; got {by!r}")
    figures = Figures.of(source)
    plan = figures.plan
    sid = check_strategy(figures, strategy_id)
    glossary = _glossary(glossary)
    units = unit_lists(plan, glossary)
    amounts, columns = _amounts(figures, by, sid)
    credited: dict[str, dict] = {}
    for pid, column, amount in amounts:
        for unit, value in credits(units.get(pid, []), amount, policy):
            row = credited.setdefault(unit, {})
            row[column] = row.get(column, Decimal(0)) + value
    plan_total = sum((a for _, _, a in amounts), Decimal(0))
    names = unit_names(plan, glossary)

    def unit_total(unit: str) -> Decimal:
        return sum(credited[unit].values(), Decimal(0))

    rank = {u: i for i, u in enumerate(collate([u for u in credited if u != NO_UNIT]))}
    order = sorted(rank, key=lambda u: (-unit_total(u), rank[u]))
    if NO_UNIT in credited:
        order.append(NO_UNIT)
    rows = []
    for unit in order:
        row = {"unit": unit, "unit_name": names.get(unit, "") or ""}
        for column in columns:
            row[column] = float(credited[unit].get(column, Decimal(0)))
        row[TOTAL] = float(unit_total(unit))
        row["share"] = float(unit_total(unit) / plan_total) if plan_total else np.nan
        row["policy"] = policy
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["unit", "unit_name", *columns, TOTAL, "share", "policy"])
    credited_total = sum((unit_total(u) for u in credited), Decimal(0))
    total_row = {"unit": TOTAL, "unit_name": "", "policy": policy}
    for column in columns:
        total_row[column] = float(sum((credited[u].get(column, Decimal(0)) for u in credited), Decimal(0)))
    total_row[TOTAL] = float(credited_total)
    total_row["share"] = float(credited_total / plan_total) if plan_total else np.nan
    out = pd.concat([frame, pd.DataFrame([total_row], columns=frame.columns)], ignore_index=True)
    exceeds = credited_total > plan_total
    note = ""
    if exceeds:
        note = (
            f"นับเต็มจำนวนให้ทุกหน่วยงานที่รับผิดชอบร่วมกัน ยอดรวม {format_number(credited_total)} ล้านบาท "
            f"จึงสูงกว่างบประมาณของแผน {format_number(plan_total)} ล้านบาท"
        )
    out.attrs.update({
        "policy": policy,
        "policy_label": POLICIES[policy],
        "by": by,
        "strategy_id": sid,
        "columns": columns,
        "plan_total_mb": float(plan_total),
        "credited_total_mb": float(credited_total),
        "exceeds_plan_total": bool(exceeds),
        "note": note,
    })
    return out


UNIT_POLICY_COLUMNS = ["unit", "unit_name", *(f"{p}_mb" for p in POLICIES)]


def unit_policies(source, *, glossary=None) -> pd.DataFrame:
    """Each unit's five-year total under every policy, side by side (numbers, million baht).

    Columns: ``unit, unit_name, equal_mb, lead_mb, full_mb``; one row per unit in the order of
    ``by_unit(source, 'equal')`` (``'ไม่ระบุหน่วยงาน'`` and the ``'รวม'`` row included, as
    there); a unit a policy credits nothing gets 0.0. *glossary* as for :func:`by_unit`.
    Formatting is the caller's.
    """
    figures = Figures.of(source)
    glossary = _glossary(glossary)
    tables = {policy: by_unit(figures, policy, glossary=glossary) for policy in POLICIES}
    # 'equal' credits every unit of every project, so its rows name every unit any policy credits
    rows = []
    for unit, name in zip(tables["equal"]["unit"], tables["equal"]["unit_name"]):
        row = {"unit": unit, "unit_name": name}
        for policy, table in tables.items():
            match = table.loc[table["unit"] == unit, TOTAL]
            row[f"{policy}_mb"] = float(match.iloc[0]) if len(match) else 0.0
        rows.append(row)
    frame = pd.DataFrame(rows, columns=UNIT_POLICY_COLUMNS)
    for policy in POLICIES:
        frame[f"{policy}_mb"] = frame[f"{policy}_mb"].astype("float64")
    return frame
