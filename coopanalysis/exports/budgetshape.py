"""A budget dataset (a table ingested through a mapping) shaped for export, at any depth.

The dataset's levels come from its ``plan.json``; its nodes are dotted ids (``1.2.3``) whose
prefixes are their ancestors. The items are the nodes that item rows hang from, wide by
fiscal year; every level above the last gets a roll-up of the rows beneath each node, beside
the printed total for the bill's year (``stated.csv``). Printed subtotal rows are not items:
they are printed totals, so they never enter a sum or the long table.
"""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.exports.common import GroupRow, Item, Level, Shaped
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.frames import to_decimal, to_int

__all__ = ["shape_budget", "LONG_EXTRA"]

#: Extra columns of the long table of a budget dataset: (key, Thai, English).
LONG_EXTRA = [
    ("kind", "ประเภทแถว", "row kind (appropriation / obligation_other_year)"),
    ("status", "สถานะแถว", "row status (ok, float_noise, duplicate ...)"),
    ("source_item_id", "รหัสรายการในต้นฉบับ", "item id in the source table"),
    ("page", "หน้า", "page in the printed document"),
    ("amount_text", "จำนวนเงินตามต้นฉบับ", "the amount cell as printed in the source (its own unit)"),
]


def _ancestors(node_id: str) -> list[str]:
    parts = node_id.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _levels(dataset) -> tuple[Level, ...]:
    out = []
    for entry in dataset.levels:
        key = str(entry["key"])
        out.append(Level(key, str(entry.get("label_th") or key), str(entry.get("label_en") or key)))
    return tuple(out)


def _info(plan: dict) -> dict:
    sources = [{"file": str(s.get("file", "")), "sha256": str(s.get("sha256", "")), "rows": s.get("rows")}
               for s in plan.get("sources", []) if isinstance(s, dict)]
    return {"source_file": ", ".join(s["file"] for s in sources),
            "sha256": sources[0]["sha256"] if len(sources) == 1 else "",
            "sources": sources, "corrections_file": "", "corrections": [], "mapping": str(plan.get("mapping", ""))}


def shape_budget(dataset, tolerance: Decimal) -> Shaped:
    """The :class:`~coopanalysis.exports.common.Shaped` value of a ``BudgetDataset``."""
    from coopanalysis.budget import rollup, run_checks

    plan = dataset.plan
    levels = _levels(dataset)
    nodes = dataset.node_records()
    bill = dataset.bill_year
    years = sorted(int(y) for y in plan.get("fiscal_years", []))
    sums = rollup(dataset)
    stated: dict[tuple[str, int], Decimal] = {}
    totals = []
    for row in dataset.stated.to_dict("records"):
        amount, year = to_decimal(row.get("amount_mb")), to_int(row.get("fiscal_year"))
        if amount is None or year is None:
            continue
        stated.setdefault((row["node_id"], year), amount)
        totals.append({"level": row.get("level", ""), "id": row["node_id"], "name": row.get("name", ""),
                       "fiscal_year": year, "printed": amount, "computed": sums.get((row["node_id"], year))})

    def path(node_id: str) -> list[tuple[str, str, str]]:
        return [(nodes[a]["level"], a, nodes[a]["name"]) for a in _ancestors(node_id) if a in nodes]

    item_rows: dict[str, dict] = {}
    long, units = [], {}
    for row in dataset.items.to_dict("records"):
        if row.get("kind") == "subtotal":
            continue
        node_id = row["node_id"]
        entry = item_rows.setdefault(node_id, {"yearly": {}, "units": [], "status": [], "line": to_int(row.get("source_row"))})
        amount, year = to_decimal(row.get("amount_mb")), to_int(row.get("fiscal_year"))
        unit = (row.get("unit") or "").strip()
        if unit and unit not in entry["units"]:
            entry["units"].append(unit)
        for status in (row.get("status") or "").split(";"):
            if status and status != "ok" and status not in entry["status"]:
                entry["status"].append(status)
        if amount is None or year is None:
            continue
        entry["yearly"][year] = entry["yearly"].get(year, Decimal(0)) + amount
        if unit:
            units.setdefault(unit, set()).add(node_id)
        record = {}
        for level, ident, name in path(node_id):
            record[f"{level}_id"], record[f"{level}_name"] = ident, name
        record.update({"units": unit, "fiscal_year": year, "amount": amount, "source": row.get("source_file", ""),
                       "source_line": to_int(row.get("source_row"))})
        record.update({"kind": row.get("kind", ""), "status": row.get("status", ""), "page": row.get("page", ""),
                       "source_item_id": row.get("item_id", ""), "amount_text": row.get("amount_text", "")})
        long.append(record)

    items = []
    for node_id, entry in item_rows.items():
        computed = entry["yearly"].get(bill) if bill is not None else None
        items.append(Item(path=path(node_id), yearly=entry["yearly"], stated=stated.get((node_id, bill)),
                          amount=computed, computed=computed, basis="yearly", status="; ".join(entry["status"]),
                          units=entry["units"], source_line=entry["line"]))

    groups = []
    for level in levels[:-1]:
        rows = []
        for node_id in sorted((n for n, r in nodes.items() if r["level"] == level.key), key=id_sort_key):
            parent = nodes[node_id].get("parent_id") or ""
            yearly = {y: sums[(node_id, y)] for y in years if (node_id, y) in sums}
            rows.append(GroupRow(level=level.key, id=node_id, name=nodes[node_id]["name"],
                                 parents=[(nodes[parent]["level"], parent)] if parent in nodes else [],
                                 yearly=yearly, stated=stated.get((node_id, bill)), computed=sums.get((node_id, bill))))
        if rows:
            groups.append((level, rows))

    unit_rows = [{"unit": u, "name": "", "projects": sorted(ids, key=id_sort_key)} for u, ids in sorted(units.items())]
    phase = plan.get("phase") if isinstance(plan.get("phase"), str) and plan.get("phase") else "proposed"
    return Shaped(kind="budget_table", title=str(plan.get("title", "")), levels=levels, years=years, phase=phase,
                  info=_info(plan), items=items, groups=groups, long=long, units=unit_rows,
                  findings=run_checks(dataset, tolerance=tolerance), tolerance=tolerance, totals=totals,
                  totals_year=bill, long_extra=list(LONG_EXTRA))
