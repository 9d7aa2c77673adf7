"""The one export shaper: a :class:`~coopanalysis.model.dataset.Dataset` → :class:`Shaped`.

Both exports (the workbook and the Fiscal Data Package) lay out one :class:`Shaped` value,
made here from the one model whatever the source, at any depth:

- **items**: the nodes amounts hang from (a plan's projects, listed ones without an amount
  included; a table's item nodes), each with its own amounts by fiscal year;
- **groups**: every node of every level above the items, with the one roll-up
  (:meth:`Dataset.computed`, exact in satang) beside its printed total;
- **totals**: the printed totals (``stated``) beside the sums: a plan prints them for the
  whole period at every node (one row per node, a missing one empty), a table for its bill
  year (one row per printed total, as read);
- **long**: one row per amount with a fiscal year, the rows every yearly figure is built from;
- what only one kind of source has comes from the dataset's named extras: a plan's responsible
  units (``project_units``, ``units``), parse statuses (``projects``) and printed project counts
  (``printed_counts``); a table's row kind, status, page, item id and amount as printed
  (``items``).

Everything is read from the dataset's tables when shaped, so an edited dataset (``ds.scale``,
``ds.replace``) exports its own figures, and its findings compare the printed totals with them.
Amounts are :class:`~decimal.Decimal` million baht; years are BE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.dataset import Dataset, Level, decimal_mb, satang
from coopanalysis.model.frames import records, text, to_decimal, to_int

__all__ = ["Item", "GroupRow", "Shaped", "LONG_EXTRA", "dataset_of", "shape"]

#: Extra columns of the long table of a table's rows (extras ``items``): (key, Thai, English).
LONG_EXTRA = [
    ("kind", "ประเภทแถว", "row kind (appropriation / obligation_other_year)"),
    ("status", "สถานะแถว", "row status (ok, float_noise, duplicate ...)"),
    ("source_item_id", "รหัสรายการในต้นฉบับ", "item id in the source table"),
    ("page", "หน้า", "page in the printed document"),
    ("amount_text", "จำนวนเงินตามต้นฉบับ", "the amount cell as printed in the source (its own unit)"),
]


@dataclass
class Item:
    """One item (a plan's project, a table's item node) with its exact figures.

    ``path`` holds ``(level key, id, name)`` from the top level down to the item itself; ``id``
    is the printed label (``5.3``) where the source prints one, else the node id.
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
    """A node above the items (a strategy, a ministry ...) with its roll-up, exact."""

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
    """Everything an export writes, from any dataset.

    ``groups`` pairs each level above the items with its rows; ``totals_year`` is None when a
    printed total covers the whole period, else the (bill) year it is printed for.
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


def dataset_of(source) -> Dataset:
    """*source* as a :class:`Dataset`: a Dataset as it is; a Plan or a budget dataset through
    :mod:`coopanalysis.model.build`; a path (an ingested folder, a plan's text) through
    :func:`coopanalysis.load`.

    >>> dataset_of(3.5)
    Traceback (most recent call last):
    ...
    TypeError: expected a Dataset, a Plan, a budget dataset or a path, got float
    """
    from coopanalysis.budget import BudgetDataset
    from coopanalysis.model.build import from_budget, from_plan
    from coopanalysis.model.plan import Plan

    if isinstance(source, Dataset):
        return source
    if isinstance(source, Plan):
        return from_plan(source)
    if isinstance(source, BudgetDataset):
        return from_budget(source)
    if isinstance(source, (str, Path)):
        from coopanalysis.model.api import load

        return load(source)
    raise TypeError(f"expected a Dataset, a Plan, a budget dataset or a path, got {type(source).__name__}")


def _number(value) -> Decimal | None:
    """A float64 amount of the dataset → the decimal it stands for (its shortest repr)."""
    return None if pd.isna(value) else Decimal(repr(float(value)))


def _info(ds: Dataset) -> dict:
    """Provenance for the README sheet and the package: source files with their sha256, the
    mapping, the corrections applied."""
    provenance = ds.provenance
    ingest = provenance.get("ingest_meta") or {}  # a plan's ingest record
    sources = []
    for source in provenance.get("sources", []):
        if isinstance(source, dict):  # a table's sources, as its plan.json lists them
            sources.append({"file": str(source.get("file", "")), "sha256": str(source.get("sha256", "")),
                            "rows": source.get("rows")})
        else:  # a plan's text or folder: the file its ingest read
            sources.append({"file": text(ingest.get("source_file")) or Path(str(source)).name,
                            "sha256": text(ingest.get("sha256"))})
    corrections = [{  # a plan's name its project and line; a table's its row (item id, row of the file)
        "project_id": text(row.get("project_id", row.get("item_id"))), "field": text(row.get("field")),
        "fiscal_year": to_int(row.get("fiscal_year")),
        "printed": to_decimal(row.get("printed")),
        "corrected": to_decimal(row.get("corrected")),
        "reason": text(row.get("reason")), "source_line": to_int(row.get("source_line", row.get("source_row"))),
    } for row in records(provenance.get("corrections"))]
    return {"source_file": ", ".join(s["file"] for s in sources),
            "sha256": sources[0]["sha256"] if len(sources) == 1 else "",
            "sources": sources,
            "corrections_file": text(ingest.get("corrections_file")) or text(ds.meta.get("corrections_file")),
            "corrections": corrections, "mapping": text(ds.meta.get("mapping"))}


def _row_extras(ds: Dataset) -> pd.DataFrame:
    """Each amount row with what its source row says beside it (a table's unit, kind, status,
    page, item id, amount as printed and its exact million-baht text: extras ``items``, matched
    by file and row); empty text where there is none."""
    amounts = ds.amounts
    items = ds.extras.get("items")
    keys = ["unit", "kind", "status", "source_item_id", "page", "amount_text", "amount_mb"]
    if items is None or items.empty:
        return pd.DataFrame({key: "" for key in keys}, index=amounts.index)
    side = items.rename(columns={"source_file": "source", "item_id": "source_item_id"}).assign(
        source_line=pd.to_numeric(items["source_row"], errors="coerce").astype("Int64"))
    side = side.reindex(columns=["source", "source_line", *keys]).drop_duplicates(["source", "source_line"])
    joined = amounts[["source", "source_line"]].merge(side, on=["source", "source_line"], how="left")
    return joined[keys].fillna("").astype(str).set_index(amounts.index)


class _Figures:
    """A dataset's tree, printed totals and sums as plain Python, read once for one shaping.

    ``year`` is the year printed totals are for (a table's bill year), None for the whole period.
    """

    def __init__(self, ds: Dataset, year: int | None):
        self.year = year
        nodes = ds.nodes
        self.ident = {n: (label or n) for n, label in zip(nodes["node_id"], nodes["label"])}
        self.level = dict(zip(nodes["node_id"], nodes["level"]))
        self.name = dict(zip(nodes["node_id"], nodes["name"]))
        self.parent = dict(zip(nodes["node_id"], nodes["parent_id"]))
        self.stated: dict[tuple[str, int | None], Decimal] = {}  # the first printed total counts
        for node_id, fiscal_year, amount in zip(ds.stated["node_id"], ds.stated["fiscal_year"],
                                                ds.stated["amount_mb"]):
            if not pd.isna(amount):
                self.stated.setdefault((node_id, to_int(fiscal_year)), _number(amount))
        # the one roll-up: everything beneath a node, whole period and by year
        whole, by_year = ds.computed(), ds.computed(by_year=True)
        self.whole = {n: decimal_mb(v) for n, v in zip(whole["node_id"], whole["computed_satang"])}
        self.rolled: dict[str, dict[int, Decimal]] = {}
        for node_id, fiscal_year, value in zip(by_year["node_id"], by_year["fiscal_year"], by_year["computed_satang"]):
            if not pd.isna(fiscal_year) and not pd.isna(value):
                self.rolled.setdefault(node_id, {})[int(fiscal_year)] = decimal_mb(value)
        # a node's own amounts (an item's figures)
        amounts = ds.amounts.assign(satang=satang(ds.amounts["amount_mb"]))
        dated = amounts[amounts["fiscal_year"].notna()]
        self.own: dict[str, dict[int, Decimal]] = {}
        for (node_id, fiscal_year), value in dated.groupby(["node_id", "fiscal_year"], sort=False)["satang"].sum(
                min_count=1).items():
            if not pd.isna(value):
                self.own.setdefault(node_id, {})[int(fiscal_year)] = decimal_mb(value)
        self.own_total = {n: decimal_mb(v) for n, v in amounts.groupby("node_id", sort=False)["satang"].sum(min_count=1).items()}
        self.whole_period = set(amounts.loc[amounts["fiscal_year"].isna() & amounts["amount_mb"].notna(), "node_id"])
        self.first_line = dict(zip(amounts["node_id"][::-1], amounts["source_line"][::-1]))

    def path(self, node_id: str) -> list[tuple[str, str, str]]:
        """``(level, id, name)`` from the top level down to *node_id*."""
        out: list[tuple[str, str, str]] = []
        while node_id in self.level and len(out) < len(self.level):
            out.append((self.level[node_id], self.ident[node_id], self.name[node_id]))
            node_id = self.parent[node_id]
        return out[::-1]

    def printed(self, node_id: str) -> Decimal | None:
        return self.stated.get((node_id, self.year))

    def total(self, node_id: str) -> Decimal | None:
        """The roll-up beneath *node_id*, for the printed totals' year (or the whole period)."""
        return self.whole.get(node_id) if self.year is None else self.rolled.get(node_id, {}).get(self.year)


def _items(ds: Dataset, fig: _Figures, last: str, extra: pd.DataFrame) -> dict[str, Item]:
    """Node id → :class:`Item`, in node order: every node of the last level and every node an
    amount hangs from."""
    units: dict[str, list[str]] = {}  # by printed id: a plan's project_units, a table's rows
    for row in records(ds.extras.get("project_units")):
        if text(row.get("unit")).strip():
            units.setdefault(text(row.get("project_id")), []).append(text(row.get("unit")).strip())
    flags: dict[str, list[str]] = {}
    for node_id, unit, status in zip(ds.amounts["node_id"], extra["unit"], extra["status"]):
        key = fig.ident.get(node_id, node_id)
        if unit.strip() and unit.strip() not in units.setdefault(key, []):
            units[key].append(unit.strip())
        for flag in status.split(";"):
            if flag and flag != "ok" and flag not in flags.setdefault(key, []):
                flags[key].append(flag)
    parse_status = {text(r.get("project_id")): text(r.get("parse_status")) for r in records(ds.extras.get("projects"))}
    has_rows = set(ds.amounts["node_id"])
    out = {}
    for node_id, level, line in zip(ds.nodes["node_id"], ds.nodes["level"], ds.nodes["source_line"]):
        if level != last and node_id not in has_rows:
            continue
        key, yearly = fig.ident[node_id], fig.own.get(node_id, {})
        basis = "printed" if node_id in fig.whole_period else "yearly" if node_id in has_rows else "none"
        if fig.year is not None:  # a table: the item's amounts in the bill year
            computed = amount = yearly.get(fig.year)
        else:  # a plan: the sum of its yearly amounts when it has them; its amount, printed or summed
            computed = sum(yearly.values(), Decimal(0)) if basis == "yearly" and yearly else None
            amount = fig.own_total.get(node_id)
        out[node_id] = Item(path=fig.path(node_id), yearly=yearly, stated=fig.printed(node_id), amount=amount,
                            computed=computed, basis=basis,
                            status=parse_status.get(key) or "; ".join(flags.get(key, [])), units=units.get(key, []),
                            source_line=to_int(fig.first_line.get(node_id) if pd.isna(line) else line))
    return out


def _groups(ds: Dataset, fig: _Figures, levels: tuple[Level, ...], items: dict[str, Item]) -> list:
    """Every level above the items with its nodes, sorted by id, and their roll-ups."""
    last = levels[-1].key
    closure = ds.ancestors()
    beneath = closure[closure["node_id"].map(fig.level) == last]
    found = beneath.groupby("ancestor_id").size()
    printed_basis = {n for n, item in items.items() if item.basis == "printed"}
    printed = beneath[beneath["node_id"].isin(printed_basis)].groupby("ancestor_id").size()
    counts = {text(r.get("node_id")): to_int(r.get("stated_count")) for r in records(ds.extras.get("printed_counts"))}
    groups = []
    for level in levels[:-1]:
        ids = sorted(ds.nodes.loc[ds.nodes["level"] == level.key, "node_id"], key=lambda n: id_sort_key(fig.ident[n]))
        rows = [GroupRow(level=level.key, id=fig.ident[n], name=fig.name[n],
                         parents=[(fig.level[fig.parent[n]], fig.ident[fig.parent[n]])] if fig.parent[n] in fig.level
                         else [],
                         yearly=fig.rolled.get(n, {}), stated=fig.printed(n), computed=fig.total(n),
                         stated_count=counts.get(n), found_count=int(found.get(n, 0)),
                         n_printed_basis=int(printed.get(n, 0))) for n in ids]
        if rows:
            groups.append((level, rows))
    return groups


def _long(ds: Dataset, items: dict[str, Item], extra: pd.DataFrame, long_extra: list) -> list[dict]:
    """One row per amount with a fiscal year beneath an item (the rows every yearly figure is
    built from): the item's path, units, year, amount, where it is printed, a table's row columns."""
    rows = ds.amounts.join(extra.add_prefix("row_"))
    rows = rows[rows["fiscal_year"].notna() & rows["amount_mb"].notna() & rows["node_id"].isin(list(items))]
    columns = ["node_id", "fiscal_year", "amount_mb", "source", "source_line", "row_unit", "row_amount_mb"]
    out = []
    for values in zip(*(rows[c] for c in columns), *(rows[f"row_{key}"] for key, _, _ in long_extra)):
        node_id, year, amount, where, line, unit, amount_mb, *row_columns = values
        item = items[node_id]
        record = {}
        for level, key, name in item.path:
            record[f"{level}_id"], record[f"{level}_name"] = key, name
        exact = to_decimal(amount_mb)  # a table's amount to every printed digit, while the dataset holds it
        record.update({"units": unit.strip() if long_extra else "; ".join(item.units), "fiscal_year": int(year),
                       "amount": exact if exact is not None and float(exact) == amount else _number(amount),
                       "source": where, "source_line": to_int(line)})
        record.update(zip((key for key, _, _ in long_extra), row_columns))
        out.append(record)
    return out


def _unit_rows(ds: Dataset, items: list[Item]) -> list[dict]:
    """Responsible units, sorted: a plan's glossary (extras ``units``) and every item's units."""
    names = {text(r.get("unit")): text(r.get("name")) for r in records(ds.extras.get("units"))}
    of_unit: dict[str, set[str]] = {}
    for item in items:
        for unit in item.units:
            of_unit.setdefault(unit, set()).add(item.id)
    return [{"unit": u, "name": names.get(u, ""), "projects": sorted(of_unit.get(u, ()), key=id_sort_key)}
            for u in sorted(set(names) | set(of_unit)) if u]


def _totals(ds: Dataset, fig: _Figures, groups: list, items: list[Item]) -> list[dict]:
    """Printed totals beside the sums. A plan prints its totals for the whole period: one row
    per node above the items and per item (a total it does not print stays empty). A table
    prints them for its bill year: one row per printed total as read (some match several nodes,
    joined with ``;``, or none)."""
    if fig.year is None:
        out = [{"level": g.level, "id": g.id, "name": g.name, "fiscal_year": None, "printed": g.stated,
                "computed": g.computed} for _, rows in groups for g in rows]
        return out + [{"level": item.path[-1][0], "id": item.id, "name": item.name, "fiscal_year": None,
                       "printed": item.stated, "computed": item.amount} for item in items]
    out = []
    for row in ds.stated.to_dict("records"):
        if pd.isna(row["amount_mb"]) or pd.isna(row["fiscal_year"]):
            continue
        node_id, year = row["node_id"], int(row["fiscal_year"])
        # a total printed for several nodes (ids joined with ";") is compared with their sum
        parts = [fig.rolled.get(n, {}).get(year) for n in text(node_id).split(";") if n]
        parts = [part for part in parts if part is not None]
        out.append({"level": text(row.get("printed_level")) or fig.level.get(node_id, ""), "id": node_id,
                    "name": text(row.get("printed_name")) or fig.name.get(node_id, ""), "fiscal_year": year,
                    "printed": _number(row["amount_mb"]), "computed": sum(parts, Decimal(0)) if parts else None})
    return out


def shape(source, tolerance=None) -> Shaped:
    """The :class:`Shaped` value of *source* (see :func:`dataset_of`); *tolerance* (million
    baht, default that of ``coopanalysis check``) is the checks' tolerance for the findings."""
    from coopanalysis.checks import DEFAULT_TOLERANCE
    from coopanalysis.model.api import check

    ds = dataset_of(source)
    tolerance = DEFAULT_TOLERANCE if tolerance is None else Decimal(str(tolerance))
    meta, plan = ds.meta, ds.kind == "plan"
    levels = tuple(Level(lv.key, lv.label_th or lv.key, lv.label_en or lv.key) for lv in ds.levels)
    phase = meta.get("phase")
    phase = phase if isinstance(phase, str) and phase.strip() else "planned" if plan else "proposed"
    fig = _Figures(ds, None if plan else to_int(meta.get("bill_year")))
    extra = _row_extras(ds)
    items = _items(ds, fig, levels[-1].key, extra)
    groups = _groups(ds, fig, levels, items)
    long_extra = list(LONG_EXTRA) if "items" in ds.extras else []
    return Shaped(kind=ds.kind, title=ds.title, levels=levels,
                  years=sorted(int(y) for y in meta.get("fiscal_years", [])) or ds.years, phase=phase,
                  info=_info(ds), items=list(items.values()), groups=groups, long=_long(ds, items, extra, long_extra),
                  units=_unit_rows(ds, list(items.values())), findings=list(check(ds, tolerance=tolerance)),
                  tolerance=tolerance, totals=_totals(ds, fig, groups, list(items.values())), totals_year=fig.year,
                  long_extra=long_extra)
