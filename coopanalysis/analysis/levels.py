"""The analysis API keyed by level, for any :class:`~coopanalysis.model.Dataset`.

``allocation(ds, level)`` and ``by_year(ds, level)`` work on a plan's strategies, tactics and
projects and on a budget table's ministries, budgetary units, plans … alike. Numbers are
numeric million baht, exact to the satang (rounded only when shown); frames hold no totals row
(``margins=True`` adds one); ``thai=True`` gives Thai column labels.
"""

from __future__ import annotations

import pandas as pd

from coopanalysis.model.dataset import Dataset, million_baht, satang

__all__ = ["POLICIES", "allocation", "by_year"]

#: Unit policies of :func:`allocation` (a plan's responsible units), as in :mod:`.allocation`.
POLICIES = ("equal", "lead", "full")

_THAI = {"node_id": "รหัส", "label": "ลำดับ", "name": "ชื่อ", "parent_id": "รหัสระดับบน",
         "stated_mb": "ตามเอกสาร (ล้านบาท)", "computed_mb": "คำนวณ (ล้านบาท)",
         "difference_mb": "ผลต่าง (ล้านบาท)", "share": "สัดส่วน", "unit": "หน่วยงาน", "unit_name": "ชื่อเต็ม",
         "unsplit_mb": "ไม่แยกปี (ล้านบาท)"}
TOTAL = "รวม"


def _margins(frame: pd.DataFrame, label_column: str) -> pd.DataFrame:
    numbers = frame.select_dtypes("number").sum(min_count=1)
    total = {c: numbers.get(c, pd.NA) for c in frame.columns}
    total[label_column] = TOTAL
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def _finish(frame: pd.DataFrame, thai: bool, margins: bool, label_column: str = "name") -> pd.DataFrame:
    if margins:
        frame = _margins(frame, label_column)
    if thai:
        frame = frame.rename(columns=lambda c: _THAI.get(c, c))
    return frame


def _units(ds: Dataset, policy: str | None) -> pd.DataFrame:
    from coopanalysis.analysis.allocation import by_unit

    if ds.kind != "plan":
        raise KeyError("'unit' is a plan's responsible units; this dataset's levels are " + ", ".join(ds.level_keys))
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)} (who is credited for a project "
                         f"with several units); got {policy!r}")
    if ds.derived:
        raise ValueError("unit allocation reads the plan as loaded; this dataset's amounts were changed")
    table = by_unit(ds.origin, policy)
    table = table[table["unit"] != TOTAL]
    out = pd.DataFrame({"unit": table["unit"], "unit_name": table["unit_name"],
                        "computed_mb": pd.to_numeric(table[TOTAL]).astype("float64")})
    out["share"] = out["computed_mb"] / out["computed_mb"].sum() if policy != "full" else table["share"]
    return out.reset_index(drop=True)


def allocation(ds: Dataset, level: str, year: int | None = None, within: str | None = None,
               top: int | None = None, policy: str | None = None, *, thai: bool = False,
               margins: bool = False) -> pd.DataFrame:
    """One row per node of *level*: ``node_id``, ``label``, ``name``, ``parent_id``,
    ``stated_mb`` (printed), ``computed_mb`` (sum beneath), ``difference_mb``, ``share`` (of
    the computed sum of all rows), largest first when *top* is given, else in document order.

    *year*: one BE fiscal year (default: the whole period); *within*: a node id, label or name
    (only the nodes beneath it); *top*: the N largest, equal amounts in document order
    (``attrs["others_mb"]`` holds the exact sum of the rest, ``attrs["others_count"]`` how many
    of them have an amount).
    ``level="unit"`` on a plan: its responsible units under *policy* (equal | lead | full).

    >>> import coopanalysis as ca
    >>> table = ca.allocation(ca.load(), "strategy")
    >>> table.set_index("label").loc["5", ["stated_mb", "computed_mb", "difference_mb"]].tolist()
    [125.0, 158.0, 33.0]
    """
    if level == "unit":
        return _finish(_units(ds, policy), thai, margins, "unit")
    if policy is not None:
        raise ValueError("policy= applies to level='unit' (a plan's responsible units)")
    year = None if year is None else ds.fiscal_year(year)
    table = ds.figures(level, year)
    if within is not None:
        table = table[table["node_id"].isin(ds.beneath(within))]
    total = table["computed_mb"].sum()
    table = table.assign(share=table["computed_mb"] / total if total else float("nan"))
    others, others_count = 0.0, 0
    if top is not None:
        table = table.sort_values("computed_mb", ascending=False, na_position="last", kind="stable")
        rest = table["computed_mb"].iloc[int(top):]
        others = float(million_baht(pd.Series([satang(rest).sum()], dtype="Int64")).iloc[0])
        others_count = int(rest.notna().sum())
        table = table.head(int(top))
    table = table.reset_index(drop=True)
    table.attrs.update(level=level, year=year, within=within, others_mb=others, others_count=others_count)
    return _finish(table, thai, margins)


def by_year(ds: Dataset, level: str, within: str | None = None, *, thai: bool = False,
            margins: bool = False) -> pd.DataFrame:
    """Computed amounts per node of *level* (rows) and fiscal year (columns, BE, the dataset's
    own years only), million baht. Amounts printed only for the whole period (a plan's project
    without yearly figures) are in ``unsplit_mb`` when there are any.

    >>> import coopanalysis as ca
    >>> list(ca.by_year(ca.load(), "strategy").columns[3:])
    [2560, 2561, 2562, 2563, 2564, 'unsplit_mb']
    """
    nodes = ds.nodes[ds.nodes["level"] == ds.level(level).key]
    if within is not None:
        nodes = nodes[nodes["node_id"].isin(ds.beneath(within))]
    sums = ds.computed(level, by_year=True)
    wide = sums.pivot_table(index="node_id", columns="fiscal_year", values="computed_satang", aggfunc="sum",
                            dropna=False) if not sums.empty else pd.DataFrame()
    out = nodes[["node_id", "label", "name"]].reset_index(drop=True)
    for year in ds.years:
        column = wide[year] if year in wide.columns else pd.Series(dtype="Int64")
        out[year] = million_baht(out["node_id"].map(column).astype("Int64")).fillna(0.0)
    unsplit = sums[sums["fiscal_year"].isna()].set_index("node_id")["computed_satang"]
    if len(unsplit):
        out["unsplit_mb"] = million_baht(out["node_id"].map(unsplit).astype("Int64")).fillna(0.0)
    return _finish(out, thai, margins)
