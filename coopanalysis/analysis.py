"""Allocation tables: pure functions over a :class:`~coopanalysis.plan.Plan`.

Every function returns a new DataFrame (the plan is never modified). Amount columns are
million baht as ``float``; the figures come from :mod:`coopanalysis.totals`, which sums the
printed decimals exactly, and any further sum here is also done in :class:`~decimal.Decimal`
(a float is read back through its shortest ``repr``, which is the printed decimal), so
``0.5 + 1.5 + ...`` carries no float noise.

Tables meant for reading end with a totals row whose id column (and ``name``) is ``'รวม'``
(:data:`TOTAL`) and carry ``share`` columns (fractions of 1). The data rows come first in
document order, so ``df[df[id] != TOTAL]`` gives the data alone.

Who gets the money of a project with several responsible units is a choice, so
:func:`by_unit` has no default: the caller names a policy (:data:`POLICIES`) and the table
carries it (``df.attrs['policy']`` and a ``policy`` column).
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
from pythainlp.util import collate

from . import figures as _totals
from .errors import UnknownStrategyError
from .plan import Plan
from .schema import id_sort_key
from .thai import to_arabic

__all__ = [
    "TOTAL",
    "NO_UNIT",
    "NO_TACTIC",
    "POLICIES",
    "LEVELS",
    "STATUS_LABELS",
    "by_strategy",
    "by_tactic",
    "by_project",
    "by_year",
    "by_unit",
    "printed_vs_computed",
    "coverage",
    "kpi_targets",
]

#: Label of totals rows (and columns).
TOTAL = "รวม"
#: Row for projects that name no responsible unit.
NO_UNIT = "ไม่ระบุหน่วยงาน"
#: Row for projects the document places under no tactic.
NO_TACTIC = "ไม่ระบุกลยุทธ์"

#: Unit allocation policies: name -> Thai description (used in chart subtitles).
POLICIES: dict[str, str] = {
    "equal": "แบ่งงบประมาณของโครงการเท่า ๆ กันให้ทุกหน่วยงานที่รับผิดชอบร่วมกัน",
    "lead": "นับงบประมาณทั้งหมดของโครงการให้หน่วยงานแรกที่ระบุ (หน่วยงานหลัก)",
    "full": "นับงบประมาณเต็มจำนวนให้ทุกหน่วยงานที่รับผิดชอบ (นับซ้ำ ยอดรวมจึงสูงกว่างบประมาณของแผน)",
}

#: Levels understood by :func:`printed_vs_computed`.
LEVELS = ("project", "tactic", "strategy", "plan")

#: ``status`` codes of :func:`printed_vs_computed` -> Thai labels.
STATUS_LABELS: dict[str, str] = {
    "match": "ตรงกัน",
    "differ": "ไม่ตรงกัน",
    "no_printed": "ไม่มียอดตามเอกสาร",
    "not_computed": "คำนวณไม่ได้",
    "neither": "ไม่มีตัวเลข",
}

_YEAR_BY = ("strategy", "tactic", "project")
_UNIT_BY = ("strategy", "year")


# ---- exact arithmetic on float columns ---------------------------------------------------


def _dec(value) -> Decimal | None:
    """A float (or int/str) as the Decimal it was printed as; None for NaN/None/''.

    >>> _dec(0.1), _dec(float("nan")), _dec("1.5"), _dec(2)
    (Decimal('0.1'), None, Decimal('1.5'), Decimal('2'))
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        text = to_arabic(value.strip())
        return Decimal(text) if text else None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Decimal(int(value))
    value = float(value)
    if math.isnan(value):
        return None
    return Decimal(repr(value))


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else float("nan")


def _sum(values) -> float:
    """Exact sum of the non-missing values, as float; NaN when every value is missing.

    >>> _sum([0.1, 0.2, float("nan")]), _sum([float("nan")]), _sum([])
    (0.3, nan, nan)
    """
    decimals = [d for d in (_dec(v) for v in values) if d is not None]
    return float(sum(decimals, Decimal(0))) if decimals else float("nan")


def _sub(a, b) -> float:
    """Exact ``a - b``; NaN when either is missing."""
    da, db = _dec(a), _dec(b)
    return float(da - db) if da is not None and db is not None else float("nan")


def _ratio(a, b) -> float:
    """``a / b``; NaN when either is missing or b is 0."""
    da, db = _dec(a), _dec(b)
    if da is None or db is None or db == 0:
        return float("nan")
    return float(da / db)


def _sorted(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows in document order of their dotted ids (``5.2`` before ``5.10``)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    order = sorted(range(len(frame)), key=lambda i: id_sort_key(frame[column].iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def _check_strategy(plan: Plan, strategy_id) -> str | None:
    if strategy_id is None:
        return None
    sid = to_arabic(str(strategy_id)).strip()
    known = plan.strategies["strategy_id"].tolist()
    if sid not in known:
        raise UnknownStrategyError(f"unknown strategy_id {strategy_id!r}; the plan has {', '.join(sorted(known, key=id_sort_key))}")
    return sid


def _filter(frame: pd.DataFrame, strategy_id: str | None) -> pd.DataFrame:
    if strategy_id is None:
        return frame
    return frame[frame["strategy_id"] == strategy_id]


def _with_total(frame: pd.DataFrame, id_column: str, total: dict) -> pd.DataFrame:
    """Append the totals row (id and name 'รวม'); other columns empty unless given."""
    row = {column: (np.nan if frame[column].dtype.kind in "fiu" else "") for column in frame.columns}
    row.update({id_column: TOTAL})
    if "name" in frame.columns:
        row["name"] = TOTAL
    row.update(total)
    out = pd.concat([frame, pd.DataFrame([row], columns=frame.columns)], ignore_index=True)
    for column in frame.columns:  # keep numeric columns numeric after the concat
        if frame[column].dtype.kind in "fiu":
            out[column] = pd.to_numeric(out[column], errors="coerce")
    return out


def _year_list(plan: Plan, yearly: pd.DataFrame) -> list[int]:
    years = list(plan.years)
    extra = sorted(set(int(y) for y in yearly["fiscal_year"].dropna()) - set(years))
    return years + extra


# ---- by strategy / tactic / project ------------------------------------------------------


def by_strategy(plan: Plan) -> pd.DataFrame:
    """One row per strategy: printed and computed five-year totals, counts, shares.

    Columns: ``strategy_id, name, stated_mb, computed_mb`` (sum of the project amounts, see
    :func:`coopanalysis.totals.rollup`), ``detailed_mb`` (the part with yearly figures),
    ``difference_mb, stated_count, found_count, n_printed_basis, coverage`` (detailed /
    printed, as in ``rollup``), ``share_stated, share_computed`` (the strategy's part of the
    column total). The ``'รวม'`` row sums the strategies (``stated_mb`` over the strategies
    with a printed total; its ``coverage`` = detailed / printed over those same strategies).
    """
    frame = _sorted(_totals.rollup(plan, "strategy"), "strategy_id")
    columns = [
        "strategy_id", "name", "stated_mb", "computed_mb", "difference_mb",
        "stated_count", "found_count", "n_printed_basis", "coverage",
    ]
    frame = frame[[c for c in columns if c in frame.columns]].copy()
    detailed, _ = _basis_sums(plan, "strategy_id")
    frame.insert(frame.columns.get_loc("computed_mb") + 1, "detailed_mb",
                 [detailed.get(sid, 0.0) for sid in frame["strategy_id"]])
    return _add_shares_and_total(frame, "strategy_id")


def _add_shares_and_total(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    stated_total = _sum(frame["stated_mb"])
    computed_total = _sum(frame["computed_mb"])
    frame["share_stated"] = [_ratio(v, stated_total) for v in frame["stated_mb"]]
    frame["share_computed"] = [_ratio(v, computed_total) for v in frame["computed_mb"]]
    printed = frame[frame["stated_mb"].notna()]
    total = {
        "stated_mb": stated_total,
        "computed_mb": computed_total,
        "difference_mb": _sum(frame["difference_mb"]) if "difference_mb" in frame else np.nan,
        "share_stated": 1.0 if not math.isnan(stated_total) else np.nan,
        "share_computed": 1.0 if not math.isnan(computed_total) else np.nan,
        "coverage": _ratio(_sum(printed["detailed_mb"]), _sum(printed["stated_mb"])),
        "detailed_mb": _sum(frame["detailed_mb"]),
    }
    for column in ("stated_count", "found_count", "n_printed_basis"):
        if column in frame.columns:
            total[column] = pd.to_numeric(frame[column], errors="coerce").sum()
    return _with_total(frame, id_column, total)


def by_tactic(plan: Plan, strategy_id=None) -> pd.DataFrame:
    """One row per tactic (of one strategy, or all): printed and computed totals, shares.

    Projects the document places under no tactic are gathered per strategy in a row whose
    ``tactic_id`` is ``'<strategy>.-'`` and ``name`` ``'ไม่ระบุกลยุทธ์'``. Columns as
    :func:`by_strategy` plus ``tactic_id`` first; a ``'รวม'`` row ends the table.
    """
    sid = _check_strategy(plan, strategy_id)
    frame = _totals.rollup(plan, "tactic").copy()
    projects = _totals.project_totals(plan)
    loose = projects[projects["tactic_id"].fillna("") == ""]
    rows = []
    for strat, group in loose.groupby("strategy_id", sort=False):
        computed = _sum(group["amount_mb"])
        rows.append({
            "tactic_id": f"{strat}.-",
            "strategy_id": strat,
            "name": NO_TACTIC,
            "stated_mb": np.nan,
            "computed_mb": computed,
            "difference_mb": np.nan,
            "stated_count": pd.NA,
            "found_count": len(group),
            "n_printed_basis": int((group["basis"] == "printed").sum()),
            "coverage": np.nan,
        })
    if rows:
        extra = pd.DataFrame(rows)
        frame = pd.concat([frame, extra[[c for c in extra.columns if c in frame.columns]]], ignore_index=True)
    frame = _sorted(_filter(frame, sid), "tactic_id")
    columns = [
        "tactic_id", "strategy_id", "name", "stated_mb", "computed_mb", "difference_mb",
        "stated_count", "found_count", "n_printed_basis", "coverage",
    ]
    frame = frame[[c for c in columns if c in frame.columns]].copy()
    for column in ("stated_mb", "computed_mb", "difference_mb", "coverage"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    detailed, _ = _basis_sums(plan, "tactic_key")
    frame.insert(frame.columns.get_loc("computed_mb") + 1, "detailed_mb",
                 [detailed.get(t, 0.0) for t in frame["tactic_id"]])
    out = _add_shares_and_total(frame, "tactic_id")
    out.loc[out["tactic_id"] == TOTAL, "strategy_id"] = sid or ""
    return out


def by_project(plan: Plan, strategy_id=None) -> pd.DataFrame:
    """One row per project: its yearly amounts (one column per BE year, ``int`` labels),
    the sum of those (``computed_mb``, NaN unless every year is known), the printed total
    (``stated_mb``), the amount used for totals (``amount_mb``, with its ``basis``),
    ``parse_status`` and ``share`` (of the ``amount_mb`` total). A ``'รวม'`` row ends it.
    """
    sid = _check_strategy(plan, strategy_id)
    projects = _sorted(_filter(_totals.project_totals(plan), sid), "project_id")
    yearly = _totals.yearly_amounts(plan)
    years = _year_list(plan, yearly)
    frame = projects[["project_id", "strategy_id", "tactic_id", "name"]].copy()
    cells: dict[tuple[str, int], float] = {}
    for (pid, year), group in yearly.groupby(["project_id", "fiscal_year"], sort=False):
        cells[(pid, int(year))] = _sum(group["amount_mb"])
    for year in years:
        frame[year] = [cells.get((pid, year), np.nan) for pid in frame["project_id"]]
    for column in ("computed_mb", "stated_mb", "amount_mb"):
        frame[column] = projects[column].astype("float64").to_numpy()
    frame["basis"] = projects["basis"].to_numpy()
    frame["parse_status"] = projects["parse_status"].to_numpy()
    amount_total = _sum(frame["amount_mb"])
    frame["share"] = [_ratio(v, amount_total) for v in frame["amount_mb"]]
    total = {year: _sum(frame[year]) for year in years}
    total.update({
        "computed_mb": _sum(frame["computed_mb"]),
        "stated_mb": _sum(frame["stated_mb"]),
        "amount_mb": amount_total,
        "share": 1.0 if not math.isnan(amount_total) else np.nan,
        "strategy_id": sid or "",
    })
    out = _with_total(frame, "project_id", total)
    out.attrs["years"] = years
    return out


# ---- by year ------------------------------------------------------------------------------


def by_year(plan: Plan, by: str = "strategy", strategy_id=None) -> pd.DataFrame:
    """Yearly amounts: one row per BE year (column ``fiscal_year``), one column per
    strategy (or tactic / project with ``by=``), then ``'รวม'`` (the year's total) and
    ``share`` (the year's part of the plan's yearly total). A ``'รวม'`` row ends it.

    Only yearly figures count: projects without them (``parse_status`` unreconciled or
    listed_only) are left out and listed in ``attrs['excluded']``; ``attrs['columns']``
    lists the group ids in document order.
    """
    if by not in _YEAR_BY:
        raise ValueError(f"by must be one of {', '.join(map(repr, _YEAR_BY))}; got {by!r}")
    sid = _check_strategy(plan, strategy_id)
    yearly = _filter(_totals.yearly_amounts(plan), sid)
    key = f"{by}_id"
    groups = sorted({str(g) for g in yearly[key].fillna("")}, key=id_sort_key)
    if by == "tactic" and "" in groups:
        groups = [g for g in groups if g != ""] + [""]
    years = _year_list(plan, yearly)
    cells: dict[tuple[int, str], float] = {}
    for (year, group_id), group in yearly.groupby(["fiscal_year", yearly[key].fillna("")], sort=False):
        cells[(int(year), str(group_id))] = _sum(group["amount_mb"])
    rows = []
    for year in years:
        row = {"fiscal_year": year}
        for g in groups:
            row[g] = cells.get((year, g), 0.0)
        row[TOTAL] = _sum([row[g] for g in groups]) if groups else 0.0
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["fiscal_year", *groups, TOTAL])
    grand = _sum(frame[TOTAL])
    frame["share"] = [_ratio(v, grand) for v in frame[TOTAL]]
    total = {"fiscal_year": TOTAL, **{g: _sum(frame[g]) for g in groups}, TOTAL: grand, "share": 1.0 if grand else np.nan}
    out = pd.concat([frame.astype({"fiscal_year": object}), pd.DataFrame([total])], ignore_index=True)
    projects = _filter(_totals.project_totals(plan), sid)
    with_years = set(yearly["project_id"])
    out.attrs.update({
        "by": by,
        "strategy_id": sid,
        "columns": groups,
        "years": years,
        "excluded": [p for p in _sorted(projects, "project_id")["project_id"] if p not in with_years],
    })
    return out


# ---- by unit --------------------------------------------------------------------------------


def _unit_lists(plan: Plan) -> dict[str, list[str]]:
    units: dict[str, list[str]] = {}
    table = plan.project_units
    if table is None or table.empty:
        return units
    for pid, unit in zip(table["project_id"], table["unit"]):
        unit = str(unit).strip()
        if unit and unit not in units.setdefault(pid, []):
            units[pid].append(unit)
    return units


def _credits(units: list[str], amount: Decimal, policy: str) -> list[tuple[str, Decimal]]:
    """How one project's amount is credited to its units under *policy*."""
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


def by_unit(plan: Plan, policy: str | None = None, by: str = "strategy", strategy_id=None) -> pd.DataFrame:
    """Amounts per responsible unit (หน่วยงานรับผิดชอบ), one column per strategy or per year.

    *policy* says who is credited for a project with several units (required; see
    :data:`POLICIES`): ``'equal'`` splits the amount evenly among the project's units,
    ``'lead'`` gives it all to the first unit listed, ``'full'`` credits every unit in full, so
    the table's total exceeds the plan's whenever a project has several units.
    Projects with no unit go to the row ``'ไม่ระบุหน่วยงาน'``.

    ``by='strategy'`` uses each project's five-year amount (``amount_mb`` of
    :func:`coopanalysis.totals.project_totals`, printed total when the years are unknown);
    ``by='year'`` uses the yearly figures only.

    Columns: ``unit, unit_name`` (full name where the document gives one), one column per
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
    sid = _check_strategy(plan, strategy_id)
    units = _unit_lists(plan)
    amounts: list[tuple[str, str, Decimal]] = []  # (project, column, amount)
    if by == "strategy":
        projects = _filter(_totals.project_totals(plan), sid)
        for pid, strat, amount in zip(projects["project_id"], projects["strategy_id"], projects["amount_mb"]):
            value = _dec(amount)
            if value is not None:
                amounts.append((pid, str(strat), value))
        columns = sorted({c for _, c, _ in amounts}, key=id_sort_key)
    else:
        yearly = _filter(_totals.yearly_amounts(plan), sid)
        for pid, year, amount in zip(yearly["project_id"], yearly["fiscal_year"], yearly["amount_mb"]):
            value = _dec(amount)
            if value is not None:
                amounts.append((pid, int(year), value))
        columns = _year_list(plan, yearly)
    credited: dict[str, dict] = {}
    for pid, column, amount in amounts:
        for unit, value in _credits(units.get(pid, []), amount, policy):
            row = credited.setdefault(unit, {})
            row[column] = row.get(column, Decimal(0)) + value
    plan_total = sum((a for _, _, a in amounts), Decimal(0))
    names = {}
    if plan.units is not None and not plan.units.empty:
        names = {u: n for u, n in zip(plan.units["unit"], plan.units.get("name", pd.Series(dtype=str)))}

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
            f"นับเต็มจำนวนให้ทุกหน่วยงานที่รับผิดชอบร่วมกัน ยอดรวม {_plain(credited_total)} ล้านบาท "
            f"จึงสูงกว่างบประมาณของแผน {_plain(plan_total)} ล้านบาท"
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


def _plain(value: Decimal) -> str:
    from .thai import format_number

    return format_number(value)


# ---- printed vs computed, coverage ---------------------------------------------------------


def _status(stated: float, computed: float) -> str:
    has_stated = not math.isnan(stated)
    has_computed = not math.isnan(computed)
    if has_stated and has_computed:
        return "match" if _dec(stated) == _dec(computed) else "differ"
    if has_computed:
        return "no_printed"
    if has_stated:
        return "not_computed"
    return "neither"


def printed_vs_computed(plan: Plan, level: str) -> pd.DataFrame:
    """Printed totals against totals computed from the figures, at one *level*.

    ``level``: ``'project'`` (computed = sum of the project's yearly amounts),
    ``'tactic'``, ``'strategy'`` (computed = sum of its projects' amounts, see
    :func:`coopanalysis.totals.rollup`) or ``'plan'`` (one row: the whole plan).

    Columns: ``<level>_id, strategy_id, name, stated_mb, computed_mb, difference_mb``
    (computed - printed), ``difference_share`` (difference / printed), ``status``
    (``match | differ | no_printed | not_computed | neither``, Thai in :data:`STATUS_LABELS`),
    ``status_th``; at project level also ``tactic_id, parse_status, basis``, at the other
    levels ``found_count, stated_count, n_printed_basis``. No totals row: ``level='plan'``
    is the total.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}; got {level!r}")
    if level == "project":
        source = _sorted(_totals.project_totals(plan), "project_id")
        frame = source[["project_id", "strategy_id", "tactic_id", "name", "stated_mb", "computed_mb"]].copy()
        frame["difference_mb"] = [_sub(c, s) for c, s in zip(frame["computed_mb"], frame["stated_mb"])]
        extra = ["parse_status", "basis"]
        for column in extra:
            frame[column] = source[column].to_numpy()
    else:
        key = f"{level}_id"
        source = _totals.rollup(plan, level)
        if level == "plan" and key not in source.columns:
            source = source.rename(columns={"plan": key})
        if level != "plan":
            source = _sorted(source, key)
        columns = list(dict.fromkeys([key, "strategy_id", "name", "stated_mb", "computed_mb", "difference_mb",
                                      "found_count", "stated_count", "n_printed_basis"]))
        frame = source[[c for c in columns if c in source.columns]].copy().reset_index(drop=True)
    frame["stated_mb"] = frame["stated_mb"].astype("float64")
    frame["computed_mb"] = frame["computed_mb"].astype("float64")
    frame["difference_mb"] = pd.to_numeric(frame["difference_mb"], errors="coerce").astype("float64")
    frame["difference_share"] = [_ratio(d, s) for d, s in zip(frame["difference_mb"], frame["stated_mb"])]
    frame["status"] = [_status(s, c) for s, c in zip(frame["stated_mb"], frame["computed_mb"])]
    frame["status_th"] = frame["status"].map(STATUS_LABELS)
    frame.attrs["level"] = level
    return frame


def coverage(plan: Plan) -> pd.DataFrame:
    """How much of the printed budget the project detail accounts for, per strategy and overall.

    As in :func:`coopanalysis.totals.rollup`, a project accounts for its amount when its yearly
    figures are known (basis ``yearly``). Columns: ``strategy_id, name, stated_mb`` (printed
    five-year total), ``detailed_mb`` (sum of the strategy's projects with yearly figures),
    ``printed_basis_mb`` (projects counted at their printed total only), ``computed_mb`` (all
    project amounts, = detailed + printed basis), ``coverage`` (detailed / printed, as in
    ``rollup``; NaN without a printed total; 0 when no project has yearly figures),
    ``gap_mb`` (printed - detailed), ``found_count, stated_count, n_printed_basis``.
    The ``'รวม'`` row is over the strategies **with** a printed total (the others cannot be
    compared); ``attrs['overall']`` holds its coverage.
    """
    source = _sorted(_totals.rollup(plan, "strategy"), "strategy_id")
    detailed, printed_basis = _basis_sums(plan, "strategy_id")
    frame = source[["strategy_id", "name", "stated_mb"]].copy()
    frame["stated_mb"] = frame["stated_mb"].astype("float64")
    frame["detailed_mb"] = [detailed.get(sid, 0.0) for sid in frame["strategy_id"]]
    frame["printed_basis_mb"] = [printed_basis.get(sid, 0.0) for sid in frame["strategy_id"]]
    frame["computed_mb"] = source["computed_mb"].astype("float64").to_numpy()
    frame["coverage"] = source["coverage"].astype("float64").to_numpy()
    frame["gap_mb"] = [_sub(s, d) for s, d in zip(frame["stated_mb"], frame["detailed_mb"])]
    for column in ("found_count", "stated_count", "n_printed_basis"):
        if column in source.columns:
            frame[column] = source[column].to_numpy()
    printed = frame[frame["stated_mb"].notna()]
    stated = _sum(printed["stated_mb"])
    total = {
        "stated_mb": stated,
        "detailed_mb": _sum(printed["detailed_mb"]),
        "printed_basis_mb": _sum(printed["printed_basis_mb"]),
        "computed_mb": _sum(printed["computed_mb"]),
    }
    total["coverage"] = _ratio(total["detailed_mb"], stated)
    total["gap_mb"] = _sub(stated, total["detailed_mb"])
    for column in ("found_count", "stated_count", "n_printed_basis"):
        if column in frame.columns:
            total[column] = pd.to_numeric(printed[column], errors="coerce").sum()
    out = _with_total(frame, "strategy_id", total)
    out.attrs["overall"] = total["coverage"]
    return out


def _basis_sums(plan: Plan, key: str) -> tuple[dict[str, float], dict[str, float]]:
    """Per group id: exact sums of project amounts on the yearly basis and on the printed basis.

    *key* ``'tactic_key'`` groups by tactic, projects without one under ``'<strategy>.-'``.
    """
    projects = _totals.project_totals(plan)
    if key == "tactic_key":
        projects = projects.assign(tactic_key=[
            t if t else f"{s}.-" for s, t in zip(projects["strategy_id"], projects["tactic_id"].fillna(""))
        ])
    yearly: dict[str, list] = {}
    printed: dict[str, list] = {}
    for gid, basis, amount in zip(projects[key].fillna(""), projects["basis"], projects["amount_mb"]):
        if basis == "yearly":
            yearly.setdefault(gid, []).append(amount)
        elif basis == "printed":
            printed.setdefault(gid, []).append(amount)
    return ({g: _sum(v) for g, v in yearly.items()}, {g: _sum(v) for g, v in printed.items()})


# ---- KPIs -----------------------------------------------------------------------------------


def _target_number(text) -> float:
    """A printed target as a number: '80' -> 80.0, '1,200' -> 1200.0, '' or '-' -> NaN."""
    text = to_arabic(str(text or "")).strip().replace(",", "")
    try:
        return float(Decimal(text))
    except Exception:
        return float("nan")


def kpi_targets(plan: Plan, strategy_id=None) -> pd.DataFrame:
    """KPI targets, one row per (strategy, KPI, target row, year).

    Columns: ``strategy_id, kpi_id, name, unit, fiscal_year`` (Int64), ``target`` (float,
    NaN where the document prints ``-`` or nothing), ``target_text`` (as in kpis.csv),
    ``series`` (1, 2, ...: a KPI printed with several target rows has one series per row, in
    printed order), ``source_line``. KPIs printed without targets keep one row with an empty
    year. Sorted by strategy, KPI, series, year.
    """
    sid = _check_strategy(plan, strategy_id)
    kpis = plan.kpis
    columns = ["strategy_id", "kpi_id", "name", "unit", "fiscal_year", "target", "target_text", "series", "source_line"]
    if kpis is None or kpis.empty:
        return pd.DataFrame(columns=columns)
    frame = _filter(kpis, sid).copy()
    frame["target_text"] = frame["target"].astype(str)
    frame["target"] = [_target_number(t) for t in frame["target_text"]]
    # several target rows of one KPI: each printed row (source_line) is one series
    series = []
    seen: dict[tuple[str, str], list] = {}
    for strat, kpi, line in zip(frame["strategy_id"], frame["kpi_id"], frame["source_line"]):
        lines = seen.setdefault((strat, kpi), [])
        if line not in lines:
            lines.append(line)
        series.append(lines.index(line) + 1)
    frame["series"] = series
    frame["fiscal_year"] = pd.to_numeric(frame["fiscal_year"], errors="coerce").astype("Int64")
    order = sorted(
        range(len(frame)),
        key=lambda i: (
            id_sort_key(frame["strategy_id"].iloc[i]),
            id_sort_key(frame["kpi_id"].iloc[i]),
            frame["series"].iloc[i],
            -1 if pd.isna(frame["fiscal_year"].iloc[i]) else int(frame["fiscal_year"].iloc[i]),
        ),
    )
    frame = frame.iloc[order].reset_index(drop=True)
    return frame[[c for c in columns if c in frame.columns]]
